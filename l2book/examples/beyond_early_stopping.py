"""Early stopping is almost L2
Gradient descent from w = 0 passes close to the ridge path; stopping after t steps acts like λ ≈ m/(ηt).
"""

# %% [markdown]
# Least squares, J(w, b) = 1/(2m) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)², minimized by plain gradient descent
# from w = 0 with learning rate η, **without** any penalty. We record w after t steps and compare it
# with the ridge solutions ŵ(λ) of `l2.ridge_path`.
#
# Why they should be close: with the SVD X̃ᵀ = U D Vᵀ of the centered data, both keep the
# least-squares solution's component along the j-th principal direction, multiplied by
#
# * ridge: d_j²/(d_j² + λ),
# * gradient descent after t steps: 1 − (1 − ηd_j²/m)ᵗ ≈ 1 − exp(−ηt·d_j²/m).
#
# Both are ≈ 0 for directions with d_j² ≪ λ (resp. ≪ m/(ηt)) and ≈ 1 for the others, so
# λ ≈ m/(ηt): the m appears because the book's cost averages over examples.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
noise = l2.glue("noise", 0.4)
x, y = l2.make_polynomial_data(m=20, noise=noise, seed=seed)
x_dev, y_dev = l2.make_polynomial_data(m=500, noise=noise, seed=seed + 1)
degree = l2.glue("degree", 8)
scaler = l2.Standardizer.fit(l2.polynomial_features(x, degree))
X = scaler.transform(l2.polynomial_features(x, degree))
X_dev = scaler.transform(l2.polynomial_features(x_dev, degree))
m = l2.glue("m", X.shape[1])
d = l2.ridge_path(X, y, [0.0]).singular_values  # d_j of the centered X
lr = l2.glue("lr", float(m / d[0] ** 2))  # η = 1/(largest curvature d_1²/m): stable, fast

# %% [markdown]
# Goodfellow et al. (§7.8) compare gradient descent on any quadratic cost, with Hessian
# eigenvalues h_j, with the same cost plus (α/2)‖w‖²: the filters are 1 − (1 − ηh_j)ᵗ and
# h_j/(h_j + α), so α ≈ 1/(ηt). Nothing there assumes a summed cost. The book's averaged cost has
# h_j = d_j²/m, and its penalty λ/(2m)‖w‖² is (α/2)‖w‖² with α = λ/m.

# %% tags=["hessian"]
Xc = X - X.mean(axis=1, keepdims=True)
h = np.sort(np.linalg.eigvalsh(Xc @ Xc.T / m))[::-1]  # Hessian of J in w: X̃X̃ᵀ/m
lam_test = 0.3
hessian_gap = float(np.max(np.abs(h[: d.size] - d**2 / m)))
filter_form_gap = float(np.max(np.abs(
    l2.shrinkage_factors(X, lam_test) - h[: d.size] / (h[: d.size] + lam_test / m)
)))
l2.claim(
    "alpha_is_lambda_over_m",
    "The Hessian eigenvalues of the averaged cost are d_j²/m, and ridge's shrinkage factors are "
    "h_j/(h_j + α) with α = λ/m, the coefficient of ½‖w‖² in the book's cost.",
    bool(hessian_gap < 1e-10 and filter_form_gap < 1e-12),
    hessian_gap=hessian_gap,
    filter_form_gap=filter_form_gap,
)

# %% tags=["gd"]
steps = l2.glue("steps", 10_000)
record = np.unique(np.geomspace(1, steps, 120).astype(int))
recorded = set(record.tolist())
w, b = np.zeros(X.shape[0]), 0.0
W_gd = []
for t in range(1, steps + 1):
    r = w @ X + b - y[0]  # residuals ŷ − y
    w, b = w - lr * (X @ r) / m, b - lr * r.mean()  # ∂J/∂w = X r / m, ∂J/∂b = mean(r)
    if t in recorded:
        W_gd.append(w)
W_gd = np.array(W_gd)  # (T, n_x): w after each recorded step

# %% tags=["match"]
lams = np.geomspace(1e-6, 1e4, 2000)
path = l2.ridge_path(X, y, lams)
dist = np.linalg.norm(W_gd[:, None, :] - path.coefs[None, :, :], axis=2)  # (T, K)
best = dist.argmin(axis=1)  # the ridge solution nearest to w after t steps
nearest = dist[np.arange(record.size), best]
rel_dist = nearest / np.linalg.norm(W_gd, axis=1)  # relative to the iterate
w_lsq_norm = np.linalg.norm(path.coefs[0])  # ‖ŵ(λ_min)‖ ≈ ‖least squares‖: the problem's scale
lam_star = lams[best]
lam_rule = m / (lr * record)  # λ ≈ m/(ηt)

# %% [markdown]
# Once gradient descent has converged in every direction (ηt·d_min²/m ≫ 1) it sits at the
# least-squares solution and no longer moves along the path; we compare it with ridge while it is
# still moving, i.e. for m/(ηt) ≥ d_min².

# %%
moving = lam_rule >= d[-1] ** 2
max_rel_dist = l2.glue("max_rel_dist", float(rel_dist[moving].max()))
median_rel_dist = l2.glue("median_rel_dist", float(np.median(rel_dist[moving])))
max_dist_scale = l2.glue("max_dist_scale", float(nearest[moving].max() / w_lsq_norm))
ratio = lam_star[moving] / lam_rule[moving]  # λ*(t) · ηt/m
ratio_min = l2.glue("ratio_min", float(ratio.min()))
ratio_max = l2.glue("ratio_max", float(ratio.max()))
l2.claim(
    "gd_near_ridge_path",
    "At every recorded step the gradient-descent iterate is within 5% of ‖ŵ_LS‖ of the ridge path, "
    "and at the median step within 15% of its own length.",
    bool(max_dist_scale < 0.05 and median_rel_dist < 0.15),
    max_dist_scale=max_dist_scale,
    median_rel_dist=median_rel_dist,
    max_rel_dist=max_rel_dist,
)
l2.claim(
    "lambda_rule",
    "The λ of the nearest ridge solution stays between 0.4 and 1 times m/(ηt).",
    bool(0.4 <= ratio_min and ratio_max <= 1.0),
    ratio_min=ratio_min,
    ratio_max=ratio_max,
)

# %% [markdown]
# The filter functions themselves, with a = ηt·d²/m and λ = m/(ηt): ridge keeps a/(1 + a),
# gradient descent about 1 − e^(−a). Their largest gap is the price of the approximation.

# %% tags=["filters"]
a = np.geomspace(1e-3, 1e3, 2001)
filter_gap = l2.glue("filter_gap", float(np.max(np.abs((1 - np.exp(-a)) - a / (1 + a)))))

# %% [markdown]
# Used as regularizers, the two are tuned the same way: pick the step t (early stopping) or the λ
# with the lowest error on a dev set.

# %% tags=["dev"]
dev_gd = np.mean((W_gd @ X_dev + y.mean() - y_dev) ** 2, axis=1)  # b has converged to ȳ
dev_ridge = np.mean((path.predict(X_dev) - y_dev) ** 2, axis=1)
best_dev_gd = l2.glue("best_dev_gd", float(dev_gd.min()))
best_dev_ridge = l2.glue("best_dev_ridge", float(dev_ridge.min()))
best_t = l2.glue("best_t", int(record[dev_gd.argmin()]))
best_lam = l2.glue("best_lam", float(lams[dev_ridge.argmin()]))
best_t_as_lam = l2.glue("best_t_as_lam", float(m / (lr * best_t)))
dev_lsq = l2.glue("dev_lsq", float(dev_ridge[0]))

# %%
l2.claim(
    "same_best_dev_error",
    "The best early-stopping dev error and the best ridge dev error are within 10% of each other, "
    "and both are less than half the dev error of least squares.",
    bool(abs(best_dev_gd - best_dev_ridge) / min(best_dev_gd, best_dev_ridge) < 0.10
         and max(best_dev_gd, best_dev_ridge) < 0.5 * dev_lsq),
    best_dev_gd=best_dev_gd,
    best_dev_ridge=best_dev_ridge,
    dev_least_squares=dev_lsq,
)

# %% [markdown]
# A picture in two dimensions: two correlated features, so the path is curved.

# %% tags=["figure"]
from l2book import plots

rng = np.random.default_rng(seed)
turn = np.array([[1.0, -1.0], [1.0, 1.0]]) / np.sqrt(2)  # principal axes at 45°
X2 = turn @ np.diag([1.0, 0.15]) @ rng.standard_normal((2, 50))
y2 = (np.array([1.5, 0.0]) @ X2 + 0.3 * rng.standard_normal(50)).reshape(1, -1)
path2 = l2.ridge_path(X2, y2, np.geomspace(1e-4, 1e4, 600))
lr2 = 0.1 * 50 / path2.singular_values[0] ** 2
t2 = np.unique(np.geomspace(1, 20_000, 25).astype(int))
recorded2 = set(t2.tolist())
X2c, y2c = X2 - X2.mean(axis=1, keepdims=True), y2[0] - y2.mean()
w2, traj2 = np.zeros(2), []
for t in range(1, t2[-1] + 1):
    w2 = w2 - lr2 * X2c @ (w2 @ X2c - y2c) / 50
    if t in recorded2:
        traj2.append(w2)
traj2 = np.array(traj2)
matched2 = l2.ridge_path(X2, y2, 50 / (lr2 * t2)).coefs  # ridge with λ = m/(ηt)

fig, (ax_plane, ax_lam, ax_dev) = plots.subplots(1, 3, width=10.0, height=3.5)
ax_plane.plot(*path2.coefs.T, color=plots.COLORS["blue"], label="ridge path ŵ(λ); grey: λ = m/(ηt)")
for w_t, w_lam in zip(traj2, matched2, strict=True):
    ax_plane.plot(*np.column_stack([w_t, w_lam]), color=plots.COLORS["grey"], linewidth=0.6)
ax_plane.plot(*traj2.T, linestyle="none", marker="o", markersize=3,
              color=plots.COLORS["vermillion"], label="gradient descent after $t$ steps")
ax_plane.plot(0, 0, marker="+", color=plots.COLORS["black"], markersize=10, linestyle="none")
ax_plane.set_xlabel("$w_1$")
ax_plane.set_ylabel("$w_2$")
ax_plane.set_title("Two weights: GD follows the path")
ax_plane.legend(loc="lower right", fontsize=8)

ax_lam.loglog(record[moving], lam_star[moving], color=plots.COLORS["blue"], label="λ of nearest ridge fit")
ax_lam.loglog(record[moving], lam_rule[moving], color=plots.COLORS["orange"], linestyle="--",
              label="$m/(\\eta t)$")
ax_lam.set_xlabel("gradient-descent step $t$")
ax_lam.set_ylabel("λ")
ax_lam.set_title(f"Degree-{degree} polynomial, m = {m}")
ax_lam.legend(loc="lower left", fontsize=8)

ax_dev.semilogx(lams, dev_ridge, color=plots.COLORS["blue"], label="ridge, against λ")
ax_dev.semilogx(lam_rule, dev_gd, color=plots.COLORS["vermillion"], linestyle="--",
                label="GD, against $m/(\\eta t)$")
ax_dev.set_xlim(1e-4, 1e3)
ax_dev.set_ylim(0.9 * min(best_dev_gd, best_dev_ridge), 2.5 * max(best_dev_gd, best_dev_ridge))
ax_dev.set_xlabel("λ  (or $m/(\\eta t)$)")
ax_dev.set_ylabel("dev mean squared error")
ax_dev.set_title("Same U-shaped dev curve")
ax_dev.legend(loc="upper left", fontsize=8)
l2.figure(
    "early_stopping_vs_ridge",
    fig,
    alt=(
        "Left: in the plane of two weights, the dots of the gradient-descent trajectory from the "
        "origin follow the curved ridge path, overshooting it slightly at the bend; grey segments join "
        "each dot to the ridge solution with λ = m/(ηt). Middle: log-log plot of the λ of the nearest ridge "
        "solution against the step t, a falling line that runs parallel to and just below the "
        "dashed line m/(ηt). Right: dev error of ridge against λ and of gradient descent against "
        "m/(ηt); the two U-shaped curves nearly coincide."
    ),
    caption=(
        "Gradient descent without a penalty, stopped after $t$ steps, behaves like ridge with "
        "$\\lambda \\approx m/(\\eta t)$."
    ),
)
