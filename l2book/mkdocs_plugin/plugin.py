"""The ``l2book`` MkDocs plugin: execute the examples once per build and glue their outputs in.

Build steps (see docs/building.md):

1. ``on_files`` (before mkdocs-jupyter's): run the example pipeline (:mod:`l2book.pipeline`:
   each example whose cache entry is missing or whose dependencies changed runs, in parallel, a
   fresh kernel each, with a timeout), and add to the site each executed
   notebook (rendered by mkdocs-jupyter as a page, not executed again), the ``.py`` download,
   the figures and the plugin's assets. Notebooks new to mkdocs-jupyter's cache are converted to
   HTML into it several at a time (``jupyter_cache``).
2. ``on_page_markdown``: replace ``{{ value(...) }}``, ``{{ figure(...) }}``, ``{{ code(...) }}``,
   ``{{ example(...) }}`` and ``{{ claim(...) }}`` references with the published outputs.
3. ``on_page_content``: on notebook pages, add the run box and provenance, link the figures and
   move the notebook stylesheet (~600 KB inlined by mkdocs-jupyter) to one shared file.

Failures (an exception, a timeout, a false claim, an unknown reference) abort ``mkdocs build``
with the example, the cell or page line, and what to fix. Under ``mkdocs serve`` they are shown on
the pages instead, so the server keeps running.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import shutil
from pathlib import Path
from typing import Any

import markdown as md
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from l2book.examples import _registry as registry
from l2book.mkdocs_plugin import (
    assets,
    browser_runs,
    jupyter_cache,
    notebook_page,
    references,
    theme_load,
)
from l2book.mkdocs_plugin.config import EXECUTION_OPTIONS, L2BookConfig
from l2book.mkdocs_plugin.render import (
    Provenance,
    Published,
    Renderer,
    error_html,
    svg_size,
)
from l2book.pipeline import notebook as nbconv
from l2book.pipeline.build import Pipeline, PipelineError, Settings
from l2book.pipeline.cache import package_dir
from l2book.pipeline.runner import Outcome
from l2book.publish import with_text

__all__ = ["L2BookPlugin"]

log = get_plugin_logger(__name__)

JUPYTER_PLUGIN = "mkdocs-jupyter"
NOTEBOOK_CSS = "notebook.css"
INCLUDED = InclusionLevel.INCLUDED


class L2BookPlugin(BasePlugin[L2BookConfig]):
    """Build-time execution of the book's examples (see the module docstring)."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.published: dict[str, Published] = {}
        self.runs: dict[str, str] = {}
        self.notebook_css: dict[str, None] = {}
        self.notebook_html: list[str] = []
        self.head_links: dict[str, str] = {}
        self.stats: dict[str, list[str]] = {"ran": [], "cached": [], "failed": []}
        self.prerendering = jupyter_cache.Prerendering()
        self.browser = False
        self.runtime_mb: float | None = None

    # -- configuration -------------------------------------------------------------------------
    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        self.project_dir = root
        self.package_dir = package_dir(self.config.package)
        examples_dir = self.config.examples_dir
        self.examples_dir = (
            (root / examples_dir).resolve() if examples_dir else registry.EXAMPLES_DIR
        )
        if not self.examples_dir.is_dir():
            raise PluginError(
                f"l2book: examples_dir {examples_dir!r} is not a folder (resolved to "
                f"{self.examples_dir}); set it relative to mkdocs.yml"
            )
        self.sources = [(root / s).resolve() for s in self.config.sources]
        for source, given in zip(self.sources, self.config.sources, strict=True):
            if not source.exists():
                raise PluginError(f"l2book: sources entry {given!r} does not exist ({source})")
        self.workers = self.config.workers or os.cpu_count() or 1
        if self.workers < 1:
            raise PluginError(f"l2book: workers={self.workers} must be at least 1")
        if self.config.timeout <= 0:
            raise PluginError(f"l2book: timeout={self.config.timeout} must be positive seconds")
        self.pipeline = Pipeline(
            Settings(
                examples_dir=self.examples_dir,
                package_dir=self.package_dir,
                project_dir=root,
                cache_dir=(root / self.config.cache_dir).resolve(),
                sources=self.sources,
                options={name: self.config[name] for name in EXECUTION_OPTIONS},
                workers=self.workers,
                timeout=float(self.config.timeout),
                record=self.config.record_dependencies,
            )
        )
        self.cache = self.pipeline.cache  # also where the plugin stages pages and keeps its caches
        nbconv.parse_cache(self.cache.parsed)
        self.assets = self.config.assets_dir.strip("/")
        self.notebooks = self.config.notebooks_dir.strip("/")
        stylesheet, script = f"{self.assets}/l2book.css", f"{self.assets}/provenance.js"
        if stylesheet not in [str(item) for item in config.extra_css]:
            config.extra_css.append(stylesheet)
        if script not in [str(item) for item in config.extra_javascript]:
            # Deferred: it only fills in text, and a plain script at the end of the page keeps
            # the parser waiting for its download.
            deferred = ExtraScriptValue(script)
            deferred.defer = True
            config.extra_javascript.append(deferred)
        # From disk (the offline plugin's build) browsers refuse to start Pyodide: runner.js
        # then only says how to run the examples, and the runtime is not copied.
        # mkdocs-jupyter says "Cache hit" and "Copied jupyter file" for every notebook page: with
        # the examples' pages that is two lines per example on every build (kept with --verbose).
        verbose = logging.getLogger("mkdocs").isEnabledFor(logging.DEBUG)
        jupyter_log = logging.getLogger(f"mkdocs.plugins.{JUPYTER_PLUGIN.replace('-', '_')}")
        jupyter_log.setLevel(logging.NOTSET if verbose else logging.WARNING)
        self.browser = self.config.browser_runs and not offline_enabled(config)
        runner = f"{self.assets}/runner.js"
        if self.config.browser_runs and runner not in [str(i) for i in config.extra_javascript]:
            deferred = ExtraScriptValue(runner)
            deferred.defer = True
            config.extra_javascript.append(deferred)
        self._check_jupyter_plugin(config)
        self._markdown = md.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs
        )
        return config

    def _check_jupyter_plugin(self, config: MkDocsConfig) -> None:
        plugin = config.plugins.get(JUPYTER_PLUGIN)
        self.jupyter = plugin
        if plugin is None:
            return
        options = plugin.config
        fixes = []
        if options["execute"]:
            fixes.append("execute: false (l2book already executed each example once)")
        if not options["include_source"]:
            fixes.append("include_source: true (offers the executed .ipynb for download)")
        if options["allow_errors"]:
            fixes.append("allow_errors: false")
        if any(Path("x.py").match(pattern) for pattern in options["include"]):
            fixes.append('include: ["*.ipynb"] (the example .py files are downloads, not pages)')
        if fixes:
            raise PluginError(
                "l2book: configure the mkdocs-jupyter plugin with " + "; ".join(fixes)
            )

    def _rewrite_palette_stylesheet(self, files: Files, config: MkDocsConfig) -> None:
        """Material's palette stylesheet, its no-transitions rule keyed to a class (theme_load)."""
        found = [f for f in files if theme_load.PALETTE_STYLESHEET.fullmatch(f.src_uri)]
        if not found:
            return  # a theme without a palette stylesheet
        theme_file = found[0]
        try:
            css = theme_load.palette_stylesheet(Path(theme_file.abs_src_path).read_text("utf-8"))
        except ValueError as error:
            # a warning, so that `mkdocs build --strict` stops on a Material that changed
            log.warning(f"{error}; the stylesheet is left as it is")
            return
        files.remove(theme_file)
        files.append(File.generated(config, theme_file.src_uri, content=css))

    # -- executing the examples ----------------------------------------------------------------
    @event_priority(100)  # before mkdocs-jupyter turns the executed notebooks into pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        self._rewrite_palette_stylesheet(files, config)
        try:
            examples = self.pipeline.discover()
        except PipelineError as error:
            raise PluginError(f"l2book: {error}") from error
        self.published, self.runs = {}, {}
        self.notebook_css, self.notebook_html = {}, []
        self.head_links = {}

        # One line while the examples run and one summary (on_post_build); each example's own
        # line with `mkdocs build --verbose`.
        def starting(to_run: int, total: int) -> None:
            if to_run:
                log.info(
                    f"running {to_run} of {total} examples "
                    f"({total - to_run} cached), {self.workers} at a time"
                )

        def progress(outcome: Outcome) -> None:
            state = "ran" if outcome.ok else f"FAILED ({outcome.status})"
            log.debug(f"{outcome.name}: {state} in {outcome.seconds:.1f} s")

        try:
            report = self.pipeline.run(examples, on_start=starting, on_done=progress)
        except PipelineError as error:
            raise PluginError(f"l2book: {error}") from error
        for problem in report.healed:
            # Not a warning: --strict would turn a healed cache into a failed build.
            log.info(f"{problem}: removed, the example runs again")
        self.sources_hash = report.sources_hash
        self.stats = {
            "ran": report.names(cached=False, ok=True),
            "cached": report.names(cached=True),
            "failed": report.names(ok=False),
        }
        for name, result in report.results.items():
            if result.cached:
                log.debug(f"{name}: cached ({result.seconds:.1f} s when it ran)")
            else:
                log.debug(f"{name}: ran because {result.reason}")
        failures = [result.error for result in report.results.values() if result.error]
        if failures:
            text = "\n\n".join(failures)
            if not self.serving:
                raise PluginError(f"l2book: {len(failures)} example(s) failed:\n\n{text}")
            log.error(f"l2book: {len(failures)} example(s) failed (shown on their pages):\n{text}")
        for result in report.results.values():
            self._publish(files, config, result.example, result.folder, result.seconds,
                          result.cached, error=result.error)
        self.runtime_mb = None
        if self.browser:
            self._add_browser_runs(files, config, examples)
        if self.config.browser_runs:
            runner = assets.runner_script(self.runtime_mb)
            _add_file(files, config, f"{self.assets}/runner.js", content=runner)
        if self._notebook_pages(config):
            notebooks = [self.cache.pages / p.notebook_uri for _, p in sorted(self.published.items())]
            self.prerendering = jupyter_cache.prerender(notebooks, self.jupyter.config, self.workers)
        else:
            self.prerendering = jupyter_cache.Prerendering()
        if len(self.prerendering):
            log.debug(
                f"{len(self.prerendering)} notebook page(s) being rendered, {self.workers} at a time"
            )

        _add_file(files, config, f"{self.assets}/l2book.css", content=assets.STYLESHEET)
        provenance = assets.provenance_script(self.runs)
        _add_file(files, config, f"{self.assets}/provenance.js", content=provenance)
        return files

    def _add_browser_runs(
        self, files: Files, config: MkDocsConfig, examples: list[registry.Example]
    ) -> None:
        try:
            # The examples' imports decide the wheels; the package's own needs are its
            # declared dependencies (its optional imports, such as IPython's, are not shipped).
            runs = browser_runs.prepare(
                self.project_dir,
                self.config.package,
                [example.path for example in examples],
                (self.project_dir / self.config.node_modules).resolve(),
                (self.project_dir / self.config.pyodide_wheels).resolve(),
                self.cache.root / "browser",
            )
        except browser_runs.BrowserRunsError as error:
            raise PluginError(
                f"l2book: the examples cannot be offered to run in the browser: {error}\n"
                "To build the site without browser runs, set L2BOOK_BROWSER_RUNS=false "
                "(mkdocs.yml: plugins: l2book: browser_runs: false)."
            ) from error
        for uri, path in sorted(runs.files.items()):
            _add_file(files, config, f"{self.assets}/{uri}", abs_src_path=str(path))
        self.runtime_mb = runs.first_run_bytes / 1e6
        for _, found in sorted(self.published.items()):
            # What the build computed, for the runner to set a reader's run beside.
            record = {
                "values": with_text(found.outputs.get("values", {})),
                "claims": {k: c["holds"] for k, c in found.outputs.get("claims", {}).items()},
                "figures": sorted(found.outputs.get("figures", {})),
            }
            text = json.dumps(record, ensure_ascii=False, sort_keys=True)
            _add_file(files, config, found.book_uri, content=text)

    def _publish(
        self,
        files: Files,
        config: MkDocsConfig,
        example: registry.Example,
        folder: Path,
        seconds: float,
        cached: bool,
        error: str | None = None,
    ) -> None:
        outputs_path = folder / "outputs.json"
        outputs = json.loads(outputs_path.read_text("utf-8")) if outputs_path.is_file() else {}
        name = example.name
        seed = outputs.get("values", {}).get("seed")
        provenance = Provenance(self.sources_hash, seed, seconds, cached)
        notebook_uri = f"{self.notebooks}/{name}.ipynb"
        py_dir = f"{self.notebooks}/{name}" if self._notebook_pages(config) else self.notebooks
        py_uri = f"{py_dir}/{name}.py"
        figure_uris, figure_sizes = {}, {}
        for figure, record in outputs.get("figures", {}).items():
            uri = f"{self.assets}/figures/{name}/{record['file']}"
            svg = folder / record["file"]
            if svg.is_file():
                figure_uris[figure] = uri
                if size := svg_size(svg):
                    figure_sizes[figure] = size
                _add_file(files, config, uri, abs_src_path=str(svg))
        # A plain File, not File.generated: mkdocs-jupyter's page wrapper recomputes the source
        # path from src_dir, so the notebook is staged under the path its page will have.
        staged = self.cache.pages / notebook_uri
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / f"{name}.ipynb", staged)
        notebook_file = File(
            notebook_uri,
            str(self.cache.pages),
            config.site_dir,
            config.use_directory_urls,
            # a page of the site; listing it in the nav is up to mkdocs.yml, not warned about
            inclusion=InclusionLevel.NOT_IN_NAV,
        )
        notebook_file.edit_uri = None
        files.append(notebook_file)
        _add_file(files, config, py_uri, content=example.path.read_bytes())
        self.published[name] = Published(
            example, outputs, provenance, notebook_uri, py_uri, figure_uris, error, figure_sizes,
            book_uri=py_uri.removesuffix(".py") + ".book.json",
        )
        self.runs[name] = "failed" if error else provenance.status()

    def _notebook_pages(self, config: MkDocsConfig) -> bool:
        return self.jupyter is not None and config.use_directory_urls

    # -- pages ---------------------------------------------------------------------------------
    def _is_notebook_page(self, page: Page) -> bool:
        uri = page.file.src_uri
        return uri.startswith(f"{self.notebooks}/") and uri.endswith(".ipynb") and (
            posixpath.splitext(posixpath.basename(uri))[0] in self.published
        )

    def _inline_markdown(self, text: str) -> str:
        self._markdown.reset()
        converted = self._markdown.convert(text).strip()
        if converted.startswith("<p>") and converted.endswith("</p>") and converted.count("<p>") == 1:
            converted = converted[3:-4]
        return converted

    def _run_command(self, example: registry.Example) -> list[str]:
        if example.module:
            return [f"l2book run {example.name}", f"python -m {example.module}"]
        folder = os.path.relpath(example.path.parent, self.project_dir)
        return [
            f"l2book run {example.name} --examples-dir {Path(folder).as_posix()}",
            f"python {Path(folder, example.path.name).as_posix()}",
        ]

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        # mkdocs-jupyter renders this page next: its HTML must be in its cache by then.
        if self.config.enabled and self._is_notebook_page(page):
            self.prerendering.wait(page.file.abs_src_path)
        return None

    def on_build_error(self, *, error: Exception) -> None:
        self.prerendering.cancel()

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self._is_notebook_page(page):
            return None

        def urls(src_uri: str) -> tuple[str, str]:
            file = files.get_file_from_path(src_uri)
            if file is None:  # pragma: no cover - every published uri was added in on_files
                raise references.ReferenceError(f"{src_uri} is missing from the site")
            return file.url, file.dest_uri

        renderer = Renderer(
            self.published,
            page.url,
            urls,
            self._inline_markdown,
            self._run_command,
            browser_runs=self.config.browser_runs,
        )
        first_line = _first_line(page)
        where = _display_path(page, self.project_dir)

        def shown_error(reference: Any, line: int, text: str, message: str) -> str:
            return error_html(f"{where}:{line + first_line - 1}: {text}: {message}")

        result, errors = references.substitute(
            markdown, renderer, on_error=shown_error if self.serving else None
        )
        if errors:
            located = [_relocate(error, where, first_line) for error in errors]
            if not self.serving:
                raise PluginError(
                    f"l2book: {len(errors)} broken reference(s) in {where}:\n  "
                    + "\n  ".join(located)
                )
            for error in located:
                log.error(error)
        return result

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or not self._is_notebook_page(page):
            return None
        name = posixpath.splitext(posixpath.basename(page.file.src_uri))[0]
        found = self.published[name]
        if not self.config.notebook_search:
            # The chapters quote the examples already; indexing the notebooks' markup twice
            # would double the search index and the time to build it.
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        html, css = notebook_page.extract_styles(html)
        html = notebook_page.remove_external_scripts(html)
        html = notebook_page.typeset_math(html)
        figure_urls = {
            figure: get_relative_url(files.get_file_from_path(uri).url, page.url)
            for figure, uri in found.figure_uris.items()
        }
        html = notebook_page.link_figures(html, figure_urls, found.figure_sizes)
        if css:
            self.notebook_css.setdefault(css, None)
            self.notebook_html.append(html)
            # In the <head>, with the theme's stylesheets (on_post_page): instant navigation adds
            # and removes the <head> links in which two pages differ.
            href = get_relative_url(f"{self.assets}/{NOTEBOOK_CSS}", page.url)
            self.head_links[page.file.src_uri] = f'<link rel="stylesheet" href="{href}">'
        renderer = Renderer(
            self.published,
            page.url,
            lambda uri: (files.get_file_from_path(uri).url, files.get_file_from_path(uri).dest_uri),
            self._inline_markdown,
            self._run_command,
            browser_runs=self.config.browser_runs,
        )
        _, ipynb, py = renderer.notebook_links(found)
        box = notebook_page.run_box(
            self._run_command(found.example), ipynb, py, found.error, renderer.runner(found)
        )
        return notebook_page.insert_after_title(html, box) + notebook_page.footer(
            found.provenance.html(name)
        )

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        instant = "navigation.instant" in config.theme["features"]
        markup = self.head_links.get(page.file.src_uri, "") + theme_load.head_script(instant)
        return theme_load.add_to_head(output, markup)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        self.prerendering.close()
        if self.notebook_css:
            css = self._shared_stylesheet()
            path = Path(config.site_dir, self.assets, NOTEBOOK_CSS)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(css, encoding="utf-8")
        nbconv.prune_parse_cache()
        s = self.stats
        log.info(
            f"examples: {len(s['ran'])} ran, {len(s['cached'])} cached, {len(s['failed'])} failed"
        )

    def _shared_stylesheet(self) -> str:
        """One stylesheet for all notebook pages, cut down to the rules they can use.

        Cutting takes a second or two for JupyterLab's ~600 KB of CSS, so the result is cached,
        keyed by the CSS and the class names the pages use.
        """
        css = "\n".join(self.notebook_css)
        used: set[str] = set()
        for html in self.notebook_html:
            used |= notebook_page.classes_used(html)
        key = hashlib.sha256(f"{css}\0{' '.join(sorted(used))}".encode()).hexdigest()
        cached = self.cache.root / "notebook-css" / f"{key[:32]}.css"
        if cached.is_file():
            return cached.read_text("utf-8")
        pruned = notebook_page.prune_variables(notebook_page.prune_css(css, used))
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("*.css"):
            old.unlink()
        cached.write_text(pruned, "utf-8")
        return pruned

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if not self.config.enabled:
            return server
        for path in {self.package_dir, self.examples_dir, *self.sources}:
            server.watch(str(path))
        return server


def _add_file(files: Files, config: MkDocsConfig, uri: str, **source: Any) -> None:
    """Add a generated file to the site; INCLUDED: the site may exclude_docs patterns such as
    *.py, meant for its own sources, not for the files the plugin publishes."""
    files.append(File.generated(config, uri, inclusion=INCLUDED, **source))


def offline_enabled(config: MkDocsConfig) -> bool:
    """Material's offline plugin is on: the from-disk build, where browsers refuse Pyodide."""
    for name, plugin in config.plugins.items():
        if name.endswith("offline"):
            return bool(plugin.config.enabled)
    return False


def _display_path(page: Page, project_dir: Path) -> str:
    """The page's source file relative to mkdocs.yml's folder (e.g. ``docs/chapter.md``)."""
    if page.file.abs_src_path:
        return Path(os.path.relpath(page.file.abs_src_path, project_dir)).as_posix()
    return page.file.src_uri


def _first_line(page: Page) -> int:
    """Line of the source file where ``page.markdown`` starts (after YAML front matter)."""
    try:
        raw = page.file.content_string
    except (OSError, TypeError, ValueError):
        return 1
    markdown = page.markdown or ""
    if markdown and raw.endswith(markdown):
        return raw[: len(raw) - len(markdown)].count("\n") + 1
    return 1


def _relocate(error: str, where: str, first_line: int) -> str:
    """'line N: ...' (within the Markdown body) to 'PAGE:M: ...' (line M of the file)."""
    prefix, _, rest = error.partition(": ")
    number = int(prefix.removeprefix("line "))
    return f"{where}:{number + first_line - 1}: {rest}"
