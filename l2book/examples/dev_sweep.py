"""Choosing λ on a dev set
Train one network per λ, measure each on a held-out dev set, keep the λ with the lowest dev error.
"""

# %% [markdown]
# The noisy two-moons data split three ways: 10% to train, 30% to a dev set for choosing λ, 60%
# to a test set that this example never touches. The same [2, 25, 25, 1] relu network is trained
# for λ = 0 and ten values from 0.01 to 10 in one vectorized `l2.sweep_lambda` run.

# %% tags=["data"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)
m_train = l2.glue("m_train", split.X_train.shape[1])
m_dev = l2.glue("m_dev", split.X_dev.shape[1])
m_test = l2.glue("m_test", split.X_test.shape[1])

# %% tags=["sweep"]
lams = np.concatenate([[0.0], np.geomspace(0.01, 10, 10)])
sweep = l2.sweep_lambda(
    [2, 25, 25, 1], split.X_train, split.Y_train, lams,
    optimizer=l2.Adam(0.01), epochs=1000, seed=seed,
    X_dev=split.X_dev, Y_dev=split.Y_dev, record_every=1000,
)
best = l2.best_lambda_index(lams, sweep.dev_error)  # on a tie, the largest λ: the simpler model
best_lam = float(lams[best])
tied = np.flatnonzero(sweep.dev_error == sweep.dev_error.min())

# %%
l2.glue("lams", lams)
l2.glue("train_error", sweep.train_error)
l2.glue("dev_error", sweep.dev_error)
l2.glue("best_lam", best_lam)
l2.glue("tied_lams", lams[tied])
n_tied = l2.glue("n_tied", tied.size)
l2.claim(
    "tie_broken_to_larger",
    "Several λ share the lowest dev error, and the tie rule picks the largest of them.",
    bool(n_tied > 1 and best_lam == lams[tied].max()),
    n_tied=n_tied,
    best_lam=best_lam,
)
l2.glue("best_dev_error", float(sweep.dev_error[best]))
l2.glue("best_train_error", float(sweep.train_error[best]))
l2.glue("dev_error_lam0", float(sweep.dev_error[0]))
l2.glue("train_error_lam0", float(sweep.train_error[0]))
l2.glue("dev_error_largest", float(sweep.dev_error[-1]))
train_error_largest = l2.glue("train_error_largest", float(sweep.train_error[-1]))

# %% [markdown]
# The training error cannot choose λ: it is lowest at (or tied with) λ = 0, because the penalty
# only ever trades fit on the training set for smaller weights. The dev error has a minimum
# inside the range.

# %%
l2.claim(
    "train_error_prefers_zero",
    "The training error is lowest at λ = 0 (possibly tied): choosing λ on the training set would "
    "pick no regularization.",
    bool(sweep.train_error[0] <= sweep.train_error.min()),
    train_error_lam0=float(sweep.train_error[0]),
    min_train_error=float(sweep.train_error.min()),
)
l2.claim(
    "dev_minimum_inside",
    "The dev error is lowest at a λ strictly between 0 and the largest λ tried, and there it is "
    "below the dev error of λ = 0.",
    bool(0 < best < lams.size - 1 and sweep.dev_error[best] < sweep.dev_error[0]),
    best_lam=best_lam,
    best_dev_error=float(sweep.dev_error[best]),
    dev_error_lam0=float(sweep.dev_error[0]),
)
l2.claim(
    "large_lam_high_bias",
    "At the largest λ both errors are high and close together: high bias.",
    bool(
        sweep.train_error[-1] > sweep.train_error[best]
        and sweep.dev_error[-1] > sweep.dev_error[best]
        and abs(sweep.dev_error[-1] - sweep.train_error[-1]) < 0.05
    ),
    train_error_largest=float(sweep.train_error[-1]),
    dev_error_largest=float(sweep.dev_error[-1]),
)

# %% [markdown]
# A dev error is itself an estimate from a finite sample. Its standard error,
# √(p(1 − p)/m_dev) for an error rate p, says how far apart two dev errors must be before the
# difference means anything.

# %% tags=["dev_noise"]
p = sweep.dev_error[best]
dev_se = l2.glue("dev_se", float(np.sqrt(p * (1 - p) / split.X_dev.shape[1])))
within_2se = l2.glue("n_within_2se", int(np.sum(sweep.dev_error <= p + 2 * dev_se)))
l2.claim(
    "several_lams_within_noise",
    "More than one λ has a dev error within two standard errors of the lowest one.",
    bool(within_2se > 1),
    n_within_2se=within_2se,
    dev_se=dev_se,
)

# %% [markdown]
# Two models scored on the *same* dev set are not two independent samples: where both are right,
# or both wrong, their difference is exactly zero. The error of the difference comes only from the
# points on which they disagree (McNemar's view): with n₁₀ points that model a gets wrong and b
# right, and n₀₁ the other way, the difference of the error rates is (n₁₀ − n₀₁)/m_dev with
# standard error √(n₁₀ + n₀₁ − (n₁₀ − n₀₁)²/m_dev) / m_dev, much smaller than the standard error
# of one error rate when the models agree on most points.

# %% tags=["paired"]
wrong = np.stack([sweep.network(k).predict(split.X_dev) != split.Y_dev for k in range(lams.size)])
wrong = wrong.reshape(lams.size, -1)
others = [k for k in range(lams.size) if k != best]
runner_up = min(others, key=lambda k: (sweep.dev_error[k], k))  # the next best dev error
n10 = int(np.sum(wrong[runner_up] & ~wrong[best]))  # runner-up wrong, best right
n01 = int(np.sum(~wrong[runner_up] & wrong[best]))
paired_se = l2.glue(
    "paired_se", float(np.sqrt(n10 + n01 - (n10 - n01) ** 2 / m_dev) / m_dev)
)
l2.glue("runner_up_lam", float(lams[runner_up]))
l2.glue("n_disagree", n10 + n01)
l2.claim(
    "paired_se_smaller",
    "Comparing λ* with the runner-up on the same dev set, the standard error of their paired "
    "difference is less than half the standard error of one dev error.",
    bool(paired_se < 0.5 * dev_se),
    paired_se=paired_se,
    dev_se=dev_se,
    n_disagree=n10 + n01,
)

# %% tags=["figure"]
from l2book import figures, plots

fig, ax = plots.subplots(width=6.4, height=4.0)
figures.train_dev_curves(ax, lams[1:], sweep.train_error[1:], sweep.dev_error[1:],
                         xlabel="λ (log scale)", ylabel="classification error", log_x=True,
                         best=best - 1)
ax.axhline(sweep.train_error[0], color=plots.COLORS["blue"], linestyle=":", linewidth=1,
           label="train, λ = 0")
ax.axhline(sweep.dev_error[0], color=plots.COLORS["vermillion"], linestyle=":", linewidth=1,
           label="dev, λ = 0")
ax.text(0.02, 0.4, "← high variance:\n    train ≪ dev", transform=ax.transAxes, fontsize=9)
ax.text(0.98, 0.4, "high bias:\nboth high →", transform=ax.transAxes, fontsize=9, ha="right")
ax.set_title("Train and dev error of one network per λ")
ax.legend(fontsize=8.5, loc="upper left")
l2.figure(
    "dev_sweep",
    fig,
    alt=(
        "Training error (solid blue) and dev error (dashed red) against λ on a log axis from 0.01 to "
        "10, with dotted lines at the λ = 0 values. The training error is near zero for small λ and "
        "climbs for large λ; the dev error starts above the training error, dips to a minimum for a "
        "middle λ, circled, and rises again where both curves meet at a high value."
    ),
    caption=(
        "A dev-set sweep: one network per $\\lambda$, all trained in one `l2.sweep_lambda` run. "
        "The circled point is the $\\lambda$ with the lowest dev error."
    ),
)
