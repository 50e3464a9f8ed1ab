/*
 * Burnout Self-Check embed script. Written for this project, no dependencies.
 *
 * On the host page:
 *   <div data-burnout-self-check></div>
 *   <script src="https://CHECK.EXAMPLE/embed.js" data-portal="PORTAL-ID" async></script>
 *
 * It inserts an iframe into every element with data-burnout-self-check.
 *
 * Privacy by design: nothing the host page sees depends on the answers.
 * - The frame is as tall as the host's window (never less than 20rem), and its
 *   pages scroll inside it. Its size follows the window, never the page inside,
 *   so a long results page and a short one look the same from outside.
 * - Each time a page loads in the frame, this script says "hello" to it and the
 *   page answers with one fixed message, {type: "page"}; the results page adds
 *   {type: "completed"}. Neither carries anything else, so the host receives the
 *   same messages, in the same order, whatever the person answered.
 * - After the first page, every new page brings the frame's top into view, so
 *   the next step's heading is on screen (the page itself moves focus to it).
 * The element receives a "burnout-self-check:completed" event on the results page.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var appOrigin = new URL(script.src).origin;
  var portal = script.getAttribute("data-portal");
  var lang = script.getAttribute("data-lang") || "";
  var SOURCE = "burnout-self-check";
  if (!portal) { return; }

  function completedEvent() {
    try {
      return new CustomEvent("burnout-self-check:completed", { bubbles: true });
    } catch (e) {
      var event = document.createEvent("Event");
      event.initEvent("burnout-self-check:completed", true, false);
      return event;
    }
  }

  function mount(container) {
    if (container.getAttribute("data-burnout-mounted")) { return; }
    container.setAttribute("data-burnout-mounted", "true");
    var frame = document.createElement("iframe");
    var path = "/embed/" + encodeURIComponent(portal) + "/" + (lang ? encodeURIComponent(lang) + "/" : "");
    frame.src = appOrigin + path;
    frame.title = container.getAttribute("data-title") || "Burnout self-check";
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.style.display = "block";
    frame.style.width = "100%";
    frame.style.border = "0";
    // The window's height, never the content's: "svh" (the height with the mobile
    // browser's bars shown) where supported, else "vh".
    frame.style.height = "100vh";
    frame.style.height = "100svh";
    frame.style.minHeight = "20rem";
    container.appendChild(frame);

    var pages = 0;
    frame.addEventListener("load", function () {
      // The frame only answers an origin its portal declared, and only to a hello,
      // so it never posts to a window it does not know.
      if (frame.contentWindow) {
        frame.contentWindow.postMessage({ source: SOURCE, type: "hello" }, appOrigin);
      }
    });
    window.addEventListener("message", function (event) {
      if (event.origin !== appOrigin || event.source !== frame.contentWindow) { return; }
      var data = event.data;
      if (!data || data.source !== SOURCE) { return; }
      if (data.type === "page") {
        pages += 1;
        // The first page stays where the host put it; later ones follow the person.
        if (pages > 1) { frame.scrollIntoView({ block: "start" }); }
      } else if (data.type === "completed") {
        // Deliberately empty: the employer's page learns only that a check was completed.
        container.dispatchEvent(completedEvent());
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
