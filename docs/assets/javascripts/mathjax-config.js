/*
 * MathJax 4 in the browser, for search results and the captions of figures a reader's run draws.
 *
 * Every page's math is typeset when the site is built (hooks/prerender_math.py runs the same
 * MathJax in Node and writes MathML), so pages load no MathJax at all. Search results are the exception: the
 * theme writes them on every keystroke, quoting page text with its TeX. When a result holds
 * TeX, this script loads MathJax from the site itself (assets/vendor/, copied from node_modules
 * by hooks/vendor_assets.py) and typesets the result list.
 *
 * - Which math: search results (.md-search-result__article) with \( \), \[ \], or Jupyter's
 *   $ and $$; everything else is left alone.
 * - Which components: TeX input, CommonHTML output and the hidden MathML copy that screen
 *   readers read (assistive-mml). The build writes MathML instead, rewritten for what browsers
 *   draw (hooks/mathjax_render.cjs); here MathJax draws a result's few formulas itself. The
 *   combined tex-chtml.js would also bring the speech-rule engine, the explorer and the menu,
 *   in a web worker that pages opened from disk (file://) may not start.
 * - Which font: the TeX font (mathjax-tex); [fonts] points at the copy of
 *   @mathjax/mathjax-tex-font next to the mathjax folder (MathJax 4 would use a CDN otherwise).
 */
window.MathJax = {
  loader: {
    load: ["input/tex", "output/chtml", "a11y/assistive-mml"],
    paths: { fonts: "[mathjax]/.." },
  },
  output: { font: "mathjax-tex" },
  tex: {
    // An unknown macro is an error (shown as such), not red text; the build fails on one.
    packages: { "[-]": ["noundefined"] },
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  startup: {
    // The page is typeset already; only search results are, on demand.
    typeset: false,
    ready: function () {
      // assistive-mml registers a setting for the context menu, which is not loaded here, and
      // MathJax would warn about that option. Other option errors still warn.
      var options = MathJax._.util.Options.OPTIONS;
      var report = options.optionError;
      options.optionError = function (message, key) {
        if (key !== "menuOptions") report(message, key);
      };
      MathJax.startup.defaultReady();
    },
  },
  options: {
    // An element with any class is skipped, and so is everything inside it, unless it has one
    // of the classes below; class-less children (p, li, td) of those are processed with them.
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-MarkdownOutput|md-search-result__article",
    enableAssistiveMml: true,
  },
};

(function () {
  // Resolved against this script's own address, so it works at any depth and from file://.
  var STARTUP = new URL("../vendor/mathjax/startup.js", document.currentScript.src).href;
  var TEX = /\\\(|\\\[|\$/;
  var ready = null;

  function loadMathJax() {
    if (!ready) {
      ready = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = STARTUP;
        script.async = true;
        script.onload = function () {
          MathJax.startup.promise.then(resolve, reject);
        };
        script.onerror = function () {
          reject(new Error("could not load " + STARTUP));
        };
        document.head.appendChild(script);
      });
    }
    return ready;
  }

  // The example runner (assets/l2book/runner-ui.js) typesets the captions of the figures a
  // reader's run draws; the element needs the class arithmatex.
  window.l2bookTypeset = function (element) {
    return loadMathJax().then(function () {
      return MathJax.typesetPromise([element]);
    });
  };

  var list = document.querySelector(".md-search-result__list");
  if (!list || !window.MutationObserver) return;
  var timer = null;
  var typesetting = Promise.resolve();
  // Results are re-rendered on every keystroke; typeset once they settle.
  new MutationObserver(function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (!TEX.test(list.textContent)) return;
      typesetting = typesetting
        .then(loadMathJax)
        .then(function () {
          return MathJax.typesetPromise([list]);
        })
        .catch(function (error) {
          console.error("l2book: search results not typeset:", error);
        });
    }, 100);
  }).observe(list, { childList: true, subtree: true });
})();
