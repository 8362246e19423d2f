"""Mistake: tuning λ on the test set
Choosing λ by its test error and then reporting that test error overstates the model's accuracy.
"""

# %% [markdown]
# The test error of a *fixed* model is an unbiased estimate of its error on new data. Once the test
# set is used to pick λ (the λ with the lowest test error), the reported number is the minimum of K
# noisy estimates, and a minimum is biased low. We repeat the whole procedure on many independent
# data sets (ridge regression, 20 inputs, 40 training examples, a small test set of 30), and compare
# the reported test error with the model's true error on new data, known exactly here because the
# inputs are standard normal: E[(y − ŵᵀx − b̂)²] = σ² + ‖ŵ − w‖² + b̂².
#
# The honest alternative: pick λ on a separate dev set, then evaluate the chosen model once on test.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
n_x, m, m_dev, m_test = 20, l2.glue("m", 40), l2.glue("m_dev", 30), l2.glue("m_test", 30)
sigma = 1.0
reps = l2.glue("repetitions", 1000)
lams = np.geomspace(1e-2, 1e3, 30)
w_true = rng.normal(0.0, 0.3, n_x)

# %% tags=["simulate"]
X = rng.standard_normal((reps, n_x, m))
Y = np.einsum("j,rjm->rm", w_true, X) + sigma * rng.standard_normal((reps, m))
x_mean, y_mean = X.mean(axis=2), Y.mean(axis=1)
U, d, Vt = np.linalg.svd(np.swapaxes(X - x_mean[:, :, None], 1, 2), full_matrices=False)
uty = np.einsum("rmj,rm->rj", U, Y - y_mean[:, None])
W = np.einsum("rkj,rj,rjn->rkn", d[:, None, :] / (d[:, None, :] ** 2 + lams[None, :, None]), uty, Vt)
b = y_mean[:, None] - np.einsum("rkn,rn->rk", W, x_mean)  # ridge for every data set and λ
check = float(np.abs(W[0] - l2.ridge_path(X[0], Y[0], lams).coefs).max())


def holdout_errors(size: int) -> np.ndarray:
    """Mean squared error of every (data set, λ) model on a fresh held-out set, shape (reps, K)."""
    Xh = rng.standard_normal((reps, n_x, size))
    yh = np.einsum("j,rjm->rm", w_true, Xh) + sigma * rng.standard_normal((reps, size))
    pred = np.einsum("rkn,rnt->rkt", W, Xh) + b[:, :, None]
    return np.mean((pred - yh[:, None, :]) ** 2, axis=2)


test = holdout_errors(m_test)
dev = holdout_errors(m_dev)
true_error = sigma**2 + np.sum((W - w_true) ** 2, axis=2) + b**2  # exact error on new data

# %% tags=["optimism"]
rows = np.arange(reps)
on_test = test.argmin(axis=1)  # the mistake: λ chosen by test error
on_dev = dev.argmin(axis=1)  # the fix: λ chosen by dev error
gap_test = true_error[rows, on_test] - test[rows, on_test]  # > 0 means the report is optimistic
gap_dev = true_error[rows, on_dev] - test[rows, on_dev]
optimism = l2.glue("optimism", float(gap_test.mean()))
optimism_se = l2.glue("optimism_se", float(gap_test.std(ddof=1) / np.sqrt(reps)))
honest = l2.glue("honest_gap", float(gap_dev.mean()))
honest_se = l2.glue("honest_gap_se", float(gap_dev.std(ddof=1) / np.sqrt(reps)))
reported = l2.glue("reported_test", float(test[rows, on_test].mean()))
actual = l2.glue("actual_error", float(true_error[rows, on_test].mean()))
optimism_share = l2.glue("optimism_share", float(np.mean(gap_test > 0)))

# %%
l2.claim(
    "batched_is_ridge",
    "The batched fits equal l2.ridge_path on the first data set.",
    bool(check < 1e-10),
    max_abs_difference=check,
)
l2.claim(
    "test_tuning_optimistic",
    "With λ tuned on the test set, the reported test error is lower than the true error on average, "
    "by more than five standard errors.",
    bool(optimism > 5 * optimism_se),
    mean_optimism=optimism,
    standard_error=optimism_se,
)
l2.claim(
    "dev_tuning_unbiased",
    "With λ tuned on a separate dev set, the test error of the chosen model is unbiased: its mean gap "
    "to the true error is within three standard errors of zero.",
    bool(abs(honest) < 3 * honest_se),
    mean_gap=honest,
    standard_error=honest_se,
)

# %% tags=["figure"]
from l2book import plots

fig, ax = plots.subplots(width=6.4, height=3.4)
bins = np.linspace(-1.0, 1.0, 41)
ax.hist(gap_dev, bins=bins, color=plots.COLORS["blue"], alpha=0.6, label="λ chosen on a dev set")
ax.hist(gap_test, bins=bins, color=plots.COLORS["vermillion"], alpha=0.6, label="λ chosen on the test set")
ax.axvline(0, color=plots.COLORS["black"], linewidth=1)
ax.axvline(optimism, color=plots.COLORS["vermillion"], linestyle="--", linewidth=1.2)
ax.axvline(honest, color=plots.COLORS["blue"], linestyle="--", linewidth=1.2)
ax.set_xlabel("true error − reported test error (> 0: the report is too good)")
ax.set_ylabel(f"data sets (of {reps})")
ax.legend(loc="upper left", fontsize=8)
l2.figure(
    "test_set_tuning",
    fig,
    alt=(
        "Two overlapping histograms of the true error minus the reported test error over many data "
        "sets. The histogram for λ chosen on a dev set is centred on zero; the one for λ chosen on the "
        "test set is shifted to the right, with its mean (dashed line) above zero."
    ),
    caption="Dashed lines: the means. Tuning on the test set shifts the whole distribution to 'too good'.",
)
