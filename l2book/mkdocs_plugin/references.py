"""Find and replace ``{{ value(...) }}``-style references in a page's Markdown.

A reference is ``{{ NAME(ARGS) }}`` on one line, where NAME is one of :data:`SIGNATURES` and ARGS
are Python literals (strings), e.g. ``{{ value("overfitting", "test_acc", ".1%") }}``. Anything
else between double braces (LaTeX such as ``x^{{2}}``, other templating) is left alone, as is
everything inside fenced code blocks and inline code spans, so the syntax can be documented.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Reference", "ReferenceError", "SIGNATURES", "find", "substitute"]


def _value(example: str, key: str, spec: str | None = None) -> None: ...
def _figure(example: str, name: str, alt: str | None = None, caption: str | None = None) -> None: ...
def _code(example: str, tag: str) -> None: ...
def _example(example: str) -> None: ...
def _claim(example: str, key: str) -> None: ...


SIGNATURES: dict[str, inspect.Signature] = {
    name: inspect.signature(func)
    for name, func in {
        "value": _value,
        "figure": _figure,
        "code": _code,
        "example": _example,
        "claim": _claim,
    }.items()
}
"""The reference functions and their parameters."""

_REF = re.compile(r"\{\{\s*(?P<func>[A-Za-z_]\w*)\s*\((?P<args>[^\n]*?)\)\s*\}\}")
_OPENING = re.compile(r"\{\{\s*(value|figure|code|example|claim)\s*\(")
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")


class ReferenceError(Exception):  # noqa: A001 - the natural name within this module
    """A reference that cannot be resolved; the message says why and how to fix it."""


@dataclass(frozen=True)
class Reference:
    """One reference found in a page."""

    func: str
    arguments: dict[str, Any]
    text: str
    line: int
    start: int
    end: int
    indent: str | None
    """Whitespace before the reference when it starts its line (block references), else None."""


# Most references are plain "..." strings separated by commas: read without compiling Python.
_PLAIN_ARGUMENTS = re.compile(r'\s*"[^"\\\n]*"(?:\s*,\s*"[^"\\\n]*")*\s*,?\s*')
_PLAIN_STRING = re.compile(r'"([^"\\\n]*)"')


def _literal_arguments(args: str) -> tuple[list[Any], dict[str, Any]]:
    if _PLAIN_ARGUMENTS.fullmatch(args):
        return _PLAIN_STRING.findall(args), {}
    try:
        call = ast.parse(f"_({args})", mode="eval").body
    except SyntaxError as error:
        raise ReferenceError(f"cannot parse the arguments ({error.msg})") from error
    assert isinstance(call, ast.Call)
    try:
        positional = [ast.literal_eval(node) for node in call.args]
        keywords = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg}
    except ValueError as error:
        raise ReferenceError(
            "arguments must be literal strings, e.g. value(\"example\", \"key\", \".3f\")"
        ) from error
    return positional, keywords


def _parse_arguments(func: str, args: str) -> dict[str, Any]:
    positional, keywords = _literal_arguments(args)
    signature = SIGNATURES[func]
    try:
        bound = signature.bind(*positional, **keywords)
    except TypeError as error:
        raise ReferenceError(f"{error}; the form is {func}{signature}".replace("'", "")) from error
    for name, value in bound.arguments.items():
        if value is not None and not isinstance(value, str):
            raise ReferenceError(f"argument {name}={value!r} must be a string")
    bound.apply_defaults()
    return dict(bound.arguments)


def _code_spans(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _INLINE_CODE.finditer(line)]


def find(markdown: str) -> tuple[list[Reference], list[tuple[int, str, str]]]:
    """References of ``markdown`` and parse errors as ``(line, text, message)``.

    Line numbers are 1-based within ``markdown``.
    """
    references: list[Reference] = []
    errors: list[tuple[int, str, str]] = []
    fence: str | None = None
    offset = 0
    for number, line in enumerate(markdown.splitlines(keepends=True), start=1):
        start_of_line = offset
        offset += len(line)
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group("fence")[0] == fence[0] and len(
                opening.group("fence")
            ) >= len(fence) and not line.strip()[len(opening.group("fence")) :].strip():
                fence = None
            continue
        if opening:
            fence = opening.group("fence")
            continue
        spans = _code_spans(line)
        covered = [(m.start(), m.end()) for m in _REF.finditer(line)]
        for start in _OPENING.finditer(line):
            inside_code = any(a <= start.start() < b for a, b in spans)
            matched = any(a <= start.start() < b for a, b in covered)
            if not inside_code and not matched:
                errors.append(
                    (
                        number,
                        line[start.start() :].strip()[:60],
                        "cannot parse this reference; write it on one line as "
                        f'{{{{ {start.group(1)}("example", ...) }}}}',
                    )
                )
        for match in _REF.finditer(line):
            if any(a <= match.start() < b for a, b in spans):
                continue
            func = match.group("func")
            if func not in SIGNATURES:
                continue  # not ours: LaTeX or another tool's syntax
            text = match.group(0)
            try:
                arguments = _parse_arguments(func, match.group("args"))
            except ReferenceError as error:
                errors.append((number, text, str(error)))
                continue
            before = line[: match.start()]
            references.append(
                Reference(
                    func=func,
                    arguments=arguments,
                    text=text,
                    line=number,
                    start=start_of_line + match.start(),
                    end=start_of_line + match.end(),
                    indent=before if not before.strip() else None,
                )
            )
    return references, errors


def substitute(
    markdown: str,
    render: Callable[[Reference], str],
    *,
    on_error: Callable[[Reference | None, int, str, str], str] | None = None,
) -> tuple[str, list[str]]:
    """Replace every reference by ``render(reference)``.

    ``render`` raises :class:`ReferenceError` for a reference it cannot resolve. Returns the new
    Markdown and the error messages, each ``"line N: {{ ... }}: why"``. With ``on_error`` the
    failed reference is replaced by ``on_error(reference, line, text, message)``; without it, it
    is left as written.
    """
    references, parse_errors = find(markdown)
    found: list[tuple[int, str]] = [
        (line, f"line {line}: {text}: {message}") for line, text, message in parse_errors
    ]
    pieces: list[str] = []
    position = 0
    for reference in references:
        try:
            replacement = render(reference)
        except ReferenceError as error:
            found.append((reference.line, f"line {reference.line}: {reference.text}: {error}"))
            if on_error is None:
                continue
            replacement = on_error(reference, reference.line, reference.text, str(error))
        if reference.indent and "\n" in replacement:
            replacement = replacement.replace("\n", "\n" + reference.indent)
        pieces.append(markdown[position : reference.start])
        pieces.append(replacement)
        position = reference.end
    pieces.append(markdown[position:])
    messages = [message for _, message in sorted(found, key=lambda item: item[0])]
    if on_error is not None and parse_errors:
        text = "".join(pieces)
        for line, ref_text, message in parse_errors:
            text = text.replace(ref_text, on_error(None, line, ref_text, message), 1)
        return text, messages
    return "".join(pieces), messages
