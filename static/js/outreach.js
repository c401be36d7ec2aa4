// Pickers for the inspections and outreach forms (no inline scripts: CSP script-src 'self').
// A search result button with data-pick="#hidden-input" sets that input's value and shows
// its label in data-pick-display; "select all" boxes tick every checkbox of their group.
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-pick]");
  if (!el) return;
  event.preventDefault();
  var input = document.querySelector(el.getAttribute("data-pick"));
  if (input) input.value = el.getAttribute("data-pick-id");
  var display = document.querySelector(el.getAttribute("data-pick-display"));
  if (display) display.textContent = el.getAttribute("data-pick-label");
  var list = el.closest(".list-group");
  if (list) list.innerHTML = "";
});
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches("[data-check-all]")) return;
  document.querySelectorAll(box.getAttribute("data-check-all")).forEach(function (other) {
    other.checked = box.checked;
  });
});
