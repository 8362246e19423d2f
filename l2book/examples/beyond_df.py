"""Effective degrees of freedom and the bias-variance trade-off
df(λ) = Σ d_j²/(d_j² + λ) counts the parameters ridge really fits; bias² rises and variance falls with λ.
"""

# %% [markdown]
# Ridge regression on n_x = 10 correlated inputs with m = 40 examples. Its fitted values are a
# linear function of y, ŷ = H_λ y, and df(λ) = tr H_λ = Σ_j d_j²/(d_j² + λ) (d_j the singular values
# of the centered X): n_x at λ = 0, falling to 0 as λ → ∞. `l2.effective_df` computes it and
# `l2.lambda_for_df` inverts it.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
n_x, m = l2.glue("n_x", 10), l2.glue("m", 40)
sigma = l2.glue("sigma", 1.0)  # noise standard deviation
corr = 0.6 ** np.abs(np.subtract.outer(np.arange(n_x), np.arange(n_x)))  # corr(x_j, x_k) = 0.6^|j−k|
root = np.linalg.cholesky(corr)
w_true = rng.normal(0.0, 0.4, n_x)


def draw_x(*shape: int) -> np.ndarray:
    """Inputs with the correlation above, shape (..., n_x, m)."""
    return root @ rng.standard_normal((*shape[:-1], n_x, shape[-1]))


X = draw_x(m)
y = (w_true @ X + sigma * rng.standard_normal(m)).reshape(1, -1)

# %% tags=["df"]
lams = np.geomspace(1e-2, 1e4, 40)
df = l2.effective_df(X, lams)  # Σ_j d_j²/(d_j² + λ) for each λ
lam_for = l2.lambda_for_df(X, np.array([8.0, 5.0, 2.0]))  # λ giving 8, 5 and 2 degrees of freedom
l2.glue("lam_for_df", lam_for.round(3))
df_at_smallest_lam = l2.glue("df_smallest_lam", float(df[0]))

# %% [markdown]
# **What "degrees of freedom" means here.** For any fitting method, df = (1/σ²) Σ_i Cov(ŷ_i, y_i)
# (Efron 2004): how strongly each fitted value follows its own observation. We estimate that
# covariance by refitting ridge on many noise draws of the same X, and compare it with the
# formula (+1 for the unpenalized intercept, which the formula leaves out).

# %% tags=["covariance"]
lam_check = np.array([1.0, 10.0, 100.0])
f = w_true @ X
draws = l2.glue("noise_draws", 400)
Y_draws = f + sigma * rng.standard_normal((draws, m))
fitted = np.array([l2.ridge_path(X, y_r, lam_check).predict(X) for y_r in Y_draws])  # (draws, 3, m)
per_draw = ((fitted - fitted.mean(axis=0)) * (Y_draws - Y_draws.mean(axis=0))[:, None, :]).sum(axis=2)
df_sim = per_draw.mean(axis=0) * draws / (draws - 1) / sigma**2
df_sim_se = per_draw.std(axis=0, ddof=1) / np.sqrt(draws) / sigma**2
df_formula = l2.effective_df(X, lam_check) + 1  # + 1 for the intercept
l2.glue("df_sim", df_sim.round(2))
df_formula_shown = l2.glue("df_formula", df_formula.round(2))

# %%
l2.claim(
    "df_is_covariance",
    "At λ = 1, 10 and 100, the simulated Σ Cov(ŷ_i, y_i)/σ² agrees with Σ d_j²/(d_j² + λ) + 1 within "
    "three Monte Carlo standard errors.",
    bool(np.all(np.abs(df_sim - df_formula) < 3 * df_sim_se)),
    df_simulated=df_sim,
    df_formula=df_formula,
    standard_error=df_sim_se,
)

# %% [markdown]
# **Bias and variance.** Now draw many whole training sets (new X and new noise each time), fit
# ridge for every λ on each, and predict at 500 fixed test inputs. Over the training sets,
#
# * bias²(λ): squared gap between the *average* prediction and the truth f(x) = w_trueᵀx,
# * variance(λ): spread of the predictions around their average,
# * test error(λ): squared error against new noisy observations, ≈ bias² + variance + σ².
#
# One batched SVD fits all training sets at once (the same formula as `l2.ridge_path`, which we
# check on the first set).

# %% tags=["simulate"]
sets = l2.glue("training_sets", 600)
Xs = draw_x(sets, m)  # (sets, n_x, m)
Ys = np.einsum("j,rjm->rm", w_true, Xs) + sigma * rng.standard_normal((sets, m))
x_mean, y_mean = Xs.mean(axis=2), Ys.mean(axis=1)
U, d, Vt = np.linalg.svd(np.swapaxes(Xs - x_mean[:, :, None], 1, 2), full_matrices=False)
uty = np.einsum("rmj,rm->rj", U, Ys - y_mean[:, None])  # u_jᵀỹ per set
factors = d[:, None, :] / (d[:, None, :] ** 2 + lams[None, :, None])  # d_j/(d_j² + λ), (sets, K, n_x)
W = np.einsum("rkj,rj,rjn->rkn", factors, uty, Vt)  # ŵ(λ) for every set and λ
b = y_mean[:, None] - np.einsum("rkn,rn->rk", W, x_mean)  # b̂ = ȳ − ŵᵀx̄
batched_vs_library = float(np.abs(W[0] - l2.ridge_path(Xs[0], Ys[0], lams).coefs).max())

# %%
l2.claim(
    "batched_equals_ridge_path",
    "The batched fit equals l2.ridge_path on the first training set.",
    bool(batched_vs_library < 1e-10),
    max_abs_difference=batched_vs_library,
)

# %%
X_test = draw_x(500)
f_test = w_true @ X_test
pred = np.einsum("rkn,nt->rkt", W, X_test) + b[:, :, None]  # (sets, K, test points)
bias2 = np.mean((pred.mean(axis=0) - f_test) ** 2, axis=1)
variance = np.mean(pred.var(axis=0), axis=1)
y_new = f_test + sigma * rng.standard_normal((sets, 1, f_test.size))
test_error = np.mean((pred - y_new) ** 2, axis=(0, 2))
df_mean = np.mean((d[:, None, :] ** 2 / (d[:, None, :] ** 2 + lams[None, :, None])).sum(axis=2), axis=0)

# %%
decomposition_gap = float(np.max(np.abs(test_error - (bias2 + variance + sigma**2)) / test_error))
best = int(np.argmin(test_error))
lam_best = l2.glue("lam_best", float(lams[best]))
df_best = l2.glue("df_best", float(df_mean[best]))
l2.glue("test_best", float(test_error[best]))
l2.glue("test_ls", float(test_error[0]))
l2.glue("bias2_best", float(bias2[best]))
l2.glue("variance_best", float(variance[best]))
l2.glue("variance_drop", float(variance[0] / variance[-1]))
l2.claim(
    "decomposition",
    "At every λ, the simulated test error equals bias² + variance + σ² within 1%.",
    bool(decomposition_gap < 0.01),
    max_relative_gap=decomposition_gap,
)
l2.claim(
    "tradeoff",
    "From the smallest to the largest λ, bias² grows more than a hundredfold and variance falls more "
    "than fivefold; the test error is lowest at an interior λ, below both ends.",
    bool(bias2[-1] > 100 * bias2[0] and variance[0] > 5 * variance[-1]
         and 0 < best < lams.size - 1 and test_error[best] < min(test_error[0], test_error[-1])),
    bias2_first=float(bias2[0]),
    bias2_last=float(bias2[-1]),
    variance_first=float(variance[0]),
    variance_last=float(variance[-1]),
    best_index=best,
)

# %% tags=["figure"]
from l2book import plots

fig, (ax_df, ax_bv) = plots.subplots(1, 2, width=9.0, height=3.6)
ax_df.semilogx(lams, df, color=plots.COLORS["blue"], label="df(λ) of one training set")
ax_df.semilogx(lam_for, [8, 5, 2], linestyle="none", marker="o", color=plots.COLORS["vermillion"],
               label="lambda_for_df(X, [8, 5, 2])")
ax_df.axhline(n_x, color=plots.COLORS["grey"], linestyle=":", linewidth=1)
ax_df.set_xlabel("λ")
ax_df.set_ylabel("effective degrees of freedom")
ax_df.set_title("df(λ) = Σ d²/(d² + λ)")
ax_df.legend(loc="lower left", fontsize=8)

ax_bv.plot(df_mean, bias2, color=plots.COLORS["orange"], label="bias²")
ax_bv.plot(df_mean, variance, color=plots.COLORS["blue"], label="variance")
ax_bv.plot(df_mean, test_error - sigma**2, color=plots.COLORS["black"], label="test error − σ²")
ax_bv.axvline(df_mean[best], color=plots.COLORS["grey"], linestyle="--", linewidth=1)
ax_bv.set_xlabel("effective degrees of freedom (average over training sets)")
ax_bv.set_ylabel("squared error")
ax_bv.set_title(f"{sets} training sets of m = {m}")
ax_bv.legend(loc="upper center", fontsize=8)
l2.figure(
    "df_and_bias_variance",
    fig,
    alt=(
        "Left: effective degrees of freedom against λ on a log axis, an S-shaped curve falling from "
        "10 to 0, with three dots where it equals 8, 5 and 2. Right: against the degrees of freedom, "
        "bias squared falls and variance rises from left to right; their sum, the test error minus "
        "the noise, is U-shaped with its minimum marked by a dashed line at an intermediate df."
    ),
    caption=(
        "Left: $\\mathrm{df}(\\lambda)$ and its inverse. Right: the trade-off, plotted against df "
        "(small df = large λ on the left)."
    ),
)
