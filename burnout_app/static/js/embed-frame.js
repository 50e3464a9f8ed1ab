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
//
// app.js swaps most views in place (so Back and Forward need no resubmission) and
// then fires "burnout-self-check:view". Each such view is treated as a page load:
// the same fixed message, to the origin the one hello came from, the same focus,
// the same links. So the host sees one {type: "page"} per view either way.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var SOURCE = "burnout-self-check";
  var origins = (document.body.getAttribute("data-parent-origins") || "").split(" ").filter(Boolean);
  var hostOrigin = null; // known once the host has said hello

  function tellHost() {
    window.parent.postMessage({ source: SOURCE, type: "page" }, hostOrigin);
    if (document.body.hasAttribute("data-completed")) {
      window.parent.postMessage({ source: SOURCE, type: "completed" }, hostOrigin);
    }
  }

  function openOtherSitesOutside() {
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      if ((link.protocol === "https:" || link.protocol === "http:") && link.origin !== location.origin) {
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      }
    }
  }

  // Only when the person is working in the frame, and nothing else took the focus:
  // a page with errors focuses its error summary (app.js), and a view swapped in
  // place leaves the focus on the body, as a page load does.
  function focusHeading() {
    if (!document.hasFocus() || document.querySelector(".error-summary")) { return; }
    var active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) { return; }
    var heading = document.querySelector("main h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }

  window.addEventListener("message", function (event) {
    if (hostOrigin || event.source !== window.parent || origins.indexOf(event.origin) === -1) { return; }
    var data = event.data;
    if (!data || data.source !== SOURCE || data.type !== "hello") { return; }
    hostOrigin = event.origin;
    tellHost();
  });

  document.addEventListener("burnout-self-check:view", function (event) {
    openOtherSitesOutside();
    focusHeading();
    // Before the hello, the hello's answer covers the view on screen.
    if (hostOrigin) { tellHost(); }
  });

  openOtherSitesOutside();
  focusHeading();
})();
