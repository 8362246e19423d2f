"""L1 vs L2: coefficient paths and sparsity
On the prostate data L2 shrinks all eight weights and zeroes none; L1 sets weights exactly to zero.
"""

# %% [markdown]
# The lasso replaces the L2 penalty λ/(2m)‖w‖² by (λ/m)‖w‖₁ = (λ/m)Σ_j |w_j|. `l2.lasso_path`
# solves it by coordinate descent; `l2.ridge_path` gives ridge. The prostate cancer data of
# Stamey et al. (as in *The Elements of Statistical Learning*, §3.4): 8 inputs, 67 training and
# 30 test men; inputs standardized as in ESL.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
p = l2.load_prostate()
Z = (p.X - p.X.mean(axis=1, keepdims=True)) / p.X.std(axis=1, ddof=1, keepdims=True)
X, y = Z[:, p.train], p.y[:, p.train]
X_test, y_test = Z[:, ~p.train], p.y[:, ~p.train]
names = p.feature_names
m = l2.glue("m", X.shape[1])
n_x = l2.glue("n_x", X.shape[0])

# %% tags=["paths"]
lam_max = l2.lasso_lambda_max(X, y)  # smallest λ with every lasso weight at 0
lasso_lams = lam_max * np.geomspace(1.0, 1e-4, 100)
ridge_lams = np.geomspace(1e-2, 1e5, 100)
lasso = l2.lasso_path(X, y, lasso_lams)
ridge = l2.ridge_path(X, y, ridge_lams)
w_ls = l2.ridge(X, y, 0.0).w  # least squares
lasso_zeros = (lasso.coefs == 0).sum(axis=1)  # exact zeros at each λ
ridge_zeros = (ridge.coefs == 0).sum(axis=1)

# %%
ridge_min_abs = l2.glue("ridge_min_abs", float(np.abs(ridge.coefs).min()))
ridge_max_zeros = l2.glue("ridge_max_zeros", int(ridge_zeros.max()))
lasso_sparse_share = l2.glue("lasso_sparse_share", float(np.mean(lasso_zeros > 0)))
l2.claim(
    "ridge_no_zeros",
    "At none of the 100 λ values of the ridge path (0.01 to 100000) is any weight exactly zero.",
    bool(ridge_max_zeros == 0 and ridge_min_abs > 0),
    ridge_max_zeros=ridge_max_zeros,
    smallest_abs_weight=ridge_min_abs,
)
l2.claim(
    "lasso_zeros",
    "On the lasso grid (100 λ from λ_max down to λ_max/10000, log-spaced) more than half of the λ "
    "values leave at least one weight exactly zero.",
    bool(lasso_sparse_share > 0.5),
    share_of_lambdas_with_zeros=lasso_sparse_share,
)

# %% [markdown]
# The order in which the lasso lets weights in: the λ at which each first becomes nonzero.

# %% tags=["entry"]
entry = np.array([lasso_lams[np.argmax(lasso.coefs[:, j] != 0)] for j in range(n_x)])
order = [names[j] for j in np.argsort(-entry)]
l2.glue("entry_order", order)
first_in = l2.glue("first_in", order[0])

# %% [markdown]
# λ for each method by 10-fold cross-validation on the training set (one-standard-error rule), then
# the test error on the 30 held-out men.

# %% tags=["cv"]
folds = l2.kfold_indices(m, k=10, seed=seed)
cv_lasso = np.zeros((len(folds), lasso_lams.size))
for f, (tr, va) in enumerate(folds):
    fold_path = l2.lasso_path(X[:, tr], y[:, tr], lasso_lams, tol=1e-6)  # CV needs no more
    cv_lasso[f] = np.mean((fold_path.predict(X[:, va]) - y[:, va]) ** 2, axis=1)
cv_se = cv_lasso.std(axis=0, ddof=1) / np.sqrt(len(folds))  # standard error over the folds
rule = l2.one_standard_error(lasso_lams, cv_lasso.mean(axis=0), cv_se)
cv_ridge = l2.kfold_cv(X, y, ridge_lams, k=10, seed=seed)
lam_l1 = l2.glue("lam_lasso", float(rule.lam))
lam_l2 = l2.glue("lam_ridge", float(cv_ridge.one_se_lam))
fit_l1 = l2.lasso(X, y, lam_l1)
fit_l2 = l2.ridge(X, y, lam_l2)

# %%
def test_mse(fit) -> float:
    return float(np.mean((fit.predict(X_test) - y_test) ** 2))


zeros_l1 = l2.glue("zeros_lasso", int(np.sum(fit_l1.w == 0)))
zeros_l2 = l2.glue("zeros_ridge", int(np.sum(fit_l2.w == 0)))
kept_l1 = l2.glue("kept_lasso", [names[j] for j in np.flatnonzero(fit_l1.w)])
test_l1 = l2.glue("test_lasso", test_mse(fit_l1))
test_l2 = l2.glue("test_ridge", test_mse(fit_l2))
fit_ls = l2.ridge(X, y, 0.0)
test_ls = l2.glue("test_ls", test_mse(fit_ls))
l2.glue("zeros_ls", int(np.sum(fit_ls.w == 0)))
# Standard error of a test MSE over 30 men: sd of the squared errors / √30.
squared_errors = (fit_ls.predict(X_test) - y_test) ** 2
test_se = l2.glue("test_se", float(np.std(squared_errors, ddof=1) / np.sqrt(y_test.size)))
l2.claim(
    "cv_sparsity",
    "At its cross-validated λ the lasso sets at least half of the 8 weights exactly to zero; ridge at "
    "its cross-validated λ sets none.",
    bool(zeros_l1 >= n_x / 2 and zeros_l2 == 0),
    zeros_lasso=zeros_l1,
    zeros_ridge=zeros_l2,
)
l2.claim(
    "test_within_noise",
    "On the 30 test men, the test errors of lasso, ridge and least squares differ by less than two "
    "standard errors of a test error.",
    bool(max(test_l1, test_l2, test_ls) - min(test_l1, test_l2, test_ls) < 2 * test_se),
    test_lasso=test_l1,
    test_ridge=test_l2,
    test_least_squares=test_ls,
    standard_error=test_se,
)

# %% tags=["figure_paths"]
from l2book import plots

fig, (ax_r, ax_l) = plots.subplots(1, 2, width=9.0, height=3.8, sharey=True)
shrink_r = np.linalg.norm(ridge.coefs, axis=1) / np.linalg.norm(w_ls)  # ‖ŵ(λ)‖₂ / ‖ŵ_LS‖₂
shrink_l = np.abs(lasso.coefs).sum(axis=1) / np.abs(w_ls).sum()  # ‖ŵ(λ)‖₁ / ‖ŵ_LS‖₁
palette = ("blue", "orange", "green", "vermillion", "purple", "sky", "black", "grey")
colors = [plots.COLORS[c] for c in palette]
for j in range(n_x):
    ax_r.plot(shrink_r, ridge.coefs[:, j], color=colors[j])
    ax_l.plot(shrink_l, lasso.coefs[:, j], color=colors[j], label=names[j])
for ax, title, xlabel in (
    (ax_r, "Ridge (L2): all weights shrink together", r"$\|\hat w(\lambda)\|_2 / \|\hat w_{LS}\|_2$"),
    (ax_l, "Lasso (L1): weights enter one by one", r"$\|\hat w(\lambda)\|_1 / \|\hat w_{LS}\|_1$"),
):
    ax.axhline(0, color=plots.COLORS["grey"], linewidth=0.8)
    ax.set_xlabel(xlabel + "  (0 = λ large)")
    ax.set_title(title)
ax_r.set_ylabel("weight (standardized inputs)")
ax_l.legend(loc="upper left", fontsize=7, ncol=2)
l2.figure(
    "coefficient_paths",
    fig,
    alt=(
        "Two panels of coefficient paths for the eight prostate inputs, against the fraction of the "
        "least-squares norm kept. Left, ridge: all eight curves leave zero together and grow smoothly. "
        "Right, lasso: the curves leave zero one at a time, lcavol first, and several stay exactly at "
        "zero over long stretches."
    ),
    caption=(
        "Coefficient paths on the prostate training data. Left to right: λ decreasing from "
        "'everything shrunk to 0' to least squares."
    ),
)

# %% [markdown]
# **Why L1 gives zeros: the diamond and the ball.** Minimizing the loss subject to ‖w‖₁ ≤ t or
# ‖w‖₂ ≤ t (the constrained form of each penalty): the solution is where the smallest loss contour
# touches the constraint set. The L1 diamond has corners on the axes, and contours usually touch it
# there; the L2 ball is round, so the touching point is almost never on an axis.

# %% tags=["diamond"]
rng = np.random.default_rng(seed)
X2 = np.array([[1.0, 0.0], [0.6, 0.8]]) @ rng.standard_normal((2, 60))
y2 = (np.array([2.0, 0.7]) @ X2 + 0.5 * rng.standard_normal(60)).reshape(1, -1)
w2_ls = l2.ridge(X2, y2, 0.0).w
t = l2.glue("budget", 1.2)  # ‖w‖ ≤ t, the same t for both norms


def on_budget(solve, norm) -> np.ndarray:
    """The penalized solution whose norm is t: the norm falls as λ grows, so bisect on log λ."""
    lo, hi = -8.0, 8.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if norm(solve(10.0**mid)) > t else (lo, mid)
    return solve(10.0**hi)


w_l1 = on_budget(lambda lam: l2.lasso(X2, y2, lam).w, lambda w: np.abs(w).sum())  # on the diamond
w_l2 = on_budget(lambda lam: l2.ridge(X2, y2, lam).w, np.linalg.norm)  # on the ball
l2.glue("w_l1", w_l1.round(4))
w_l2_shown = l2.glue("w_l2", w_l2.round(4))

# %%
l2.claim(
    "diamond_corner",
    "With the same budget t, the L1 solution lies on a corner of the diamond (one weight exactly "
    "zero); the L2 solution has both weights nonzero.",
    bool(np.sum(w_l1 == 0) == 1 and np.all(w_l2 != 0)),
    w_l1=w_l1,
    w_l2=w_l2,
)

# %% tags=["figure_diamond"]
Xc, yc = X2 - X2.mean(axis=1, keepdims=True), y2[0] - y2.mean()
g = np.linspace(-1.0, 2.6, 200)
G1, G2 = np.meshgrid(g, g)
grid = np.column_stack([G1.ravel(), G2.ravel()])
loss = (0.5 * np.mean((grid @ Xc - yc) ** 2, axis=1)).reshape(G1.shape)
fig, axes = plots.subplots(1, 2, width=8.0, height=4.0, sharey=True)
angle = np.linspace(0, 2 * np.pi, 400)
shapes = (
    ("L1: $|w_1| + |w_2| \\leq t$", t * np.array([[1, 0, -1, 0, 1], [0, 1, 0, -1, 0]]), w_l1),
    ("L2: $w_1^2 + w_2^2 \\leq t^2$", t * np.vstack([np.cos(angle), np.sin(angle)]), w_l2),
)
for ax, (title, boundary, w_hat) in zip(axes, shapes, strict=True):
    level = 0.5 * np.mean((w_hat @ Xc - yc) ** 2)  # the contour through the solution
    lowest = loss.min()
    ax.contour(G1, G2, loss, levels=lowest + (level - lowest) * np.array([0.15, 0.45, 1.0, 2.0]),
               colors=plots.COLORS["blue"], linewidths=0.9)
    ax.fill(*boundary, color=plots.COLORS["orange"], alpha=0.35, label="constraint set")
    ax.plot(*w2_ls, marker="s", color=plots.COLORS["blue"], linestyle="none", label="least squares")
    ax.plot(*w_hat, marker="o", color=plots.COLORS["vermillion"], linestyle="none", label="solution")
    ax.axhline(0, color=plots.COLORS["grey"], linewidth=0.8)
    ax.axvline(0, color=plots.COLORS["grey"], linewidth=0.8)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_title(title)
axes[0].set_ylabel("$w_2$")
axes[1].legend(loc="upper left", fontsize=8)
l2.figure(
    "diamond_and_ball",
    fig,
    alt=(
        "Two panels with the same elliptical loss contours around the least-squares point. Left: a "
        "diamond-shaped L1 constraint set; the lowest contour touches it at its right corner, on the "
        "w1 axis, so w2 is exactly zero. Right: a disc-shaped L2 constraint set; the contour touches it "
        "at a point with both weights nonzero."
    ),
    caption=(
        "Same loss, same budget $t$: the L1 solution sits on a corner (a zero weight); the L2 one "
        "does not."
    ),
)
