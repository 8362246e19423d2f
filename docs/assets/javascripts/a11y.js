/*
 * Accessibility fixes the Material theme does not make itself (checked with axe-core by
 * tests/test_site_browser.py).
 *
 * 1. Names for two ARIA widgets that ship without one (rules aria-dialog-name and
 *    aria-progressbar-name). They live in the header, which instant navigation keeps, so
 *    labelling them once is enough.
 * 2. Keyboard access to content that scrolls sideways (rule scrollable-region-focusable): a wide
 *    table or a long formula on a narrow screen becomes a focusable, named region, so that it
 *    can be scrolled with the arrow keys. Only regions that overflow get a tab stop; this is
 *    recomputed for each page, when fonts (the math font among them) finish loading, and when
 *    the window is resized, in slices while the page is idle.
 */
(function () {
  [
    [".md-search[role='dialog']", "Search"],
    [".md-progress[role='progressbar']", "Loading page"],
  ].forEach(function (pair) {
    document.querySelectorAll(pair[0]).forEach(function (el) {
      if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", pair[1]);
    });
  });

  var SCROLLERS = [
    [".md-typeset__scrollwrap", "Table, scrolls sideways"],
    [".md-typeset div.arithmatex", "Formula, scrolls sideways"],
    [".md-typeset pre > code", "Code, scrolls sideways"],
    // Notebook pages (mkdocs-jupyter): code cells and text outputs.
    [".jupyter-wrapper .highlight-ipynb", "Code, scrolls sideways"],
    [".jupyter-wrapper .jp-OutputArea-output pre", "Output, scrolls sideways"],
  ];

  // Long pages leave the blocks far from the viewport unrendered (content-visibility in
  // extra.css): such a block has no layout, so its regions' widths are unknown until something
  // asks for a box inside it, which lays that one block out. Doing that for the whole page at
  // once is the work content-visibility spares the first paint, so the regions are measured in
  // slices while the page is idle. <html data-l2-scroll-checked> says every region has been
  // measured (the browser tests wait for it).
  var pending = [];
  var scheduled = false;
  var idle = window.requestIdleCallback || function (callback) {
    return setTimeout(function () {
      callback({ timeRemaining: function () { return 10; } });
    }, 1);
  };

  function overflows(el) {
    var inner = el.firstElementChild;
    if (inner) inner.getBoundingClientRect();
    return el.scrollWidth > el.clientWidth + 1;
  }

  // An idle period lasts up to 50 ms when no frame is due; a slice that filled it would be a
  // long task that delays the reader's next tap or keypress. A slice stops after SLICE_MS of
  // measuring, so with its writes and the layout they cause it stays well under 50 ms, even on
  // a slow phone (benchmarks/README.md, "Theme work on load").
  var SLICE_MS = 10;

  function measureSome(deadline) {
    scheduled = false;
    var start = performance.now();
    // Within a slice all widths are read before any attribute is written: a write between two
    // reads would make the browser lay the page out again for every element.
    var changes = [];
    var measured = 0;
    while (pending.length && (measured === 0
        || (deadline.timeRemaining() > 4 && performance.now() - start < SLICE_MS))) {
      var item = pending.shift();
      var el = item[0];
      if (!el.isConnected) continue;
      var marked = el.getAttribute("data-l2-scroll") === "1";
      // Code blocks the theme has reached are focusable already (it gives them tabindex when they
      // scroll into view: content.lazy in mkdocs.yml); leave those be.
      if (el.matches("pre > code") && !marked && el.hasAttribute("tabindex")) continue;
      measured += 1;
      var overflowing = overflows(el);
      if (overflowing !== marked) changes.push([el, overflowing, item[1]]);
    }
    changes.forEach(function (change) {
      var el = change[0];
      if (change[1]) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", change[2]);
        el.setAttribute("data-l2-scroll", "1");
      } else {
        ["tabindex", "role", "aria-label", "data-l2-scroll"].forEach(function (name) {
          el.removeAttribute(name);
        });
      }
    });
    if (pending.length) schedule();
    else document.documentElement.setAttribute("data-l2-scroll-checked", "");
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    idle(measureSome, { timeout: 2000 });
  }

  function updateScrollRegions() {
    document.documentElement.removeAttribute("data-l2-scroll-checked");
    pending = [];
    SCROLLERS.forEach(function (pair) {
      document.querySelectorAll(pair[0]).forEach(function (el) {
        pending.push([el, pair[1]]);
      });
    });
    schedule();
  }

  // Formulas are only as wide as they will stay once their font has arrived.
  if (document.fonts) {
    document.fonts.ready.then(updateScrollRegions);
    document.fonts.addEventListener("loadingdone", updateScrollRegions);
  }
  if (window.document$) document$.subscribe(updateScrollRegions);
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(updateScrollRegions, 150);
  });
})();
