"""The Frobenius norm and the L2 penalty
‖W‖_F² entry by entry, as tr(WᵀW) and by numpy; the penalty λ/(2m) Σ_l ‖W[l]‖_F²; logistic regression's ‖w‖₂².

A small network is trained on the moons data; for each of its weight matrices the squared Frobenius
norm is computed four ways. The penalty built from them is compared with the package's, the
biases are shown to play no part, and logistic regression's ‖w‖₂² = wᵀw appears as the case L = 1.
"""

# %% [markdown]
# ## A trained network
#
# Layer sizes [2, 6, 4, 1]: W[1] is 6×2, W[2] is 4×6, W[3] is 1×4. Row i of W[l] holds the weights
# of unit i of layer l; column j the weights on input j coming from layer l − 1.

# %% tags=["train"]
import numpy as np

import l2book as l2
from l2book import plots

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(m=200, noise=0.2, seed=seed)
m = l2.glue("m", X.shape[1])
lam = l2.glue("lam", 0.5)
net = l2.Network([2, 6, 4, 1], hidden="tanh", seed=seed)
history = l2.fit(net, X, Y, lam=lam, optimizer=l2.Adam(lr=0.05), epochs=300)

# %% [markdown]
# ## ‖W‖_F² four ways
#
# The definition, a double sum over the n[l] rows and n[l−1] columns; the trace of WᵀW, whose
# diagonal entry j is the squared length of column j; and two numpy one-liners.

# %% tags=["frobenius"]
def frobenius_squared(W):
    """Σ_i Σ_j W_ij²: i over the n[l] units of layer l, j over the n[l−1] inputs."""
    n_l, n_prev = W.shape
    total = 0.0
    for i in range(n_l):
        for j in range(n_prev):
            total += W[i, j] ** 2
    return total


for l, W in enumerate(net.W, start=1):
    print(f"W[{l}] {W.shape}: double sum {frobenius_squared(W):.12f}   "
          f"tr(WᵀW) {np.trace(W.T @ W):.12f}   sum(W**2) {np.sum(W**2):.12f}   "
          f"norm(W, 'fro')² {np.linalg.norm(W, 'fro') ** 2:.12f}")

# %%
ways = np.array([[frobenius_squared(W), np.trace(W.T @ W), np.trace(W @ W.T), np.sum(W**2),
                  np.linalg.norm(W, "fro") ** 2] for W in net.W])  # rows: layers, cols: ways
norms_sq = ways[:, 0]
l2.glue("norms_sq", norms_sq.tolist())
for l, value in enumerate(norms_sq, start=1):
    l2.glue(f"norm_sq_W{l}", float(value))
    l2.glue(f"shape_W{l}", str(net.W[l - 1].shape))
spread = float(np.max(np.abs(ways - norms_sq[:, None]) / norms_sq[:, None]))
l2.claim("frobenius_ways",
         "For every layer, Σ_i Σ_j W_ij², tr(WᵀW), tr(WWᵀ), sum(W**2) and norm(W, 'fro')² agree to "
         "within a relative 1e-12.",
         spread < 1e-12, max_relative_difference=spread)

# %% [markdown]
# ## The penalty
#
# λ/(2m) Σ_l ‖W[l]‖_F², by hand and by the package; and as the difference between the cost with
# and without λ.

# %% tags=["penalty"]
penalty_by_hand = lam / (2 * m) * sum(frobenius_squared(W) for W in net.W)
penalty_package = l2.l2_penalty(net.W, lam=lam, m=m)
penalty_from_cost = net.cost(X, Y, lam=lam) - net.cost(X, Y, lam=0.0)

# %%
l2.glue("penalty", penalty_by_hand)
l2.glue("data_loss", net.data_loss(X, Y))
l2.claim("penalty_matches",
         "λ/(2m) Σ_l ‖W[l]‖_F² computed by hand equals l2.l2_penalty and the difference between "
         "the cost with and without λ.",
         abs(penalty_by_hand - penalty_package) < 1e-12 and abs(penalty_by_hand - penalty_from_cost)
         < 1e-12,
         by_hand=penalty_by_hand, package=penalty_package, from_cost=penalty_from_cost)

# %% [markdown]
# The biases are not in the sum: changing them changes the predictions, not the penalty.

# %% tags=["biases"]
shifted = net.copy()
for b in shifted.b:
    b += 10.0  # every bias moves far away from zero
penalty_shifted = shifted.penalty(lam, m)
l2.claim("biases_excluded",
         "Adding 10 to every bias leaves the penalty unchanged (while the data loss changes).",
         penalty_shifted == net.penalty(lam, m)
         and abs(shifted.data_loss(X, Y) - net.data_loss(X, Y)) > 1e-3,
         penalty=net.penalty(lam, m), penalty_shifted=penalty_shifted)

# %% [markdown]
# ## Logistic regression: the case L = 1
#
# With layer sizes [n_x, 1] the only weight matrix W[1] is the row vector wᵀ, of shape (1, n_x), so
# ‖W[1]‖_F² = Σ_j w_j² = ‖w‖₂² = wᵀw.

# %% tags=["logistic"]
logreg = l2.Network([2, 1], seed=seed)
l2.fit(logreg, X, Y, lam=lam, optimizer=l2.Adam(lr=0.05), epochs=100)
w = logreg.params["W1"][0]  # shape (n_x,)
print("W[1] shape:", logreg.params["W1"].shape, "  ‖W‖_F² =", frobenius_squared(logreg.W[0]),
      "  wᵀw =", w @ w)

# %%
l2.glue("w_norm_sq", float(w @ w))
l2.claim("logistic_special_case",
         "For logistic regression, ‖W[1]‖_F² equals wᵀw and the penalty is λ/(2m)‖w‖₂².",
         abs(frobenius_squared(logreg.W[0]) - w @ w) < 1e-12
         and abs(logreg.penalty(lam, m) - lam / (2 * m) * (w @ w)) < 1e-15,
         frobenius_sq=frobenius_squared(logreg.W[0]), wTw=float(w @ w))

# %% [markdown]
# ## Figure: the entries of W[2]

# %% tags=["figure"]
W = net.W[1]
limit = float(np.abs(W).max())
fig, ax = plots.subplots(width=5.6, height=3.6)
image = ax.imshow(W, cmap="PuOr", vmin=-limit, vmax=limit)
for i in range(W.shape[0]):
    for j in range(W.shape[1]):
        # dark text on the pale middle of the colour map, white on its saturated ends
        ax.text(j, i, f"{W[i, j]:.2f}".replace("-", "−"), ha="center", va="center", fontsize=8,
                color="white" if abs(W[i, j]) > 0.6 * limit else "black")
ax.set_xticks(range(W.shape[1]), [f"j = {j + 1}" for j in range(W.shape[1])])
ax.set_yticks(range(W.shape[0]), [f"i = {i + 1}" for i in range(W.shape[0])])
ax.set_xlabel("column j: input from unit j of layer 1")
ax.set_ylabel("row i: unit i of layer 2")
ax.grid(False)
ax.set_title(f"$W^{{[2]}}$, shape {W.shape}:   "
             rf"$\Vert W^{{[2]}}\Vert_F^2 = \sum_i \sum_j W_{{ij}}^2$ = {norms_sq[1]:.3f}")
fig.colorbar(image, ax=ax, label="weight $W_{ij}$")
l2.figure("matrix", fig,
          alt="A 4 by 6 grid of coloured cells, one per entry of the weight matrix W[2], with the "
              "value written in each cell; rows are the 4 units of layer 2, columns the 6 inputs "
              "from layer 1. The title gives the squared Frobenius norm, the sum of the squares "
              "of all 24 entries.",
          caption=r"Each entry of \(W^{[2]}\) contributes its square to \(\lVert W^{[2]} \rVert_F^2\): "
                  "rows are units of layer 2, columns are inputs from layer 1.")
