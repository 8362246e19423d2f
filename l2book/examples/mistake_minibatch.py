"""Mistake: dividing the penalty by the batch size
Writing the penalty as λ/(2|B|)‖w‖² on each minibatch trains with an effective λ that is m/|B| times larger.
"""

# %% [markdown]
# The book's cost is J = (1/m) Σ_i L⁽ⁱ⁾ + λ/(2m)‖W‖², with m the size of the **training set**. On a
# minibatch B the data term is estimated by (1/|B|) Σ_{i∈B} L⁽ⁱ⁾, but the penalty does not depend on
# the examples: its gradient stays (λ/m)W. A common slip is to compute "the cost of the batch" with
# the batch size in place of m, i.e. a penalty gradient (λ/|B|)W. Averaged over an epoch, that is
# the gradient of the book's cost with λ·m/|B|.
#
# A linear model (a network with no hidden layer and an identity output) makes the target exact:
# ridge regression, solved in closed form by `l2.ridge`.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
n_x, m = 5, l2.glue("m", 200)
X = rng.standard_normal((n_x, m))
y = (rng.normal(0.0, 1.0, n_x) @ X + 0.5 + 0.5 * rng.standard_normal(m)).reshape(1, -1)
lam = l2.glue("lam", 5.0)
batch = l2.glue("batch_size", 10)
lr, epochs = l2.glue("lr", 0.005), l2.glue("epochs", 80)

# %% tags=["runs"]
right = l2.Network([n_x, 1], output="identity", seed=seed)
l2.fit(right, X, y, lam=lam, optimizer=l2.SGD(lr, batch_size=batch), epochs=epochs, seed=seed)

wrong = l2.Network([n_x, 1], output="identity", seed=seed)
opt = l2.SGD(lr, batch_size=batch)
epoch_rng = np.random.default_rng(seed)
for _ in range(epochs):
    for idx in opt.batches(m, epoch_rng):
        # The slip: the batch's own "cost", so its penalty gradient is (λ/|B|)W instead of (λ/m)W.
        opt.step(wrong.params, wrong.gradients(X[:, idx], y[:, idx], lam=lam))

# %% tags=["compare"]
ridge_lam = l2.ridge(X, y, lam).w
ridge_scaled = l2.ridge(X, y, lam * m / batch).w
l2.glue("effective_lam", lam * m / batch)


def gap(w: np.ndarray, target: np.ndarray) -> float:
    """Distance from a fitted weight vector to a ridge solution, relative to the latter's length."""
    return float(np.linalg.norm(w - target) / np.linalg.norm(target))


right_w, wrong_w = right.params["W1"][0], wrong.params["W1"][0]
right_to_lam = l2.glue("right_to_lam", gap(right_w, ridge_lam))
wrong_to_lam = l2.glue("wrong_to_lam", gap(wrong_w, ridge_lam))
wrong_to_scaled = l2.glue("wrong_to_scaled", gap(wrong_w, ridge_scaled))
norm_ratio = l2.glue("norm_ratio", float(np.linalg.norm(wrong_w) / np.linalg.norm(right_w)))

# %%
l2.claim(
    "right_is_ridge",
    "With the penalty gradient (λ/m)W, minibatch SGD ends within 2% of the ridge solution for λ.",
    bool(right_to_lam < 0.02),
    relative_distance=right_to_lam,
)
l2.claim(
    "wrong_is_scaled_ridge",
    "With (λ/|B|)W, it ends within 2% of the ridge solution for λ·m/|B| and more than 10% away from "
    "the one for λ.",
    bool(wrong_to_scaled < 0.02 and wrong_to_lam > 0.10),
    to_scaled=wrong_to_scaled,
    to_lam=wrong_to_lam,
    effective_lam=lam * m / batch,
)

# %% tags=["figure"]
from l2book import plots

fig, ax = plots.subplots(width=6.4, height=3.4)
pos = np.arange(n_x)
ax.bar(pos - 0.3, ridge_lam, width=0.2, color=plots.COLORS["blue"], label=f"ridge, λ = {lam:g}")
ax.bar(pos - 0.1, right_w, width=0.2, color=plots.COLORS["sky"], label="SGD, penalty gradient (λ/m)W")
ax.bar(pos + 0.1, ridge_scaled, width=0.2, color=plots.COLORS["vermillion"],
       label=f"ridge, λ·m/|B| = {lam * m / batch:g}")
ax.bar(pos + 0.3, wrong_w, width=0.2, color=plots.COLORS["orange"], label="SGD, penalty gradient (λ/|B|)W")
ax.axhline(0, color=plots.COLORS["grey"], linewidth=0.8)
ax.set_xticks(pos, [f"$w_{j + 1}$" for j in range(n_x)])
ax.set_ylabel("weight")
ax.set_title(f"m = {m} examples, batches of |B| = {batch}")
ax.legend(loc="best", fontsize=7)
l2.figure(
    "minibatch_penalty",
    fig,
    alt=(
        "Grouped bars for five weights. In each group the SGD run with the penalty gradient (λ/m)W "
        "matches ridge with λ, and the run that divides by the batch size matches ridge with a twenty "
        "times larger λ, whose weights are visibly shorter."
    ),
    caption="Dividing the penalty by the batch size trains a different, more strongly regularized model.",
)
