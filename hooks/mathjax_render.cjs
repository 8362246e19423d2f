/*
 * Typesets TeX with MathJax 4 in Node, for hooks/prerender_math.py: the site's pages arrive in
 * the browser with their math already laid out (CommonHTML), so no page waits for MathJax.
 *
 * stdin:  {"items": [{"tex": "...", "display": true|false}, ...], "fontURL": "..."}
 * stdout: {"html": ["<mjx-container ...>", ...], "errors": [{"index": i, "message": "..."}],
 *          "css": "stylesheet for every formula above: layout rules and the font's glyphs"}
 *
 * The options mirror docs/assets/javascripts/mathjax-config.js (used in the browser only for
 * search results, which quote page text with its TeX): TeX in, CommonHTML out with the TeX font,
 * and the hidden MathML copy that screen readers read. The stylesheet covers exactly the
 * characters of the items, in the order given; the caller sorts them, so the same formulas give
 * the same bytes.
 */
"use strict";

const path = require("path");

const NODE_MODULES = path.resolve(__dirname, "..", "node_modules");
const MathJax = require(path.join(NODE_MODULES, "mathjax"));

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

// TeX input marks every node with the TeX it came from (data-latex). Only the outermost one is
// kept: inner copies would triple a page's size and nothing reads them.
function dropInnerLatex(adaptor, node, isTop) {
  if (adaptor.kind(node) === "#text" || adaptor.kind(node) === "#comment") return;
  const kind = adaptor.kind(node);
  if (!isTop && kind !== "mjx-math" && kind !== "math") adaptor.removeAttribute(node, "data-latex");
  for (const child of adaptor.childNodes(node)) dropInnerLatex(adaptor, child, false);
}

async function main() {
  const request = JSON.parse(await readStdin());
  // MathJax reports an option it does not know to the console; assistive-mml registers one for
  // the context menu, which is not loaded here. Keep stdout for the JSON answer.
  console.log = console.error;
  const MJ = await MathJax.init({
    loader: {
      load: ["input/tex", "output/chtml", "adaptors/liteDOM", "a11y/assistive-mml"],
      paths: { fonts: path.join(NODE_MODULES, "@mathjax") },
    },
    // In a browser MathJax scales math to the x-height of the text around it; Node cannot measure
    // text, so the scale it finds for the theme's sans-serif (Helvetica, Arial) is given here.
    output: { font: "mathjax-tex", fontURL: request.fontURL, scale: 1.195 },
    tex: { packages: { "[-]": ["noundefined"] } },
    options: { enableAssistiveMml: true },
    startup: { typeset: false },
  });
  const adaptor = MJ.startup.adaptor;
  const html = [];
  const errors = [];
  for (const [index, item] of request.items.entries()) {
    MJ.texReset();
    const node = await MJ.tex2chtmlPromise(item.tex, { display: item.display });
    for (const error of adaptor.tags(node, "mjx-merror")) {
      errors.push({ index, message: adaptor.getAttribute(error, "data-mjx-error") || adaptor.textContent(error) });
    }
    dropInnerLatex(adaptor, node, true);
    html.push(adaptor.outerHTML(node));
  }
  const css = adaptor.textContent(MJ.chtmlStylesheet());
  process.stdout.write(JSON.stringify({ html, errors, css }));
}

main().catch((error) => {
  process.stderr.write(`mathjax_render: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
