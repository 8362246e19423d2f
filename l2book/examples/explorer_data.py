"""Data for the λ explorer
Trains one network per λ on noisy moons and packs boundaries, errors and weight norms for the explorer.
"""

# %% [markdown]
# The λ explorer page lets the reader slide through λ and watch the decision boundary, the train
# and dev error and the weight norm of each layer change. Nothing is trained in the browser:
# this example trains every network at build time and publishes one compact JSON payload that the
# page embeds; a small script draws it.
#
# Data: noisy two-moons, 160 training points and 480 dev points. The networks are those of the
# chapter on choosing λ (same data, same [2, 25, 25, 1] relu network, same Adam steps). The grid
# is twice as fine as the chapter's (λ = 0 and nineteen values spaced evenly on a log scale, every
# other one the chapter's), so the explorer's best λ on the chapter's grid is the chapter's.

# %% tags=["data"]
import base64
import json

import numpy as np

import l2book as l2
from l2book import figures

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)
layer_sizes = [2, 25, 25, 1]
lams = np.concatenate([[0.0], np.geomspace(0.01, 10, 19)])
on_chapter_grid = np.r_[True, np.arange(19) % 2 == 0]  # λ = 0 and every other value
l2.glue("n_lams", lams.size)
l2.glue("lam_min", float(lams[1]))
l2.glue("lam_max", float(lams[-1]))
l2.glue("m_train", split.X_train.shape[1])
m_dev = l2.glue("m_dev", split.X_dev.shape[1])
layer_sizes = l2.glue("layer_sizes", layer_sizes)

# %% [markdown]
# All the networks start from the same weights and take the same Adam steps; `l2.sweep_lambda`
# trains them together, stacked along a leading axis.

# %% tags=["sweep"]
epochs = l2.glue("epochs", 1000)
sweep = l2.sweep_lambda(
    layer_sizes, split.X_train, split.Y_train, lams,
    optimizer=l2.Adam(0.01), epochs=epochs, seed=seed,
    X_dev=split.X_dev, Y_dev=split.Y_dev, record_every=epochs,
)
train_error, dev_error = sweep.train_error, sweep.dev_error
weight_norms = sweep.weight_norms  # (K, L): ‖W[l]‖_F of each network and layer

# %% [markdown]
# For each network, ŷ on a 64 × 64 grid over the plane, rounded to a byte (0 ↔ ŷ = 0, 255 ↔ ŷ = 1):
# enough for the page to shade the plane and trace the boundary ŷ = ½ by interpolation.

# %% tags=["grids"]
resolution = 64
extent = figures.data_extent(split.X_train)
grids = []
for k in range(lams.size):
    _, _, proba = figures.probability_grid(sweep.network(k), extent, resolution=resolution)
    grids.append(base64.b64encode(np.round(proba * 255).astype(np.uint8).tobytes()).decode("ascii"))

# %% tags=["payload"]
payload = {
    "lams": [float(f"{lam:.6g}") for lam in lams],
    "train_error": [round(float(e), 6) for e in train_error],
    "dev_error": [round(float(e), 6) for e in dev_error],
    "weight_norms": [[round(float(w), 5) for w in row] for row in weight_norms],
    "layer_sizes": layer_sizes,
    "extent": [round(e, 6) for e in extent],
    "resolution": resolution,
    "proba": grids,  # row r = x2 from bottom to top, column c = x1 from left to right
    "points": {
        "x1": [round(float(a), 4) for a in split.X_train[0]],
        "x2": [round(float(a), 4) for a in split.X_train[1]],
        "y": [int(a) for a in split.Y_train[0]],
    },
}
text = json.dumps(payload, separators=(",", ":"), sort_keys=True)
l2.glue("payload", text)
payload_kb = l2.glue("payload_kb", round(len(text) / 1024, 1))

# %% [markdown]
# The numbers the page quotes, and what it relies on.

# %% tags=["summary"]
# On the chapter's grid, with its tie rule (the largest λ), the explorer names the chapter's λ*.
chapter = np.flatnonzero(on_chapter_grid)
best = int(chapter[l2.best_lambda_index(lams[chapter], dev_error[chapter])])
finest = l2.best_lambda_index(lams, dev_error)  # on the whole, finer grid
l2.glue("finest_lam", float(lams[finest]))
l2.glue("finest_dev_error", float(dev_error[finest]))
fewer = l2.glue("finest_fewer_errors", int(round((dev_error[best] - dev_error[finest]) * m_dev)))
l2.claim(
    "finer_grid_gains_little",
    "The finer grid's lowest dev error beats the chapter grid's best by at most 1 % of the dev "
    "set.",
    0 <= fewer <= 0.01 * m_dev,
    fewer_errors=fewer,
    m_dev=m_dev,
)
l2.glue("best_lam", float(lams[best]))
l2.glue("best_dev_error", float(dev_error[best]))
l2.glue("best_train_error", float(train_error[best]))
l2.glue("train_error_lam0", float(train_error[0]))
l2.glue("dev_error_lam0", float(dev_error[0]))
l2.glue("train_error_largest", float(train_error[-1]))
l2.glue("dev_error_largest", float(dev_error[-1]))
total_norm = np.sqrt((weight_norms**2).sum(axis=1))  # √(Σ_l ‖W[l]‖_F²)
l2.glue("norm_lam0", float(total_norm[0]))
l2.glue("norm_largest", float(total_norm[-1]))

l2.claim(
    "lam0_overfits",
    "With λ = 0 the gap between dev and training error is larger than at the best λ.",
    bool(dev_error[0] - train_error[0] > dev_error[best] - train_error[best]),
    gap_lam0=float(dev_error[0] - train_error[0]),
    gap_best=float(dev_error[best] - train_error[best]),
)
l2.claim(
    "best_inside",
    "The lowest dev error is reached at a λ strictly between 0 and the largest λ of the grid.",
    bool(0 < best < lams.size - 1),
    best_lam=float(lams[best]),
)
l2.claim(
    "largest_underfits",
    "The largest λ has higher training and dev errors than the best λ.",
    bool(train_error[-1] > train_error[best] and dev_error[-1] > dev_error[best]),
    train_error_largest=float(train_error[-1]),
    dev_error_largest=float(dev_error[-1]),
)
shrinks = np.diff(total_norm)
l2.claim(
    "norms_shrink",
    "The total weight norm decreases at every step up the λ grid.",
    bool(np.all(shrinks < 0)),
    largest_increase=float(shrinks.max()),
)

# %% [markdown]
# A static summary for readers without JavaScript (and for the notebook): errors and per-layer
# weight norms against λ. λ = 0 cannot sit on a log axis; its values are the dashed lines.

# %% tags=["figure"]
from l2book import plots

fig, (ax_err, ax_norm) = plots.subplots(1, 2, width=8.0, height=3.4)
positive = lams > 0
figures.train_dev_curves(ax_err, lams[positive], train_error[positive], dev_error[positive],
                         xlabel="λ", ylabel="classification error", log_x=True, markers=False,
                         best=best - 1)
ax_err.axhline(train_error[0], color=plots.COLORS["blue"], linestyle="--", linewidth=1)
ax_err.axhline(dev_error[0], color=plots.COLORS["orange"], linestyle="--", linewidth=1)
colors = [plots.COLORS[c] for c in ("blue", "green", "vermillion")]
for l in range(weight_norms.shape[1]):
    ax_norm.plot(lams[positive], weight_norms[positive, l], color=colors[l % 3],
                 label=f"$\\|W^{{[{l + 1}]}}\\|_F$ ({layer_sizes[l + 1]}×{layer_sizes[l]})")
    ax_norm.axhline(weight_norms[0, l], color=colors[l % 3], linestyle="--", linewidth=1)
ax_norm.set_xscale("log")
ax_norm.set_xlabel("λ")
ax_norm.set_ylabel("Frobenius norm")
ax_norm.legend(loc="upper right", fontsize=8)
l2.figure(
    "summary",
    fig,
    alt=(
        f"Two panels against λ on a log axis from {lams[1]:.2g} to {lams[-1]:.3g}. Left: training "
        f"error rises from {train_error[1]:.0%} to {train_error[-1]:.0%}; dev error is lowest, "
        f"{dev_error[best]:.0%}, at λ ≈ {lams[best]:.2g}. Right: the Frobenius norm of each of the "
        "three weight matrices falls as λ grows. Dashed lines: the values at λ = 0."
    ),
    caption=(
        "What the explorer shows, all at once: train and dev error (left) and the norm of each "
        "layer's weights (right) against $\\lambda$; dashed lines mark $\\lambda = 0$."
    ),
)
