"""Shared pytest fixtures.

Site fixtures: the site is built once per test run with ``mkdocs build --strict`` (the served
layout and the file:// layout), even under pytest-xdist, and served from a thread on
127.0.0.1; one headless Chromium per test process drives it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from site_helpers import REPO_ROOT, SiteBuildError, build_site_once, launch_browser, serve_directory


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def _shared_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Under xdist every worker has its own basetemp; their common parent is shared by the run.
    root = tmp_path_factory.getbasetemp()
    return root.parent if root.name.startswith("popen-gw") else root


@pytest.fixture(scope="session")
def built_site(_shared_build_dir: Path) -> Path:
    """The site as served (``mkdocs build --strict``), built once per test run."""
    try:
        return build_site_once(_shared_build_dir, "site", offline=False)
    except SiteBuildError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def built_site_offline(built_site: Path, _shared_build_dir: Path) -> Path:
    """The file:// variant (``OFFLINE=true mkdocs build --strict``), built once per test run.

    Built after ``built_site``, never at the same time, so that it reuses the examples' cache.
    """
    try:
        return build_site_once(_shared_build_dir, "site-offline", offline=True)
    except SiteBuildError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL (ending in '/') of ``built_site`` served over HTTP on 127.0.0.1."""
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright, one per test process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()
