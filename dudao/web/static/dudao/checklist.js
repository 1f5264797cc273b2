// Checkbox lists (a round's problems to a city's twenty counties at once): a list marked
// data-filter gets a filter box and buttons that tick or clear the boxes still shown.
// Without JavaScript the list works as plain checkboxes.
(function () {
  "use strict";

  function setUp(list) {
    var bar = document.createElement("div");
    bar.className = "checklist-bar";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = list.getAttribute("data-filter");
    input.setAttribute("aria-label", list.getAttribute("data-filter"));
    var all = document.createElement("button");
    all.type = "button";
    all.textContent = "全选所显示的";
    var none = document.createElement("button");
    none.type = "button";
    none.textContent = "全不选";
    bar.appendChild(input);
    bar.appendChild(all);
    bar.appendChild(none);
    list.parentNode.insertBefore(bar, list);

    // (no :has() — offices run older Chromium-based browsers)
    var labels = Array.prototype.map.call(
      list.querySelectorAll("input[type=checkbox]"),
      function (box) { return box.closest("label"); }
    );
    function shown() {
      return Array.prototype.filter.call(labels, function (label) { return !label.hidden; });
    }
    input.addEventListener("input", function () {
      var words = input.value.trim().split(/\s+/).filter(Boolean);
      labels.forEach(function (label) {
        var text = label.textContent;
        label.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // filtering, not submitting
    });
    all.addEventListener("click", function () {
      shown().forEach(function (label) { label.querySelector("input").checked = true; });
    });
    none.addEventListener("click", function () {
      shown().forEach(function (label) { label.querySelector("input").checked = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".checklist[data-filter]").forEach(setUp);
  });
})();
