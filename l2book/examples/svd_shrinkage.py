"""Shrinkage direction by direction
In the SVD basis ridge scales each least-squares coefficient by d_j²/(d_j² + λ): weak directions shrink most.
"""

# %% [markdown]
# The prostate data (8 standardized inputs, the 67 training men of ESL's split). With the thin SVD
# of the centered inputs X̃ᵀ = U D Vᵀ, the columns v_j of V are the principal directions and d_j
# measures how much the data spread along v_j. Ridge's solution is
# ŵ(λ) = Σ_j v_j · d_j/(d_j² + λ) · u_jᵀỹ, so in the basis of the v_j each least-squares
# coefficient is multiplied by s_j(λ) = d_j²/(d_j² + λ).

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)  # no randomness here; glued for the provenance footer
data = l2.load_prostate()
X = l2.Standardizer.fit(data.X[:, data.train]).transform(data.X[:, data.train])
y = data.y[:, data.train]
n_x = l2.glue("n_x", X.shape[0])
m = l2.glue("m", X.shape[1])

# %% tags=["factors"]
lams = np.geomspace(1e-2, 1e4, 121)
s = l2.shrinkage_factors(X, lams)  # s[k, j] = d_j²/(d_j² + λ_k), shape (121, 8)
w_ls = l2.ridge(X, y, 0.0).w

# %% [markdown]
# To check the formula independently of the SVD that `ridge_path` uses, we solve ridge separately
# for every λ with `l2.ridge` (a least-squares solve of the normal equations), then rotate the
# solutions into the basis of principal directions by multiplying with Vᵀ.

# %% tags=["svd_basis"]
Xc = X - X.mean(axis=1, keepdims=True)
_, d, Vt = np.linalg.svd(Xc.T, full_matrices=False)
W_ridge = np.stack([l2.ridge(X, y, lam).w for lam in lams])  # (121, 8), one solve per λ
ridge_in_basis = W_ridge @ Vt.T  # row k: Vᵀŵ(λ_k)
ls_in_basis = Vt @ w_ls  # Vᵀŵ_LS
predicted = s * ls_in_basis  # s_j(λ_k) · (Vᵀŵ_LS)_j
max_rel_diff = float(np.max(np.abs(ridge_in_basis - predicted)) / np.max(np.abs(ls_in_basis)))
l2.glue("max_rel_diff", max_rel_diff)
singular_values = l2.glue("singular_values", d.round(2))

# %%
l2.claim(
    "ridge_is_scaled_least_squares",
    "In the SVD basis every ridge coefficient equals d_j²/(d_j² + λ) times the least-squares "
    "coefficient, for every λ on the grid.",
    bool(max_rel_diff < 1e-10),
    max_rel_diff=max_rel_diff,
    tolerance=1e-10,
    n_lams=lams.size,
)
path = l2.ridge_path(X, y, lams)  # all λ from one SVD: ŵ(λ) = V diag(d_j/(d_j²+λ)) Uᵀỹ
l2.claim(
    "path_matches_solves",
    "ridge_path (one SVD) and separate ridge solves give the same coefficients.",
    bool(np.max(np.abs(path.coefs - W_ridge)) < 1e-10),
    max_abs_diff=float(np.max(np.abs(path.coefs - W_ridge))),
)
l2.claim(
    "small_directions_shrink_most",
    "For every λ > 0 the factor d_j²/(d_j² + λ) decreases with j: the direction of least spread "
    "is shrunk the most.",
    bool(np.all(np.diff(s, axis=1) < 0)),
    s_first_direction_at_lam_1=float(s[np.argmin(np.abs(lams - 1.0)), 0]),
    s_last_direction_at_lam_1=float(s[np.argmin(np.abs(lams - 1.0)), -1]),
)

# %% [markdown]
# The λ at which ridge keeps 5 of its 8 degrees of freedom, df(λ) = Σ_j s_j(λ) = 5, and the
# factors there.

# %% tags=["df5"]
lam5 = l2.lambda_for_df(X, 5.0)
s5 = l2.shrinkage_factors(X, lam5)
w5_in_basis = Vt @ l2.ridge(X, y, lam5).w
l2.glue("lam5", lam5)
l2.glue("s5", s5.round(3))
l2.glue("s5_first", float(s5[0]))
l2.glue("s5_last", float(s5[-1]))
l2.claim(
    "df_is_sum_of_factors",
    "At λ = lambda_for_df(X, 5) the shrinkage factors add up to 5.",
    bool(abs(s5.sum() - 5.0) < 1e-8),
    sum_of_factors=float(s5.sum()),
    lam=lam5,
)

# %% [markdown]
# λ is measured in units of the squared inputs: scaling X by c scales every d_j² by c², so the same
# df needs c²λ. The reproduction of ESL's table standardizes differently (mean and standard
# deviation of all 97 men, divisor N − 1, where this page uses the 67 training men and divisor N),
# so its λ for df = 5 is another number for the same amount of shrinkage.

# %% tags=["df5_scale"]
lam5_doubled = l2.lambda_for_df(2 * X, 5.0)  # inputs in units twice as small
X_esl = l2.Standardizer.fit(data.X, ddof=1).transform(data.X)[:, data.train]  # ESL's scaling
lam5_esl = l2.glue("lam5_esl", l2.lambda_for_df(X_esl, 5.0))
l2.claim(
    "lambda_scales_with_inputs",
    "Doubling every input multiplies the λ for df = 5 by four; with ESL's standardization the λ for "
    "df = 5 differs from this page's by more than 1%, though both give df = 5.",
    bool(abs(lam5_doubled / lam5 - 4) < 1e-8 and abs(lam5_esl / lam5 - 1) > 0.01
         and abs(l2.effective_df(X_esl, lam5_esl) - 5) < 1e-8),
    ratio_doubled=float(lam5_doubled / lam5),
    lam5=lam5,
    lam5_esl=lam5_esl,
)

# %% tags=["figure"]
import matplotlib

from l2book import plots

fig, (ax_s, ax_b) = plots.subplots(1, 2, width=8.6, height=3.8)
cmap = matplotlib.colormaps["viridis"]
for j in range(d.size):
    ax_s.plot(lams, s[:, j], color=cmap(0.85 * j / (d.size - 1)), label=f"$d_{j + 1} = {d[j]:.1f}$")
ax_s.axvline(lam5, color=plots.COLORS["grey"], linestyle="--", linewidth=1)
ax_s.set_xscale("log")
ax_s.set_xlabel(r"$\lambda$ (log scale)")
ax_s.set_ylabel(r"shrinkage factor $d_j^2/(d_j^2+\lambda)$")
ax_s.set_title("Each principal direction has its own factor")
ax_s.legend(fontsize=7.5, loc="lower left")

j = np.arange(1, d.size + 1)
ax_b.bar(j - 0.2, ls_in_basis, width=0.4, color=plots.COLORS["grey"], label=r"least squares ($\lambda=0$)")
ax_b.bar(j + 0.2, w5_in_basis, width=0.4, color=plots.COLORS["blue"],
         label=rf"ridge, $\lambda = {lam5:.1f}$ (df = 5)")
ax_b.axhline(0, color=plots.COLORS["black"], linewidth=0.8)
ax_b.set_xticks(j)
ax_b.set_xlabel("principal direction $j$ (decreasing $d_j$)")
ax_b.set_ylabel(r"coefficient $v_j^\top w$")
ax_b.set_title("Coefficients in the SVD basis")
ax_b.legend(fontsize=8)
l2.figure(
    "shrinkage",
    fig,
    alt=(
        "Left: eight S-shaped curves falling from 1 to 0 as λ grows on a log axis, one per principal "
        "direction; curves of directions with small singular values fall first. Right: bar chart of "
        "the eight least-squares coefficients in the SVD basis (grey) next to the ridge coefficients "
        "at the λ giving 5 degrees of freedom (blue); the blue bars are slightly smaller for the first "
        "directions and much smaller for the last ones."
    ),
    caption=(
        "Prostate data, 8 standardized inputs. Left: $s_j(\\lambda) = d_j^2/(d_j^2+\\lambda)$; "
        "the dashed line marks the $\\lambda$ with df = 5. Right: at that $\\lambda$ each blue bar "
        "is its grey bar times $s_j$."
    ),
)
