// l2book: the editor and Run/Stop/Reset controls of an example, loaded when a reader first asks
// to run one. Bundled with CodeMirror 6 at build time (esbuild), served as runner-ui.js.
//
// One Web Worker runs Python for the whole page (and for the pages reached by instant
// navigation, which keep this module alive); runs wait for each other. Stop terminates it.
import { EditorView, basicSetup } from "codemirror";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { HighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { tags } from "@lezer/highlight";

const FIGURE_LIMIT_NOTE = "not shown: its SVG is larger than the page accepts";

// Colours of the site's own code blocks (Material's variables), in both colour schemes.
const siteHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: "var(--md-code-hl-keyword-color)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--md-code-hl-string-color)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--md-code-hl-number-color)" },
  { tag: tags.comment, color: "var(--md-code-hl-comment-color)", fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)],
    color: "var(--md-code-hl-function-color)" },
  { tag: [tags.operator, tags.punctuation], color: "var(--md-code-hl-operator-color)" },
  { tag: [tags.className, tags.definition(tags.variableName)],
    color: "var(--md-code-hl-name-color)" },
  { tag: tags.constant(tags.variableName), color: "var(--md-code-hl-constant-color)" },
]);

const siteTheme = EditorView.theme({
  "&": {
    color: "var(--md-code-fg-color)",
    backgroundColor: "var(--md-code-bg-color)",
    fontSize: "0.8rem",
    border: "1px solid var(--md-default-fg-color--lighter)",
    borderRadius: "0.2rem",
  },
  ".cm-content": { fontFamily: "var(--md-code-font-family, monospace)", caretColor: "currentColor" },
  ".cm-gutters": {
    backgroundColor: "var(--md-code-bg-color)",
    color: "var(--md-code-hl-comment-color)",
    borderRight: "1px solid var(--md-default-fg-color--lightest)",
  },
  // No shaded active line: the site's token colours keep their contrast on the code background.
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "transparent" },
  "&.cm-focused": { outline: "2px solid var(--md-accent-fg-color)" },
});

// -- the worker ------------------------------------------------------------------------------
let worker = null;
let workerBase = null;
let ready = false;
let nextId = 1;
const listeners = new Map(); // run id -> handler of that run's messages
const progressWatchers = new Set();
let queue = Promise.resolve();

function getWorker(base) {
  if (worker && workerBase === base) return worker;
  if (worker) stopWorker("The runtime moved");
  workerBase = base;
  worker = new Worker(base + "worker.js");
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "progress") {
      if (message.stage === "ready") ready = true;
      progressWatchers.forEach((watch) => watch(message));
      return;
    }
    if (message.type === "failed") {
      fail(message.message);
      return;
    }
    const handler = listeners.get(message.id);
    if (handler) handler(message);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(event.message || "the Python worker failed to start");
  };
  return worker;
}

// Python could not start (a file missing, the browser out of memory): the next Run starts over.
function fail(reason) {
  if (worker) worker.terminate();
  worker = null;
  ready = false;
  listeners.forEach((handler) => handler({ type: "failed", message: reason }));
}

function stopWorker(reason) {
  if (worker) worker.terminate();
  worker = null;
  ready = false;
  listeners.forEach((handler) => handler({ type: "stopped", message: reason }));
}

function runInWorker(base, name, source, onMessage) {
  const turn = queue.then(
    () =>
      new Promise((resolve) => {
        const id = nextId++;
        const done = (message) => {
          listeners.delete(id);
          progressWatchers.delete(onMessage);
          resolve(message);
        };
        listeners.set(id, (message) => {
          onMessage(message);
          if (["result", "failed", "stopped"].includes(message.type)) done(message);
        });
        progressWatchers.add(onMessage);
        onMessage({ type: "started", ready });
        getWorker(base).postMessage({ type: "run", id, name, source });
      }),
  );
  queue = turn.catch(() => undefined);
  return turn;
}

// -- helpers ---------------------------------------------------------------------------------
function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

function claimElement(key, claim) {
  const holds = Boolean(claim.holds);
  const values = Object.entries(claim.text || {})
    .map(([name, text]) => `${name} = ${text}`)
    .join(", ");
  return element(
    "li",
    { "data-claim": key, "data-holds": String(holds) },
    element(
      "span",
      { class: `l2book-claim l2book-claim--${holds ? "ok" : "false"}` },
      element("span", { class: "l2book-claim-mark", "aria-hidden": "true", text: holds ? "✓" : "✗" }),
      " ",
      element("span", { class: "l2book-visually-hidden", text: holds ? "Claim checked: " : "Claim FALSE: " }),
      claim.sentence,
      values ? " " : null,
      values ? element("span", { class: "l2book-claim-values", text: `(${values})` }) : null,
    ),
  );
}

// -- one example's panel ---------------------------------------------------------------------
class Panel {
  constructor(host, base) {
    this.host = host;
    this.base = base;
    this.name = host.dataset.example;
    this.urls = [];
  }

  async open() {
    const [source, book] = await Promise.all([
      fetch(this.host.dataset.source).then((r) => {
        if (!r.ok) throw new Error(`${this.host.dataset.source}: HTTP ${r.status}`);
        return r.text();
      }),
      fetch(this.host.dataset.outputs).then((r) => (r.ok ? r.json() : {})).catch(() => ({})),
    ]);
    this.original = source;
    this.book = book;
    const label = `Code of example ${this.name}`;
    this.runButton = element("button", { type: "button", class: "l2book-button l2book-button--primary", text: "Run" });
    this.stopButton = element("button", { type: "button", class: "l2book-button", text: "Stop", disabled: "" });
    this.resetButton = element("button", { type: "button", class: "l2book-button", text: "Reset" });
    this.status = element("p", { class: "l2book-run-status", role: "status", "aria-live": "polite" });
    this.progress = element("progress", { class: "l2book-run-progress", hidden: "", "aria-label": "Loading Python" });
    this.results = element("div", { class: "l2book-run-results" });
    const editorHost = element("div", { class: "l2book-run-editor" });
    const hint = element("p", {
      class: "l2book-run-hint",
      id: `l2book-hint-${this.name}`,
      text: "Edit the code, then Run (Ctrl+Enter). Tab indents; Esc, then Tab, leaves the editor.",
    });
    this.view = new EditorView({
      parent: editorHost,
      state: this.state(source),
    });
    this.view.contentDOM.setAttribute("aria-label", label);
    this.view.contentDOM.setAttribute("aria-describedby", hint.id);
    const controls = element("div", { class: "l2book-run-controls" },
      this.runButton, " ", this.stopButton, " ", this.resetButton, this.progress);
    this.host.replaceChildren(hint, editorHost, controls, this.status, this.results);
    this.host.classList.add("l2book-run--open");
    this.runButton.addEventListener("click", () => this.run());
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
  }

  state(source) {
    return EditorState.create({
      doc: source,
      extensions: [
        basicSetup,
        python(),
        // Long lines wrap: the editor never scrolls sideways, and grows with the code.
        EditorView.lineWrapping,
        indentUnit.of("    "),
        keymap.of([
          { key: "Mod-Enter", run: () => { this.run(); return true; } },
          indentWithTab,
        ]),
        syntaxHighlighting(siteHighlight),
        siteTheme,
      ],
    });
  }

  say(text) {
    this.status.textContent = text;
  }

  clear() {
    this.urls.forEach((url) => URL.revokeObjectURL(url));
    this.urls = [];
    this.results.replaceChildren();
  }

  async run() {
    if (this.running) return;
    this.running = true;
    this.runButton.disabled = true;
    this.stopButton.disabled = false;
    this.clear();
    this.host.dataset.state = "running";
    this.host.dataset.runs = String(Number(this.host.dataset.runs || 0) + 1);
    const output = element("pre", { class: "l2book-run-output", hidden: "" });
    // A scrolling region: reachable and named for keyboard and screen-reader users.
    const outputCode = element("code", { tabindex: "0", role: "region", "aria-label": "Printed output" });
    output.append(outputCode);
    this.results.append(element("p", { class: "l2book-run-heading", text: "Printed output", hidden: "" }), output);
    const source = this.view.state.doc.toString();
    const onMessage = (message) => {
      if (message.type === "started") {
        this.say(message.ready ? "Running…" : "Loading Python for this page (once)…");
      } else if (message.type === "progress") {
        if (message.stage === "ready") {
          this.progress.hidden = true;
          this.say("Running…");
        } else if (!message.total) {
          this.progress.hidden = false;
          this.progress.removeAttribute("value"); // indeterminate: no total to count against
          this.say(`Loading ${message.stage}…`);
        } else {
          this.progress.hidden = false;
          this.progress.max = message.total;
          this.progress.value = Math.min(message.loaded, message.total);
          this.say(`Loading ${message.stage}: ${megabytes(message.loaded)} of ${megabytes(message.total)} MB`);
        }
      } else if (message.type === "output") {
        output.hidden = false;
        output.previousSibling.hidden = false;
        const chunk = message.stream === "stderr"
          ? element("span", { class: "l2book-run-stderr", text: message.text })
          : document.createTextNode(message.text);
        outputCode.append(chunk);
      } else if (message.type === "truncated") {
        output.after(element("p", {
          class: "l2book-run-note",
          text: `Printed output stops here: it passed ${message.limit.toLocaleString("en")} characters. `
            + "The code may still be running: Stop ends it.",
        }));
      }
    };
    const message = await runInWorker(this.base, this.name, source, onMessage);
    this.progress.hidden = true;
    this.running = false;
    this.runButton.disabled = false;
    this.stopButton.disabled = true;
    if (message.type === "result") {
      this.show(JSON.parse(message.result), message.seconds);
    } else if (message.type === "stopped") {
      this.host.dataset.state = "stopped";
      this.say(`Stopped. ${message.message || ""} The next Run starts Python again.`.trim());
    } else {
      this.host.dataset.state = "failed";
      this.say(`Python could not start: ${message.message}`);
    }
  }

  stop() {
    if (this.running) stopWorker("You stopped the run.");
  }

  reset() {
    this.stop();
    this.view.setState(this.state(this.original));
    this.clear();
    this.host.dataset.state = "reset";
    this.say("Back to the book's code; the book's results are on this page.");
  }

  show(result, seconds) {
    const values = Object.entries(result.values);
    const claims = Object.entries(result.claims);
    const bookValues = (this.book && this.book.values) || {};
    if (result.error) {
      this.results.append(
        element("p", { class: "l2book-run-heading", text: "Error" }),
        element("pre", { class: "l2book-run-error" }, element("code", {
          text: result.error, tabindex: "0", role: "region", "aria-label": "Error" })),
      );
    }
    if (values.length) {
      const body = element("tbody");
      for (const [key, value] of values) {
        const bookText = bookValues[key] === undefined ? "—" : bookValues[key].text;
        const differs = bookValues[key] !== undefined && bookText !== value.text;
        body.append(element("tr", { "data-key": key, "data-value": JSON.stringify(value.value) },
          element("td", {}, element("code", { text: key })),
          element("td", { text: value.text }),
          element("td", { class: differs ? "l2book-run-differs" : "", text: bookText })));
      }
      // No class: the theme styles it like every table of the book.
      const table = element("table", {},
        element("caption", { text: "Values this run glued" }),
        element("thead", {}, element("tr", {},
          element("th", { scope: "col", text: "value" }),
          element("th", { scope: "col", text: "your run" }),
          element("th", { scope: "col", text: "the book" }))),
        body);
      this.results.append(element("div", { class: "l2book-run-table", tabindex: "0", role: "region",
        "aria-label": "Values this run glued" }, table));
    }
    if (claims.length) {
      this.results.append(element("p", { class: "l2book-run-heading", text: "Claims" }),
        element("ul", { class: "l2book-run-claims" }, ...claims.map(([key, claim]) => claimElement(key, claim))));
    }
    for (const figure of result.figures) {
      const caption = element("figcaption", { text: figure.caption || "" });
      let body;
      if (figure.svg) {
        const url = URL.createObjectURL(new Blob([figure.svg], { type: "image/svg+xml" }));
        this.urls.push(url);
        body = element("img", { src: url, alt: figure.alt });
      } else {
        body = element("p", { class: "l2book-run-note",
          text: `Figure ${figure.name} (${megabytes(figure.bytes)} MB) ${FIGURE_LIMIT_NOTE}.` });
      }
      this.results.append(element("figure", { class: "l2book-figure", "data-figure": figure.name }, body, caption));
      // Captions may hold TeX; the site typesets it on demand (mathjax-config.js), as in search.
      if (/\$|\\\(/.test(figure.caption || "") && window.l2bookTypeset) {
        caption.classList.add("arithmatex");
        window.l2bookTypeset(caption).catch(() => undefined);
      }
    }
    const failed = claims.filter(([, claim]) => !claim.holds).length;
    const parts = [`${values.length} value${values.length === 1 ? "" : "s"}`,
      `${claims.length - failed} of ${claims.length} claim${claims.length === 1 ? "" : "s"} holding`,
      `${result.figures.length} figure${result.figures.length === 1 ? "" : "s"}`];
    if (result.error) {
      const last = result.error.trim().split("\n").pop();
      this.host.dataset.state = "error";
      this.say(`Your code stopped with an error after ${seconds.toFixed(2)} s: ${last}`);
    } else {
      this.host.dataset.state = "done";
      this.say(`Ran in ${seconds.toFixed(2)} s: ${parts.join(", ")}.`);
    }
  }
}

export async function open(host, base, run) {
  const panel = new Panel(host, base);
  await panel.open();
  host.l2bookPanel = panel;
  if (run) panel.run();
  else panel.view.focus();
  return panel;
}
