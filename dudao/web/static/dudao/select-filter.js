// Long region lists (a province's counties): a <select> marked data-filter gets a box
// before it; typing part of a name (萝北, 向阳) keeps only the options that contain it and
// picks the first of them. Without JavaScript the list works as a plain select.
(function () {
  "use strict";

  function setUp(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "select-filter";
    input.placeholder = select.getAttribute("data-filter");
    input.setAttribute("aria-label", select.getAttribute("data-filter"));
    select.parentNode.insertBefore(input, select);
    var options = Array.prototype.slice.call(select.options);
    input.addEventListener("input", function () {
      var words = input.value.trim().split(/\s+/).filter(Boolean);
      var first = null;
      options.forEach(function (option) {
        var text = option.textContent;
        var keep = option.value === "" || words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !keep;
        option.disabled = !keep;
        if (keep && option.value !== "" && first === null) first = option;
      });
      var current = select.selectedOptions[0];
      if (words.length && first && (!current || current.hidden || current.value === "")) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // filtering, not submitting
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-filter]").forEach(setUp);
  });
})();
