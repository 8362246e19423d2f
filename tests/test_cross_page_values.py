"""Numbers that two examples compute separately and the pages present as the same.

Every page that names the best λ of the two-moons network names the same one: the chapter on
choosing λ, the final test, the learning curves, the decision boundaries of the intuition chapter
and the λ explorer train the same [2, 25, 25, 1] network on the same split with the same Adam
steps; their grids differ, but each contains the chapter's best λ, and each picks its best with
:func:`l2book.best_lambda_index` (the largest λ on a tie). And the intuition chapter's λ for
df = 5 under ESL's standardization is the λ of the reproduction of ESL's table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

NAMED_BEST = {
    "dev_sweep": "best_lam",
    "final_test": "net_lam",
    "learning_curves": "good_lam",
    "lambda_grid_boundaries": "best_lam",
    "explorer_data": "best_lam",
}


def _value(site: Path, example: str, key: str) -> object:
    book = json.loads((site / "examples" / example / f"{example}.book.json").read_text("utf-8"))
    return book["values"][key]["value"]


def test_every_page_names_the_same_best_lambda(built_site: Path) -> None:
    named = {f"{ex}.{key}": _value(built_site, ex, key) for ex, key in NAMED_BEST.items()}
    assert len(set(named.values())) == 1, f"different best λ: {named}"


def test_the_intuition_chapter_and_the_reproduction_give_the_same_lambda_for_df_5(
    built_site: Path,
) -> None:
    esl_scale = _value(built_site, "svd_shrinkage", "lam5_esl")
    reproduction = _value(built_site, "repro_esl_prostate", "lam_df5")
    assert abs(esl_scale - reproduction) < 1e-9 * reproduction, (esl_scale, reproduction)
