"""Learning curves with and without L2
Train and dev error against the training-set size, for λ = 0 and for the λ the dev set prefers.
"""

# %% [markdown]
# A learning curve trains the same model on growing prefixes of the training set and plots the
# training and dev errors against the size m. The gap between the two curves is the variance;
# where the dev curve levels off is the bias. We draw it for the [2, 25, 25, 1] relu network on
# the two-moons data, for λ = 0 and for a good λ.
#
# At each size a small sweep over λ ∈ {0, 0.1, 0.3, 1, 3} runs in one vectorized
# `l2.sweep_lambda` call; the "good λ" is the one with the lowest dev error at the full size.
# Since the penalty is λ/(2m)‖W‖², the same λ regularizes a small training set more strongly.

# %% tags=["data"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)

# %% tags=["curves"]
sizes = np.array([20, 40, 80, 160])
lams = np.array([0.0, 0.1, 0.3, 1.0, 3.0])
train_error = np.empty((sizes.size, lams.size))
dev_error = np.empty((sizes.size, lams.size))
for i, n in enumerate(sizes):  # the split is shuffled, so every prefix is a random sample
    sweep = l2.sweep_lambda(
        [2, 25, 25, 1], split.X_train[:, :n], split.Y_train[:, :n], lams,
        optimizer=l2.Adam(0.01), epochs=1000, seed=seed,
        X_dev=split.X_dev, Y_dev=split.Y_dev, record_every=1000,
    )
    train_error[i], dev_error[i] = sweep.train_error, sweep.dev_error
good = l2.best_lambda_index(lams, dev_error[-1])  # chosen on the dev set at the full size
good_lam = float(lams[good])

# %%
l2.glue("sizes", sizes)
l2.glue("good_lam", good_lam)
gap0 = dev_error[:, 0] - train_error[:, 0]  # variance proxy, λ = 0
gap_good = dev_error[:, good] - train_error[:, good]
l2.glue("gap_lam0", gap0)
l2.glue("gap_good", gap_good)
l2.glue("dev_lam0_smallest", float(dev_error[0, 0]))
l2.glue("dev_good_smallest", float(dev_error[0, good]))
l2.glue("dev_lam0_full", float(dev_error[-1, 0]))
l2.glue("dev_good_full", float(dev_error[-1, good]))
train_lam0_max = l2.glue("train_lam0_max", float(train_error[:, 0].max()))

# %%
l2.claim(
    "good_lam_positive",
    "At the full training-set size the dev set prefers a λ > 0.",
    bool(good_lam > 0),
    good_lam=good_lam,
    dev_error_full=dev_error[-1],
)
l2.claim(
    "lam0_memorizes",
    "Without regularization the training error stays below 5% at every size while the dev error "
    "is more than 10 points higher: high variance.",
    bool(train_error[:, 0].max() < 0.05 and gap0.min() > 0.10),
    train_error_lam0=train_error[:, 0],
    gap_lam0=gap0,
)
l2.claim(
    "smaller_gap_with_l2",
    "At every training-set size the train–dev gap is smaller with the good λ than with λ = 0.",
    bool(np.all(gap_good < gap0)),
    gap_lam0=gap0,
    gap_good=gap_good,
)
l2.claim(
    "more_data_helps_lam0",
    "For λ = 0 the dev error at the full size is lower than at the smallest size: more data "
    "is the other cure for variance.",
    bool(dev_error[-1, 0] < dev_error[0, 0]),
    dev_lam0_smallest=float(dev_error[0, 0]),
    dev_lam0_full=float(dev_error[-1, 0]),
)

# %% tags=["figure"]
from l2book import plots

fig, axes = plots.subplots(1, 2, width=9.0, height=3.8, sharey=True)
for ax, j, title in ((axes[0], 0, "λ = 0"), (axes[1], good, f"λ = {good_lam:g} (best on dev)")):
    ax.plot(sizes, train_error[:, j], marker="o", color=plots.COLORS["blue"], label="train")
    ax.plot(sizes, dev_error[:, j], marker="s", linestyle="--", color=plots.COLORS["vermillion"],
            label="dev")
    ax.fill_between(sizes, train_error[:, j], dev_error[:, j], color=plots.COLORS["grey"],
                    alpha=0.15, label="gap (variance)")
    ax.set_xlabel("training-set size m")
    ax.set_title(title)
    ax.legend(fontsize=8.5, loc="upper right")
axes[0].set_ylabel("classification error")
l2.figure(
    "learning_curves",
    fig,
    alt=(
        "Two panels of training error (blue, solid) and dev error (red, dashed) against the "
        "training-set size from 20 to 160, with the gap between them shaded. Left, λ = 0: the "
        "training error stays at zero while the dev error starts high and falls slowly, leaving "
        "a wide gap. Right, the λ preferred by the dev set: the training error is a few percent "
        "and the dev error lies close above it, a narrow gap at every size."
    ),
    caption=(
        "Learning curves of a [2, 25, 25, 1] network. L2 narrows the train–dev gap at every "
        "size; without it only more data does."
    ),
)
