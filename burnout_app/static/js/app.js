// Progressive enhancement only: every page works without this file.
//
// Back and Forward without "Confirm Form Resubmission". Without script, each step is
// a POST and the browser can only show it again by posting again. With script, the
// question pages and the results are fetched with the same POST and swapped into
// this document, and each view is kept in the tab's own session history
// (history.state) as the HTML the person last saw, with their ticks. Back and Forward
// restore a view from there, with no request at all, and carry every answer given
// so far into it. Nothing goes to a cookie, to Web Storage or into the URL; the
// browser drops the history when the tab is closed (README, "Back and forward").
//
// In a portal's frame it works the same way (the frame's entries join the tab's
// history, so the phone's Back moves through the steps), and after every swapped
// view it fires "burnout-self-check:view" on the document: embed-frame.js then does
// what it does on a page load (the one fixed message to the host, the focus).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var META = { token: 1, step: 1, action: 1, country: 1, plan: 1 };
  var VIEW_EVENT = "burnout-self-check:view";
  var viewId = 0;
  var bypass = false;
  var embedded = false;

  function enhance(moveFocus) {
    // A "Print" button, shown only when script can run it.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      if (!button.dataset.bound) {
        button.dataset.bound = "1";
        button.addEventListener("click", function () { window.print(); });
      }
    });
    // Move focus to the error summary so screen readers announce it.
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    } else if (moveFocus) {
      var heading = document.querySelector("main h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
  }

  function answersForm() { return document.getElementById("answers-form"); }

  // Not form.action: the form has a button named "action", which hides that property.
  function formAddress(form) {
    return new URL(form.getAttribute("action") || location.href, location.href).href;
  }

  // Attributes follow what the person ticked, so the saved HTML shows it again.
  function syncAttributes() {
    document.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (input) {
      if (input.checked) { input.setAttribute("checked", ""); } else { input.removeAttribute("checked"); }
    });
    document.querySelectorAll("select option").forEach(function (option) {
      if (option.selected) { option.setAttribute("selected", ""); } else { option.removeAttribute("selected"); }
    });
    document.querySelectorAll("input[type=hidden]").forEach(function (input) {
      input.setAttribute("value", input.value);
    });
  }

  // The body's own attributes differ between views in a portal's frame (data-completed).
  function bodyAttributes(body) {
    var out = {};
    Array.prototype.forEach.call(body.attributes, function (a) { out[a.name] = a.value; });
    return out;
  }

  function snapshot() {
    syncAttributes();
    return {
      burnoutView: viewId,
      html: document.body.innerHTML,
      body: bodyAttributes(document.body),
      title: document.title,
      lang: document.documentElement.lang,
      dir: document.documentElement.dir
    };
  }

  function saveView() {
    history.replaceState(snapshot(), "", location.href);
  }

  // Every answer in the current view: ticked radios and the hidden answers of other steps.
  function collectAnswers() {
    var form = answersForm();
    var answers = {};
    var token = null;
    if (!form) { return { answers: answers, token: token }; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      if (el.name === "token") { token = el.value; return; }
      if (META[el.name]) { return; }
      if ((el.type === "radio" && el.checked) || el.type === "hidden") { answers[el.name] = el.value; }
    });
    return { answers: answers, token: token };
  }

  function applyAnswers(carried) {
    var form = answersForm();
    if (!form) { return; }
    Object.keys(carried.answers).forEach(function (name) {
      var value = carried.answers[name];
      var radios = form.querySelectorAll("input[type=radio][name=\"" + CSS.escape(name) + "\"]");
      if (radios.length) {
        radios.forEach(function (radio) { radio.checked = radio.value === value; });
        return;
      }
      var hidden = form.querySelector("input[type=hidden][name=\"" + CSS.escape(name) + "\"]");
      if (!hidden) {
        hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = name;
        form.appendChild(hidden);
      }
      hidden.value = value;
    });
    // The newest token: a view saved long ago may hold an expired one.
    if (carried.token && form.elements.token) { form.elements.token.value = carried.token; }
  }

  function sameAnswers(a, b) {
    var keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(function (k) { return a[k] === b[k]; });
  }

  function show(state) {
    document.title = state.title;
    document.documentElement.lang = state.lang;
    document.documentElement.dir = state.dir;
    var body = document.body;
    if (state.body) {
      Array.prototype.slice.call(body.attributes).forEach(function (a) {
        if (!Object.prototype.hasOwnProperty.call(state.body, a.name)) { body.removeAttribute(a.name); }
      });
      Object.keys(state.body).forEach(function (name) { body.setAttribute(name, state.body[name]); });
    }
    body.innerHTML = state.html;
    viewId = state.burnoutView;
  }

  // A new view is on screen: in a portal's frame, embed-frame.js takes it from here.
  function announceView() {
    var event;
    try {
      event = new CustomEvent(VIEW_EVENT, { detail: {} });
    } catch (e) {
      event = document.createEvent("CustomEvent");
      event.initCustomEvent(VIEW_EVENT, false, false, {});
    }
    document.dispatchEvent(event);
  }

  // In a portal's frame the heading's focus is embed-frame.js's, as on a page load.
  function scrollForView(url, moveFocus) {
    var hash = new URL(url, location.href).hash;
    var target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
    if (target) {
      target.scrollIntoView();
      if (target.tabIndex >= -1 && target.hasAttribute("tabindex")) { target.focus({ preventScroll: true }); }
      enhance(false);
    } else {
      window.scrollTo(0, 0);
      enhance(moveFocus && !embedded);
    }
  }

  function fromResponse(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return {
      burnoutView: Date.now() + Math.random(),
      html: doc.body.innerHTML,
      body: bodyAttributes(doc.body),
      title: doc.title,
      lang: doc.documentElement.lang,
      dir: doc.documentElement.dir
    };
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("text/html") !== 0) { throw new Error("not a page"); }
      return response.text();
    });
  }

  function isStepAddress(url) {
    return /\/(questions|results)$/.test(new URL(url, location.href).pathname);
  }

  function onSubmit(event) {
    var form = event.target;
    if (bypass || form.id !== "answers-form" || event.defaultPrevented) { return; }
    var submitter = event.submitter || null;
    var url = submitter && submitter.hasAttribute("formaction") ? submitter.formAction : formAddress(form);
    if (!isStepAddress(url)) { return; } // downloads (PDF, FHIR) go on as usual
    event.preventDefault();
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    // The view being left is already saved: on load and after every change.
    post(url, new URLSearchParams(data).toString()).then(function (html) {
      var state = fromResponse(html);
      show(state);
      history.pushState(state, "", url);
      scrollForView(url, true);
      announceView();
    }).catch(function (error) {
      if (window.console) { window.console.warn("Posting the page itself:", error && error.message); }
      // Off line or an odd answer: let the browser post the form itself.
      bypass = true;
      if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
    });
  }

  function onPopState(event) {
    var state = event.state;
    // A jump to an anchor (#crisis, an error link) stays in the same view.
    if (!state || !state.burnoutView || state.burnoutView === viewId) { return; }
    var carried = collectAnswers();
    show(state);
    var form = answersForm();
    var onResults = form && !form.elements.step && isStepAddress(formAddress(form));
    // The answers these results were scored from, before the newer ones are carried in.
    var scored = onResults ? collectAnswers().answers : null;
    applyAnswers(carried);
    // A page load in the frame starts at the top; the host brings the frame's top into view.
    if (embedded) { window.scrollTo(0, 0); }
    if (onResults && !sameAnswers(scored, carried.answers)) {
      rescore(form);
      return;
    }
    enhance(!embedded);
    announceView();
  }

  // Forward to results whose answers changed since (Back, a new tick, Forward): the
  // saved results are out of date, and a "yes" to the safety question may now need
  // crisis help first. They are never shown: the view stays empty and busy until the
  // same POST scores the answers again, or, if that fails, the browser posts the form
  // itself and loads the results as a page.
  function rescore(form) {
    var main = document.querySelector("main");
    if (main) {
      main.hidden = true;
      main.setAttribute("aria-busy", "true");
    }
    var body = new URLSearchParams(new FormData(form)).toString();
    post(formAddress(form), body).then(function (html) {
      var fresh = fromResponse(html);
      fresh.burnoutView = viewId;
      show(fresh);
      history.replaceState(fresh, "", location.href);
      enhance(!embedded);
      announceView();
    }).catch(function (error) {
      if (window.console) { window.console.warn("Posting the page itself:", error && error.message); }
      bypass = true;
      form.submit();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    embedded = document.body.classList.contains("embedded");
    if (!window.fetch || !window.history || !window.URLSearchParams) {
      enhance(false);
      return;
    }
    // In a portal's frame every view starts at its top, as a page load does, and the
    // host brings the frame's top into view: the browser must not scroll it back.
    if (embedded && "scrollRestoration" in history) { history.scrollRestoration = "manual"; }
    var state = history.state;
    if (state && state.burnoutView) {
      // A reload of a view kept in this tab's history: show it as it was left.
      show(state);
      announceView();
    } else {
      viewId = Date.now() + Math.random();
      if (answersForm()) { saveView(); }
    }
    enhance(false);
    document.addEventListener("submit", onSubmit);
    document.addEventListener("change", function (event) {
      if (event.target.form && event.target.form.id === "answers-form") { saveView(); }
    });
    window.addEventListener("popstate", onPopState);
  });
})();
