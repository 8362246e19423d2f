"""Every example's glued values and figures are those recorded in ``tests/golden/outputs.json``.

Guards changes that must not alter a result (speed-ups of the training loop, refactorings):
the built site's values and SVG files are compared, hash by hash, with the recorded digest. A
change meant to alter results updates that file in the same commit
(``python tests/golden/digest.py SITE_DIR > tests/golden/outputs.json``).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "outputs.json"

pytestmark = pytest.mark.build


def _digest_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("golden_digest", HERE / "golden" / "digest.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_every_value_and_figure_is_byte_identical_to_the_recorded_build(built_site: Path) -> None:
    recorded = json.loads(GOLDEN.read_text("utf-8"))
    built = _digest_module().digest(built_site)
    differences = []
    for name in sorted(set(recorded) | set(built)):
        if name not in built or name not in recorded:
            differences.append(f"{name}: {'new' if name in built else 'gone'}")
            continue
        for part in ("values", "figures"):
            before, after = recorded[name][part], built[name][part]
            for key in sorted(set(before) | set(after)):
                if before.get(key) != after.get(key):
                    differences.append(f"{name} {part[:-1]} {key}: {before.get(key)} -> {after.get(key)}")
    assert not differences, "results changed:\n  " + "\n  ".join(differences)
