// Inside an embedded page. Progressive enhancement only: the pages work without it.
//
// - Answers the host script's "hello" with one fixed message, {type: "page"}, and on
//   the results page {type: "completed"}: never answers, scores, levels or sizes.
//   It answers only a hello from the parent window on one of the portal's own
//   origins, and only to that origin, so no message is ever aimed at a window
//   that cannot receive it.
// - When the person moved here from another page of the check (this frame has
//   the focus), moves the keyboard focus to the page's heading, so the new step
//   is announced and the next Tab starts from it. The host script scrolls the
//   frame's top into view.
// - Opens links to other sites outside the frame: helplines and services
//   usually refuse to be framed.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var SOURCE = "burnout-self-check";
  var body = document.body;
  var origins = (body.getAttribute("data-parent-origins") || "").split(" ").filter(Boolean);
  var answered = false;

  window.addEventListener("message", function (event) {
    if (answered || event.source !== window.parent || origins.indexOf(event.origin) === -1) { return; }
    var data = event.data;
    if (!data || data.source !== SOURCE || data.type !== "hello") { return; }
    answered = true;
    window.parent.postMessage({ source: SOURCE, type: "page" }, event.origin);
    if (body.hasAttribute("data-completed")) {
      window.parent.postMessage({ source: SOURCE, type: "completed" }, event.origin);
    }
  });

  var links = document.querySelectorAll("a[href]");
  for (var i = 0; i < links.length; i++) {
    var link = links[i];
    if ((link.protocol === "https:" || link.protocol === "http:") && link.origin !== location.origin) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
  }

  // A page with errors focuses its error summary instead (app.js).
  if (document.hasFocus() && !document.querySelector(".error-summary")) {
    var heading = document.querySelector("main h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }
})();
