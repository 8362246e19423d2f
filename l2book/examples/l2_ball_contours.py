"""Loss contours and the L2 ball
Two weights: the ridge optimum is where a loss contour touches a circle ‖w‖ = t; it slides to 0 as λ grows.
"""

# %% [markdown]
# Linear regression with two correlated features, so that the data loss
# L(w) = 1/(2m) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² can be drawn over the plane of (w₁, w₂). For every λ the
# ridge solution ŵ(λ) minimizes L(w) + λ/(2m)‖w‖²; :func:`l2book.ridge_path` gives all of them
# from one SVD. The intercept b is not penalized: centering the data removes it.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
m = l2.glue("m", 40)
rho = l2.glue("rho", 0.85)  # correlation of the two features
X = np.linalg.cholesky(np.array([[1.0, rho], [rho, 1.0]])) @ rng.standard_normal((2, m))
w_true = np.array([2.0, -0.5])
y = (w_true @ X + 0.8 * rng.standard_normal(m)).reshape(1, -1)

# %% tags=["path"]
lams = np.geomspace(1e-2, 1e4, 400)
path = l2.ridge_path(X, y, lams)  # path.coefs[k] = ŵ(λ_k), shape (400, 2)
norms = np.linalg.norm(path.coefs, axis=1)

# %%
Xc, yc = X - X.mean(axis=1, keepdims=True), y[0] - y.mean()


def data_loss(w: np.ndarray) -> np.ndarray:
    """L(w) = 1/(2m) Σ_i (wᵀx̃⁽ⁱ⁾ − ỹ⁽ⁱ⁾)² for w of shape (..., 2), b at its optimum."""
    return 0.5 * np.mean((w @ Xc - yc) ** 2, axis=-1)


w_ls = l2.ridge(X, y, 0.0).w  # least squares, λ = 0
l2.glue("w_ls", w_ls.round(3))
w_path_end = l2.glue("w_path_end", path.coefs[-1].round(4))

# %% [markdown]
# **The norm shrinks, a coordinate need not.** Along the path ‖ŵ(λ)‖ decreases. The coordinates
# are a different story: with correlated features one of them can grow, even change sign, before
# everything goes to 0.

# %%
monotone = bool(np.all(np.diff(norms) < 0))
l2.claim(
    "norm_decreases",
    "The norm ‖ŵ(λ)‖ of the ridge solution decreases strictly as λ grows.",
    monotone,
    n_lams=lams.size,
    norm_first=norms[0],
    norm_last=norms[-1],
)
w2 = path.coefs[:, 1]
sign_change = bool(np.any(np.sign(w2[1:]) != np.sign(w2[:-1])))
l2.glue("w2_max", float(w2.max()))
l2.claim(
    "coordinate_changes_sign",
    "The second coordinate of ŵ(λ) changes sign along the path: shrinking the norm does not "
    "shrink every coordinate.",
    sign_change,
    w2_first=w2[0],
    w2_max=w2.max(),
)

# %% [markdown]
# **Tangency.** Minimizing L(w) subject to ‖w‖ ≤ t gives the same point as the penalty with the
# λ for which ‖ŵ(λ)‖ = t. We check it on three λ: search the circle ‖w‖ = ‖ŵ(λ)‖ at 7200
# angles for its lowest data loss, and compare the gradient ∇L(ŵ) with −(λ/m)ŵ (they must be
# equal, which is what makes the contour tangent to the circle).

# %% tags=["tangency"]
shown_lams = l2.glue("shown_lams", [3.0, 15.0, 60.0])
angles = np.linspace(0.0, 2 * np.pi, 7200, endpoint=False)
circle = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # unit circle, shape (7200, 2)
gaps, grad_errors = [], []
for lam in shown_lams:
    w_hat = l2.ridge(X, y, lam).w
    t = np.linalg.norm(w_hat)
    best_on_circle = t * circle[np.argmin(data_loss(t * circle))]
    gaps.append(np.linalg.norm(best_on_circle - w_hat))  # within the angular grid step
    grad_L = (w_hat @ Xc - yc) @ Xc.T / m  # ∇L(ŵ)
    grad_errors.append(np.max(np.abs(grad_L + lam / m * w_hat)))
grid_step = 2 * np.pi / angles.size * norms[0]

# %%
l2.claim(
    "constrained_equals_penalized",
    "On the circle ‖w‖ = ‖ŵ(λ)‖ the data loss is lowest at ŵ(λ) (to within the angular grid step).",
    bool(max(gaps) <= grid_step),
    max_gap=max(gaps),
    grid_step=grid_step,
)
l2.claim(
    "gradient_balance",
    "At ŵ(λ) the data-loss gradient equals −(λ/m)ŵ: the contour is tangent to the circle.",
    bool(max(grad_errors) < 1e-12),
    max_error=max(grad_errors),
    tolerance=1e-12,
)

# %% tags=["figure"]
from l2book import plots

lim = 1.25 * np.abs(w_ls).max()
g = np.linspace(-lim, lim, 241)
W1, W2 = np.meshgrid(g, g)
L = data_loss(np.stack([W1.ravel(), W2.ravel()], axis=1)).reshape(W1.shape)
L_min = data_loss(w_ls)
levels = L_min + (L.max() - L_min) * np.geomspace(1e-3, 0.6, 12)

fig, ax = plots.subplots(width=6.0, height=5.6)
ax.contour(W1, W2, L, levels=levels, colors=plots.COLORS["grey"], linewidths=0.8)
ax.plot(path.coefs[:, 0], path.coefs[:, 1], color=plots.COLORS["blue"], linewidth=2.2,
        label=r"path of $\hat w(\lambda)$, $\lambda$ from $10^{-2}$ to $10^{4}$")
colors = [plots.COLORS[c] for c in ("orange", "green", "vermillion")]
for lam, color in zip(shown_lams, colors, strict=True):
    w_hat = l2.ridge(X, y, lam).w
    t = np.linalg.norm(w_hat)
    ax.plot(t * circle[:, 0], t * circle[:, 1], color=color, linewidth=1.4)
    ax.contour(W1, W2, L, levels=[data_loss(w_hat)], colors=[color], linewidths=1.4, linestyles="--")
    ax.plot(*w_hat, "o", color=color, markersize=7, label=rf"$\lambda = {lam:g}$: ball $\|w\| \leq {t:.2f}$")
ax.plot(*w_ls, "*", color=plots.COLORS["black"], markersize=12, label=r"least squares ($\lambda = 0$)")
ax.plot(0, 0, "+", color=plots.COLORS["black"], markersize=12)
ax.set_aspect("equal")
ax.set_xlim(-lim, lim)
ax.set_ylim(-lim, lim)
ax.set_xlabel("$w_1$")
ax.set_ylabel("$w_2$")
ax.set_title("Data-loss contours, L2 balls and the ridge path")
ax.legend(loc="lower left", fontsize=8.5)
l2.figure(
    "contours",
    fig,
    alt=(
        "Elliptical grey contours of the data loss in the (w1, w2) plane, centred on the "
        "least-squares point marked by a star. A blue curve runs from the star to the origin: the "
        "ridge solution for λ from 0.01 to 10000. Three circles centred on the origin (λ = 3, 15, 60) "
        "each touch a dashed contour of the same colour at exactly one point, a dot on the blue curve."
    ),
    caption=(
        "Computed, not sketched: each dot is $\\hat w(\\lambda)$, where a contour of the data loss "
        "(dashed) touches the ball $\\|w\\| \\le t$ (solid circle). As $\\lambda$ grows the ball "
        "shrinks and the optimum slides along the blue path into the origin."
    ),
)
