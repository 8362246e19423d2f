"""Digest of what every example publishes: a hash per glued value and per figure file.

``python tests/golden/digest.py SITE_DIR > tests/golden/outputs.json`` records the digest of a
built site; ``tests/test_outputs_unchanged.py`` compares a fresh build with it, so that a change
meant to keep results (a speed-up, a refactoring) is shown to keep every value and figure byte
for byte. A change meant to alter results updates the file in the same commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def digest(site: Path) -> dict[str, dict[str, dict[str, str]]]:
    """``{example: {"values": {key: hash}, "figures": {file: hash}}}`` of a built site."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for book in sorted(site.glob("examples/*/*.book.json")):
        name = book.parent.name
        values = json.loads(book.read_text("utf-8"))["values"]
        figures = sorted((site / "assets" / "l2book" / "figures" / name).glob("*.svg"))
        found[name] = {
            "values": {
                key: _sha(json.dumps(record["value"], sort_keys=True).encode())
                for key, record in sorted(values.items())
            },
            "figures": {svg.name: _sha(svg.read_bytes()) for svg in figures},
        }
    return found


if __name__ == "__main__":
    json.dump(digest(Path(sys.argv[1])), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
