"""Static assets the plugin adds to the site: its stylesheet and the provenance script."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

RUNNER_TEMPLATE = Path(__file__).resolve().parent / "web" / "runner.js"

__all__ = ["STYLESHEET", "provenance_script", "runner_script"]

STYLESHEET = """\
/* l2book: figures, example boxes, checked claims and provenance lines. */
.l2book-figure { margin: 1.5em 0; text-align: center; }
.l2book-figure img { max-width: 100%; height: auto; }
.l2book-figure figcaption { max-width: 40em; margin: 0.5em auto 0; font-size: 0.9em; }
.l2book-provenance { display: block; margin-top: 0.3em; font-size: 0.75em; opacity: 0.8; }
.l2book-example {
  margin: 1.5em 0; padding: 0.6em 1em; border-left: 0.25em solid #0072B2;
  background: rgba(0, 114, 178, 0.06); border-radius: 0.2em;
}
.l2book-example p { margin: 0.4em 0; }
.l2book-example pre { margin: 0.4em 0; }
.l2book-claim--ok .l2book-claim-mark { color: #00734f; font-weight: bold; }
.l2book-claim--false, .l2book-claim--false .l2book-claim-mark { color: #b00020; font-weight: bold; }
.l2book-claim-values { font-size: 0.9em; opacity: 0.85; }
.l2book-error {
  display: inline-block; padding: 0.2em 0.5em; color: #7a0010; background: #fde8ea;
  border: 1px solid #b00020; border-radius: 0.2em; white-space: pre-wrap;
}
.l2book-run { margin: 0.6em 0; }
.l2book-run-status:empty, .l2book-run-hint { font-size: 0.85em; }
.l2book-run-controls { display: flex; gap: 0.4em; align-items: center; flex-wrap: wrap; margin: 0.5em 0; }
.l2book-button {
  padding: 0.3em 1.1em; border: 1px solid var(--md-default-fg-color--light); border-radius: 0.2em;
  color: var(--md-typeset-color); background: transparent; font: inherit; font-weight: 600;
  cursor: pointer;
}
.l2book-button--primary {
  color: var(--md-primary-bg-color); background: var(--md-primary-fg-color);
  border-color: var(--md-primary-fg-color);
}
.l2book-button:is(:hover, :focus-visible):not(:disabled) {
  color: var(--md-primary-bg-color); background: var(--md-primary-fg-color--dark);
}
.l2book-button:disabled { opacity: 0.5; cursor: default; }
.l2book-run-output, .l2book-run-error { max-height: 24em; overflow: auto; }
.l2book-run-error, .l2book-run-stderr { color: #b00020; }
[data-md-color-scheme="slate"] .l2book-run-error,
[data-md-color-scheme="slate"] .l2book-run-stderr { color: #ff8a80; }
.l2book-run-claims { list-style: none; padding-left: 0; }
.l2book-run-differs { font-weight: bold; }
.l2book-run .l2book-figure img { background: white; }
.l2book-visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap;
}
"""


def provenance_script(runs: Mapping[str, str]) -> str:
    """JavaScript filling each ``[data-l2book-run=NAME]`` with ``runs[NAME]``.

    The only file of the site that changes between two builds of the same sources: it records how
    long each example ran and whether it came from the cache.
    """
    data = json.dumps(dict(sorted(runs.items())), indent=1, ensure_ascii=False)
    return f"""\
// l2book: run time and cache status of each example in this build of the site.
(function () {{
  var runs = {data};
  function fill() {{
    var spans = document.querySelectorAll("[data-l2book-run]");
    for (var i = 0; i < spans.length; i++) {{
      var run = runs[spans[i].getAttribute("data-l2book-run")];
      if (run) spans[i].textContent = "· " + run;
    }}
  }}
  if (typeof document$ !== "undefined" && document$.subscribe) {{
    document$.subscribe(fill);
  }} else if (document.readyState === "loading") {{
    document.addEventListener("DOMContentLoaded", fill);
  }} else {{
    fill();
  }}
}})();
"""


def runner_script(first_run_mb: float | None) -> str:
    """runner.js, which fills each example's ``.l2book-run`` box.

    ``first_run_mb``: what the first Run downloads, in MB; None where the site has no runtime
    (the from-disk build), where the box says how to run the example instead.
    """
    size = "null" if first_run_mb is None else f"{first_run_mb:.0f}"
    return RUNNER_TEMPLATE.read_text("utf-8").replace("__FIRST_RUN_MB__", size)
