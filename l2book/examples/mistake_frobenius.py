"""Mistake: "the Frobenius norm is the largest singular value"
‖W‖_F² = Σ_k σ_k² adds up every singular value; the largest one alone is the spectral norm ‖W‖₂.
"""

# %% [markdown]
# The penalty λ/(2m) Σ_l ‖W[l]‖_F² uses the Frobenius norm, ‖W‖_F² = Σ_i Σ_j W_ij². With the singular
# values σ_1 ≥ σ_2 ≥ … of W, it is also ‖W‖_F² = Σ_k σ_k². The *largest* singular value σ_1 is a
# different norm, the spectral (operator) norm ‖W‖₂ = max ‖Wx‖/‖x‖. The two are easy to mix up
# because numpy's `np.linalg.norm(W)` is the Frobenius norm while `np.linalg.norm(W, 2)` is the
# spectral norm. We compare them on the weight matrices of a trained network.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(200, noise=0.25, seed=seed)
net = l2.Network([2, 20, 20, 1], hidden="tanh", seed=seed)
W_init = net.params["W2"].copy()  # 20 × 20, at initialisation
lam = l2.glue("lam", 0.7)
history = l2.fit(net, X, Y, lam=lam, optimizer=l2.Adam(0.01), epochs=200, record_every=200)

# %% tags=["norms"]
W = net.params["W2"]  # 20 × 20, after training with L2
sigma = np.linalg.svd(W, compute_uv=False)  # singular values, largest first
sigma_init = np.linalg.svd(W_init, compute_uv=False)
frobenius = np.sqrt(np.sum(W**2))  # ‖W‖_F from its definition
l2.glue("fro", float(frobenius))
l2.glue("sigma_max", float(sigma[0]))
l2.glue("sqrt_sum_sigma2", float(np.sqrt(np.sum(sigma**2))))
l2.glue("numpy_default", float(np.linalg.norm(W)))
l2.glue("numpy_ord2", float(np.linalg.norm(W, 2)))
share = l2.glue("top_share", float(sigma[0] ** 2 / np.sum(sigma**2)))  # σ₁²'s share of ‖W‖_F²
share_init = l2.glue("top_share_init", float(sigma_init[0] ** 2 / np.sum(sigma_init**2)))
l2.glue("fro_init", float(np.linalg.norm(W_init)))
sigma_max_init = l2.glue("sigma_max_init", float(sigma_init[0]))

# %%
l2.claim(
    "fro_is_sum_of_squares",
    "‖W‖_F² equals the sum of the squared singular values.",
    bool(abs(frobenius**2 - np.sum(sigma**2)) < 1e-12 * frobenius**2),
    fro_squared=float(frobenius**2),
    sum_sigma_squared=float(np.sum(sigma**2)),
)
l2.claim(
    "fro_not_spectral",
    "‖W‖_F exceeds σ₁ both before and after training; at initialisation σ₁² is less than a quarter "
    "of ‖W‖_F², after training with L2 it is most of it.",
    bool(frobenius > sigma[0] and np.linalg.norm(W_init) > sigma_init[0]
         and share_init < 0.25 and share > 0.5),
    top_share_init=share_init,
    top_share_trained=share,
)
l2.claim(
    "numpy_defaults",
    "np.linalg.norm(W) is the Frobenius norm and np.linalg.norm(W, 2) the largest singular value.",
    bool(np.isclose(np.linalg.norm(W), frobenius, rtol=1e-12)
         and np.isclose(np.linalg.norm(W, 2), sigma[0], rtol=1e-12)),
)

# %% [markdown]
# It matters for what the penalty does. The gradient (λ/m)W shrinks *every* singular value by the
# same factor (1 − ηλ/m); a penalty on the spectral norm would push on σ₁ only.

# %% tags=["decay"]
lr, m = 0.1, X.shape[1]
sigma_after = np.linalg.svd((1 - lr * lam / m) * W, compute_uv=False)
ratios = sigma_after / sigma

# %%
l2.claim(
    "decay_shrinks_all",
    "One weight-decay step multiplies every singular value of W by 1 − ηλ/m.",
    bool(np.allclose(sigma_after, (1 - lr * lam / m) * sigma, rtol=0, atol=1e-12 * sigma[0])),
    factor=1 - lr * lam / m,
    min_ratio=float(ratios.min()),
    max_ratio=float(ratios.max()),
)

# %% tags=["figure"]
from l2book import plots

fig, axes = plots.subplots(1, 2, width=8.4, height=3.2)
k = np.arange(1, sigma.size + 1)
panels = ((axes[0], sigma_init, "at initialisation"), (axes[1], sigma, f"after training, λ = {lam:g}"))
for ax, values, title in panels:
    ax.bar(k, values**2, color=plots.COLORS["blue"], label="$\\sigma_k^2$")
    ax.axhline(values[0] ** 2, color=plots.COLORS["vermillion"], linestyle="--",
               label="$\\|W\\|_2^2 = \\sigma_1^2$")
    ax.set_xlabel("singular value index $k$")
    ax.set_title(f"$W^{{[2]}}$ {title}: $\\|W\\|_F^2$ = {np.sum(values**2):.2f}")
axes[0].set_ylabel("$\\sigma_k^2$")
axes[0].legend(loc="upper right")
l2.figure(
    "singular_values",
    fig,
    alt=(
        "Two bar charts of the twenty squared singular values of a 20 by 20 weight matrix, "
        "decreasing from left to right, with a dashed line at the largest one. At initialisation the "
        "bars decline slowly and the first is a small part of the total; after training with L2 the "
        "first bar dominates. The Frobenius norm squared is the total height of all bars."
    ),
    caption="The Frobenius norm counts every bar; the spectral norm only the first.",
)
