"""Reproducing the deep-learning course's L2 cost and gradients
The course's expected L2 cost (λ = 0.1) and gradients (λ = 0.7), recomputed by l2book.
"""

# %% [markdown]
# The programming assignment "Regularization" of DeepLearning.AI's course *Improving Deep Neural
# Networks* (Coursera, week 1) has the learner write `compute_cost_with_regularization` and
# `backward_propagation_with_regularization`, and prints the **expected output** for fixed test
# inputs. Those inputs (a seed-1 NumPy stream and a few printed arrays) and the expected outputs
# are typed below as data; l2book computes the same quantities with its own code.

# %% tags=["published"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 1)  # the assignment's np.random.seed(1)
PUBLISHED_COST = 1.78648594516  # compute_cost_with_regularization(A3, Y, parameters, lambd=0.1)
PUBLISHED_DW = {  # backward_propagation_with_regularization(X, Y, cache, lambd=0.7)
    "W1": [[-0.25604646, 0.12298827, -0.28297129], [-0.17706303, 0.34536094, -0.4410571]],
    "W2": [[0.79276486, 0.85133918], [-0.0957219, -0.01720463], [-0.13100772, -0.03750433]],
    "W3": [[-1.77691347, -0.11832879, -0.09397446]],
}

# %% [markdown]
# **The cost.** The test case draws W[1], b[1], W[2], b[2], W[3], b[3] in that order from
# `np.random.seed(1)` (the legacy generator, `RandomState(1)`), with the output activations A[3]
# given, labels Y = [1, 1, 0, 1, 0] and λ = 0.1:
#
# J = (1/m) Σ_i L(a⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F².

# %% tags=["cost"]
rng = np.random.RandomState(seed)
shapes = [("W1", (2, 3)), ("b1", (2, 1)), ("W2", (3, 2)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1))]
params = {name: rng.randn(*shape) for name, shape in shapes}
A3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
Y = np.array([[1.0, 1.0, 0.0, 1.0, 0.0]])
lam_cost = l2.glue("lam_cost", 0.1)
m = Y.shape[1]
cost = l2.cross_entropy(A3, Y) + l2.l2_penalty([params["W1"], params["W2"], params["W3"]], lam_cost, m)

# %% [markdown]
# **The gradients.** The second test case fixes a [3, 2, 3, 1] ReLU network (its weights are
# printed in the assignment), X drawn from `np.random.seed(1)` with shape (3, 5), the same Y, and
# λ = 0.7: ∂J/∂W[l] = (1/m) dZ[l] A[l−1]ᵀ + (λ/m) W[l]. l2book's network runs the forward and
# backward passes itself.

# %% tags=["gradients"]
X = np.random.RandomState(seed).randn(3, 5)
net = l2.Network.from_params(
    {
        "W1": np.array([[-1.09989127, -0.17242821, -0.87785842], [0.04221375, 0.58281521, -1.10061918]]),
        "b1": np.array([[1.14472371], [0.90159072]]),
        "W2": np.array([[0.50249434, 0.90085595], [-0.68372786, -0.12289023], [-0.93576943, -0.26788808]]),
        "b2": np.array([[0.53035547], [-0.69166075], [-0.39675353]]),
        "W3": np.array([[-0.6871727, -0.84520564, -0.67124613]]),
        "b3": np.array([[-0.0126646]]),
    },
    hidden="relu",
    output="sigmoid",
)
lam_grad = l2.glue("lam_grad", 0.7)
grads = net.gradients(X, Y, lam=lam_grad)

# %% [markdown]
# The comparison. The expected outputs are printed with 11 (cost) and 8 (gradients) significant
# decimals, so agreement to half a unit in the last printed place is all that can be asked.

# %% tags=["compare"]
l2.glue("cost_published", PUBLISHED_COST)
l2.glue("cost_l2book", float(cost))
cost_diff = l2.glue("cost_diff", float(abs(cost - PUBLISHED_COST)))
grad_diffs = {k: np.abs(grads[k] - np.array(v)) for k, v in PUBLISHED_DW.items()}
grad_max_diff = l2.glue("grad_max_diff", float(max(d.max() for d in grad_diffs.values())))
n_entries = l2.glue("n_grad_entries", int(sum(d.size for d in grad_diffs.values())))
for k in PUBLISHED_DW:
    l2.glue(f"d{k}_published", PUBLISHED_DW[k])
    l2.glue(f"d{k}_l2book", grads[k])
l2.glue("dW3_published_first", PUBLISHED_DW["W3"][0][0])
l2.glue("dW3_l2book_first", float(grads["W3"][0, 0]))
penalty_share = l2.glue(
    "penalty_share", float(l2.l2_penalty([params[k] for k in ("W1", "W2", "W3")], lam_cost, m) / cost)
)

# %%
l2.claim(
    "cost_reproduced",
    "l2book's regularized cost equals the published expected output to all 11 printed decimals.",
    bool(cost_diff < 0.5e-11),
    cost=float(cost),
    published=PUBLISHED_COST,
    diff=cost_diff,
)
l2.claim(
    "gradients_reproduced",
    "Every entry of l2book's dW[1], dW[2], dW[3] equals the published expected output to the 8 "
    "printed decimals.",
    bool(grad_max_diff < 0.5e-8),
    max_diff=grad_max_diff,
    n_entries=n_entries,
)

# %% [markdown]
# Each published gradient entry against l2book's: all points on the diagonal.

# %% tags=["figure"]
from l2book import plots

published = np.concatenate([np.ravel(v) for v in PUBLISHED_DW.values()])
ours = np.concatenate([grads[k].ravel() for k in PUBLISHED_DW])
layer = np.concatenate([np.full(np.size(v), l) for l, v in enumerate(PUBLISHED_DW.values(), start=1)])
fig, ax = plots.subplots(width=4.8, height=4.0)
lim = 1.1 * np.max(np.abs(published))
ax.plot([-lim, lim], [-lim, lim], color=plots.COLORS["grey"], linewidth=1, label="equal")
for l, color in zip((1, 2, 3), ("blue", "orange", "green"), strict=True):
    ax.scatter(published[layer == l], ours[layer == l], s=30, color=plots.COLORS[color],
               label=f"dW[{l}]", zorder=3)
ax.set_xlabel("published expected output")
ax.set_ylabel("l2book")
ax.set_aspect("equal")
ax.legend(loc="upper left")
l2.figure(
    "gradients",
    fig,
    alt=(
        f"Scatter of the {n_entries} entries of dW[1], dW[2] and dW[3] with λ = {lam_grad:g}: the "
        "published expected output on the horizontal axis, l2book's value on the vertical axis. "
        f"All points lie on the diagonal; the largest difference is {grad_max_diff:.1e}."
    ),
    caption=(
        f"The gradients of the course's test case with λ = {lam_grad:g}, published against recomputed."
    ),
)
