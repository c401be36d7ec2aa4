// Small behaviours for the whole app. No inline scripts anywhere (CSP: script-src 'self').
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("[data-autosubmit]")) {
    el.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
  var printer = event.target.closest("[data-print]");
  if (printer) {
    event.preventDefault();
    window.print();
  }
});

// The server checks every form and answers in Vietnamese, beside the field, keeping what was
// typed. The browser's own bubbles ("Please fill out this field." on an English browser) are
// turned off; `required` stays on the fields for screen readers.
function wardForms(root) {
  // A table wider than a phone scrolls sideways inside .table-responsive: keyboard users
  // reach the box with Tab and scroll it with the arrow keys (axe: scrollable-region-focusable).
  root.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (box) {
    box.tabIndex = 0;
  });
  root.querySelectorAll("form").forEach(function (form) {
    if (!form.hasAttribute("data-browser-validate")) form.noValidate = true;
  });
  // A character counter under every text box with a limit ("125 / 4.000 ký tự").
  root.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    if (area.dataset.counted) return;
    area.dataset.counted = "1";
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    var counter = document.createElement("div");
    counter.className = "form-text text-end";
    counter.id = (area.id || area.name) + "-counter";
    counter.setAttribute("aria-live", "polite");
    var fmt = function (n) { return n.toLocaleString("vi-VN"); };
    var update = function () {
      var unit = document.documentElement.lang === "en" ? " characters" : " ký tự";
      counter.textContent = fmt(area.value.length) + " / " + fmt(limit) + unit;
      counter.classList.toggle("text-danger", area.value.length >= limit);
    };
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    area.addEventListener("input", update);
    update();
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", function () { wardForms(document); });
} else {
  wardForms(document);
}
document.addEventListener("htmx:afterSwap", function (event) { wardForms(event.target); });

// A form that takes several seconds (creating a report) shows that it is working: its submit
// button turns into a spinner and cannot be pressed twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-busy") || event.defaultPrevented) return;
  var button = event.submitter || form.querySelector("[type=submit]");
  if (!button) return;
  window.setTimeout(function () {  // after the browser has read the button's name/value
    button.disabled = true;
    button.innerHTML = '<span class="spinner-border spinner-border-sm" aria-hidden="true"></span> ' +
      form.getAttribute("data-busy");
  }, 0);
});
