/*
 * Burnout Self-Check embed script. Written for this project, no dependencies.
 *
 * On the host page:
 *   <div data-burnout-self-check></div>
 *   <script src="https://CHECK.EXAMPLE/embed.js" data-portal="PORTAL-ID" async></script>
 *
 * It inserts an iframe into every element with data-burnout-self-check, resizes
 * it from the frame's height messages (checking their origin and source), and
 * fires a "burnout-self-check:completed" event on the element when the person
 * reaches the results. The event carries no scores and no answers, ever.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var appOrigin = new URL(script.src).origin;
  var portal = script.getAttribute("data-portal");
  var lang = script.getAttribute("data-lang") || "";
  if (!portal) { return; }

  function mount(container) {
    if (container.getAttribute("data-burnout-mounted")) { return; }
    container.setAttribute("data-burnout-mounted", "true");
    var frame = document.createElement("iframe");
    var path = "/embed/" + encodeURIComponent(portal) + "/" + (lang ? encodeURIComponent(lang) + "/" : "");
    frame.src = appOrigin + path;
    frame.title = container.getAttribute("data-title") || "Burnout self-check";
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.minHeight = "600px";
    frame.style.height = "900px";
    container.appendChild(frame);

    window.addEventListener("message", function (event) {
      if (event.origin !== appOrigin || event.source !== frame.contentWindow) { return; }
      var data = event.data;
      if (!data || data.source !== "burnout-self-check") { return; }
      if (data.type === "height" && typeof data.height === "number" && data.height > 0 && data.height < 20000) {
        frame.style.height = Math.round(data.height) + "px";
      } else if (data.type === "completed") {
        // Deliberately empty: the employer's page learns only that a check was completed.
        var done;
        try {
          done = new CustomEvent("burnout-self-check:completed", { bubbles: true });
        } catch (e) {
          done = document.createEvent("Event");
          done.initEvent("burnout-self-check:completed", true, false);
        }
        container.dispatchEvent(done);
      }
    });
  }

  function mountAll() {
    var containers = document.querySelectorAll("[data-burnout-self-check]");
    for (var i = 0; i < containers.length; i++) { mount(containers[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
