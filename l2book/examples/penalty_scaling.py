"""Why λ/(2m): the ½ and the 1/m
The ½ makes the penalty's gradient (λ/m)W; the 1/m makes the best λ the same whatever the number of examples.

Two conventions in the penalty λ/(2m) Σ_l ‖W[l]‖_F². The ½ only tidies the derivative, checked by
finite differences. The 1/m is checked on regression tasks drawn from a Gaussian prior, where the
best λ is known (σ²/τ²): with the 1/m, that best λ is the same for m = 20, 80 and 320 examples;
without it, it would have to shrink like 1/m.
"""

# %% [markdown]
# ## The ½ cancels the 2 of the derivative
#
# ∂/∂W [λ/(2m) ‖W‖_F²] = λ/(2m) · 2W = (λ/m) W. Central finite differences of the package's penalty
# confirm it, entry by entry.

# %% tags=["half"]
import numpy as np

import l2book as l2
from l2book import plots

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
W = rng.standard_normal((4, 3))
lam, m, h = 0.7, 50, 1e-5

numeric = np.zeros_like(W)
for i in range(W.shape[0]):
    for j in range(W.shape[1]):
        step = np.zeros_like(W)
        step[i, j] = h
        numeric[i, j] = (l2.l2_penalty([W + step], lam, m) - l2.l2_penalty([W - step], lam, m)) / (2 * h)

# %%
error_half = float(np.abs(numeric - lam / m * W).max())
error_no_half = float(np.abs(numeric - 2 * lam / m * W).max())
l2.glue("fd_error", error_half)
l2.claim("half_cancels",
         "The finite-difference gradient of λ/(2m)‖W‖_F² equals (λ/m)W to within 1e-8, and is far "
         "from 2(λ/m)W.",
         error_half < 1e-8 and error_no_half > 1e-3, error_lam_over_m=error_half,
         error_2lam_over_m=error_no_half)

# %% [markdown]
# ## The 1/m keeps the best λ independent of m
#
# Regression tasks where the right amount of shrinkage is known: weights w ~ N(0, τ²I) in n_x = 10
# dimensions, inputs x ~ N(0, I), targets y = wᵀx + ε with ε ~ N(0, σ²). For these, ridge with the
# book's λ = σ²/τ² is the best possible estimate for *any* m (it is the posterior mean). For each
# training-set size m, many tasks are drawn, ridge is fitted on a grid of λ, and the expected test
# error is averaged.

# %% tags=["tasks"]
n_x, sigma, tau, tasks = 10, 1.0, 0.5, 300
lam_star = l2.glue("lam_star", l2.lambda_from_prior(sigma, tau))  # σ²/τ²
l2.glue("sigma", sigma)
l2.glue("tau", tau)
l2.glue("tasks", tasks)
lams = np.logspace(-1, 2, 31)
sizes = [20, 80, 320]
excess = {}  # m -> mean excess test error for each λ
for size in sizes:
    total = np.zeros(lams.size)
    for _ in range(tasks):
        w = tau * rng.standard_normal(n_x)
        X = rng.standard_normal((n_x, size))
        y = w @ X + sigma * rng.standard_normal(size)
        path = l2.ridge_path(X, y, lams)  # the book's λ: J = 1/(2m) Σ (ŷ − y)² + λ/(2m) ‖w‖²
        # For a new x ~ N(0, I) and true b = 0: E[(ŵᵀx + b̂ − wᵀx)²] = ‖ŵ − w‖² + b̂².
        total += ((path.coefs - w) ** 2).sum(axis=1) + path.intercepts**2
    excess[size] = total / tasks

# %%
best = {size: float(lams[np.argmin(excess[size])]) for size in sizes}
best_no_m = {size: best[size] / size for size in sizes}  # the same minimizer in J = … + λ'/2 ‖w‖²
for size in sizes:
    print(f"m = {size:3d}: best λ = {best[size]:.3g}   best λ' = λ/m = {best_no_m[size]:.3g}")
l2.glue("sizes", sizes)
l2.glue("best_lams", [best[s] for s in sizes])
l2.glue("best_lams_no_m", [best_no_m[s] for s in sizes])
spread = max(best.values()) / min(best.values())
spread_no_m = max(best_no_m.values()) / min(best_no_m.values())
l2.glue("spread", spread)
l2.glue("spread_no_m", spread_no_m)
l2.claim("best_lambda_stable",
         "With the 1/m in the penalty, the best λ for every m lies within a factor 2 of σ²/τ².",
         all(lam_star / 2 <= best[s] <= 2 * lam_star for s in sizes),
         lam_star=lam_star, best=[best[s] for s in sizes])
l2.claim("best_lambda_moves_without_m",
         "Without the 1/m, the best penalty weight changes by at least a factor 8 between m = 20 "
         "and m = 320.",
         spread_no_m >= 8, spread_no_m=spread_no_m)

# %% tags=["figure"]
fig, (ax_m, ax_no) = plots.subplots(1, 2, width=7.2, height=3.2, sharey=True)
colors = [plots.COLORS[c] for c in ("blue", "orange", "green")]
for size, color in zip(sizes, colors, strict=True):
    relative = excess[size] / excess[size].min()
    for ax, scale in ((ax_m, 1.0), (ax_no, 1.0 / size)):
        ax.plot(lams * scale, relative, color=color, label=f"m = {size}")
        ax.plot([best[size] * scale], [1.0], marker="o", color=color, linestyle="none")
ax_m.axvline(lam_star, color=plots.COLORS["grey"], linestyle=":", label="σ²/τ²")
ax_m.set_xlabel("λ in  λ/(2m) ‖w‖²")
ax_no.set_xlabel("λ' in  (λ'/2) ‖w‖²  (no 1/m)")
ax_m.set_ylabel("test error / its minimum")
for ax in (ax_m, ax_no):
    ax.set_xscale("log")
    ax.set_ylim(0.98, 1.6)
ax_m.legend(fontsize=8)
l2.figure("best_lambda", fig,
          alt="Two panels of relative test error against the penalty weight on a log axis, one "
              "curve per training-set size (20, 80 and 320 examples). Left, with the 1/m in the "
              "penalty: the three minima sit at the same λ, next to the dotted line at σ²/τ². "
              "Right, without the 1/m: the minima move left as m grows.",
          caption="Where the test error is lowest. With λ/(2m) the best λ does not depend on m; "
                  "without the 1/m it would have to be retuned for every data-set size.")
