"""No page in docs/ states a result number by hand.

Every number about a result is glued from an executed example (``{{ value("EXAMPLE", "KEY") }}``).
This test flags what *looks like* a hand-typed result in a page's prose: a number with a decimal point
(``0.93``, ``.5``), a percentage (``93%``, ``93 %``) or scientific notation (``1e-7``).

Not prose, so not checked: display math ``$$ … $$`` and ``\\[ … \\]``, inline math ``\\( … \\)``, fenced
code blocks, inline code, glue ``{{ … }}``, HTML comments and tags, link and image targets ``](…)``,
and attribute lists such as ``{ width="80%" }``.

Allowed in prose (:data:`ALLOWED`): version strings (``Python 3.11``, ``v1.2``, ``1.2.3``);
section, figure and equation numbers (``§4.2``, ``§7.4–7.6``, ``Section 4.2``, ``eq. 3.50``);
reference identifiers (``arXiv:1711.05101``, DOIs). Years and other integers are never flagged: the
checker looks for decimals and percentages only, so it is a net for the common case, not a proof.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"

# A number that reads like a measured result.
RESULT_NUMBER = re.compile(
    r"(?<![\w.])"  # not glued to a word or to a preceding dot (e.g. a file name or version tail)
    r"(?:"
    r"\d+(?:\.\d+)?\s?%"  # 93%  93 %  93.5%
    r"|\d*\.\d+(?:[eE][-+]?\d+)?"  # 0.93  .93  1.5e-3
    r"|\d+[eE][-+]?\d+"  # 1e-7
    r")"
    r"(?![\w.]*\d)"  # not the head of a longer dotted token such as 1.2.3
)

# Spans of prose where a decimal number is not a result.
ALLOWED = [
    re.compile(r"\b(?:Python|numpy|NumPy|matplotlib|MkDocs|mkdocs|version|Material)\s+v?\d+(?:\.\d+)+"),
    re.compile(r"(?<![\w.])v\d+(?:\.\d+)+"),  # v1.2
    re.compile(r"(?<![\w.])\d+\.\d+\.\d+(?:\.\d+)*"),  # 1.2.3
    # §4.2, Section 3.1, Figure 2.1, eq. 3.50, and ranges such as §7.4–7.6
    re.compile(
        r"(?:§{1,2}\s?|\b(?:[Ss]ections?|[Cc]hapters?|[Ff]igures?|[Tt]ables?|[Ee]qs?\.|[Ee]quations?)\s?\(?)"
        r"\d+(?:\.\d+)+\)?(?:\s?[–-]\s?\d+(?:\.\d+)+)?"
    ),
    re.compile(r"\barXiv:\s?\d{4}\.\d{4,5}(?:v\d+)?"),  # arXiv:1711.05101
    re.compile(r"\b10\.\d{4,9}/\S+"),  # DOIs: 10.1080/00401706.1970.10488634
]

# Spans that are not prose. Each is blanked out (newlines kept, so line numbers survive).
_NOT_PROSE = [
    re.compile(r"<!--.*?-->", re.S),  # HTML comments
    re.compile(r"\$\$.*?\$\$", re.S),  # display math
    re.compile(r"\\\[.*?\\\]", re.S),  # display math, \[ … \]
    re.compile(r"\\\(.*?\\\)", re.S),  # inline math
    re.compile(r"\{\{.*?\}\}", re.S),  # glue
    re.compile(r"\{%.*?%\}", re.S),  # template statements
    # inline code, any number of backticks; like Markdown, it never spans a blank line
    re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)\1(?!`)", re.S),
    re.compile(r"\]\([^)\n]*\)"),  # link and image targets
    re.compile(r"<[A-Za-z/][^>\n]*>"),  # HTML tags with their attributes
    re.compile(r"\{:?\s*[^{}\n]*=[^{}\n]*\}"),  # attribute lists: { width="80%" }
]

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask_non_prose(text: str) -> str:
    """``text`` with everything that is not prose replaced by spaces; line breaks are kept."""
    lines = text.split("\n")
    fence: str | None = None
    for k, line in enumerate(lines):
        found = _FENCE.match(line)
        if fence is None and found:
            fence = found.group(2)
            lines[k] = ""
        elif fence is not None:
            if found and found.group(2)[0] == fence[0] and len(found.group(2)) >= len(fence):
                fence = None
            lines[k] = ""
    masked = "\n".join(lines)
    for pattern in _NOT_PROSE:
        masked = pattern.sub(_blank, masked)
    return masked


def find_unglued_numbers(text: str) -> list[tuple[int, str, str]]:
    """Result-like numbers in the prose of ``text`` as ``(line number, number, line)``, in order."""
    found = []
    original = text.split("\n")
    for k, line in enumerate(mask_non_prose(text).split("\n")):
        allowed = [m.span() for pattern in ALLOWED for m in pattern.finditer(line)]
        for m in RESULT_NUMBER.finditer(line):
            if any(a <= m.start() and m.end() <= b for a, b in allowed):
                continue
            found.append((k + 1, m.group(0), original[k].strip()))
    return found


# --- the checker itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prose, number",
    [
        ("The network reaches accuracy 0.93 on the dev set.", "0.93"),
        ("The network reaches 93% on the dev set.", "93%"),
        ("a dev error of 12.5 % is high", "12.5 %"),
        ("the error falls to .07", ".07"),
        ("the gradient check error is 1e-9", "1e-9"),
        ("the gradient check error is 3.2e-9", "3.2e-9"),
        ("| train | 0.98 |", "0.98"),
        ("λ = 0.7 works best", "0.7"),
        ("- a bullet with 0.5 in it", "0.5"),
        ("!!! note\n    accuracy is 0.91 here", "0.91"),
        ("as in arXiv:1711.05101, we measure 0.93", "0.93"),
        ("Python 3.11 reaches 97% here", "97%"),
        ("the weight is set to exactly 0.0", "0.0"),
        ("§7.4 reports 0.25", "0.25"),
    ],
)
def test_flags_hand_typed_results(prose: str, number: str) -> None:
    assert [n for _, n, _ in find_unglued_numbers(prose)] == [number]


@pytest.mark.parametrize(
    "prose",
    [
        r"The factor \(0.5\) cancels the 2 of the derivative.",
        r"with \( \lambda = 0.7 \) the boundary is smooth",
        "$$\nJ = 0.5 \\sum_i (\\hat y - y)^2\n$$",
        r"\[ \eta = 0.1 \]",
        "Call `fit(net, X, Y, lr=0.1)` to train.",
        "Call ``lr=0.1`` to train.",
        'Dev accuracy: {{ value("overfitting_moons", "dev_acc", ".1%") }}.',
        '{{ figure("cost_shapes", "bowl", caption="a 0.5 scale") }}',
        "```python\nlr = 0.1\nprint(0.93)\n```",
        "~~~\n93%\n~~~",
        "    ```python\n    lam = 0.7\n    ```",
        "<!-- draft: accuracy 0.93 -->",
        "See [the notes](notes-0.2.md) and ![a plot](img/fig_0.5.svg).",
        '<img src="x.svg" width="80%">',
        '![plot](a.svg){ width="80%" }',
        "Built with Python 3.11 and numpy 2.1; requires v1.2 or 1.2.3.",
        "As shown in §4.2 and Section 3.1 and Figure 2.1.",
        "the effective degrees of freedom (§3.4.1, eq. 3.50) and Eq. (3.44)",
        "the covariance penalty (ESL, §7.4–7.6 and §§7.3-7.5)",
        "Loshchilov and Hutter, ICLR 2019, arXiv:1711.05101.",
        "Hoerl and Kennard (1970), doi:10.1080/00401706.1970.10488634.",
        "In 2017, a network with 3 layers and 100 units per layer.",
        "The list:\n\n1. first\n2. second",
        "Layer 2. Then layer 3.",
    ],
)
def test_ignores_math_code_glue_and_allowed_numbers(prose: str) -> None:
    assert find_unglued_numbers(prose) == []


def test_reports_line_numbers_after_masked_blocks() -> None:
    text = "intro\n$$\nx = 0.5\n$$\n```\ny = 0.1\n```\nwe got 0.93 here\nand `0.2` then 7%"
    assert [(line, n) for line, n, _ in find_unglued_numbers(text)] == [(8, "0.93"), (9, "7%")]


def test_an_unclosed_backtick_does_not_hide_the_next_paragraph() -> None:
    text = "a stray ` backtick\n\nthe accuracy is 0.93 and `x` is code"
    assert [(line, n) for line, n, _ in find_unglued_numbers(text)] == [(3, "0.93")]


def test_math_and_code_do_not_hide_prose_on_the_same_line() -> None:
    text = r"with \(\lambda\) at `lam` the accuracy is 0.93"
    assert [n for _, n, _ in find_unglued_numbers(text)] == ["0.93"]


# --- the pages ---------------------------------------------------------------------------------


def _pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def test_docs_has_pages() -> None:
    assert _pages(), f"no Markdown pages found under {DOCS}"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_page_has_no_hand_typed_result_numbers(page: Path) -> None:
    found = find_unglued_numbers(page.read_text(encoding="utf-8"))
    report = "\n".join(
        f"  docs/{page.relative_to(DOCS)}:{line}: {number!r} in: {text}" for line, number, text in found
    )
    assert not found, (
        "numbers that look like results are typed by hand; glue them from the example with "
        '{{ value("EXAMPLE", "KEY") }} (or put them in math/code if they are not results):\n' + report
    )
