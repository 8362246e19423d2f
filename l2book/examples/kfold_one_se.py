"""k-fold cross-validation and the one-standard-error rule
Average the validation error over k folds, with error bars; take the largest λ within one SE of the best.
"""

# %% [markdown]
# When data are scarce, a single dev set is both expensive (it is taken from training) and noisy.
# k-fold cross-validation uses every example for validation once: split the m examples into k
# folds, train on k − 1 of them, measure on the one left out, and average over the k choices.
#
# Here: 25 noisy samples of sin(πx), polynomial features x, x², …, x¹⁵ and ridge regression
# (closed form, so the 51 λ values × 5 folds take milliseconds).

# %% tags=["data"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
m = l2.glue("m", 25)
degree = l2.glue("degree", 15)
k = l2.glue("k", 5)
noise = l2.glue("noise", 0.3)
x, y = l2.make_polynomial_data(m=m, noise=noise, seed=seed)
F = l2.polynomial_features(x, degree)  # shape (15, 25): rows x, x², …, x¹⁵

# %% tags=["cv"]
lams = np.geomspace(1e-8, 1e2, 51)
cv = l2.kfold_cv(F, y, lams, k=k, seed=seed)  # cv.mean, cv.se: shape (51,)
rule = l2.one_standard_error(lams, cv.mean, cv.se)

# %% [markdown]
# `kfold_cv` computes each fold's error from one SVD per fold. We recompute the fold errors the
# slow way, one `l2.ridge` solve per fold and λ on the same folds, to check it.

# %% tags=["check"]
manual = np.empty((k, lams.size))
for f, (train_idx, val_idx) in enumerate(l2.kfold_indices(m, k, seed)):
    for j, lam in enumerate(lams):
        fit = l2.ridge(F[:, train_idx], y[:, train_idx], lam)
        manual[f, j] = np.mean((fit.predict(F[:, val_idx]) - y[:, val_idx]) ** 2)
max_diff = float(np.max(np.abs(manual - cv.fold_errors)))
manual_se = manual.std(axis=0, ddof=1) / np.sqrt(k)
l2.claim(
    "kfold_matches_manual",
    "kfold_cv's fold errors, mean and standard error match a fold-by-fold recomputation.",
    bool(
        max_diff < 1e-8
        and np.allclose(manual.mean(axis=0), cv.mean, rtol=1e-8)
        and np.allclose(manual_se, cv.se, rtol=1e-8)
    ),
    max_diff=max_diff,
)

# %% [markdown]
# **The one-standard-error rule.** The λ with the lowest mean CV error is itself a noisy pick.
# Any λ whose mean is within one standard error of that minimum is statistically as good; among
# them take the largest, i.e. the simplest model.

# %% tags=["rule"]
l2.glue("lam_min", rule.best_lam)
l2.glue("lam_1se", rule.lam)
l2.glue("cv_min", float(cv.mean[rule.best_index]))
l2.glue("se_min", float(cv.se[rule.best_index]))
l2.glue("threshold", rule.threshold)
l2.glue("cv_1se", float(cv.mean[rule.index]))
l2.glue("cv_smallest_lam", float(cv.mean[0]))
df = l2.effective_df(F, np.array([lams[0], rule.best_lam, rule.lam]))
l2.glue("df_smallest", float(df[0]))
l2.glue("df_min", float(df[1]))
df_1se = l2.glue("df_1se", float(df[2]))

# %%
l2.claim(
    "one_se_picks_simpler",
    "The one-standard-error rule picks a strictly larger λ than the CV minimum, with fewer "
    "effective degrees of freedom.",
    bool(rule.lam > rule.best_lam and df[2] < df[1]),
    lam_min=rule.best_lam,
    lam_1se=rule.lam,
    df_min=float(df[1]),
    df_1se=float(df[2]),
)
l2.claim(
    "cv_rejects_tiny_lam",
    "The smallest λ tried has a mean CV error more than one standard error above the minimum.",
    bool(cv.mean[0] > rule.threshold),
    cv_smallest_lam=float(cv.mean[0]),
    threshold=rule.threshold,
)

# %% tags=["figure"]
from l2book import plots

fig, (ax_cv, ax_fit) = plots.subplots(1, 2, width=9.0, height=3.8)
ax_cv.errorbar(lams, cv.mean, yerr=cv.se, fmt="o-", markersize=3, capsize=2, linewidth=1.2,
               color=plots.COLORS["vermillion"], ecolor=plots.COLORS["grey"],
               label=f"mean CV error ± 1 SE ({k} folds)")
ax_cv.axhline(rule.threshold, color=plots.COLORS["black"], linestyle=":", linewidth=1,
              label="minimum + 1 SE")
ax_cv.axvline(rule.best_lam, color=plots.COLORS["blue"], linestyle="--", linewidth=1.2,
              label=f"$\\lambda_{{\\min}}$ = {rule.best_lam:.2g}")
ax_cv.axvline(rule.lam, color=plots.COLORS["green"], linestyle="-", linewidth=1.2,
              label=f"$\\lambda_{{1SE}}$ = {rule.lam:.2g}")
ax_cv.set_xscale("log")
ax_cv.set_yscale("log")
ax_cv.set_xlabel("λ (log scale)")
ax_cv.set_ylabel("mean squared error (log scale)")
ax_cv.set_title("Cross-validation error")
ax_cv.legend(fontsize=8, loc="upper center")

grid = np.linspace(-1, 1, 400).reshape(1, -1)
G = l2.polynomial_features(grid, degree)
fits = l2.ridge_path(F, y, np.array([0.0, rule.best_lam, rule.lam]))
curves = fits.predict(G)
ax_fit.plot(grid[0], np.sin(np.pi * grid[0]), color=plots.COLORS["grey"], linewidth=3, alpha=0.6,
            label="true f(x) = sin(πx)")
ax_fit.plot(grid[0], curves[0], color=plots.COLORS["purple"], linewidth=1, label="λ = 0")
ax_fit.plot(grid[0], curves[1], color=plots.COLORS["blue"], linestyle="--", label="$\\lambda_{\\min}$")
ax_fit.plot(grid[0], curves[2], color=plots.COLORS["green"], label="$\\lambda_{1SE}$")
ax_fit.plot(x[0], y[0], "o", color=plots.COLORS["black"], markersize=4, label=f"{m} training points")
ax_fit.set_ylim(-2, 2)
ax_fit.set_xlabel("x")
ax_fit.set_ylabel("y")
ax_fit.set_title(f"Degree-{degree} polynomial fits")
ax_fit.legend(fontsize=8, loc="lower right")
l2.figure(
    "cv",
    fig,
    alt=(
        "Left: mean 5-fold cross-validation error with one-standard-error bars against λ on log "
        "axes; it is high for tiny λ, dips to a minimum, and rises steeply for large λ. A dashed "
        "vertical line marks the minimum, a solid one the larger λ chosen by the one-standard-error "
        "rule, and a dotted horizontal line the minimum plus one standard error. Right: the 25 "
        "training points, the true sine curve and three degree-15 fits: the unregularized one "
        "swings wildly between the points, the two cross-validated ones follow the sine closely."
    ),
    caption=(
        "Ridge regression on 15 polynomial features. Left: 5-fold CV with error bars; "
        "$\\lambda_{\\min}$ minimizes the mean, $\\lambda_{1SE}$ is the largest $\\lambda$ whose "
        "mean lies below the dotted line. Right: the resulting fits ($\\lambda = 0$ clipped "
        "to the plotted range)."
    ),
)
