"""L2 as a Gaussian prior: ridge is the MAP estimate
With noise σ and prior w ~ N(0, τ²I), the posterior mode is ridge with λ = σ²/τ² in the book's scaling.
"""

# %% [markdown]
# Linear regression with Gaussian noise, y = wᵀx + b + ε with ε ~ N(0, σ²), and a Gaussian prior
# w ~ N(0, τ²I) on the weights (none on b). Two weights, so prior, likelihood and posterior can be
# drawn over the plane (w₁, w₂). Few examples, so the prior visibly matters.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
sigma = l2.glue("sigma", 1.0)  # noise standard deviation
tau = l2.glue("tau", 0.5)  # prior standard deviation of each weight
m = l2.glue("m", 12)
w_true = np.array([1.2, -0.4])


def make_data(m: int) -> tuple[np.ndarray, np.ndarray]:
    X = np.array([[1.0, 0.0], [0.7, 0.7]]) @ rng.standard_normal((2, m))  # correlated features
    y = w_true @ X + 0.3 + sigma * rng.standard_normal(m)
    return X, y.reshape(1, -1)


X, y = make_data(m)

# %% [markdown]
# The posterior is Gaussian; `l2.linear_posterior` returns its mean and covariance. Ridge with
# λ = σ²/τ² should land exactly on the posterior mean (which, for a Gaussian, is also its mode).

# %% tags=["map"]
lam = l2.glue("lam", l2.lambda_from_prior(sigma, tau))  # λ = σ²/τ²
post = l2.linear_posterior(X, y, sigma, tau)
fit = l2.ridge(X, y, lam)
map_vs_ridge = l2.glue("map_vs_ridge", float(np.abs(post.mean - fit.w).max()))

# %%
l2.claim(
    "map_is_ridge",
    "The MAP estimate under the prior w ~ N(0, τ²I) equals l2.ridge with λ = σ²/τ².",
    bool(map_vs_ridge < 1e-10 and abs(post.b - fit.b) < 1e-10),
    max_abs_difference=map_vs_ridge,
    lam=lam,
    tolerance=1e-10,
)

# %% [markdown]
# An independent check of the mode, without either library function: the gradient of the negative
# log posterior, (1/σ²) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾) x⁽ⁱ⁾ + w/τ² (and its b-component), vanishes at
# ridge's (ŵ, b̂).

# %% tags=["gradient"]
residual = fit.w @ X + fit.b - y[0]
grad_w = X @ residual / sigma**2 + fit.w / tau**2  # ∂(−log posterior)/∂w
grad_b = residual.sum() / sigma**2  # ∂(−log posterior)/∂b (flat prior on b)
grad_norm = l2.glue("grad_norm", float(np.hypot(np.linalg.norm(grad_w), grad_b)))

# %%
l2.claim(
    "gradient_vanishes",
    "The gradient of the negative log posterior is zero at the ridge solution.",
    bool(grad_norm < 1e-10),
    grad_norm=grad_norm,
)

# %% [markdown]
# **Where the factors go.** The negative log posterior is
# (1/(2σ²)) Σ(ŷ − y)² + (1/(2τ²))‖w‖² = (m/σ²)·[1/(2m) Σ(ŷ − y)² + (σ²/τ²)/(2m)‖w‖²]: both terms of
# the book's cost carry 1/m, so m cancels and λ = σ²/τ² does not depend on m. A cost written as
# mean squared error plus λ'‖w‖² (no ½, no 1/m on the penalty, e.g. a Keras `l2(λ')` regularizer
# with MSE loss) needs λ' = σ²/(mτ²) for the same estimate, a value that must change with m.

# %% tags=["factors"]
checks = []
for m_k in (m, 10 * m, 100 * m):
    X_k, y_k = make_data(m_k)
    mode = l2.linear_posterior(X_k, y_k, sigma, tau).mean
    book = l2.ridge(X_k, y_k, sigma**2 / tau**2).w  # the book's λ: same for every m
    Xc = X_k - X_k.mean(axis=1, keepdims=True)
    yc = y_k[0] - y_k.mean()
    lam_mse = sigma**2 / (m_k * tau**2)  # λ' of (1/m)Σ(ŷ−y)² + λ'‖w‖²; its minimizer solves
    mse = np.linalg.solve(Xc @ Xc.T / m_k + lam_mse * np.eye(2), Xc @ yc / m_k)  # (X̃X̃ᵀ/m + λ'I)w = X̃ỹ/m
    checks.append((m_k, np.abs(mode - book).max(), np.abs(mode - mse).max(), lam_mse))
sizes = l2.glue("sizes", [c[0] for c in checks])
lam_mse_values = l2.glue("lam_mse_values", [c[3] for c in checks])

# %%
l2.claim(
    "lambda_independent_of_m",
    "For every training-set size, the book's λ = σ²/τ² and the MSE convention's λ' = σ²/(mτ²) both "
    "give the posterior mode.",
    bool(max(max(c[1], c[2]) for c in checks) < 1e-10),
    sizes=sizes,
    max_difference_book=max(c[1] for c in checks),
    max_difference_mse=max(c[2] for c in checks),
)

# %% [markdown]
# Prior, likelihood and posterior over the plane. The posterior (right) is the product of the other
# two: its centre, the ridge solution, lies between the prior's centre 0 and the least-squares
# solution, closer to whichever is more concentrated.

# %% tags=["figure"]
from l2book import plots

w_ls = l2.ridge(X, y, 0.0).w
shrink_ratio = l2.glue("shrink_ratio", float(np.linalg.norm(post.mean) / np.linalg.norm(w_ls)))
l2.claim(
    "map_between",
    "The MAP estimate is shorter than the least-squares estimate.",
    bool(shrink_ratio < 1),
    shrink_ratio=shrink_ratio,
)
g = np.linspace(-2.0, 2.5, 241)
W1, W2 = np.meshgrid(g, g)
grid = np.column_stack([W1.ravel(), W2.ravel()])  # (K, 2) weight vectors
Xc, yc = X - X.mean(axis=1, keepdims=True), y[0] - y.mean()
log_prior = -(grid**2).sum(axis=1) / (2 * tau**2)
log_lik = -((grid @ Xc - yc) ** 2).sum(axis=1) / (2 * sigma**2)  # b at its optimum (centered data)
log_post = post.logpdf(grid)
fig, axes = plots.subplots(1, 3, width=9.6, height=3.4, sharex=True, sharey=True)
panels = [("Prior  $w \\sim N(0, \\tau^2 I)$", log_prior), ("Likelihood", log_lik), ("Posterior", log_post)]
for ax, (title, logp) in zip(axes, panels, strict=True):
    density = np.exp(logp - logp.max()).reshape(W1.shape)
    ax.contourf(W1, W2, density, levels=[0.05, 0.25, 0.5, 0.75, 1.0], cmap="Blues", alpha=0.8)
    ax.contour(W1, W2, density, levels=[0.05, 0.25, 0.5, 0.75], colors=plots.COLORS["blue"], linewidths=0.8)
    ax.plot(*w_ls, marker="s", color=plots.COLORS["orange"], linestyle="none", label="least squares")
    ax.plot(*fit.w, marker="o", color=plots.COLORS["vermillion"], linestyle="none",
            label=f"ridge, λ = σ²/τ² = {lam:g}")
    ax.plot(0, 0, marker="+", color=plots.COLORS["black"], markersize=10, linestyle="none")
    ax.set_title(title)
    ax.set_xlabel("$w_1$")
    ax.set_aspect("equal")
axes[0].set_ylabel("$w_2$")
axes[2].legend(loc="lower left", fontsize=8)
l2.figure(
    "prior_likelihood_posterior",
    fig,
    alt=(
        "Three contour plots over the weight plane (w1, w2). Left: the prior, circles centred at the "
        "origin. Middle: the likelihood, a tilted ellipse centred at the least-squares estimate "
        "(square marker). Right: the posterior, a smaller ellipse between the two, centred exactly at "
        "the ridge estimate (round marker)."
    ),
    caption=(
        "Posterior ∝ likelihood × prior. Its peak (MAP) is the ridge solution with "
        "$\\lambda = \\sigma^2/\\tau^2$; the square is least squares ($\\lambda = 0$)."
    ),
)
