"""The penalty's gradient has the sign of the weight
The gradient of λ/(2m)‖W‖_F² is (λ/m)W: negative where W is, so descent pulls every weight toward 0.
"""

# %% [markdown]
# The L2 penalty adds (λ/m)W[l] to ∂J/∂W[l]. We measure that term on a real network: the gradient
# with λ minus the gradient without it, entry by entry, next to the weights themselves.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
lam = l2.glue("lam", 0.7)
X, Y = l2.make_moons(200, noise=0.25, seed=seed)
m = X.shape[1]
net = l2.Network([2, 20, 20, 1], hidden="relu", seed=seed)

# %% tags=["penalty_gradient"]
with_l2 = net.gradients(X, Y, lam=lam)
without_l2 = net.gradients(X, Y, lam=0.0)
keys = [key for key in net.params if key.startswith("W")]
W = np.concatenate([net.params[key].ravel() for key in keys])
G = np.concatenate([(with_l2[key] - without_l2[key]).ravel() for key in keys])  # ∂(penalty)/∂W

# %% [markdown]
# Every entry of the penalty's gradient is (λ/m) times its weight, so it carries the weight's sign.

# %% tags=["count"]
n_weights = l2.glue("n_weights", W.size)
n_negative_W = l2.glue("n_negative_W", int(np.sum(W < 0)))
n_negative_G = l2.glue("n_negative_G", int(np.sum(G < 0)))
n_negative_G_where_W_negative = l2.glue("n_negative_G_where_W_negative", int(np.sum((G < 0) & (W < 0))))
max_diff = l2.glue("max_diff", float(np.max(np.abs(G - lam / m * W))))

# %%
l2.claim(
    "equals_lam_over_m_W",
    "The gradient of the penalty is (λ/m)W, entry by entry.",
    bool(max_diff < 1e-12),
    max_diff=max_diff,
    tolerance=1e-12,
)
l2.claim(
    "not_always_positive",
    "The penalty's gradient is negative for every negative weight, and for no other: it is not "
    "always positive.",
    bool(n_negative_W > 0 and n_negative_G_where_W_negative == n_negative_W == n_negative_G),
    n_weights=n_weights,
    n_negative_W=n_negative_W,
    n_negative_G=n_negative_G,
    n_negative_G_where_W_negative=n_negative_G_where_W_negative,
)

# %% [markdown]
# The step −η(λ/m)W therefore moves every weight toward zero, from either side: its magnitude
# shrinks and its sign is kept. The *whole* gradient ∂J/∂W also contains the data term ∂L/∂W,
# which can push a weight away from zero; we count how often a full gradient step does so.

# %% tags=["toward_zero"]
lr = l2.glue("lr", 0.5)
W_decayed = W - lr * G  # the penalty's part of one gradient step
toward_zero = bool(np.all(np.abs(W_decayed) < np.abs(W)) and np.all(np.sign(W_decayed) == np.sign(W)))
full_G = np.concatenate([with_l2[key].ravel() for key in keys])
W_full = W - lr * full_G
frac_full_toward_zero = l2.glue("frac_full_toward_zero", float(np.mean(np.abs(W_full) < np.abs(W))))

# %%
l2.claim(
    "pulls_toward_zero",
    "The penalty's part of a gradient step shrinks the magnitude of every weight and keeps its sign.",
    toward_zero,
    lr=lr,
    lam=lam,
    m=m,
)
l2.claim(
    "full_step_not_always_toward_zero",
    "The full gradient step, data term included, moves some weights away from zero.",
    bool(frac_full_toward_zero < 1.0),
    frac_full_toward_zero=frac_full_toward_zero,
)

# %% [markdown]
# Left: the penalty λ/(2m)w² of a single weight and its slope (λ/m)w; the descent direction −(λ/m)w
# points to 0 from both sides. Right: the network's weights against their penalty gradients.

# %% tags=["figure"]
from l2book import plots

fig, (ax_curve, ax_net) = plots.subplots(1, 2, width=8.0, height=3.6)
w = np.linspace(1.2 * W.min(), 1.2 * W.max(), 201)
ax_curve.plot(w, lam / (2 * m) * w**2, color=plots.COLORS["blue"], label=r"penalty $\frac{\lambda}{2m}w^2$")
ax_curve.plot(w, lam / m * w, color=plots.COLORS["vermillion"], label=r"gradient $\frac{\lambda}{m}w$")
ax_curve.axhline(0, color=plots.COLORS["grey"], linewidth=0.8)
ax_curve.axvline(0, color=plots.COLORS["grey"], linewidth=0.8)
for w0 in (0.8 * W.min(), 0.8 * W.max()):
    ax_curve.annotate(
        "", xy=(0.35 * w0, 0), xytext=(w0, 0),
        arrowprops={"arrowstyle": "->", "color": plots.COLORS["green"], "linewidth": 2},
    )
ax_curve.set_xlabel("weight $w$")
ax_curve.set_ylabel("value")
ax_curve.set_title("One weight: the step $-\\eta\\frac{\\lambda}{m}w$ points to 0")
ax_curve.legend(loc="upper center")

negative = W < 0
ax_net.scatter(W[negative], G[negative], s=12, color=plots.COLORS["vermillion"], label="$W_{ij} < 0$")
ax_net.scatter(W[~negative], G[~negative], s=12, color=plots.COLORS["blue"], label="$W_{ij} > 0$")
ax_net.axhline(0, color=plots.COLORS["grey"], linewidth=0.8)
ax_net.axvline(0, color=plots.COLORS["grey"], linewidth=0.8)
ax_net.set_xlabel("weight $W_{ij}$ (all layers)")
ax_net.set_ylabel("penalty gradient (with λ − without)")
ax_net.set_title(f"Network [2, 20, 20, 1]: {n_weights} weights")
ax_net.legend(loc="upper left")
l2.figure(
    "penalty_gradient",
    fig,
    alt=(
        "Left: the parabola λ/(2m)w² and its slope, the straight line (λ/m)w, which is negative for "
        "negative w; arrows from both sides point to w = 0. Right: scatter of every weight of a "
        "[2, 20, 20, 1] network against its penalty gradient; all points lie on one line through the "
        "origin, negative weights in the lower-left quadrant, positive ones in the upper right."
    ),
    caption=(
        "The penalty's gradient $(\\lambda/m)W$ has the sign of each weight (right: measured on a "
        "network, as the difference of the gradients with and without λ)."
    ),
)
