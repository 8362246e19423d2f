"""Loss, cost and the shape of everything
Cross-entropy loss per example, the cost J over m examples by a loop and vectorized, and every array's shape.

Logistic regression first (w ∈ ℝ^{n_x}, b ∈ ℝ), then an L-layer network: the cost is the average
loss in both cases, and the loop over examples gives the same number as the vectorized code. The
shapes of X, Y, W[l], b[l], Z[l], A[l], dW[l] and db[l] are read off a real forward and backward pass.
"""

# %% [markdown]
# ## The loss of one example
#
# For a label y ∈ {0, 1} and a prediction ŷ ∈ (0, 1), the cross-entropy loss is
# L(ŷ, y) = −(y log ŷ + (1 − y) log(1 − ŷ)): −log ŷ when y = 1, −log(1 − ŷ) when y = 0.

# %% tags=["loss_figure"]
import math

import numpy as np

import l2book as l2
from l2book import plots

y_hat = np.linspace(0.005, 0.995, 199)
fig, ax = plots.subplots(width=5.0, height=3.2)
ax.plot(y_hat, -np.log(y_hat), color=plots.COLORS["orange"], label="y = 1:  L = −log ŷ")
ax.plot(y_hat, -np.log(1 - y_hat), color=plots.COLORS["blue"], linestyle="--",
        label="y = 0:  L = −log(1 − ŷ)")
ax.set_xlabel("prediction ŷ")
ax.set_ylabel("loss L(ŷ, y)")
ax.set_ylim(0, 5)
ax.legend()
l2.figure("loss_curves", fig,
          alt="Two curves of the cross-entropy loss against the prediction ŷ between 0 and 1. For "
              "y = 1 the loss −log ŷ is zero at ŷ = 1 and grows without bound as ŷ approaches 0; "
              "for y = 0 the loss −log(1 − ŷ) is its mirror image.",
          caption="Cross-entropy: a confident wrong prediction costs much more than an unsure one.")

# %% [markdown]
# ## Logistic regression: loss per example, cost over the training set
#
# A small data set, one column per example: X has shape (n_x, m), Y has shape (1, m).
# `l2.Network([n_x, 1])` is logistic regression: W[1] is the row vector wᵀ, b[1] the scalar b.

# %% tags=["data"]
seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
n_x, m = 3, 6
X = rng.standard_normal((n_x, m))
Y = (X[0] + X[1] > 0).astype(float).reshape(1, m)
l2.glue("n_x", n_x)
l2.glue("m", m)

logreg = l2.Network([n_x, 1], seed=seed)
w, b = logreg.params["W1"][0], float(logreg.params["b1"][0, 0])  # w ∈ ℝ^{n_x}, b ∈ ℝ

# %% tags=["loop"]
def sigmoid(z):
    return 1 / (1 + math.exp(-z))


losses = []
for i in range(m):  # one example at a time, as the formula is written
    z = sum(w[k] * X[k, i] for k in range(n_x)) + b
    y_hat_i = sigmoid(z)
    y_i = Y[0, i]
    losses.append(-(y_i * math.log(y_hat_i) + (1 - y_i) * math.log(1 - y_hat_i)))
J_loop = sum(losses) / m  # J(w, b) = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾)

# %% tags=["vectorized"]
Y_hat = logreg.predict_proba(X)  # σ(wᵀX + b), shape (1, m): all examples at once
J_vec = l2.cross_entropy(Y_hat, Y)

# %%
l2.glue("losses", [float(L) for L in losses])
l2.glue("J_logreg", J_vec)
l2.glue("logreg_diff", abs(J_loop - J_vec))
l2.claim("logreg_loop_equals_vectorized",
         "For logistic regression, the loop over examples and the vectorized code give the same "
         "cost (difference below 1e-12).",
         abs(J_loop - J_vec) < 1e-12, J_loop=J_loop, J_vec=J_vec)
l2.claim("cost_is_mean_loss",
         "The network's cost with λ = 0 is the mean of the per-example losses.",
         abs(logreg.cost(X, Y, lam=0.0) - np.mean(losses)) < 1e-12,
         cost=logreg.cost(X, Y, lam=0.0), mean_loss=float(np.mean(losses)))

# %% [markdown]
# ## An L-layer network
#
# Layer sizes [n_x, n[1], n[2], n[3]] = [3, 5, 4, 1]: L = 3 layers with parameters. The cost has the
# same form, J(W[1], b[1], …, W[L], b[L]) = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾), with ŷ = A[L] now computed by
# forward propagation through all layers.

# %% tags=["network"]
layer_sizes = [n_x, 5, 4, 1]
net = l2.Network(layer_sizes, hidden="tanh", seed=seed)
L = net.L

losses_net = []
for i in range(m):  # forward propagation of one example, a column vector of shape (n_x, 1)
    a = X[:, [i]]
    for l in range(1, L + 1):
        z = net.params[f"W{l}"] @ a + net.params[f"b{l}"]
        a = np.tanh(z) if l < L else 1 / (1 + np.exp(-z))
    y_i, y_hat_i = Y[0, i], a[0, 0]
    losses_net.append(-(y_i * np.log(y_hat_i) + (1 - y_i) * np.log(1 - y_hat_i)))
J_net_loop = float(np.mean(losses_net))
J_net_vec = net.cost(X, Y, lam=0.0)  # every example in one matrix product per layer

# %%
l2.glue("L", L)
l2.glue("layer_sizes", layer_sizes)
l2.glue("J_net", J_net_vec)
l2.claim("network_loop_equals_vectorized",
         "For the L-layer network, the loop over examples and the vectorized forward pass give the "
         "same cost (difference below 1e-12).",
         abs(J_net_loop - J_net_vec) < 1e-12, J_loop=J_net_loop, J_vec=J_net_vec)

# %% [markdown]
# ## The shape of every object
#
# Read off a real forward pass (Z[l], A[l]) and backward pass (dW[l], db[l]) of this network.

# %% tags=["shapes"]
A_L, cache = net.forward(X)  # cache[l-1] = (A[l-1], Z[l], A[l])
grads = net.gradients(X, Y, lam=0.0)
shapes = {"X": X.shape, "Y": Y.shape}
for l in range(1, L + 1):
    _, Z, A = cache[l - 1]
    shapes |= {f"W{l}": net.params[f"W{l}"].shape, f"b{l}": net.params[f"b{l}"].shape,
               f"Z{l}": Z.shape, f"A{l}": A.shape,
               f"dW{l}": grads[f"W{l}"].shape, f"db{l}": grads[f"b{l}"].shape}
for name, shape in shapes.items():
    print(f"{name:4s} {shape}")

# %%
for name, shape in shapes.items():
    l2.glue(f"shape_{name}", str(shape))

n = layer_sizes
expected = {"X": (n[0], m), "Y": (1, m)}
for l in range(1, L + 1):
    expected |= {f"W{l}": (n[l], n[l - 1]), f"b{l}": (n[l], 1), f"Z{l}": (n[l], m),
                 f"A{l}": (n[l], m), f"dW{l}": (n[l], n[l - 1]), f"db{l}": (n[l], 1)}
mismatches = [name for name in expected if shapes[name] != expected[name]]
l2.claim("shapes",
         "Every array has the shape of the notation: W[l] is (n[l], n[l−1]), b[l] is (n[l], 1), "
         "Z[l] and A[l] are (n[l], m), and each gradient has the shape of its parameter.",
         not mismatches, mismatches=", ".join(mismatches) or "none")
