"""The local quadratic view
Near a minimum w* of any model, L2 scales w*'s part along each Hessian eigenvector by h_j/(h_j + λ/m).

Goodfellow et al. (§7.1.1) approximate the unregularized cost near its minimum w* by
J(w*) + ½(w − w*)ᵀH(w − w*). Adding (α/2)‖w‖² moves the minimum to w̃ = Q(Λ + αI)⁻¹ΛQᵀw*. We check
this on a linear model (where the quadratic is the cost itself and w̃ is ridge) and on a small tanh
network (where it is an approximation that holds for small λ).
"""

# %% [markdown]
# The book's cost J + λ/(2m) Σ_l ‖W[l]‖_F² adds (α/2)‖w‖² with α = λ/m, and only on the weights: the
# biases b are not penalized. So we need the curvature seen by the weights when b follows them to its
# best value: minimizing the quadratic over b leaves the weights with the Hessian
# S = H_ww − H_wb H_bb⁻¹ H_bw (a Schur complement). With S = Q Λ Qᵀ (eigenvalues h_j), the penalized
# minimum is w̃ = Q (Λ + αI)⁻¹ Λ Qᵀ w*, and b̃ = b* − H_bb⁻¹ H_bw (w̃ − w*).
#
# The Hessian comes from centered finite differences of backprop's gradient, one column per
# parameter; the minima from Newton's method, damped (Levenberg–Marquardt) so that it only
# goes downhill.

# %% tags=["tools"]
import numpy as np

import l2book as l2


def flatten(params):
    return np.concatenate([p.ravel() for p in params.values()])


def set_flat(net, theta):
    sizes = [p.size for p in net.params.values()]
    for p, piece in zip(net.params.values(), np.split(theta, np.cumsum(sizes)[:-1]), strict=True):
        p[...] = piece.reshape(p.shape)


def gradient(net, X, Y, lam, theta):
    set_flat(net, theta)
    return flatten(net.gradients(X, Y, lam))  # backprop's ∂J/∂θ, same order as params


def hessian(net, X, Y, lam, theta, eps=1e-5):
    H = np.column_stack([(gradient(net, X, Y, lam, theta + e) - gradient(net, X, Y, lam, theta - e))
                         / (2 * eps) for e in eps * np.eye(theta.size)])
    return (H + H.T) / 2  # the differences leave an asymmetry at the level of rounding


def minimize(net, X, Y, lam, theta, tol=1e-12):
    """Damped Newton from theta: steps −(H + μI)⁻¹g, μ raised until H + μI > 0 and J falls."""
    mu = 1e-3
    for _ in range(100):
        g = gradient(net, X, Y, lam, theta)
        if np.linalg.norm(g) < tol:
            break
        H, cost = hessian(net, X, Y, lam, theta), net.cost(X, Y, lam)
        while True:
            A = H + mu * np.eye(theta.size)
            if np.linalg.eigvalsh(A)[0] > 0:
                step = np.linalg.solve(A, g)
                set_flat(net, theta - step)
                if net.cost(X, Y, lam) <= cost:
                    break
            mu *= 10
        theta, mu = theta - step, max(mu / 10, 1e-12)
    set_flat(net, theta)
    return theta


def weight_curvature(H, is_weight):
    """S = H_ww − H_wb H_bb⁻¹ H_bw: the Hessian in the weights when the biases are re-optimized."""
    w, b = is_weight, ~is_weight
    return H[np.ix_(w, w)] - H[np.ix_(w, b)] @ np.linalg.solve(H[np.ix_(b, b)], H[np.ix_(b, w)])


def quadratic_prediction(H, theta_star, is_weight, alpha):
    """Minimum of the quadratic model plus (α/2)‖w‖²: w̃ = Q(Λ + αI)⁻¹ΛQᵀw*, then b̃."""
    w, b = is_weight, ~is_weight
    h, Q = np.linalg.eigh(weight_curvature(H, is_weight))  # ascending h_j
    theta = theta_star.copy()
    theta[w] = Q @ (h / (h + alpha) * (Q.T @ theta_star[w]))
    theta[b] -= np.linalg.solve(H[np.ix_(b, b)], H[np.ix_(b, w)] @ (theta[w] - theta_star[w]))
    return theta


def weight_mask(net):
    return np.concatenate([np.full(p.size, key.startswith("W")) for key, p in net.params.items()])


# %% [markdown]
# ## Least squares: the quadratic is exact
#
# A linear model ŷ = wᵀx + b with loss ½(ŷ − y)² (a `Network([n_x, 1], output="identity")`) on the
# prostate data. Its cost is a quadratic, so the prediction must be ridge itself, and S must be
# X̃X̃ᵀ/m with the centered inputs X̃: eliminating the unpenalized b is what centering does.

# %% tags=["linear"]
seed = l2.glue("seed", 0)
data = l2.load_prostate()
X_p = l2.Standardizer.fit(data.X[:, data.train]).transform(data.X[:, data.train])
y_p = data.y[:, data.train]
m_p = X_p.shape[1]
linear = l2.Network([X_p.shape[0], 1], output="identity", seed=seed)
is_w_lin = weight_mask(linear)
theta_ls = minimize(linear, X_p, y_p, 0.0, flatten(linear.params))  # least squares
H_lin = hessian(linear, X_p, y_p, 0.0, theta_ls)
h_lin = np.linalg.eigvalsh(weight_curvature(H_lin, is_w_lin))[::-1]  # decreasing, like d_j
d2_over_m = l2.ridge_path(X_p, y_p, [0.0]).singular_values ** 2 / m_p
lam_lin = l2.glue("lam_linear", 10.0)
predicted_lin = quadratic_prediction(H_lin, theta_ls, is_w_lin, lam_lin / m_p)
fit = l2.ridge(X_p, y_p, lam_lin)
ridge_gap = float(np.max(np.abs(predicted_lin - np.append(fit.w, fit.b))))
curvature_gap = float(np.max(np.abs(h_lin - d2_over_m)) / d2_over_m[0])
l2.claim(
    "linear_is_ridge",
    "For least squares the weights' curvature S has eigenvalues d_j²/m (to 1e-8, relative), and "
    "the quadratic prediction with α = λ/m is ridge's solution (to 1e-8).",
    curvature_gap < 1e-8 and ridge_gap < 1e-8,
    curvature_gap=curvature_gap,
    ridge_gap=ridge_gap,
    lam=lam_lin,
)

# %% [markdown]
# ## A tanh network: find the minimum
#
# A [2, 3, 1] tanh network (13 parameters, 9 of them weights) on noisy moons, whose classes overlap:
# the unregularized cost has a minimum with finite weights. A few hundred Adam steps bring the
# network close to it, then damped Newton converges.

# %% tags=["network_minimum"]
m = l2.glue("m", 400)
noise = l2.glue("noise", 0.3)
X, Y = l2.make_moons(m=m, noise=noise, seed=seed)
net = l2.Network([2, 3, 1], hidden="tanh", seed=seed)
l2.fit(net, X, Y, optimizer=l2.Adam(0.02), epochs=300)
is_w = weight_mask(net)
theta_star = minimize(net, X, Y, 0.0, flatten(net.params))
H = hessian(net, X, Y, 0.0, theta_star)
h, Q = np.linalg.eigh(weight_curvature(H, is_w))  # ascending: flattest direction first
c_star = Q.T @ theta_star[is_w]  # w*'s coordinates in the eigenbasis

# %%
l2.glue("n_params", theta_star.size)
l2.glue("n_weights", int(is_w.sum()))
grad_star = l2.glue("grad_norm_star", float(np.linalg.norm(gradient(net, X, Y, 0.0, theta_star))))
h_full = np.linalg.eigvalsh(H)
l2.glue("hessian_min", float(h_full[0]))
l2.glue("hessian_max", float(h_full[-1]))
h_min, h_max = l2.glue("h_min", float(h[0])), l2.glue("h_max", float(h[-1]))
l2.glue("norm_star", float(np.linalg.norm(theta_star)))
l2.glue("lam_flattest", m * h_min)  # the λ whose α = λ/m equals the smallest curvature
condition = l2.glue("hessian_condition", float(h_full[-1] / h_full[0]))
l2.claim(
    "is_a_minimum",
    "At w* the gradient is zero to 1e-10 and the Hessian is positive definite, with a condition "
    "number below 1e6 (not singular up to rounding): a strict local minimum of the unregularized "
    "cost.",
    grad_star < 1e-10 and h_full[0] > 0 and condition < 1e6,
    grad_norm=grad_star,
    smallest_eigenvalue=float(h_full[0]),
    condition=condition,
)

# %% [markdown]
# ## Regularized minima: trained vs predicted
#
# For each λ, damped Newton from w* on the regularized cost finds the true minimum w̃(λ); the
# quadratic model predicts it without training. The error is measured relative to how far the
# minimum moved, ‖w̃_pred − w̃‖ / ‖w̃ − w*‖.

# %% tags=["compare"]
lams = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1]
trained, predicted, errors = [], [], []
for lam in lams:
    theta_lam = minimize(net, X, Y, lam, theta_star)
    theta_pred = quadratic_prediction(H, theta_star, is_w, lam / m)  # α = λ/m
    trained.append(theta_lam)
    predicted.append(theta_pred)
    errors.append(float(np.linalg.norm(theta_pred - theta_lam) / np.linalg.norm(theta_lam - theta_star)))

# %%
l2.glue("lams", lams)
l2.glue("errors", errors)
for i, (lam, error) in enumerate(zip(lams, errors, strict=True)):
    l2.glue(f"lam_{i}", lam)
    l2.glue(f"error_{i}", error)
    print(f"λ = {lam:<7g} α = {lam / m:.2e}   relative error of the prediction {error:.2%}")
l2.claim(
    "prediction_matches_small_lambda",
    "At the smallest λ the quadratic prediction is within 2% of the trained minimum (relative to "
    "how far the minimum moved).",
    errors[0] < 0.02,
    error=errors[0],
    lam=lams[0],
)
slope = l2.glue("error_slope", float(np.log(errors[1] / errors[0]) / np.log(lams[1] / lams[0])))
l2.claim(
    "error_grows_with_lambda",
    "The error of the prediction grows with every step up in λ, at first in proportion to λ "
    "(log-log slope between 0.8 and 1.2 over the two smallest λ): the quadratic model is local.",
    all(a < b for a, b in zip(errors, errors[1:], strict=False)) and 0.8 < slope < 1.2,
    errors=errors,
    slope=slope,
)

l2.claim(
    "quadratic_fails_early",
    "At λ = 0.03 and above the prediction's error exceeds the move itself, although α = λ/m is still "
    "below the smallest curvature h_min.",
    all(e > 1 for lam, e in zip(lams, errors, strict=True) if lam >= 0.03) and 0.03 < m * h_min,
    errors=errors,
    lam_at_h_min=m * h_min,
)

# %% [markdown]
# ## Direction by direction
#
# The shrink factor of direction j is q_jᵀw̃ / q_jᵀw*; the model predicts h_j/(h_j + α).

# %% tags=["directions"]
i_fig = lams.index(1e-3)
lam_fig = l2.glue("lam_fig", lams[i_fig])
alpha_fig = l2.glue("alpha_fig", lam_fig / m)
factor_pred = h / (h + alpha_fig)
factor_meas = (Q.T @ trained[i_fig][is_w]) / c_star
moved = Q.T @ (trained[i_fig][is_w] - theta_star[is_w])  # displacement in the eigenbasis
share_flat = l2.glue("share_flattest", float(moved[0] ** 2 / np.sum(moved**2)))
l2.glue("factor_pred_flattest", float(factor_pred[0]))
l2.glue("factor_meas_flattest", float(factor_meas[0]))
l2.glue("factor_pred_steepest", float(factor_pred[-1]))
removed_gap = float(abs((1 - factor_meas[0]) / (1 - factor_pred[0]) - 1))
l2.glue("removed_gap_flattest", removed_gap)
# The ratio is only informative where w* has a sizeable component: a small c_j is swamped by what
# the cubic terms push into direction j from the others.
l2.glue("component_flattest", float(abs(c_star[0])))
l2.glue("component_steepest", float(abs(c_star[-1])))

# %%
l2.claim(
    "flattest_shrinks_most",
    "Along the flattest eigenvector (smallest h_j) w* loses the largest fraction of its component, "
    "predicted and measured, and the share lost is within 20% of h_j/(h_j + α)'s prediction.",
    bool(np.argmin(factor_pred) == 0 and np.argmin(factor_meas) == 0 and removed_gap < 0.2),
    factor_predicted=float(factor_pred[0]),
    factor_measured=float(factor_meas[0]),
)
l2.claim(
    "moves_along_flat_directions",
    "Most of the move from w* to w̃ (over 90% of ‖w̃ − w*‖²) is along the flattest eigenvector; the "
    "steepest keeps its component almost whole (predicted factor above 0.999).",
    share_flat > 0.9 and factor_pred[-1] > 0.999,
    share=share_flat,
    steepest_factor=float(factor_pred[-1]),
)

# %% tags=["figure"]
from l2book import plots

fig, (ax_f, ax_e) = plots.subplots(1, 2, width=8.6, height=3.6)
h_grid = np.geomspace(h[0] / 3, h[-1] * 3, 200)
for lam, marker, color in ((lam_fig, "o", plots.COLORS["blue"]),
                           (1e-2, "s", plots.COLORS["vermillion"])):
    alpha = lam / m
    ax_f.semilogx(h_grid, h_grid / (h_grid + alpha), color=color, linewidth=1.2,
                  label=rf"$h/(h+\alpha)$, $\lambda = {lam:g}$")
    ax_f.semilogx(h, (Q.T @ trained[lams.index(lam)][is_w]) / c_star, marker, color=color,
                  markersize=4, linestyle="none", label="trained network")
ax_f.set_xlabel(r"Hessian eigenvalue $h_j$ (log scale)")
ax_f.set_ylabel(r"shrink factor $q_j^\top \tilde w / q_j^\top w^*$")
ax_f.set_title("Flat directions shrink most")
ax_f.legend(fontsize=7.5, loc="lower right")
ax_e.loglog(lams, errors, "o-", color=plots.COLORS["blue"], label="quadratic prediction")
ax_e.loglog(lams, errors[0] * np.array(lams) / lams[0], "--", color=plots.COLORS["grey"],
            label=r"$\propto \lambda$")
ax_e.set_xlabel(r"$\lambda$")
ax_e.set_ylabel(r"$\|\tilde w_{\mathrm{pred}} - \tilde w\| \,/\, \|\tilde w - w^*\|$")
ax_e.set_title("Its error grows with λ")
ax_e.legend(fontsize=8)
l2.figure(
    "local_quadratic",
    fig,
    alt=(
        "Left: shrink factors against the Hessian eigenvalue on a log axis, for two values of λ; "
        "each curve h/(h+α) rises from its lowest value at the flattest direction to 1 at the "
        "steepest. The dots of the trained network lie on the curve for the smaller λ; for the "
        "larger they lie above it at the flat end, and the dot of the steepest direction falls "
        "below it. Right: the relative error of the quadratic "
        "prediction against λ on log-log axes, a rising line that follows a dashed line "
        "proportional to λ at first and then bends below it."
    ),
    caption=(
        "A [2, 3, 1] tanh network at its unregularized minimum. Left: per eigen-direction of the "
        "weights' Hessian, the predicted shrink factor $h_j/(h_j+\\alpha)$ (lines) and the "
        "trained network's (dots). Right: error of the predicted minimum, relative to how far "
        "the minimum moved."
    ),
)
