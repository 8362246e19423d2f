"""Weight norm against λ
The larger λ, the smaller the trained network's squared weight norm Σ_l ‖W[l]‖_F², over three decades of λ.
"""

# %% [markdown]
# The [2, 25, 25, 1] relu network on the two-moons data, trained for 11 values of λ (0 and 10
# values from 0.01 to 10) in one `l2.sweep_lambda` run, from the same initial weights. We read
# the Frobenius norm of every trained weight matrix.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)

# %% tags=["sweep"]
lams = np.concatenate([[0.0], np.geomspace(0.01, 10, 10)])
sweep = l2.sweep_lambda(
    [2, 25, 25, 1], split.X_train, split.Y_train, lams,
    optimizer=l2.Adam(0.01), epochs=1000, seed=seed, record_every=1000,
)
norms = sweep.weight_norms  # ‖W[l]‖_F, shape (11, 3)
total = (norms**2).sum(axis=1)  # Σ_l ‖W[l]‖_F²

# %%
l2.glue("lams", lams)
l2.glue("total_sq_norm", total)
l2.glue("total_lam0", float(total[0]))
l2.glue("total_largest", float(total[-1]))
l2.glue("ratio_lam0_largest", float(total[0] / total[-1]))
layer_increases = int(np.sum(np.diff(norms, axis=0) > 0))
l2.glue("layer_increases", layer_increases)
l2.claim(
    "total_norm_decreases",
    "The squared weight norm Σ_l ‖W[l]‖_F² of the trained network decreases strictly at every "
    "step up the λ grid.",
    bool(np.all(np.diff(total) < 0)),
    total=total,
)

# %% [markdown]
# For exact minimizers this is a theorem, not luck: if w₁ minimizes L + λ₁R and w₂ minimizes
# L + λ₂R with λ₁ < λ₂ (R = the squared norm), adding the two inequalities
# L(w₁) + λ₁R(w₁) ≤ L(w₂) + λ₁R(w₂) and L(w₂) + λ₂R(w₂) ≤ L(w₁) + λ₂R(w₁) gives
# (λ₂ − λ₁)(R(w₁) − R(w₂)) ≥ 0. The network is trained by a finite number of Adam steps, not
# solved exactly, so here it is a measurement. The norm of a single layer carries no such
# guarantee; `layer_increases` counts the steps up the grid where one layer's norm grew.

# %% [markdown]
# **Balanced layers.** A relu network computes the same function if layer l's weights and bias are
# multiplied by c > 0 and the next layer's weights divided by c (relu(cz) = c·relu(z)). Among all
# these rescalings the penalty Σ_l ‖W[l]‖_F² is smallest when every layer has the same norm, so a
# well-trained regularized relu network ends up with balanced layers. At the largest λ we compare
# the three norms.

# %% tags=["balance"]
spread = float(norms[-1].max() / norms[-1].min() - 1)  # relative spread of ‖W[1]‖, ‖W[2]‖, ‖W[3]‖
l2.glue("layer_norms_largest", norms[-1])
l2.glue("spread_largest", spread)
spread_lam0 = l2.glue("spread_lam0", float(norms[0].max() / norms[0].min() - 1))
l2.claim(
    "layers_balanced",
    "At the largest λ the three layer norms agree to within 1%, while at λ = 0 they differ by more "
    "than 50%.",
    bool(spread < 0.01 and spread_lam0 > 0.5),
    spread_largest=spread,
    spread_lam0=spread_lam0,
)

# %% tags=["figure"]
from l2book import plots

fig, ax = plots.subplots(width=6.4, height=4.0)
colors = [plots.COLORS[c] for c in ("blue", "orange", "green")]
for l, color in enumerate(colors, start=1):
    ax.plot(lams[1:], norms[1:, l - 1] ** 2, marker="o", markersize=4, color=color,
            label=f"$\\|W^{{[{l}]}}\\|_F^2$")
    ax.axhline(norms[0, l - 1] ** 2, color=color, linestyle=":", linewidth=1)
ax.plot(lams[1:], total[1:], marker="s", color=plots.COLORS["black"],
        label="$\\sum_l \\|W^{[l]}\\|_F^2$")
ax.axhline(total[0], color=plots.COLORS["black"], linestyle=":", linewidth=1,
           label="dotted: the same at $\\lambda = 0$")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("$\\lambda$ (log scale)")
ax.set_ylabel("squared Frobenius norm (log scale)")
ax.set_title("Trained weights shrink as $\\lambda$ grows")
ax.legend(fontsize=8.5, loc="lower left")
l2.figure(
    "weight_norms",
    fig,
    alt=(
        "Log-log plot of the squared Frobenius norm of each of the three weight matrices, and of "
        "their sum (black squares), against λ from 0.01 to 10. The sum falls steadily from about the "
        "level of the unregularized network (dotted line) by more than two orders of magnitude; the "
        "per-layer curves fall too, with small wiggles."
    ),
    caption=(
        "Squared weight norms of the trained [2, 25, 25, 1] network for 10 values of $\\lambda$; "
        "dotted lines: the same network trained with $\\lambda = 0$."
    ),
)
