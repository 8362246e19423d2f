"""Time ``ridge_path`` for 100 λ against 100 separate scikit-learn ``Ridge`` fits.

Data: m = 500 examples, p = 50 features, λ on a log grid from 1e-3 to 1e4. ``ridge_path`` does one
SVD of the centered X and then O(p·r) work per λ; the baseline refits ``Ridge(alpha=λ)`` from
scratch for each λ. Target: time(ridge_path) / time(100 Ridge fits) ≤ 0.05.

Each side is timed as the best of several repeats (the minimum is the least noisy estimate of
the cost itself). Writes ``benchmarks/results/core_ridge.json``.

Run: ``.venv/bin/python benchmarks/core_ridge.py``
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import Ridge

from l2book.ridge import ridge_path

M, P, K = 500, 50, 100
TARGET = 0.05
REPEATS = 7
RESULTS = Path(__file__).resolve().parent / "results" / "core_ridge.json"


def best_time(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> dict:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(P, M))  # (n_x, m), the book's layout
    y = rng.normal(size=P) @ X + rng.normal(size=M)
    lams = np.logspace(-3, 4, K)
    X_sk = X.T.copy()  # scikit-learn's (m, n_x), made contiguous outside the timed region

    def ours():
        return ridge_path(X, y, lams)

    def baseline():
        return np.array([Ridge(alpha=lam).fit(X_sk, y).coef_ for lam in lams])

    max_diff = float(np.abs(ours().coefs - baseline()).max())  # same answers, else timing is moot
    t_ours = best_time(ours)
    t_base = best_time(baseline)
    ratio = t_ours / t_base
    result = {
        "area": "core_ridge",
        "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs",
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scikit-learn": sklearn.__version__,
        },
        "date": datetime.date.today().isoformat(),
        "measurements": [
            {
                "name": f"ridge_path ({K} λ) / {K} Ridge fits, m={M}, p={P}",
                "value": ratio,
                "unit": "ratio",
                "target": TARGET,
                "met": bool(ratio <= TARGET),
                "note": f"{t_ours * 1e3:.2f} ms vs {t_base * 1e3:.1f} ms, best of {REPEATS}",
            },
            {
                "name": "max |coef difference| vs scikit-learn",
                "value": max_diff,
                "unit": "",
                "target": 1e-8,
                "met": bool(max_diff <= 1e-8),
                "note": "the two computations must agree for the timing to mean anything",
            },
        ],
        "ratio": ratio,
        "target": TARGET,
        "met": bool(ratio <= TARGET),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return result


if __name__ == "__main__":
    out = main()
    m = out["measurements"][0]
    print(f"{m['name']}: {m['value']:.4f} (target <= {m['target']}, met={m['met']}; {m['note']})")
    print(f"max |coef difference|: {out['measurements'][1]['value']:.2e}")
