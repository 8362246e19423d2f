"""Dropout and noise next to L2
Input noise is ridge with λ = mσ², input dropout an adaptive ridge; both regularize the moons network.

Three computations: least squares on inputs with Gaussian noise against ridge in closed form;
least squares under dropout of the inputs against the adaptive ridge it equals on average; and the
overfitting network of the book trained without regularization, with L2 and with dropout.
"""

# %% [markdown]
# ## Noise on the inputs is L2
#
# A linear model ŷ = wᵀx + b trained on inputs x + ε, with ε ~ N(0, σ² I) drawn afresh for every
# use of an example, minimizes on average
#
# E[½(wᵀ(x + ε) + b − y)²] = ½(wᵀx + b − y)² + ½σ²‖w‖²,
#
# so averaged over the m examples: the data loss plus λ/(2m)‖w‖² with **λ = mσ²** (Bishop 1995;
# Goodfellow et al. §7.5). We check it with least squares on R noisy copies of each example.

# %% tags=["noise"]
import numpy as np

import l2book as l2
from l2book import plots

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
n_x, m = 4, 40
scales = np.array([1.0, 3.0, 0.3, 1.0])  # inputs measured on different scales
means = np.array([0.5, -1.0, 2.0, 0.0])
X = rng.standard_normal((n_x, m)) * scales[:, None] + means[:, None]
w_true = np.array([1.5, -0.7, 2.0, 0.0])
y = w_true @ X + 0.3 + 0.8 * rng.standard_normal(m)

sigma = l2.glue("sigma", 0.5)
copies = l2.glue("copies", 4000)
lam_noise = l2.glue("lam_noise", m * sigma**2)
ridge = l2.ridge(X, y, lam_noise)
least_squares = l2.ridge(X, y, 0.0)
X_noisy = np.repeat(X, copies, axis=1) + sigma * rng.standard_normal((n_x, m * copies))
y_copies = np.repeat(y, copies)
noisy = l2.ridge(X_noisy, y_copies, 0.0)  # plain least squares on the noisy copies


def relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


# %%
l2.glue("m", m)
l2.glue("n_x", n_x)
l2.glue("w_ridge", ridge.w)
l2.glue("w_noisy", noisy.w)
l2.glue("w_least_squares", least_squares.w)
noise_gap = l2.glue("noise_gap", relative(noisy.w, ridge.w))
ols_gap = l2.glue("ols_gap_noise", relative(least_squares.w, ridge.w))
l2.claim(
    "noise_is_ridge",
    "Least squares on inputs with noise of variance σ² lands on ridge with λ = mσ² (within 1 %), "
    "at least twenty times closer to it than least squares without noise.",
    noise_gap < 0.01 and ols_gap > 20 * noise_gap,
    noise_gap=noise_gap,
    ols_gap=ols_gap,
)

# %% [markdown]
# ## Dropout on the inputs is an adaptive L2
#
# Inverted dropout keeps each input with probability p and divides it by p: x̃ⱼ = dⱼxⱼ/p with
# dⱼ ~ Bernoulli(p). Then E[x̃ⱼ] = xⱼ and Var[x̃ⱼ] = xⱼ²(1 − p)/p, and on average
#
# E[½(wᵀx̃ + b − y)²] = ½(wᵀx + b − y)² + ½ (1 − p)/p Σⱼ wⱼ²xⱼ².
#
# Averaged over the examples this is a ridge penalty (1/(2m)) Σⱼ λⱼwⱼ² with a **λ of its own for
# every input**, λⱼ = (1 − p)/p · Σᵢ (xⱼ⁽ⁱ⁾)² (Wager, Wang and Liang 2013; Srivastava et al. 2014,
# §9.1): inputs with large values are penalized more. Its closed form, and least squares on R
# dropped-out copies:

# %% tags=["dropout"]
keep = l2.glue("keep_linear", 0.7)
lam_inputs = (1 - keep) / keep * (X**2).sum(axis=1)
X_c, y_c = X - X.mean(axis=1, keepdims=True), y - y.mean()
w_adaptive = np.linalg.solve(X_c @ X_c.T + np.diag(lam_inputs), X_c @ y_c)
masks = (rng.random((n_x, m * copies)) < keep) / keep
dropped = l2.ridge(np.repeat(X, copies, axis=1) * masks, y_copies, 0.0)

# %%
l2.glue("lam_inputs", lam_inputs)
spread = l2.glue("lam_inputs_spread", float(lam_inputs.max() / lam_inputs.min()))
l2.glue("w_adaptive", w_adaptive)
l2.glue("w_dropped", dropped.w)
drop_gap = l2.glue("drop_gap", relative(dropped.w, w_adaptive))
ols_drop_gap = l2.glue("ols_gap_dropout", relative(least_squares.w, w_adaptive))
l2.claim(
    "dropout_is_adaptive_ridge",
    "Least squares under dropout of the inputs lands on the ridge with one λⱼ per input "
    "(within 1 %), at least twenty times closer to it than least squares without dropout.",
    drop_gap < 0.01 and ols_drop_gap > 20 * drop_gap,
    drop_gap=drop_gap,
    ols_gap=ols_drop_gap,
)
l2.claim(
    "penalties_differ",
    "The inputs' penalties λⱼ differ by more than a factor of ten.",
    spread > 10,
    spread=spread,
)

# %% [markdown]
# Since the penalty is on wⱼxⱼ, not on wⱼ, dropout's fit does not depend on the units of an input:
# measure the first input in thousandths (x₁ × 1000) and its weight becomes a thousandth, its
# penalty unchanged. Plain L2 with one λ changes its predictions (the book's
# mistake #9, in the chapter on common mistakes).

# %% tags=["units"]
units = np.diag([1000.0, 1.0, 1.0, 1.0])
X_mm = units @ X
X_mm_c = X_mm - X_mm.mean(axis=1, keepdims=True)
lam_mm = (1 - keep) / keep * (X_mm**2).sum(axis=1)
w_adaptive_mm = np.linalg.solve(X_mm_c @ X_mm_c.T + np.diag(lam_mm), X_mm_c @ y_c)
ridge_mm = l2.ridge(X_mm, y, lam_noise)
dropout_change = float(np.abs(w_adaptive_mm @ X_mm_c - w_adaptive @ X_c).max())
ridge_change = float(np.abs(ridge_mm.w @ X_mm + ridge_mm.b - ridge.w @ X - ridge.b).max())

# %%
l2.glue("dropout_units_change", dropout_change)
l2.glue("ridge_units_change", ridge_change)
l2.claim(
    "dropout_ignores_units",
    "Changing the units of one input leaves dropout's predictions unchanged (to 1e-9) and moves "
    "ridge's by more than 0.1.",
    dropout_change < 1e-9 and ridge_change > 0.1,
    dropout_change=dropout_change,
    ridge_change=ridge_change,
)

# %% [markdown]
# ## The moons network: no regularization, L2, dropout
#
# The book's overfitting network (two hidden layers of 50 ReLU units, 100 noisy training points,
# Adam) trained three ways: λ = 0; λ = 0.7; and dropout on both hidden layers with the course's
# keep_prob = 0.86, new masks at every step. Dropout's records and predictions use the network
# without masks.

# %% tags=["network"]
m_train, m_dev = 100, 500
X_all, Y_all = l2.make_moons(m=1100, noise=0.2, flip=0.1, seed=seed)
split = l2.train_dev_test_split(X_all, Y_all, fractions=(m_train / 1100, m_dev / 1100, 500 / 1100),
                                seed=seed)
X_train, Y_train, X_dev, Y_dev = split.X_train, split.Y_train, split.X_dev, split.Y_dev
lam = l2.glue("lam", 0.7)
keep_prob = l2.glue("keep_prob", 0.86)
epochs = l2.glue("epochs", 700)


def train(lam: float = 0.0, keep_prob: float = 1.0) -> l2.Network:
    net = l2.Network([2, 50, 50, 1], seed=seed)
    l2.fit(net, X_train, Y_train, lam=lam, keep_prob=keep_prob, optimizer=l2.Adam(lr=0.025),
           epochs=epochs, record_every=epochs, seed=seed)
    return net


models = {"none": train(), "l2": train(lam=lam), "dropout": train(keep_prob=keep_prob)}

# %%
accuracy = {}
for name, net in models.items():
    accuracy[name] = (net.accuracy(X_train, Y_train), net.accuracy(X_dev, Y_dev))
    l2.glue(f"train_acc_{name}", accuracy[name][0])
    l2.glue(f"dev_acc_{name}", accuracy[name][1])
    l2.glue(f"norm_W2_{name}", net.weight_norms()[1])
    print(f"{name:8s} train {accuracy[name][0]:.3f}  dev {accuracy[name][1]:.3f}  "
          f"‖W[l]‖ {np.round(net.weight_norms(), 2)}")
l2.claim(
    "both_regularize",
    "Both L2 and dropout raise the dev accuracy above the unregularized network's and lower its "
    "train accuracy.",
    all(accuracy[k][1] > accuracy["none"][1] and accuracy[k][0] < accuracy["none"][0]
        for k in ("l2", "dropout")),
    dev_none=accuracy["none"][1],
    dev_l2=accuracy["l2"][1],
    dev_dropout=accuracy["dropout"][1],
)
norm_ratio = l2.glue("norm_ratio", models["dropout"].weight_norms()[1] / models["l2"].weight_norms()[1])
l2.claim(
    "dropout_keeps_large_weights",
    "Dropout leaves the weights far larger than L2 does: ‖W[2]‖ at least five times L2's.",
    norm_ratio > 5,
    norm_ratio=norm_ratio,
)

# %% [markdown]
# keep_prob is a hyperparameter like λ, chosen on the dev set: smaller means more noise, and more
# regularization.

# %% tags=["keep_sweep"]
keep_probs = [0.5, 0.6, 0.7, 0.8, keep_prob, 0.95, 1.0]
trained = {keep_prob: models["dropout"], 1.0: models["none"]}
dev_by_keep = [(trained.get(p) or train(keep_prob=p)).accuracy(X_dev, Y_dev) for p in keep_probs]

# %%
l2.glue("keep_probs", keep_probs)
l2.glue("dev_by_keep", dev_by_keep)
best = int(np.argmax(dev_by_keep))  # ties: the first, i.e. the smallest keep_prob
l2.glue("best_keep_prob", keep_probs[best])
l2.glue("best_keep_dev_acc", dev_by_keep[best])
l2.claim(
    "some_dropout_helps",
    "Every keep_prob below 1 in the sweep gives a higher dev accuracy than no dropout.",
    all(acc > dev_by_keep[-1] for acc in dev_by_keep[:-1]),
    dev_no_dropout=dev_by_keep[-1],
    worst_with_dropout=min(dev_by_keep[:-1]),
)

# %% tags=["figures"]
fig, _ = l2.decision_boundaries(
    list(models.values()), X_train, Y_train,
    titles=["λ = 0", f"L2, λ = {lam:g}", f"dropout, keep_prob = {keep_prob:g}"],
)
l2.figure("boundaries", fig,
          alt="Three panels with the same noisy two-moons training points: the unregularized "
              "network's boundary winds around single points, L2's is a smooth curve between the "
              "moons, and dropout's is smoother than the first but keeps some small bends.",
          caption="Decision boundaries of the same network trained without regularization, with "
                  "L2 and with dropout.")

fig, ax = plots.subplots(width=5.0, height=3.2)
ax.plot(keep_probs, dev_by_keep, "o-", label="dropout")
ax.axhline(accuracy["l2"][1], color="0.4", linestyle="--", label=f"L2, λ = {lam:g}")
ax.set_xlabel("keep_prob")
ax.set_ylabel("dev accuracy")
ax.legend()
l2.figure("keep_sweep", fig,
          alt="Dev accuracy against keep_prob from 0.5 to 1: every value below 1 is above the "
              "unregularized network's accuracy at keep_prob = 1; a dashed line marks L2's.",
          caption="Dev accuracy of the moons network for several keep_prob, with L2's for "
                  "comparison.")
