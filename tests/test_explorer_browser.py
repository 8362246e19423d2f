"""The λ explorer (docs/explorer.md) in headless Chromium, on the served site and from file://.

Moving the slider with the keyboard must change the λ shown, the drawing of the boundary and the
numbers, and what is shown must be the payload the build embedded (not stale or default values).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from site_helpers import goto_for_instant_navigation, offline_path, page_in_new_context

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("explorer")]

PAGE = "explorer/"
SLIDER = "#l2book-explorer-lambda"

STATE_JS = """() => {
  const root = document.getElementById('l2book-explorer');
  const slider = document.getElementById('l2book-explorer-lambda');
  const canvas = document.getElementById('l2book-explorer-canvas');
  return {
    index: Number(root.dataset.index),
    value: Number(slider.value),
    valuetext: slider.getAttribute('aria-valuetext'),
    lambda: document.getElementById('l2book-explorer-lambda-value').textContent,
    train: document.getElementById('l2book-explorer-train').textContent,
    dev: document.getElementById('l2book-explorer-dev').textContent,
    norms: [...document.querySelectorAll('.l2book-explorer__norm-value')].map(e => e.textContent),
    readout: document.getElementById('l2book-explorer-readout').textContent,
    canvasLabel: canvas.getAttribute('aria-label'),
    image: canvas.toDataURL('image/png'),
  };
}"""


def _url(request: pytest.FixtureRequest, where: str) -> str:
    if where == "file":
        site: Path = request.getfixturevalue("built_site_offline")
        file = site / offline_path(PAGE)
        assert file.is_file(), f"{file} is missing from the file:// build"
        return file.as_uri()
    return request.getfixturevalue("site_url") + PAGE


@pytest.fixture(params=["served", "file"])
def explorer(request: pytest.FixtureRequest, browser):  # type: ignore[no-untyped-def]
    """The explorer page loaded and initialised; yields (page, payload, console errors)."""
    url = _url(request, request.param)
    with page_in_new_context(browser) as (page, errors):
        page.goto(url, wait_until="load")
        page.wait_for_selector("#l2book-explorer[data-ready='true']", timeout=10000)
        payload = json.loads(page.text_content("#l2book-explorer-data"))
        yield page, payload, errors


def _format_lambda(lam: float) -> str:
    """The page's format: 0, else 3 significant digits (as explorer.js writes it)."""
    if lam == 0:
        return "0"
    return f"{float(f'{lam:.3g}'):g}"


def _fixed(x: float, digits: int) -> str:
    """JavaScript's ``x.toFixed(digits)``: the exact binary value rounded, ties away from zero."""
    return str(Decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def _percent(x: float) -> str:
    return _fixed(100 * x, 1) + "%"


def _assert_shows(state: dict, payload: dict, k: int) -> None:
    lam = _format_lambda(payload["lams"][k])
    assert state["index"] == state["value"] == k
    assert state["lambda"] == f"λ = {lam}"
    assert state["valuetext"] == f"λ = {lam}"
    assert state["train"] == _percent(payload["train_error"][k])
    assert state["dev"] == _percent(payload["dev_error"][k])
    assert state["norms"] == [_fixed(n, 2) for n in payload["weight_norms"][k]]
    assert state["readout"].startswith(f"λ = {lam}: training error")
    assert state["canvasLabel"].startswith("Decision boundary of the network trained with λ = ")


def test_payload_has_what_the_page_draws(explorer) -> None:  # type: ignore[no-untyped-def]
    _, payload, _ = explorer
    K = len(payload["lams"])
    assert K >= 20, f"the explorer needs at least 20 λ values, the payload has {K}"
    lams = payload["lams"]
    assert lams == sorted(lams) and len(set(lams)) == K
    for key in ("train_error", "dev_error", "weight_norms", "proba"):
        assert len(payload[key]) == K, key
    assert len(payload["weight_norms"][0]) == len(payload["layer_sizes"]) - 1


def test_arrow_right_changes_lambda_image_and_numbers(explorer) -> None:  # type: ignore[no-untyped-def]
    page, payload, errors = explorer
    before = page.evaluate(STATE_JS)
    _assert_shows(before, payload, 0)

    page.focus(SLIDER)
    page.keyboard.press("ArrowRight")
    after = page.evaluate(STATE_JS)
    _assert_shows(after, payload, 1)
    assert after["lambda"] != before["lambda"]
    assert after["readout"] != before["readout"]
    assert after["norms"] != before["norms"]
    assert after["image"] != before["image"], "the boundary drawing did not change with λ"

    page.keyboard.press("End")
    last = page.evaluate(STATE_JS)
    K = len(payload["lams"])
    _assert_shows(last, payload, K - 1)
    assert (last["train"], last["dev"]) != (before["train"], before["dev"])
    assert last["image"] not in (before["image"], after["image"])

    page.keyboard.press("Home")
    _assert_shows(page.evaluate(STATE_JS), payload, 0)
    assert not errors, f"console errors on the explorer: {errors}"


def test_controls_are_labelled_and_announced(explorer) -> None:  # type: ignore[no-untyped-def]
    page, _, _ = explorer
    slider = page.get_by_label("Regularization strength λ")
    assert slider.evaluate("e => e.id") == "l2book-explorer-lambda"
    assert slider.evaluate("e => e.type") == "range"
    readout = page.locator("#l2book-explorer-readout")
    assert readout.get_attribute("aria-live") == "polite"
    assert page.locator("#l2book-explorer-canvas").get_attribute("role") == "img"
    # Tab reaches the slider: it is in the keyboard order.
    page.focus("body")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == SLIDER[1:]:
            break
    else:
        pytest.fail("the slider cannot be reached with the Tab key")


def test_explorer_starts_after_instant_navigation(site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    """Reached by a click (Material's instant navigation), the page must still initialise."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        goto_for_instant_navigation(page, site_url + "examples/")
        page.evaluate("window.__notReloaded = true")
        page.click(f"article a[href$='{PAGE}']")  # the link in the text of the examples page
        page.wait_for_selector("#l2book-explorer[data-ready='true']", timeout=10000)
        page.focus(SLIDER)
        page.keyboard.press("ArrowRight")
        assert page.evaluate("Number(document.getElementById('l2book-explorer').dataset.index)") == 1
        assert page.evaluate("window.__notReloaded === true"), "the click reloaded the page"
    finally:
        context.close()
    assert not errors, errors
