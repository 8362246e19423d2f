/*
 * MathJax 4 for l2book, served from the site itself: assets/vendor/ is copied from node_modules
 * by hooks/vendor_assets.py. Loaded (deferred) before assets/vendor/mathjax/startup.js.
 *
 * - Which math: pymdownx.arithmatex (generic mode) wraps math in .arithmatex as \( \) and \[ \].
 *   Notebook Markdown (.jp-MarkdownOutput) may use Jupyter's $ and $$. Search results quote
 *   page text, TeX included. Everything else is left alone (a $ in prose stays a $).
 * - Which components: TeX input, CommonHTML output and the hidden MathML copy that screen
 *   readers read (assistive-mml). The combined tex-chtml.js would also bring the speech-rule
 *   engine, the explorer and the menu: twice the script to parse, and speech generation in a
 *   web worker, which pages opened from disk (file://) may not start. Left out on purpose.
 * - Which font: the TeX font (mathjax-tex), not MathJax 4's default New Computer Modern: far
 *   less to download and evaluate before the first formula shows, for the same TeX look.
 * - Where from: MathJax 4 fetches fonts from a CDN unless told otherwise; [fonts] points at the
 *   copy of @mathjax/mathjax-tex-font next to the mathjax folder.
 * - When: Material's instant navigation swaps the page body without reloading scripts;
 *   document$ emits after each swap and the new page is typeset then.
 */
function announceTypeset() {
  document.dispatchEvent(new CustomEvent("l2book:typeset"));
}

window.MathJax = {
  loader: {
    load: ["input/tex", "output/chtml", "a11y/assistive-mml"],
    paths: { fonts: "[mathjax]/.." },
  },
  output: { font: "mathjax-tex" },
  tex: {
    // An unknown macro is an error (shown as such, and caught by the tests), not red text.
    packages: { "[-]": ["noundefined"] },
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  startup: {
    ready: function () {
      // assistive-mml registers a setting for the context menu, which is not loaded here, and
      // MathJax would warn about that option on every page. Other option errors still warn.
      var options = MathJax._.util.Options.OPTIONS;
      var report = options.optionError;
      options.optionError = function (message, key) {
        if (key !== "menuOptions") report(message, key);
      };
      MathJax.startup.defaultReady();
    },
    // Other scripts (a11y.js) wait for this event to measure the typeset page.
    pageReady: function () {
      return MathJax.startup.defaultPageReady().then(announceTypeset);
    },
  },
  options: {
    // An element with any class is skipped, and so is everything inside it, unless it has one
    // of the classes below; class-less children (p, li, td) of those are processed with them.
    // (The usual ".*|" would also match class-less children and skip them.)
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-MarkdownOutput|md-search-result__article",
    enableAssistiveMml: true,
  },
};

(function () {
  // Queue a typeset of `elements` (null: the whole page) behind any typesetting in progress.
  function typeset(elements) {
    var startup = window.MathJax && window.MathJax.startup;
    if (!startup || !startup.promise || !window.MathJax.typesetPromise) return;
    startup.promise = startup.promise.then(function () {
      return MathJax.typesetPromise(elements);
    });
  }

  // Page swaps by instant navigation. The first emission is the initial page, which MathJax's
  // startup typesets by itself.
  var firstPage = true;
  document$.subscribe(function () {
    if (firstPage) {
      firstPage = false;
      return;
    }
    var startup = window.MathJax && window.MathJax.startup;
    if (!startup || !startup.promise) return;
    startup.promise = startup.promise.then(function () {
      MathJax.typesetClear();
      MathJax.texReset();
    });
    typeset(null);
    startup.promise = startup.promise.then(announceTypeset);
  });

  // Search results are re-rendered by the theme on every keystroke; typeset once they settle.
  var list = document.querySelector(".md-search-result__list");
  if (list && window.MutationObserver) {
    var timer = null;
    new MutationObserver(function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        typeset([list]);
      }, 100);
    }).observe(list, { childList: true, subtree: true });
  }
})();
