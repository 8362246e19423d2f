"""The l2book MkDocs plugin, built on the test site (tests/fixtures/site).

Builds run `mkdocs build` in a subprocess, as a reader would. The expensive part is starting a
kernel per example, so builds are shared: one clean build (`first`) and one warm build (`second`)
of project A serve most tests, and the other projects start from A's cache.
"""

from __future__ import annotations

import contextlib
import filecmp
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from l2book import cli
from l2book.examples import _registry as registry
from l2book.mkdocs_plugin import notebook_page, references, theme_load
from l2book.mkdocs_plugin.plugin import L2BookPlugin
from l2book.pipeline import cache as cache_mod
from l2book.pipeline import notebook as nbconv

# One group: with `pytest -n N --dist loadgroup` the shared builds are made once, on one worker.
pytestmark = [pytest.mark.build, pytest.mark.xdist_group("l2book_plugin")]

FIXTURE = Path(__file__).parent / "fixtures" / "site"
NONDETERMINISTIC = {"assets/l2book/provenance.js"}
"""Files allowed to differ between two builds: run times and cache status of this build."""

PAGE_BUDGET = 400_000


# -- helpers ------------------------------------------------------------------------------------
@dataclass
class Build:
    project: Path
    site: Path
    returncode: int
    log: str

    def ran(self) -> set[str]:
        return set(re.findall(r"l2book: (\w+): ran in", self.log))

    def cached(self) -> set[str]:
        return set(re.findall(r"l2book: (\w+): cached", self.log))

    def executions(self) -> list[str]:
        path = self.project / "runs.log"
        return sorted(path.read_text().split()) if path.exists() else []


def make_project(destination: Path, cache_from: Path | None = None) -> Path:
    shutil.copytree(
        FIXTURE, destination, ignore=shutil.ignore_patterns(".cache", "site*", "__pycache__")
    )
    if cache_from is not None:
        shutil.copytree(cache_from / ".cache" / "l2book", destination / ".cache" / "l2book")
    return destination


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)  # each example's line is a debug message
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} - {record.getMessage()}")


@contextlib.contextmanager
def _inside(project: Path) -> Iterator[None]:
    """Environment and working directory of a build of ``project`` (restored afterwards)."""
    saved_env, saved_cwd, saved_path = dict(os.environ), os.getcwd(), list(sys.path)
    os.environ.update(
        {
            "PYTHONPATH": str(project),  # examples (run in kernels) import fixturelib
            "L2BOOK_TEST_RUN_LOG": str(project / "runs.log"),
            "NO_MKDOCS_2_WARNING": "1",
        }
    )
    for name in ("L2BOOK_OUTPUT_DIR", "L2BOOK_EXAMPLE"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(project))  # the plugin finds the package fixturelib
    sys.modules.pop("fixturelib", None)
    os.chdir(project)  # mkdocs-jupyter keeps its cache relative to the working directory
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        sys.path[:] = saved_path
        sys.modules.pop("fixturelib", None)


def build(project: Path, site: str = "site", *, command: str = "build") -> Build:
    """``mkdocs build`` of ``project`` in this process (saves starting MkDocs for every build).

    ``command="serve"`` builds the way ``mkdocs serve`` does. A failed build has returncode 1,
    like the command line (test_raising_example_fails_the_build_... runs that one for real).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    capture = _Capture()
    logger = logging.getLogger("mkdocs")
    saved_level = logger.level
    logger.addHandler(capture)
    logger.setLevel(logging.DEBUG)
    returncode = 0
    try:
        with _inside(project):
            config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / site))
            config.plugins.on_startup(command=command, dirty=False)
            try:
                mkdocs_build(config)
            except (Abort, PluginError) as error:
                capture.lines.append(str(error))
                returncode = 1
            finally:
                config.plugins.on_shutdown()
    finally:
        logger.removeHandler(capture)
        logger.setLevel(saved_level)
    return Build(project, project / site, returncode, "\n".join(capture.lines))


def build_command_line(project: Path, site: str = "site") -> Build:
    """``mkdocs build`` of ``project`` in a subprocess, exactly as a reader runs it."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(project),
            "L2BOOK_TEST_RUN_LOG": str(project / "runs.log"),
            "NO_MKDOCS_2_WARNING": "1",
        }
    )
    for name in ("L2BOOK_OUTPUT_DIR", "L2BOOK_EXAMPLE"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", site],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Build(project, project / site, done.returncode, done.stdout + done.stderr)


def tree(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def differing(a: Path, b: Path) -> set[str]:
    left, right = tree(a), tree(b)
    names = set(left) | set(right)
    return {
        n for n in names
        if n not in left or n not in right or not filecmp.cmp(left[n], right[n], shallow=False)
    }


def add_example(project: Path, name: str, body: str) -> Path:
    path = project / "examples" / f"{name}.py"
    path.write_text(f'"""The {name} example\nA test example called {name}.\n"""\n\n{body}')
    return path


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> Build:
    result = build(make_project(tmp_path_factory.mktemp("a") / "project"), "site1")
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def second(first) -> Build:
    result = build(first.project, "site2")
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def other_clean(tmp_path_factory, first) -> Build:
    result = build(make_project(tmp_path_factory.mktemp("b") / "project"), "site")
    assert result.returncode == 0, result.log
    return result


# -- builds -------------------------------------------------------------------------------------
def test_first_build_runs_every_example_once(first):
    assert first.ran() == {"alpha", "beta"}
    assert first.cached() == set()
    assert first.executions() == ["alpha", "beta"]  # counted by the examples themselves
    assert "l2book: examples: 2 ran, 0 cached, 0 failed" in first.log


def test_notebook_pages_are_rendered_in_parallel_before_mkdocs_jupyter_needs_them(first):
    # l2book converts the executed notebooks itself, several at a time, into mkdocs-jupyter's
    # cache under mkdocs-jupyter's own key: its one-page-at-a-time rendering finds them all.
    assert "l2book: 2 notebook page(s) being rendered" in first.log
    hits = re.findall(r"Cache hit: .*/(\w+)\.ipynb", first.log)
    misses = re.findall(r"Cache miss, writing: .*/(\w+)\.ipynb", first.log)
    assert sorted(hits) == ["alpha", "beta"] and not misses, first.log
    page = (first.site / "examples" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "jupyter-wrapper" in page  # the notebook rendered as a page from that cache


def test_second_build_is_all_cache_hits(first, second):
    assert second.ran() == set()
    assert second.cached() == {"alpha", "beta"}
    assert second.executions() == ["alpha", "beta"]
    assert differing(first.site, second.site) == NONDETERMINISTIC
    script = (second.site / "assets/l2book/provenance.js").read_text()
    assert '"alpha": "cached, ran in' in script


def test_excerpts_are_highlighted_and_indexed_as_text(first):
    chapter = (first.site / "chapter" / "index.html").read_text("utf-8")
    index = json.loads((first.site / "search" / "search_index.json").read_text("utf-8"))
    indexed = " ".join(doc["text"] for doc in index["docs"])
    blocks = re.findall(r'<div class="highlight"><pre>(?:<span></span>)?<code>(.*?)</code>', chapter, re.S)
    assert len(blocks) == 2  # code("alpha", "fit") and code("alpha", "plot")
    for code in blocks:
        assert '<span class="' in code
        plain = re.sub(r"<[^>]*>", "", code).strip()
        assert html.unescape(plain.splitlines()[0]) in html.unescape(indexed)


def test_two_clean_builds_are_byte_identical(first, other_clean):
    assert other_clean.ran() == {"alpha", "beta"}
    # Only the run times may differ, and two runs can take the same tenth of a second.
    assert differing(first.site, other_clean.site) <= NONDETERMINISTIC


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_an_edit_reruns_exactly_the_examples_that_used_what_changed(first, tmp_path):
    """alpha calls fixturelib.scaled -> chain.scaled -> deep.factor; only beta imports extra,
    which reads ratio.txt; both import fixturelib (its __init__ imports chain and deep)."""
    project = make_project(tmp_path / "project", cache_from=first.project)
    lib = project / "fixturelib"

    def rebuild() -> Build:
        result = build(project)
        assert result.returncode == 0, result.log
        assert result.ran() | result.cached() == {"alpha", "beta"}
        return result

    assert rebuild().cached() == {"alpha", "beta"}, "the cache must survive moving the project"

    _edit(lib / "deep.py", "def factor():", "# a comment, and a blank line\n\ndef factor():")
    assert rebuild().ran() == set(), "comments and layout are not code"
    _edit(lib / "chain.py", "return 0", "return 1")
    assert rebuild().ran() == set(), "no example ran unused()"

    _edit(lib / "deep.py", "return 2.0", "return 4.0 / 2.0")
    two_deep = rebuild()
    assert two_deep.ran() == {"alpha"}, "alpha reaches deep.factor through chain.scaled"
    assert "alpha: ran because package/deep.py: factor changed" in two_deep.log

    _edit(lib / "extra.py", "DATA =", 'UNITS = "none"\nDATA =')
    assert rebuild().ran() == {"beta"}, "module-level code re-runs the modules' importers"
    _edit(lib / "ratio.txt", "3/8", "6/16")
    data = rebuild()
    assert data.ran() == {"beta"}, "beta read ratio.txt"
    assert "beta: ran because package/ratio.txt changed" in data.log
    _edit(lib / "__init__.py", "SCALE = 2.0", "SCALE = 2")
    assert rebuild().ran() == {"alpha", "beta"}

    page = project / "docs" / "index.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    prose = rebuild()
    assert prose.ran() == set()
    assert "One more sentence." in (project / "site" / "index.html").read_text()

    example = project / "examples" / "beta.py"
    example.write_text(example.read_text() + "\n# a comment\n")
    assert rebuild().ran() == {"beta"}, "an example's own source is keyed whole"
    assert (project / "site").exists()


def test_a_damaged_cache_entry_reruns_its_example_instead_of_breaking_the_build(first, tmp_path):
    project = make_project(tmp_path / "project", cache_from=first.project)
    (outputs,) = (project / ".cache" / "l2book" / "beta").glob("[0-9a-f]*/outputs.json")
    outputs.write_text(outputs.read_text()[:20])  # cut short, as by a full disk
    (svg,) = (project / ".cache" / "l2book" / "alpha").glob("[0-9a-f]*/*.svg")
    svg.unlink()
    healed = build(project)
    assert healed.returncode == 0, healed.log
    assert healed.ran() == {"alpha", "beta"}
    assert "cache entry beta/" in healed.log and "cut-short outputs.json" in healed.log
    assert "cache entry alpha/" in healed.log and f"has lost {svg.name}" in healed.log
    again = build(project)
    assert again.cached() == {"alpha", "beta"}, "the entries stored by the re-runs are whole"


def test_raising_example_fails_the_build_and_never_uses_an_old_output(first, tmp_path):
    project = make_project(tmp_path / "project", cache_from=first.project)
    path = add_example(project, "gamma", "# %%\nimport l2book as l2\n\nx = l2.glue('x', 1)\n")
    good = build(project)
    assert good.returncode == 0, good.log
    assert good.ran() == {"gamma"}

    path.write_text(path.read_text() + "\n# %%\ny = 2\nx / 0\n")
    bad = build_command_line(project)  # the real command: its exit status must say it failed
    assert bad.returncode != 0
    assert "example 'gamma' failed in cell 3 (line 11) of gamma.py: ZeroDivisionError" in bad.log
    assert "----> 2 x / 0" in bad.log  # the traceback's tail
    assert "1 example(s) failed" in bad.log

    path.write_text(path.read_text().replace("x / 0", "x / 1"))
    fixed = build(project)
    assert fixed.returncode == 0, fixed.log
    assert fixed.ran() == {"gamma"}


def test_false_claim_fails_the_build_with_sentence_and_values(first, tmp_path):
    project = make_project(tmp_path / "project", cache_from=first.project)
    add_example(
        project,
        "liar",
        "# %%\nimport l2book as l2\n\nerr = 0.5\n"
        'l2.claim("tiny", "The error is below 1e-12.", err < 1e-12, err=err, tol=1e-12)\n',
    )
    result = build(project)
    assert result.returncode != 0
    assert "example 'liar': claim 'tiny' is false: The error is below 1e-12." in result.log
    assert "values: err = 0.5, tol = 1e-12" in result.log


def test_literal_claim_fails_the_build_before_anything_runs(first, tmp_path):
    project = make_project(tmp_path / "project", cache_from=first.project)
    add_example(
        project,
        "sure",
        '# %%\nimport l2book as l2\n\nl2.claim("ok", "It works.", True)\n',
    )
    result = build(project)
    assert result.returncode != 0
    assert re.search(r"sure.py:\d+: claim holds=True is a literal", result.log), result.log
    assert result.ran() == set()  # nothing ran, and no half-made cache folder is left
    assert not list((project / ".cache" / "l2book" / "sure").glob(".run-*"))


def test_timeout_fails_the_build_naming_the_example(first, tmp_path):
    project = make_project(tmp_path / "project", cache_from=first.project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("timeout: 120", "timeout: 2"))
    add_example(project, "sleepy", "# %%\nimport time\n\ntime.sleep(120)\n")
    result = build(project)
    assert result.returncode != 0
    assert re.search(r"example 'sleepy' timed out after 2 s", result.log), result.log
    assert result.cached() == {"alpha", "beta"}


def test_unknown_references_fail_with_page_and_line(first, tmp_path):
    project = make_project(tmp_path / "project", cache_from=first.project)
    (project / "docs" / "bad.md").write_text(
        "---\ntitle: Bad\n---\n\n# Bad\n\n"
        'Slope {{ value("alpha", "slop") }}.\n'
        '{{ figure("alpah", "points") }}\n'
        'Spec {{ value("alpha", "slope", ".1q") }} and {{ value("alpha") }}.\n'
        '{{ code("alpha", "fitt") }}\n'
    )
    result = build(project)
    assert result.returncode != 0
    log = result.log
    assert "5 broken reference(s) in docs/bad.md" in log
    assert (
        "docs/bad.md:7: {{ value(\"alpha\", \"slop\") }}: example 'alpha' glues no value 'slop'; "
        "did you mean 'slope'?" in log
    )
    assert (
        "docs/bad.md:8: {{ figure(\"alpah\", \"points\") }}: unknown example 'alpah'; "
        "did you mean 'alpha'?" in log
    )
    assert "docs/bad.md:9: {{ value(\"alpha\", \"slope\", \".1q\") }}: format spec '.1q'" in log
    assert "docs/bad.md:9: {{ value(\"alpha\") }}: missing a required argument: key" in log
    assert (
        "docs/bad.md:10: {{ code(\"alpha\", \"fitt\") }}: example 'alpha' has no cell tagged "
        "'fitt'; did you mean 'fit'?" in log
    )


# -- what the site contains ---------------------------------------------------------------------
def test_references_are_replaced(first):
    index = (first.site / "index.html").read_text()
    assert "The slope is 2 and the ratio is 37.5%." in index
    assert r"\(\frac{a}{b} + x^{2} + \mathbf{W}^{[l]}\)" in index  # LaTeX braces intact
    assert r"\(e^{{f(x)}}\)" in index
    assert '<code>{{ value("alpha", "slope") }}</code>' in index  # code is left alone
    assert '<img src="assets/l2book/figures/alpha/points.svg" alt="Three points lying on' in index
    chapter = (first.site / "chapter" / "index.html").read_text()
    assert "Sizes: 1, 2, 3; label: beta;" in chapter
    # Width and height (4 x 3 inches in CSS pixels) reserve the figure's space before the file
    # arrives; every figure, the first too, loads as it comes near the viewport.
    lazy = 'width="384" height="288" loading="lazy" decoding="async">'
    assert f'alt="The three points again." {lazy}' in chapter
    assert chapter.count("<img ") == chapter.count(lazy) == 2
    assert '<span class="arithmatex">\\(y = 2x\\)</span>' in chapter  # caption Markdown rendered
    assert "The fitted slope equals 2. <span class=\"l2book-claim-values\">(slope = 2)</span>" in chapter
    assert '<span class="nn">numpy</span>' in chapter  # code("alpha", "fit"), highlighted
    assert 'id="fig-alpha-points"' in index and 'id="fig-alpha-points-2"' not in index


def test_links_of_the_example_box_resolve(first):
    chapter = first.site / "chapter" / "index.html"
    html = chapter.read_text()
    box = html[html.index('<div class="l2book-example"') :]
    box = box[: box.index("</div>")]
    links = re.findall(r'href="([^"]+)"', box)
    assert links == [
        "../examples/alpha/",
        "../examples/alpha/alpha.ipynb",
        "../examples/alpha/alpha.py",
        "../examples/alpha/",
    ]
    for link in links:
        target = (chapter.parent / link).resolve()
        assert (target / "index.html" if link.endswith("/") else target).is_file(), link


def test_notebook_page_and_downloads_show_the_outputs(first):
    folder = first.site / "examples" / "alpha"
    page = (folder / "index.html").read_text()
    assert "[l2book] value slope = 2.0" in page
    assert (
        '<img alt="Three points lying on the fitted line y = 2x." '
        'src="../../assets/l2book/figures/alpha/points.svg" width="384" height="288"' in page
    )  # the figure file of the site, not a second copy inlined in the page
    assert "No description has been provided" not in page
    assert "data:image/svg+xml" not in page
    assert "[l2book] claim ok slope_is_two" in page
    assert "l2book run alpha --examples-dir examples" in page
    assert '<a href="alpha.ipynb" download>' in page and '<a href="alpha.py" download>' in page
    assert 'data-l2book-run="alpha"' in page  # provenance footer
    assert '<script src="../../assets/l2book/provenance.js" defer></script>' in page  # never blocks parsing
    assert "<style" not in page.split("</head>", 1)[1]  # notebook CSS moved to a shared file
    head = page.split("</head>", 1)[0]
    # with the theme's stylesheets, then the script that takes two of the theme's steps early
    # (no instant navigation on this site: the links stay as written)
    assert head.endswith(
        '<link rel="stylesheet" href="../../assets/l2book/notebook.css">'
        + theme_load.head_script(instant_navigation=False)
    )
    assert "l.href=l.href" not in head
    assert not re.search(r"<script[^>]+src=\"https?://", page)
    assert "cdnjs" not in page
    assert r'<span class="arithmatex">\(y = a x\)</span>' in page

    index = json.loads((first.site / "search" / "search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    assert "chapter/" in locations and not any(x.startswith("examples/") for x in locations)

    notebook = json.loads((folder / "alpha.ipynb").read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(cell["execution_count"] for cell in code)
    assert "".join(notebook["cells"][0]["source"]).startswith("# Alpha: a slope by least squares")
    assert (folder / "alpha.py").read_text() == (FIXTURE / "examples" / "alpha.py").read_text()


def test_page_weight_stays_within_budget(first):
    for name, path in tree(first.site).items():
        if name.endswith(".html"):
            assert path.stat().st_size <= PAGE_BUDGET, name
    stylesheet = first.site / "assets" / "l2book" / "notebook.css"
    assert 0 < stylesheet.stat().st_size < 60_000  # ~600 KB before the unused rules were cut


def test_pipeline_cli_and_script_give_the_same_outputs(first, tmp_path, monkeypatch, capsys):
    entry = next((first.project / ".cache" / "l2book" / "alpha").glob("[0-9a-f]*"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(FIXTURE))
    assert cli.main(["run", "alpha", "--examples-dir", str(FIXTURE / "examples")]) == 0
    capsys.readouterr()
    standalone = tmp_path / "l2book-output" / "alpha"
    assert json.loads((standalone / "outputs.json").read_text()) == json.loads(
        (entry / "outputs.json").read_text()
    )
    assert (standalone / "points.svg").read_bytes() == (entry / "points.svg").read_bytes()
    printed = (entry / "stdout.txt").read_text()
    assert printed.startswith("[l2book] value slope = 2.0\n[l2book] value seed = 0\n")


# -- serve --------------------------------------------------------------------------------------
class FakeServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_shows_failures_on_pages_and_watches_the_package(first, tmp_path):
    project = make_project(tmp_path / "project", cache_from=first.project)
    add_example(project, "gamma", "# %%\nimport l2book as l2\n\nl2.glue('x', 1)\n1 / 0\n")
    (project / "docs" / "gamma.md").write_text('# Gamma\n\nx is {{ value("gamma", "x") }}.\n')
    served = build(project, command="serve")
    assert served.returncode == 0, served.log  # the server would keep running
    assert "example 'gamma' failed in cell 2 (line 6) of gamma.py: ZeroDivisionError" in served.log

    notebook_page_html = (project / "site" / "examples" / "gamma" / "index.html").read_text()
    assert "This example failed in the last" in notebook_page_html
    assert "ZeroDivisionError" in notebook_page_html
    page = (project / "site" / "gamma" / "index.html").read_text()
    assert 'class="l2book-error"' in page
    assert "docs/gamma.md:3: {{ value(\"gamma\", \"x\") }}: example 'gamma' failed" in page

    with _inside(project):
        from mkdocs.config import load_config

        config = load_config(str(project / "mkdocs.yml"))
        plugin = config.plugins["l2book"]
        plugin.on_config(config)
        server = FakeServer()
        plugin.on_serve(server, config=config, builder=None)
        assert str((project / "fixturelib").resolve()) in server.watched
        assert str((project / "examples").resolve()) in server.watched


# -- configuration ------------------------------------------------------------------------------
def _config_with(tmp_path: Path, replace: tuple[str, str]):
    from mkdocs.config import load_config

    project = make_project(tmp_path / "project")
    path = project / "mkdocs.yml"
    path.write_text(path.read_text().replace(*replace))
    return load_config(str(path))


@pytest.mark.parametrize(
    ("replace", "match"),
    [
        (("execute: false", "execute: true"), r"execute: false \(l2book already executed"),
        (("include_source: true", "include_source: false"), r"include_source: true"),
        (('include: ["*.ipynb"]', 'include: ["*.py", "*.ipynb"]'), r'include: \["\*.ipynb"\]'),
        (("examples_dir: examples", "examples_dir: nowhere"), r"examples_dir 'nowhere' is not"),
        (("timeout: 120", "timeout: 0"), r"timeout=0 must be positive seconds"),
    ],
)
def test_bad_configuration_is_reported(tmp_path, monkeypatch, replace, match):
    monkeypatch.syspath_prepend(str(FIXTURE))
    config = _config_with(tmp_path, replace)
    with pytest.raises(PluginError, match=match):
        config.plugins.on_config(config)


def test_plugin_is_registered_under_its_entry_point():
    from importlib.metadata import entry_points

    (entry,) = [e for e in entry_points(group="mkdocs.plugins") if e.name == "l2book"]
    assert entry.load() is L2BookPlugin


# -- units: references --------------------------------------------------------------------------
def test_find_skips_code_and_foreign_braces():
    text = (
        'A {{ value("a", "k") }} and `{{ value("a", "code") }}`.\n'
        "$x^{{2}}$ and {{ f(x) }} and {{ other }}\n"
        "```\n"
        '{{ value("a", "fenced") }}\n'
        "```\n"
        '    {{ figure("a", "f", caption="c(1)") }}\n'
    )
    found, errors = references.find(text)
    assert errors == []
    assert [(r.func, r.arguments, r.line, r.indent) for r in found] == [
        ("value", {"example": "a", "key": "k", "spec": None}, 1, None),
        ("figure", {"example": "a", "name": "f", "alt": None, "caption": "c(1)"}, 6, "    "),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{{ value("a") }}', "missing a required argument: key"),
        ('{{ value("a", "k", ".1f", "x") }}', "too many positional arguments"),
        ('{{ value("a", k) }}', "arguments must be literal strings"),
        ('{{ value("a", 3) }}', "argument key=3 must be a string"),
        ('{{ claim("a", "k", spec="x") }}', "unexpected keyword argument spec"),
        ('{{ value("a", "k" }}', "cannot parse this reference; write it on one line"),
        ('{{ value("a",\n "k") }}', "cannot parse this reference; write it on one line"),
    ],
)
def test_find_reports_malformed_references(text, message):
    found, errors = references.find(text)
    assert found == []
    assert len(errors) == 1 and message in errors[0][2], errors


@pytest.mark.parametrize(
    "args",
    [
        '"a", "b"',
        ' "a" , "b", ".3f" ',
        '"a", "b",',
        '"x y", "it\'s"',
        '"a", "b\\n"',  # an escape: read as Python would
        '"a" "b"',  # implicit concatenation
        "'a', 'b'",
        '"a", alt="b"',
    ],
)
def test_reference_arguments_read_as_python_literals(args):
    import ast

    call = ast.parse(f"_({args})", mode="eval").body
    expected = (
        [ast.literal_eval(node) for node in call.args],
        {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords},
    )
    assert references._literal_arguments(args) == expected


def test_substitute_indents_block_replacements_and_collects_errors():
    text = '!!! note\n    {{ code("a", "t") }}\n{{ value("a", "missing") }}\n'

    def render(reference):
        if reference.func == "value":
            raise references.ReferenceError("no such value")
        return "```python\nx = 1\n```"

    result, errors = references.substitute(text, render)
    assert result.startswith("!!! note\n    ```python\n    x = 1\n    ```\n")
    assert errors == ['line 3: {{ value("a", "missing") }}: no such value']


# -- units: notebook, cache, stylesheet ---------------------------------------------------------
def test_notebook_has_title_cell_stable_ids_and_line_numbers():
    example = registry.load(FIXTURE / "examples" / "alpha.py")
    converted = nbconv.to_notebook(example)
    cells = converted.notebook.cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# Alpha: a slope")
    assert [cell.id for cell in cells] == [f"cell-{i}" for i in range(len(cells))]
    assert cells[2].metadata["tags"] == ["fit"]
    assert converted.cell_label(2) == "cell 3 (line 11)"
    assert nbconv.to_notebook(example).notebook == converted.notebook
    assert nbconv.code_for_tag(example, "plot").startswith("fig, ax = plots.subplots(")
    assert nbconv.code_for_tag(example, "nope") is None


def test_parsed_sources_are_stored_reused_and_pruned(tmp_path, monkeypatch):
    example = registry.load(FIXTURE / "examples" / "alpha.py")
    in_memory = nbconv.to_notebook(example).notebook
    stored = tmp_path / "parsed"
    try:
        nbconv.parse_cache(stored)
        assert nbconv.to_notebook(example).notebook == in_memory
        files = list(stored.glob("*.json"))
        assert len(files) == 1

        # A new build reads the stored parse instead of running jupytext again.
        nbconv.parse_cache(stored)
        monkeypatch.setattr(nbconv.jupytext, "reads", lambda *a, **k: pytest.fail("parsed again"))
        assert nbconv.to_notebook(example).notebook == in_memory
        assert nbconv.code_for_tag(example, "plot").startswith("fig, ax = plots.subplots(")
        monkeypatch.undo()

        # A damaged file is parsed again; a parse no build asked for is deleted.
        files[0].write_text("{not json", encoding="utf-8")
        nbconv.parse_cache(stored)
        assert nbconv.to_notebook(example).notebook == in_memory
        (stored / "0000.json").write_text("{}", encoding="utf-8")
        assert nbconv.prune_parse_cache() == 1
        assert [f.name for f in stored.glob("*.json")] == [files[0].name]
    finally:
        nbconv.parse_cache(None)


def test_base_key_follows_the_example_its_options_sources_and_the_code_that_runs_it(tmp_path):
    """The package is not in the base key: what an example used of it is checked per entry."""
    from l2book.pipeline.build import EXECUTION_CODE, Pipeline, Settings

    assert all(path.is_file() for path in EXECUTION_CODE)
    assert {path.name for path in EXECUTION_CODE} >= {"runner.py", "recorder.py", "notebook.py"}
    extra = tmp_path / "constants.txt"
    extra.write_text("1\n")
    settings = Settings(tmp_path, tmp_path, tmp_path, tmp_path / "cache", sources=[extra])
    before = Pipeline(settings).base_hash()
    extra.write_text("2\n")
    after = Pipeline(settings).base_hash()
    assert before != after
    key = cache_mod.cache_key(b"source", before, {"package": "l2book"})
    assert key != cache_mod.cache_key(b"source", after, {"package": "l2book"})
    assert key != cache_mod.cache_key(b"source 2", before, {"package": "l2book"})
    assert key != cache_mod.cache_key(b"source", before, {"package": "other"})


def test_source_files_skip_examples_and_bytecode():
    files = cache_mod.source_files([cache_mod.package_dir("l2book")])
    names = {p.name for p in files}
    assert "weight_decay_step.py" not in names  # each example is in its own key only
    assert "_registry.py" in names
    assert not any(p.suffix == ".pyc" for p in files)


def test_prune_css_keeps_rules_for_used_classes_and_needed_variables():
    css = (
        ":root{--used: red; --unused: blue; --chain: var(--used)}\n"
        ".a .b{color: var(--chain)}\n.c{color: green}\n.a:not(.zzz){margin: 0}\n"
        "@media (max-width: 10px){.c{color: red} .a{padding: 0}}\n"
        "@keyframes spin{from{transform: rotate(0)} to{transform: rotate(1turn)}}\n"
    )
    pruned = notebook_page.prune_variables(notebook_page.prune_css(css, {"a", "b"}))
    assert ".a .b{color: var(--chain)}" in pruned
    assert ".a:not(.zzz){margin: 0}" in pruned
    assert ".c{" not in pruned
    assert "--used: red" in pruned and "--chain: var(--used)" in pruned
    assert "--unused" not in pruned
    assert "@media (max-width: 10px){\n.a{padding: 0}" in pruned
    assert "@keyframes spin" in pruned


def test_typeset_math_marks_up_markdown_cells_only():
    html = (
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
        "<p>Cost $J = a$ and</p><p>$$\\sum_i x_i$$</p><code>$HOME</code></div>"
        "<pre>$not math$</pre>"
    )
    out = notebook_page.typeset_math(html)
    assert '<span class="arithmatex">\\(J = a\\)</span>' in out
    assert '<div class="arithmatex">\\[\\sum_i x_i\\]</div>' in out
    assert "<code>$HOME</code>" in out
    assert out.endswith("<pre>$not math$</pre>")


def test_link_figures_uses_published_files_and_alt_text():
    import base64

    def image(svg: str, alt: str = "No description has been provided for this image") -> str:
        data = base64.b64encode(svg.encode()).decode()
        return f'<img alt="{alt}" src="data:image/svg+xml;base64,{data}">'

    published = image(
        '<svg role="img" aria-label="A &quot;curve&quot; for λ > 0" data-l2book-figure="f">x</svg>'
    )
    other = image('<svg aria-label="Unpublished">y</svg>')
    plain = image("<svg>z</svg>")
    out = notebook_page.link_figures(published + other + plain, {"f": "../fig/f.svg"}, {"f": (8, 6)})
    # loaded as it comes near the viewport: a page of figures does not build every SVG document
    # on the main thread while it loads
    assert out.startswith(
        '<img alt="A &quot;curve&quot; for λ &gt; 0" src="../fig/f.svg" width="8" height="6" '
        'loading="lazy" '
        'decoding="async">'
    )
    assert '<img alt="Unpublished" src="data:image/svg+xml;base64,' in out
    assert out.count("No description has been provided") == 1  # nothing better is known


@pytest.mark.parametrize(
    ("root", "size"),
    [
        ('<svg width="460.8pt" height="288pt" viewBox="0 0 460.8 288">', (614, 384)),
        ('<svg xmlns="http://www.w3.org/2000/svg" height="30px" width="40px">', (40, 30)),
        ('<svg width="40" height="30">', (40, 30)),
        ('<svg aria-label="for λ > 0" width="40" height="30">', (40, 30)),
        ('<svg width="100%" height="30">', None),
        ('<svg viewBox="0 0 4 3">', None),
        ("<html>not an svg</html>", None),
    ],
)
def test_svg_size_reads_the_root_element_in_css_pixels(tmp_path, root, size):
    from l2book.mkdocs_plugin.render import svg_size

    path = tmp_path / "f.svg"
    path.write_text('<?xml version="1.0"?>\n' + root + "<g/></svg>", encoding="utf-8")
    assert svg_size(path) == size


def test_stream_chunks_are_joined_in_order():
    from nbformat import v4

    from l2book.pipeline.runner import _merge_streams

    cell = v4.new_code_cell("print('a'); display(x); print('b')")
    cell.outputs = [
        v4.new_output("stream", name="stdout", text="[l2book] value a = 1"),
        v4.new_output("stream", name="stdout", text="\n"),
        v4.new_output("display_data", data={"text/plain": "x"}),
        v4.new_output("stream", name="stdout", text="b\n"),
        v4.new_output("stream", name="stderr", text="warning\n"),
        v4.new_output("stream", name="stdout", text="c\n"),
    ]
    notebook = v4.new_notebook(cells=[cell])
    _merge_streams(notebook)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in cell.outputs] == [
        ("stream", "stdout", "[l2book] value a = 1\n"),
        ("display_data", None, None),
        ("stream", "stdout", "b\n"),
        ("stream", "stderr", "warning\n"),
        ("stream", "stdout", "c\n"),
    ]


def test_palette_stylesheet_rekeys_the_switching_rule_and_names_a_missing_one():
    css = "a{color:red}@media screen{[data-md-color-switching] *{transition-duration:0s!important}}"
    out = theme_load.palette_stylesheet(css)
    assert out == "a{color:red}@media screen{.l2book-switching *{transition-duration:0s!important}}"
    assert theme_load.SWITCHING_CLASS in theme_load.head_script(instant_navigation=True)
    with pytest.raises(ValueError, match=r"no \[data-md-color-switching\] rule"):
        theme_load.palette_stylesheet("a{color:red}")
