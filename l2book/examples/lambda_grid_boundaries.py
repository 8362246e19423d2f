"""Decision boundaries across λ
One network per λ, trained in one vectorized sweep: from islands around single points to a curve to a line.
"""

# %% [markdown]
# Noisy two-moons data: 160 training points, 480 dev points. The same [2, 25, 25, 1] relu network
# (same initial weights, same Adam steps) is trained for six values of λ at once by
# `l2.sweep_lambda`, which stacks the six networks along a leading axis.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)
m_train = l2.glue("m_train", split.X_train.shape[1])
m_dev = l2.glue("m_dev", split.X_dev.shape[1])

# %% tags=["sweep"]
lams = np.array([0.0, 0.03, 0.3, 1.0, 3.0, 10.0])
sweep = l2.sweep_lambda(
    [2, 25, 25, 1], split.X_train, split.Y_train, lams,
    optimizer=l2.Adam(0.01), epochs=1000, seed=seed,
    X_dev=split.X_dev, Y_dev=split.Y_dev, record_every=1000,
)
train_error, dev_error = sweep.train_error, sweep.dev_error

# %%
l2.glue("lams", lams)
l2.glue("train_error", train_error)
l2.glue("dev_error", dev_error)
l2.glue("train_error_lam0", float(train_error[0]))
l2.glue("dev_error_lam0", float(dev_error[0]))
best = l2.best_lambda_index(lams, dev_error)
l2.glue("best_lam", float(lams[best]))
l2.glue("best_dev_error", float(dev_error[best]))
l2.glue("train_error_largest", float(train_error[-1]))
dev_error_largest = l2.glue("dev_error_largest", float(dev_error[-1]))

# %% [markdown]
# Without the penalty the network fits the training set (almost) perfectly and does worse on
# the dev set than a moderately regularized one; a very large λ underfits: it is worse on both.

# %%
l2.claim(
    "lam0_overfits",
    "With λ = 0 the training error is below the dev error by more than with the best λ: "
    "the gap is variance.",
    bool(dev_error[0] - train_error[0] > dev_error[best] - train_error[best]),
    gap_lam0=float(dev_error[0] - train_error[0]),
    gap_best=float(dev_error[best] - train_error[best]),
)
l2.claim(
    "middle_lam_best",
    "The lowest dev error is reached at a λ strictly between 0 and the largest λ tried.",
    bool(0 < best < lams.size - 1),
    best_lam=float(lams[best]),
)
l2.claim(
    "large_lam_underfits",
    "The largest λ has a higher training error and a higher dev error than the best λ.",
    bool(train_error[-1] > train_error[best] and dev_error[-1] > dev_error[best]),
    train_error_largest=float(train_error[-1]),
    dev_error_largest=float(dev_error[-1]),
    train_error_best=float(train_error[best]),
    dev_error_best=float(dev_error[best]),
)

# %% [markdown]
# How complicated is a boundary? We count the separate regions into which the predicted label
# 1{ŷ > ½} cuts the plotted rectangle (on a 150 × 150 grid): 2 for a single curve that crosses it,
# more for every island.

# %% tags=["regions"]
from l2book import figures


def count_regions(labels: np.ndarray) -> int:
    """Number of 4-connected regions of equal label in a 2-D grid (vectorized union-find)."""
    idx = np.arange(labels.size).reshape(labels.shape)
    pairs = [(idx[:, :-1], idx[:, 1:], labels[:, :-1] == labels[:, 1:]),
             (idx[:-1, :], idx[1:, :], labels[:-1, :] == labels[1:, :])]
    i = np.concatenate([a[same] for a, _, same in pairs])
    j = np.concatenate([b[same] for _, b, same in pairs])
    parent = np.arange(labels.size)
    while True:
        before = parent.copy()
        low = np.minimum(parent[i], parent[j])
        np.minimum.at(parent, parent[i], low)  # link the two roots of every same-label edge
        np.minimum.at(parent, parent[j], low)
        while not np.array_equal(parent[parent], parent):  # point every cell at its root
            parent = parent[parent]
        if np.array_equal(parent, before):
            return int(np.sum(parent == np.arange(labels.size)))


extent = figures.data_extent(split.X_train)
regions = []
for k in range(lams.size):
    _, _, proba = figures.probability_grid(sweep.network(k), extent, resolution=150)
    regions.append(count_regions(proba > 0.5))
l2.glue("regions", regions)
l2.glue("regions_lam0", regions[0])
l2.glue("regions_best", regions[best])
l2.claim(
    "fewer_regions",
    "The best λ cuts the plane into fewer regions than λ = 0 (islands disappear).",
    bool(regions[best] < regions[0]),
    regions_lam0=regions[0],
    regions_best=regions[best],
)

# %% tags=["figure"]
from l2book import plots

fig, axes = plots.subplots(2, 3, width=8.4, height=6.2, sharex=True, sharey=True)
for k, ax in enumerate(axes.ravel()):
    figures.decision_boundary(
        ax, sweep.network(k), split.X_train, split.Y_train, extent=extent, legend=False,
        resolution=150,
        title=f"λ = {lams[k]:g}: train {train_error[k]:.0%}, dev {dev_error[k]:.0%}",
    )
    if k % 3:
        ax.set_ylabel("")
    if k < 3:
        ax.set_xlabel("")
handles, labels = axes[0, 0].get_legend_handles_labels()
fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize=9)
l2.figure(
    "boundaries",
    fig,
    alt=(
        "Six panels of the same 160 training points of two noisy interleaved moons, each with the "
        "decision boundary of a network trained with a different λ (0, 0.03, 0.3, 1, 3, 10). For "
        "the smallest λ the boundary is jagged, with small islands around single points; as λ "
        "grows it becomes a simpler curve between the moons, and for the largest λ it is almost "
        "a straight line that misclassifies the tips of the moons. Each title gives the training "
        "and dev error."
    ),
    caption=(
        "The decision boundary $\\hat y = \\frac{1}{2}$ of a [2, 25, 25, 1] network for six values "
        "of $\\lambda$, all trained in one `l2.sweep_lambda` run. Titles: training and dev "
        "classification error."
    ),
)
