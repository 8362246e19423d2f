/*
 * Typesets TeX with MathJax 4 in Node, for hooks/prerender_math.py: the site's pages arrive in
 * the browser with their math already written as MathML, which browsers draw themselves.
 *
 * stdin:  {"items": [{"tex": "...", "display": true|false}, ...]}
 * stdout: {"mathml": ["<math ...>", ...], "errors": [{"index": i, "message": "..."}]}
 *
 * MathJax's own MathML, rewritten for MathML Core, the part of MathML that browsers draw natively
 * (Chromium, Firefox, Safari) with an OpenType math font. MathJax writes MathML for its own
 * renderers, which read more of it than Core does; this script expresses the rest with what Core
 * has (see toCore). The TeX input options mirror docs/assets/javascripts/mathjax-config.js (used
 * in the browser only for search results, which quote page text with its TeX).
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

// Core draws mathvariant="normal" only; other variants are characters of their own in Unicode's
// Mathematical Alphanumeric Symbols. Code point of A, a, 0 and Greek capital Alpha and small
// alpha in each style (0: the style has no such range).
const ALPHANUMERICS = {
  bold: [0x1d400, 0x1d41a, 0x1d7ce, 0x1d6a8, 0x1d6c2],
  italic: [0x1d434, 0x1d44e, 0, 0x1d6e2, 0x1d6fc],
  "bold-italic": [0x1d468, 0x1d482, 0, 0x1d71c, 0x1d736],
  script: [0x1d49c, 0x1d4b6, 0, 0, 0],
  "bold-script": [0x1d4d0, 0x1d4ea, 0, 0, 0],
  fraktur: [0x1d504, 0x1d51e, 0, 0, 0],
  "double-struck": [0x1d538, 0x1d552, 0x1d7d8, 0, 0],
  "bold-fraktur": [0x1d56c, 0x1d586, 0, 0, 0],
  "sans-serif": [0x1d5a0, 0x1d5ba, 0x1d7e2, 0, 0],
  "bold-sans-serif": [0x1d5d4, 0x1d5ee, 0x1d7ec, 0x1d756, 0x1d770],
  "sans-serif-italic": [0x1d608, 0x1d622, 0, 0, 0],
  "sans-serif-bold-italic": [0x1d63c, 0x1d656, 0, 0x1d790, 0x1d7aa],
  monospace: [0x1d670, 0x1d68a, 0x1d7f6, 0, 0],
};
// Letters that were in Unicode before that block: the block leaves their places empty.
const EARLIER = {
  italic: { h: 0x210e },
  script: { B: 0x212c, E: 0x2130, F: 0x2131, H: 0x210b, I: 0x2110, L: 0x2112, M: 0x2133, R: 0x211b,
            e: 0x212f, g: 0x210a, o: 0x2134 },
  fraktur: { C: 0x212d, H: 0x210c, I: 0x2111, R: 0x211c, Z: 0x2128 },
  "double-struck": { C: 0x2102, H: 0x210d, N: 0x2115, P: 0x2119, Q: 0x211a, R: 0x211d, Z: 0x2124 },
};

/** ``char`` in ``variant`` as one character, or null when Unicode has no such character. */
function styledCharacter(char, variant) {
  const starts = ALPHANUMERICS[variant];
  if (!starts) return null;
  const earlier = EARLIER[variant] && EARLIER[variant][char];
  if (earlier) return String.fromCodePoint(earlier);
  const code = char.codePointAt(0);
  const ranges = [
    [0x41, 26, starts[0]], // A-Z
    [0x61, 26, starts[1]], // a-z
    [0x30, 10, starts[2]], // 0-9
    [0x391, 25, starts[3]], // Greek capitals (the empty U+03A2 has theta's variant's place)
    [0x3b1, 25, starts[4]], // Greek small letters, final sigma included
  ];
  for (const [first, count, start] of ranges) {
    if (start && code >= first && code < first + count) return String.fromCodePoint(start + code - first);
  }
  return null;
}

// What a style is in CSS, for text that Unicode has no styled characters for (\mathbf{\text{...}}).
const VARIANT_CSS = {
  bold: "font-weight: bold",
  italic: "font-style: italic",
  "bold-italic": "font-weight: bold; font-style: italic",
};

// MathJax writes accents with ASCII characters, which fonts draw at their own height, not as
// accents; Unicode's spacing modifier letters are the accents that MATH fonts place.
const ACCENTS = { "^": "\u02c6", "~": "\u02dc" };

function textChildren(node) {
  return node.childNodes.filter((child) => child.isKind("text"));
}

// MathJax's own names for TeX's styles, and the MathML style each is written as.
const TEX_VARIANTS = {
  "-tex-calligraphic": "script",
  "-tex-bold-calligraphic": "bold-script",
  "-tex-oldstyle": "normal",
  "-tex-bold-oldstyle": "bold",
  "-tex-mathit": "italic",
};

function restyleToken(node) {
  const explicit = node.attributes.getExplicit("mathvariant");
  const variant = TEX_VARIANTS[explicit] || explicit;
  if (!variant || variant === "normal") {
    if (explicit !== variant) node.attributes.set("mathvariant", variant);
    return;
  }
  const texts = textChildren(node);
  const styled = texts.map((text) => Array.from(text.getText(), (c) => styledCharacter(c, variant)));
  if (styled.every((chars) => chars.every((c) => c !== null))) {
    texts.forEach((text, i) => text.setText(styled[i].join("")));
    node.attributes.unset("mathvariant");
  } else if (VARIANT_CSS[variant]) {
    node.attributes.unset("mathvariant");
    node.attributes.set("style", VARIANT_CSS[variant]);
  } else {
    node.attributes.set("mathvariant", variant);
  }
}

/** A MathML length halved: "0.8em" -> "0.4em" (what each side of a gap gets). */
function half(length) {
  const match = /^(-?[\d.]+)([a-z%]*)$/.exec(String(length).trim());
  if (!match) return "0";
  const value = parseFloat(match[1]) / 2;
  return value === 0 ? "0" : `${+value.toFixed(4)}${match[2]}`;
}

function listAttribute(node, name, fallback) {
  const value = node.attributes.getExplicit(name);
  return String(value === undefined ? fallback : value).trim().split(/\s+/);
}

// Core tables have no columnalign, columnspacing or rowspacing: the alignment and gaps of
// aligned equations become each cell's text-align and padding (a gap is split between the cells
// on either side, and a table has none outside its first and last column and row).
function layoutTable(table) {
  const align = listAttribute(table, "columnalign", "center");
  const columnGaps = listAttribute(table, "columnspacing", "0.8em");
  const rowGaps = listAttribute(table, "rowspacing", "1.0ex");
  const pick = (list, i) => list[Math.min(i, list.length - 1)];
  const rows = table.childNodes.filter((row) => row.isKind("mtr"));
  rows.forEach((row, r) => {
    const cells = row.childNodes.filter((cell) => cell.isKind("mtd"));
    cells.forEach((cell, c) => {
      const top = r === 0 ? "0" : half(pick(rowGaps, r - 1));
      const bottom = r === rows.length - 1 ? "0" : half(pick(rowGaps, r));
      const left = c === 0 ? "0" : half(pick(columnGaps, c - 1));
      const right = c === cells.length - 1 ? "0" : half(pick(columnGaps, c));
      const cellAlign = cell.attributes.getExplicit("columnalign") || pick(align, c);
      cell.attributes.unset("columnalign");
      cell.attributes.set("style", `text-align: ${cellAlign}; padding: ${top} ${right} ${bottom} ${left}`);
    });
  });
  for (const name of ["columnalign", "columnspacing", "rowspacing"]) table.attributes.unset(name);
}

// Core places an accent over or under its base only where the element says so (accent="true");
// MathJax infers it from the operator, as MathML 3 did.
function markAccents(node) {
  const accent = node.attributes.get("accent") === true;
  for (const name of ["accent", "accentunder"]) {
    if (node.attributes.get(name) === true) node.attributes.set(name, "true");
  }
  const over = node.isKind("munder") ? null : node.childNodes[node.isKind("mover") ? 1 : 2];
  if (over && accent && over.isKind("mo")) {
    for (const text of textChildren(over)) text.setText(ACCENTS[text.getText()] || text.getText());
  }
}

// The named spaces of TeX's spacing between atoms, in em.
const SPACES = {
  veryverythinmathspace: 1 / 18,
  verythinmathspace: 2 / 18,
  thinmathspace: 3 / 18,
  mediummathspace: 4 / 18,
  thickmathspace: 5 / 18,
  verythickmathspace: 6 / 18,
  veryverythickmathspace: 7 / 18,
};

function em(value) {
  return value ? `${+value.toFixed(3)}em` : "0";
}

// Core spaces operators by its own dictionary, from an operator's place in its row; TeX spaces
// atoms by their classes (MathJax's texSpacing: a thin space after \log, none around = in a
// subscript), and readers of the book know TeX's. Each space is made explicit: the operator's
// lspace, the rspace of an operator just before, or else an mspace. Chromium also measures a
// row whose operators have no explicit spacing narrower than it draws it, so that a brace under
// the row (\underbrace) came out too short.
function spaceRow(row) {
  let previous = null;
  for (const child of [...row.childNodes]) {
    if (!child) continue;
    const space = SPACES[child.texSpacing()] || 0;
    if (child.isEmbellished) {
      child.coreMO().attributes.set("lspace", em(space));
    } else if (space && previous && previous.isEmbellished) {
      previous.coreMO().attributes.set("rspace", em(space));
    } else if (space) {
      const gap = row.factory.create("mspace", { width: em(space) });
      row.childNodes.splice(row.childNodes.indexOf(child), 0, gap);
      gap.parent = row;
    }
    previous = child;
  }
}

function spaceOperator(mo) {
  mo.attributes.set("lspace", "0");
  mo.attributes.set("rspace", "0");
  // \big( and the like: a delimiter of a given size. Stretched to it (minsize), Chromium draws
  // STIX Two's larger variants with a gap after them and measures rows holding them too narrow
  // for a brace under the row; the glyph drawn larger is what TeX's \big looks like anyway.
  const size = /^([\d.]+)em$/.exec(String(mo.attributes.getExplicit("minsize") || ""));
  if (size) {
    for (const name of ["minsize", "maxsize", "symmetric"]) mo.attributes.unset(name);
    mo.attributes.set("stretchy", "false");
    mo.attributes.set("style", `font-size: ${Math.round(parseFloat(size[1]) * 100)}%`);
  }
}

// \underbrace and \overbrace: at a device pixel ratio other than 1 (phones, most laptops), Chromium
// draws a brace stretched along a row much shorter than the row, so that it groups the wrong
// terms. The brace is drawn by the stylesheet instead, as a rounded border of the row's box,
// which is as wide as the row at any ratio. The label stays under (over) it, as in TeX.
const BRACES = { "\u23df": ["munder", "l2-underbrace"], "\u23de": ["mover", "l2-overbrace"] };

function braceAsBorder(node) {
  const [base, brace] = node.childNodes;
  if (!brace || !brace.isKind("mo") || !node.parent) return;
  const [kind, name] = BRACES[brace.getText()] || [];
  if (kind !== node.kind) return;
  const row = node.factory.create("mrow");
  row.appendChild(base);
  row.attributes.set("class", name);
  node.parent.replaceChild(row, node);
}

/** Rewrites MathJax's internal MathML tree in place into what MathML Core draws. */
function toCore(node) {
  if (node.isKind("text")) return;
  for (const child of node.childNodes) if (child) toCore(child);
  if (node.isToken) restyleToken(node);
  if (node.isKind("mo")) spaceOperator(node);
  if (node.isKind("mtable")) layoutTable(node);
  if (node.isKind("munder") || node.isKind("mover") || node.isKind("munderover")) markAccents(node);
  if (node.isKind("munder") || node.isKind("mover")) braceAsBorder(node);
  // After the rows inside: an operator that is the core of a larger one gets the outer spacing.
  if (node.isInferred || node.isKind("mrow")) spaceRow(node);
}

// An mrow of one child draws as the child alone (its spacing and classes are explicit by now):
// each one left out is one element less for the browser to style and lay out.
function unwrapRows(node) {
  if (node.isKind("text")) return;
  for (const child of [...node.childNodes]) if (child) unwrapRows(child);
  const atom = node.isKind("TeXAtom");
  if (!(atom || (node.isKind("mrow") && !node.isInferred)) || !node.parent) return;
  if (node.attributes.getExplicitNames().some((name) => name !== "data-latex")) return;
  const children = atom ? node.childNodes[0].childNodes : node.childNodes;
  if (children.length === 1 && children[0]) node.parent.replaceChild(children[0], node);
}

/** Serialized MathML, compact: no indentation, no MathJax-only attributes, TeX on the root only. */
function compact(mathml) {
  return mathml
    .replace(/>\n\s*</g, "><")
    .replace(/ data-mjx-[\w-]+="[^"]*"/g, "")
    .replace(/ data-break-align="[^"]*"/g, "")
    .replace(/(<(?!math\b)[a-z]+[^>]*?) data-latex="[^"]*"/g, "$1")
    .replace(/^<math xmlns="[^"]*"/, "<math");
}

async function typesetMathML(items) {
  console.log = console.error; // keep stdout for the JSON answer
  const MJ = await MathJax.init({
    loader: { load: ["input/tex", "adaptors/liteDOM"] },
    tex: { packages: { "[-]": ["noundefined"] } },
    startup: { typeset: false },
  });
  const STATE = MJ._.core.MathItem.STATE;
  const mathml = [];
  const errors = [];
  for (const [index, item] of items.entries()) {
    MJ.texReset();
    const root = MJ.startup.document.convert(item.tex, { display: item.display, end: STATE.CONVERT });
    root.walkTree((node) => {
      if (node.isKind("merror")) {
        errors.push({ index, message: node.attributes.get("data-mjx-error") || "TeX error" });
      }
    });
    root.setTeXclass(null); // the classes texSpacing reads
    toCore(root);
    unwrapRows(root);
    mathml.push(compact(MJ.startup.toMML(root)));
  }
  return { mathml, errors };
}

async function main() {
  const request = JSON.parse(await readStdin());
  process.stdout.write(JSON.stringify(await typesetMathML(request.items)));
}

main().catch((error) => {
  process.stderr.write(`mathjax_render: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
