/*
 * MathJax 4 for l2book, served from the site itself (assets/vendor/, copied from node_modules
 * by hooks/vendor_assets.py). Loaded before assets/vendor/mathjax/tex-chtml.js.
 *
 * - pymdownx.arithmatex (generic mode) wraps math in .arithmatex as \( \) and \[ \]; notebook
 *   pages rendered by mkdocs-jupyter keep Jupyter's $ and $$ inside .jp-MarkdownOutput.
 *   Everything else on the page is left alone, so a dollar sign in prose stays a dollar sign.
 * - MathJax 4 fetches fonts from a CDN unless told otherwise: [fonts] points at the copy of
 *   @mathjax/mathjax-newcm-font next to the mathjax folder.
 * - MathJax 4 generates speech and Braille in a web worker. Opened from disk (file://) a page
 *   may not start workers, so there the hidden MathML copy for screen readers is used instead.
 * - Search results quote the page text, TeX included; they are typeset as they appear.
 * - Material's instant navigation swaps the page body without reloading scripts; document$
 *   emits after each swap and the new math is typeset then.
 */
var fromDisk = window.location.protocol === "file:";

window.MathJax = {
  loader: {
    paths: { fonts: "[mathjax]/.." },
  },
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    // An element with any class is skipped, and so is everything inside it, unless it has one
    // of the classes below; class-less children (p, li, td) of those are processed with them.
    // (The usual ".*|" would also match class-less children and skip them.)
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-MarkdownOutput|md-search-result__article",
    menuOptions: fromDisk
      ? { settings: { enrich: false, speech: false, braille: false, assistiveMml: true } }
      : {},
  },
};

(function () {
  var firstPage = true;
  document$.subscribe(function () {
    // The first page is typeset by MathJax's own startup; later emissions are page swaps.
    if (firstPage) {
      firstPage = false;
      return;
    }
    var startup = window.MathJax && window.MathJax.startup;
    if (!startup || !startup.promise) return;
    startup.promise = startup.promise.then(function () {
      if (startup.output && startup.output.clearCache) startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      return MathJax.typesetPromise();
    });
  });
})();

// Search results are re-rendered by the theme on every keystroke; typeset once they settle.
(function () {
  var list = document.querySelector(".md-search-result__list");
  if (!list || !window.MutationObserver) return;
  var timer = null;
  new MutationObserver(function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (window.MathJax && MathJax.typesetPromise) MathJax.typesetPromise([list]);
    }, 100);
  }).observe(list, { childList: true, subtree: true });
})();
