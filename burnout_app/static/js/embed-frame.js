// Inside an embedded page: tell the host page our height, and that the check was completed.
// Messages go only to the portal's own origins. They carry no answers and no scores;
// heights are rounded, and the results page always reports the same height, so the
// host cannot infer anything about the results from the size of the frame.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var body = document.body;
  var origins = (body.getAttribute("data-parent-origins") || "").split(" ").filter(Boolean);
  if (!origins.length) { return; }
  var fixedHeight = body.getAttribute("data-fixed-height");

  function send(message) {
    message.source = "burnout-self-check";
    origins.forEach(function (origin) {
      try { window.parent.postMessage(message, origin); } catch (e) { /* not our parent */ }
    });
  }
  function reportHeight() {
    var height = fixedHeight ? parseInt(fixedHeight, 10)
      : Math.ceil(document.documentElement.scrollHeight / 100) * 100;
    send({ type: "height", height: height });
  }
  window.addEventListener("load", reportHeight);
  window.addEventListener("resize", reportHeight);
  if (body.hasAttribute("data-completed")) {
    send({ type: "completed" });
  }
})();
