"""Publish an example's results: glued values, figures and checked claims.

An example (``l2book/examples/NAME.py``) calls three functions, whatever way it is run:

* ``glue(key, value)`` publishes a number, string or short list that a chapter quotes;
* ``figure(name, fig, alt, caption)`` saves a matplotlib figure as a deterministic SVG;
* ``claim(key, sentence, holds, **values)`` records a statement the text relies on, with the
  result that decides it and the numbers involved.

Every call prints one stable line (``[l2book] value lr = 0.1``) and records its result in
``outputs.json`` in the example's output folder, next to the figures:

* under the book's build (and ``l2book check``) the folder is ``$L2BOOK_OUTPUT_DIR``;
* otherwise (``l2book run NAME``, ``python -m l2book.examples.NAME``, the downloaded notebook) it is
  ``l2book-output/NAME/`` in the current directory.

So the three ways of running an example produce the same values, claims and SVG bytes. In a Jupyter
kernel a published figure is also displayed inline.

A false claim does not stop the example: it is printed as ``CLAIM FAILED`` and recorded, and the
build, ``l2book run`` and ``l2book check`` then fail with its sentence and values.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["claim", "figure", "glue"]

OUTPUT_DIR_ENV = "L2BOOK_OUTPUT_DIR"
"""Environment variable naming the folder the build collects an example's outputs from."""

EXAMPLE_ENV = "L2BOOK_EXAMPLE"
"""Environment variable naming the example being run (set by the build and the CLI)."""

DEFAULT_OUTPUT_ROOT = "l2book-output"
OUTPUTS_FILE = "outputs.json"
PREFIX = "[l2book]"
MAX_LIST_LENGTH = 1000
MAX_SHOWN = 200
"""Longest value text printed by :func:`glue`; longer ones are shortened in the printed line only."""

_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# -- values -------------------------------------------------------------------------------------
def to_json_value(argument: str, value: Any) -> Any:
    """Convert a published value to plain JSON: bool, int, finite float, str, or a list of them.

    numpy scalars become Python scalars and 1-D/2-D numpy arrays nested lists.
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(
                f"{argument} is {number!r}; only finite numbers can be published. "
                "A NaN or infinity usually means the computation diverged: check it before "
                "publishing"
            )
        return number
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        if value.ndim > 2:
            raise ValueError(
                f"{argument} is an array of shape {value.shape}; publish at most 2-D arrays "
                "(or a figure)"
            )
        value = value.tolist()
    if isinstance(value, list | tuple):
        if _count_items(value) > MAX_LIST_LENGTH:
            raise ValueError(
                f"{argument} has more than {MAX_LIST_LENGTH} items; publish a summary "
                "(a few numbers) or draw it as a figure"
            )
        return [to_json_value(f"{argument}[{i}]", item) for i, item in enumerate(value)]
    raise TypeError(
        f"{argument} has type {type(value).__name__}; publish a number, a string, a bool or a "
        "short list of them (convert with float(...), str(...) or .tolist())"
    )


def with_text(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{key: {"value": v, "text": format_value(v)}}``: published values with the text a page shows."""
    return {key: {"value": value, "text": format_value(value)} for key, value in values.items()}


def _count_items(value: list | tuple) -> int:
    return sum(_count_items(item) if isinstance(item, list | tuple) else 1 for item in value)


def format_value(value: Any, spec: str | None = None) -> str:
    """Text of a published value: ``format(value, spec)``, or ``.6g`` for floats by default.

    Lists are formatted item by item and joined with ", ".
    """
    if isinstance(value, list):
        return ", ".join(format_value(item, spec) for item in value)
    if spec:
        return format(value, spec)
    if isinstance(value, float):
        return format(value, ".6g")
    return str(value)


def _check_key(argument: str, key: object) -> str:
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise ValueError(
            f"{argument}={key!r} must be a name made of letters, digits and underscores, "
            "starting with a letter, e.g. 'test_accuracy'"
        )
    return key


def _check_text(argument: str, text: object, *, allow_empty: bool = False) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{argument} must be a string, got {type(text).__name__}")
    if not allow_empty and not text.strip():
        raise ValueError(f"{argument} is empty; write a sentence that describes it for the reader")
    return text.strip()


# -- where outputs go ---------------------------------------------------------------------------
@dataclass
class Run:
    """The outputs of one run of one example, mirrored to ``outputs.json`` after every call."""

    example: str
    output_dir: Path
    values: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, dict[str, str]] = field(default_factory=dict)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "example": self.example,
            "values": self.values,
            "figures": self.figures,
            "claims": self.claims,
        }

    def write(self) -> None:
        self.output_dir.mkdir(parents=True, exist_ok=True)
        path = self.output_dir / OUTPUTS_FILE
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.as_dict(), indent=1, ensure_ascii=False) + "\n", "utf-8")
        tmp.replace(path)

    @property
    def failed_claims(self) -> list[str]:
        return [key for key, record in self.claims.items() if not record["holds"]]


_current: Run | None = None


def start_run(example: str, output_dir: str | os.PathLike[str]) -> Run:
    """Begin collecting the outputs of ``example`` into ``output_dir`` (used by the CLI and tests)."""
    global _current
    _clear_previous(Path(output_dir))
    _current = Run(example=example, output_dir=Path(output_dir))
    _current.write()
    return _current


def _clear_previous(folder: Path) -> None:
    """Remove the outputs of an earlier run in ``folder`` so it shows this run only.

    Only files that run recorded (``outputs.json`` and its figures) are removed.
    """
    path = folder / OUTPUTS_FILE
    try:
        previous = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return
    for record in previous.get("figures", {}).values():
        name = str(record.get("file", ""))
        if name.endswith(".svg") and "/" not in name and "\\" not in name:
            (folder / name).unlink(missing_ok=True)
    path.unlink(missing_ok=True)


def end_run() -> Run | None:
    """Stop collecting; returns the finished run, if any."""
    global _current
    run, _current = _current, None
    return run


def current_run() -> Run:
    """The run collecting outputs, started on first use from the environment if needed."""
    global _current
    if _current is None:
        name = detect_example_name()
        directory = os.environ.get(OUTPUT_DIR_ENV) or os.path.join(DEFAULT_OUTPUT_ROOT, name)
        start_run(name, directory)
    assert _current is not None
    return _current


def detect_example_name() -> str:
    """Name of the running example.

    In order: ``$L2BOOK_EXAMPLE``; the module run by ``python -m l2book.examples.NAME``; the script
    run by ``python NAME.py``; the notebook ``NAME.ipynb`` open in Jupyter; else ``"example"``.
    """
    if os.environ.get(EXAMPLE_ENV):
        return os.environ[EXAMPLE_ENV]
    main = sys.modules.get("__main__")
    if _in_ipython_kernel():
        session = os.environ.get("JPY_SESSION_NAME") or str(getattr(main, "__session__", "") or "")
        return Path(session).stem if session.endswith(".ipynb") else "example"
    spec = getattr(main, "__spec__", None)
    if spec is not None and getattr(spec, "name", None):
        return spec.name.rsplit(".", 1)[-1]
    main_file = getattr(main, "__file__", None)
    return Path(main_file).stem if main_file else "example"


def _in_ipython_kernel() -> bool:
    shell = _ipython_shell()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _ipython_shell() -> Any:
    if "IPython" not in sys.modules:
        return None
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython half-installed
        return None
    return get_ipython()


def _say(message: str) -> None:
    # One write, so the line reaches Jupyter as one piece of output.
    sys.stdout.write(f"{PREFIX} {message}\n")
    sys.stdout.flush()


# -- the public API -----------------------------------------------------------------------------
def glue(key: str, value: Any) -> Any:
    """Publish ``value`` under ``key`` so a chapter can quote it; returns ``value`` unchanged.

    A page writes ``{{ value("EXAMPLE", "key") }}`` (optionally with a format spec such as
    ``".1%"``) and the build puts the number computed here in its place.

    Parameters
    ----------
    key : str
        Letters, digits and underscores, e.g. ``"test_accuracy"``. Gluing a key again replaces
        the earlier value.
    value : bool, int, float, str, or a list (or small numpy array) of them
        Floats must be finite; lists hold at most 1000 items.

    Returns
    -------
    The ``value`` passed in, so ``acc = l2.glue("acc", net.accuracy(X, Y))`` reads naturally.
    """
    key = _check_key("key", key)
    plain = to_json_value(f"value of {key!r}", value)
    run = current_run()
    run.values[key] = plain
    run.write()
    shown = json.dumps(plain, ensure_ascii=False)
    if len(shown) > MAX_SHOWN:  # e.g. a JSON payload for a page: outputs.json keeps it whole
        shown = f"{shown[:60]}… ({len(shown)} characters)"
    _say(f"value {key} = {shown}")
    return value


def figure(name: str, fig: Any, alt: str, caption: str = "") -> None:
    """Save ``fig`` as ``NAME.svg`` in the output folder (deterministic bytes) and close it.

    A page shows it with ``{{ figure("EXAMPLE", "name") }}``: an image with ``alt`` as its text
    alternative and ``caption`` below it. In a Jupyter kernel the figure is also displayed.

    Parameters
    ----------
    name : str
        Letters, digits and underscores; also the file name (``name.svg``).
    fig : matplotlib.figure.Figure
    alt : str
        What the figure shows, for readers who cannot see it (one or two sentences).
    caption : str, default ""
        Caption printed under the figure (Markdown and math allowed).
    """
    from l2book import plots

    name = _check_key("name", name)
    if not hasattr(fig, "savefig"):
        raise TypeError(
            f"fig must be a matplotlib Figure, got {type(fig).__name__}; "
            "create one with l2book.plots.subplots() or plt.subplots()"
        )
    alt = _check_text("alt", alt)
    caption = _check_text("caption", caption, allow_empty=True)
    run = current_run()
    path = run.output_dir / f"{name}.svg"
    plots.save_svg(fig, path, salt=f"{run.example}/{name}")
    plots.close(fig)
    run.figures[name] = {"file": path.name, "alt": alt, "caption": caption}
    run.write()
    if _in_ipython_kernel():
        _display_svg(path.read_text("utf-8"), name, alt)
    else:
        _say(f"figure {name}: {path.as_posix()}")


def _display_svg(svg: str, name: str, alt: str) -> None:
    from IPython.display import display

    # The displayed SVG carries the alt text (for accessibility) and the figure's name, by which
    # the book's notebook pages link the published file instead of inlining the figure again.
    svg = svg[svg.index("<svg") :]
    label = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{label}" data-l2book-figure="{name}"', 1)
    display({"image/svg+xml": svg, "text/plain": f"<Figure: {alt}>"}, raw=True)


def claim(key: str, sentence: str, holds: bool, **values: Any) -> None:
    """Record that ``sentence`` holds, as decided by ``holds``, with the ``values`` involved.

    The build fails if any claim is false, showing the sentence and the values. A page shows a
    checked claim with ``{{ claim("EXAMPLE", "key") }}``.

    Parameters
    ----------
    key : str
        Letters, digits and underscores, e.g. ``"weight_decay_identity"``.
    sentence : str
        The statement the text relies on, e.g. ``"One L2 step equals weight decay."``.
    holds : bool
        The result of a comparison computed from the results (``err < 1e-12``), never a literal.
    **values
        The numbers the decision rests on, e.g. ``max_diff=err, tolerance=1e-12``.

    Examples
    --------
    >>> l2.claim("shrinks", "Weight decay shrinks the weights.", norm_after < norm_before,
    ...          norm_before=norm_before, norm_after=norm_after)
    """
    key = _check_key("key", key)
    sentence = _check_text("sentence", sentence)
    if not isinstance(holds, bool | np.bool_):
        raise TypeError(
            f"holds must be a bool computed from the results (e.g. err < 1e-12), got "
            f"{type(holds).__name__} {holds!r}; wrap it as bool(...) if it is a numpy comparison"
        )
    plain = {name: to_json_value(f"claim value {name!r}", v) for name, v in values.items()}
    run = current_run()
    run.claims[key] = {"sentence": sentence, "holds": bool(holds), "values": plain}
    run.write()
    shown = ", ".join(f"{name}={format_value(v)}" for name, v in plain.items())
    shown = f" ({shown})" if shown else ""
    if holds:
        _say(f"claim ok {key}: {sentence}{shown}")
    else:
        # stderr: shown in red by Jupyter and kept apart from the results in a terminal
        sys.stderr.write(f"{PREFIX} CLAIM FAILED {key}: {sentence}{shown}\n")
        sys.stderr.flush()
