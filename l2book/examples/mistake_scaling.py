"""Mistake: "the units of the inputs don't matter"
Least squares ignores the units of a feature; L2 does not, because ‖w‖² compares weights of different units.
"""

# %% [markdown]
# Express one input in other units (metres → millimetres, so x₁ is multiplied by 1000). Least
# squares compensates exactly: w₁ is divided by 1000 and the predictions do not change. With L2,
# a weight that can be 1000 times smaller pays a million times less penalty, so that input is
# effectively no longer regularized and the predictions change. Standardizing the inputs (each
# feature to mean 0 and standard deviation 1, with statistics from the training set) removes the
# dependence on units.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
n_x, m = 6, l2.glue("m", 30)
X = rng.standard_normal((n_x, m))
y = (rng.normal(0.0, 1.0, n_x) @ X + 0.8 * rng.standard_normal(m)).reshape(1, -1)
X_new = rng.standard_normal((n_x, 200))  # points to predict at
scale = np.ones((n_x, 1))
scale[0] = l2.glue("unit_factor", 1000.0)  # x₁ in millimetres instead of metres
lam = l2.glue("lam", 10.0)

# %% tags=["units"]
def predictions(lam: float, factor: np.ndarray, standardize: bool = False) -> np.ndarray:
    Xf, Xf_new = factor * X, factor * X_new
    if standardize:
        scaler = l2.Standardizer.fit(Xf)
        Xf, Xf_new = scaler.transform(Xf), scaler.transform(Xf_new)
    return l2.ridge(Xf, y, lam).predict(Xf_new)


def change(lam: float, standardize: bool = False) -> float:
    """Largest change of a prediction when x₁ changes units."""
    return float(np.abs(predictions(lam, scale, standardize) - predictions(lam, np.ones_like(scale),
                                                                            standardize)).max())


def weight_of_x1(factor: np.ndarray) -> float:
    return float(l2.ridge(factor * X, y, lam).w[0])


# In millimetres the numbers of x₁ are 1000 times larger, so ridge gives it a smaller weight,
# which pays far less penalty: the input in the smaller unit escapes the penalty.
w1_metres = l2.glue("w1_metres", weight_of_x1(np.ones_like(scale)))
w1_millimetres = l2.glue("w1_millimetres", weight_of_x1(scale))
ls_change = l2.glue("ls_change", change(0.0))
ridge_change = l2.glue("ridge_change", change(lam))
std_change = l2.glue("standardized_change", change(lam, standardize=True))
spread = l2.glue("prediction_sd", float(predictions(lam, np.ones_like(scale)).std()))

# %%
l2.claim(
    "ls_unit_free",
    "Least squares gives the same predictions in either unit (to 1e-9).",
    bool(ls_change < 1e-9),
    max_change=ls_change,
)
l2.claim(
    "ridge_depends_on_units",
    "Ridge with the same λ changes some prediction by more than a tenth of the predictions' spread.",
    bool(ridge_change > 0.1 * spread),
    max_change=ridge_change,
    prediction_sd=spread,
)
l2.claim(
    "smaller_unit_escapes",
    "With x₁ in millimetres (numbers 1000 times larger) ridge gives it a weight more than 100 times "
    "smaller, so its share of the penalty λw₁² falls more than 10 000-fold.",
    bool(abs(w1_millimetres) * 100 < abs(w1_metres)
         and w1_millimetres**2 * 1e4 < w1_metres**2),
    w1_metres=w1_metres,
    w1_millimetres=w1_millimetres,
)
l2.claim(
    "standardize_fixes",
    "After standardizing the inputs, ridge gives the same predictions in either unit (to 1e-9).",
    bool(std_change < 1e-9),
    max_change=std_change,
)
