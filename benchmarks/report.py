"""Collect ``benchmarks/results/*.json`` into the results table of ``benchmarks/README.md``.

Each results file holds ``{"area": ..., "machine": ..., "versions": ..., "date": ...,
"measurements": [{"name", "value", "unit", "target", "met", "note"}]}``; this script rewrites the part of
the README between the two ``results`` markers and leaves the rest alone.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
START, END = "<!-- results:start -->", "<!-- results:end -->"


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    # A bare "|" (as in |W|) would end the Markdown table cell.
    return "" if value is None else str(value).replace("|", "\\|")


def render(results_dir: Path = HERE / "results") -> str:
    lines: list[str] = []
    for path in sorted(results_dir.glob("*.json")):
        data = json.loads(path.read_text())
        area = data.get("area", path.stem)
        lines.append(f"### {area}\n")
        facts = {**data.get("versions", {}), "date": data.get("date")}
        context = ", ".join(f"{k}: {_fmt(v)}" for k, v in sorted(facts.items()))
        machine = data.get("machine", "")
        lines.append(f"Machine: {machine}. {context}.\n")
        lines.append("| measurement | value | unit | target | met | note |")
        lines.append("|---|---|---|---|---|---|")
        for row in data.get("measurements", []):
            met = row.get("met")
            met_s = "" if met is None else ("yes" if met else "**no**")
            lines.append(
                f"| {_fmt(row.get('name', ''))} | {_fmt(row.get('value'))} | {row.get('unit', '')} | "
                f"{_fmt(row.get('target'))} | {met_s} | {_fmt(row.get('note', ''))} |"
            )
        lines.append("")
    return "\n".join(lines)


def save(path: Path, result: dict) -> dict:
    """Write one benchmark's results file and print its measurements; returns ``result``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    for m in result["measurements"]:
        flag = "" if m["met"] is None else (" ok" if m["met"] else " MISSED")
        print(f"{m['name']}: {_fmt(m['value'])} {m['unit']} (target {m['target']}){flag}  {m['note']}")
    return result


def main() -> None:
    readme = HERE / "README.md"
    text = readme.read_text()
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{START}\n{render()}\n{END}{tail}")


if __name__ == "__main__":
    main()
