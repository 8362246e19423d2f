"""hooks/vendor_assets.py: which files the site serves itself, and the file:// adjustments."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from site_helpers import REPO_ROOT

spec = importlib.util.spec_from_file_location("vendor_assets", REPO_ROOT / "hooks" / "vendor_assets.py")
vendor_assets = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vendor_assets)


def _fake_node_modules(root: Path, skip: str | None = None) -> Path:
    for package, _dest, parts in vendor_assets.PACKAGES:
        if package == skip:
            continue
        pdir = root / package
        pdir.mkdir(parents=True)
        (pdir / "package.json").write_text(json.dumps({"name": package}))
        for part in parts:
            if part == "LICENSE":
                continue
            path = pdir / part
            if "." in Path(part).name:  # a file
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("// " + part)
            else:  # a folder with one nested file
                (path / "sub").mkdir(parents=True)
                (path / "sub" / "x.js").write_text("// x")
    return root


def test_vendor_files_map_packages_under_assets_vendor(tmp_path: Path) -> None:
    files = dict(vendor_assets.vendor_files(_fake_node_modules(tmp_path)))
    assert "assets/vendor/mathjax/startup.js" in files
    assert "assets/vendor/mathjax/input/tex/sub/x.js" in files
    assert "assets/vendor/mathjax-tex-font/chtml/sub/x.js" in files
    assert files["assets/vendor/iframe-worker/shim/index.js"] == (
        tmp_path / "iframe-worker" / "shim" / "index.js"
    )
    # Only the listed parts are served, not whole packages (package.json is the font's metadata).
    assert "assets/vendor/mathjax/package.json" not in files


def test_missing_package_names_it_and_says_npm_ci(tmp_path: Path) -> None:
    root = _fake_node_modules(tmp_path, skip="@mathjax/mathjax-tex-font")
    with pytest.raises(PluginError, match=r"'@mathjax/mathjax-tex-font' not found .*Run `npm ci`"):
        list(vendor_assets.vendor_files(root))


def test_incomplete_package_names_the_missing_path(tmp_path: Path) -> None:
    root = _fake_node_modules(tmp_path)
    (root / "mathjax" / "startup.js").unlink()
    with pytest.raises(PluginError, match=r"startup.js is missing .*`npm ci` again"):
        list(vendor_assets.vendor_files(root))


def test_real_node_modules_has_everything_the_site_needs() -> None:
    files = dict(vendor_assets.vendor_files(REPO_ROOT / "node_modules"))
    needed = [
        "assets/vendor/mathjax/startup.js",
        "assets/vendor/mathjax/core.js",
        "assets/vendor/mathjax/input/tex.js",
        "assets/vendor/mathjax/input/tex/extensions/boldsymbol.js",
        "assets/vendor/mathjax/output/chtml.js",
        "assets/vendor/mathjax/a11y/assistive-mml.js",
        "assets/vendor/mathjax-tex-font/chtml.js",
        "assets/vendor/mathjax-tex-font/chtml/woff2/mjx-tex-n.woff2",
        "assets/vendor/mathjax-tex-font/chtml/woff2/mjx-tex-c.woff2",
        "assets/vendor/iframe-worker/shim/index.js",
    ]
    assert not [n for n in needed if n not in files]


def _config(monkeypatch: pytest.MonkeyPatch, offline: bool):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OFFLINE", "true" if offline else "false")
    return load_config(str(REPO_ROOT / "mkdocs.yml"))


@pytest.mark.parametrize("offline", [False, True])
def test_on_config_turns_instant_navigation_off_only_offline(
    monkeypatch: pytest.MonkeyPatch, offline: bool
) -> None:
    config = _config(monkeypatch, offline)
    config.plugins.on_config(config)  # every plugin's on_config, hooks included, in priority order
    features = config.theme["features"]
    polyfills = [str(p) for p in config.extra.get("polyfills", [])]
    if offline:
        assert not [f for f in features if f.startswith("navigation.instant")]
        assert polyfills == [vendor_assets.IFRAME_WORKER_SHIM], polyfills  # not unpkg.com
    else:
        assert "navigation.instant" in features
        assert polyfills == []


def test_docs_file_in_the_way_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = _config(monkeypatch, False)
    clash = File("assets/vendor/mathjax/startup.js", str(tmp_path), str(tmp_path), False)
    with pytest.raises(PluginError, match=r"docs/assets/vendor/mathjax/startup.js would be overwritten"):
        vendor_assets.on_files(Files([clash]), config)
