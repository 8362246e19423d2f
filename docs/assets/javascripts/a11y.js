/*
 * Accessible names for two ARIA widgets of the Material theme that ship without one (axe-core
 * rules aria-dialog-name and aria-progressbar-name). The header and these widgets survive
 * instant navigation, so labelling them once is enough.
 */
(function () {
  var labels = [
    [".md-search[role='dialog']", "Search"],
    [".md-progress[role='progressbar']", "Loading page"],
  ];
  labels.forEach(function (pair) {
    document.querySelectorAll(pair[0]).forEach(function (el) {
      if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", pair[1]);
    });
  });
})();
