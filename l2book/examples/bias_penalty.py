"""What if the bias were penalized too?
On data away from the origin, adding λb²/(2m) to the cost drags the decision boundary toward the origin.

Logistic regression on two classes centred around (3, 2), trained by gradient descent on the book's
cost (only w penalized) and on the same cost plus λ/(2m) b². The same comparison on the centred data
shows that the damage comes from where the origin happens to be.
"""

# %% [markdown]
# ## Data away from the origin
#
# Two Gaussian classes on either side of the point c = (3, 2). Nothing about the problem is special
# at (0, 0): it is just where the coordinates start.

# %% tags=["data"]
import numpy as np

import l2book as l2
from l2book import plots

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
m = l2.glue("m", 200)
centre = np.array([[3.0], [2.0]])
offset = np.array([[0.8], [0.8]])  # class 1 sits at c + offset, class 0 at c − offset


def draw(m):
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    X = centre + np.where(Y == 1, 1.0, -1.0) * offset + rng.standard_normal((2, m))
    return X, Y


X, Y = draw(m)
X_dev, Y_dev = draw(1000)

# %% [markdown]
# ## Gradient descent, with and without a penalty on b
#
# The book's gradient already contains (λ/m)W for the weights and nothing for the bias. Penalizing
# b as well adds (λ/m)b to its gradient: that single line is the only difference.

# %% tags=["train"]
lam = l2.glue("lam", 30.0)


def train(X, Y, penalize_bias, lr=0.3, steps=1000):
    net = l2.Network([2, 1], seed=seed)
    for _ in range(steps):
        grads = net.gradients(X, Y, lam=lam)  # ∂J/∂W includes (λ/m)W
        if penalize_bias:
            grads["b1"] = grads["b1"] + lam / m * net.params["b1"]  # the extra λ/(2m)·b² term
        for key in net.params:
            net.params[key] -= lr * grads[key]
    return net


free = train(X, Y, penalize_bias=False)
tied = train(X, Y, penalize_bias=True)

# %%
def describe(net, X_dev):
    w, b = net.params["W1"][0], float(net.params["b1"][0, 0])
    # The boundary is the line wᵀx + b = 0; |wᵀc + b|/‖w‖ is its distance from the point c.
    return {"w": w, "b": b, "dev_acc": net.accuracy(X_dev, Y_dev),
            "from_origin": abs(b) / np.linalg.norm(w),
            "from_centre": abs(float(w @ centre[:, 0]) + b) / np.linalg.norm(w)}


r_free, r_tied = describe(free, X_dev), describe(tied, X_dev)
for name, r in (("b not penalized", r_free), ("b penalized", r_tied)):
    print(f"{name:16s} w = {np.round(r['w'], 3)}, b = {r['b']:.3f}, dev accuracy {r['dev_acc']:.3f}, "
          f"boundary {r['from_centre']:.2f} from c and {r['from_origin']:.2f} from the origin")
for key in ("b", "dev_acc", "from_origin", "from_centre"):
    l2.glue(f"{key}_free", r_free[key])
    l2.glue(f"{key}_tied", r_tied[key])
centre_from_origin = l2.glue("centre_from_origin", float(np.linalg.norm(centre)))

# %% [markdown]
# ## Did gradient descent converge?
#
# The comparison is between two minima, so both runs must have reached theirs.

# %%
def gradient_size(net, penalize_bias):
    grads = net.gradients(X, Y, lam=lam)
    if penalize_bias:
        grads["b1"] = grads["b1"] + lam / m * net.params["b1"]
    return max(float(np.abs(g).max()) for g in grads.values())


l2.claim("converged",
         "Both runs end with every gradient component below 1e-3 (they reached their minima).",
         gradient_size(free, False) < 1e-3 and gradient_size(tied, True) < 1e-3,
         free=gradient_size(free, False), tied=gradient_size(tied, True))
l2.claim("free_through_centre",
         "With b unpenalized, the boundary passes within 0.2 of the centre c of the data.",
         r_free["from_centre"] < 0.2, distance=r_free["from_centre"])
l2.claim("tied_pulled",
         "Penalizing b pulls the boundary at least 1 unit closer to the origin and costs at least "
         "5 points of dev accuracy.",
         r_free["from_origin"] - r_tied["from_origin"] >= 1.0
         and r_free["dev_acc"] - r_tied["dev_acc"] >= 0.05,
         from_origin_free=r_free["from_origin"], from_origin_tied=r_tied["from_origin"],
         dev_acc_free=r_free["dev_acc"], dev_acc_tied=r_tied["dev_acc"])

# %% [markdown]
# ## The same data, centred
#
# Subtract c from every input. Now the boundary that separates the classes passes near the origin,
# and penalizing b costs almost nothing.

# %% tags=["centred"]
free_c = train(X - centre, Y, penalize_bias=False)
tied_c = train(X - centre, Y, penalize_bias=True)
acc_free_c = l2.glue("dev_acc_free_centred", free_c.accuracy(X_dev - centre, Y_dev))
acc_tied_c = l2.glue("dev_acc_tied_centred", tied_c.accuracy(X_dev - centre, Y_dev))

# %%
l2.claim("centred_harmless",
         "On centred inputs, penalizing b changes the dev accuracy by at most 1 point, and the "
         "unpenalized model is unaffected by the shift (same dev accuracy to within 1 point).",
         abs(acc_free_c - acc_tied_c) <= 0.01 and abs(acc_free_c - r_free["dev_acc"]) <= 0.01,
         free_centred=acc_free_c, tied_centred=acc_tied_c, free=r_free["dev_acc"])

# %% tags=["figure"]
fig, axes = l2.decision_boundaries(
    [free, tied], X, Y,
    titles=[f"b not penalized\ndev accuracy {r_free['dev_acc']:.0%}",
            f"b penalized too\ndev accuracy {r_tied['dev_acc']:.0%}"])
for ax in axes:
    ax.plot(*centre[:, 0], marker="+", markersize=12, color=plots.COLORS["black"],
            linestyle="none")
    ax.plot(0, 0, marker="x", markersize=9, color=plots.COLORS["vermillion"], linestyle="none")
    ax.set_xlim(min(ax.get_xlim()[0], -0.5), None)
    ax.set_ylim(min(ax.get_ylim()[0], -0.5), None)
l2.figure("boundaries", fig,
          alt="Two panels with the same two classes of points centred around (3, 2). Left, with "
              "the bias unpenalized: the decision boundary runs between the classes through their "
              "centre, marked by a plus. Right, with the bias penalized too: the boundary is "
              "shifted toward the origin, marked by a cross, and cuts through one of the classes.",
          caption=f"Logistic regression with λ = {lam:g}. Plus: the centre of the data; cross: the "
                  "origin. Penalizing b drags the boundary toward the origin.")
