"""What L2 does to a relu network
A relu network's weight scale sets only its confidence; L2 caps it, balances each unit and switches units off.
"""

# %% [markdown]
# relu(cz) = c·relu(z) for c > 0, so small weights do not make a relu network "more linear" the
# way they do a tanh network. First we check what this homogeneity means for the network's
# output; then we train a [2, 50, 1] relu network on the two-moons data for four values of λ and
# look at what the penalty does instead: it stops the weights from growing, balances every
# hidden unit's input and output weights, and switches units off.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)
X_train, Y_train = split.X_train, split.Y_train
m = l2.glue("m", X_train.shape[1])

# %% [markdown]
# ## Scaling the weights scales the logit, not the boundary
#
# A freshly initialised [2, 25, 25, 1] network has zero biases. Multiplying all its weights by c
# multiplies every hidden layer's output by c, so the logit by c³ (L = 3 layers), and its sign,
# the predicted label, does not change. With biases the same holds if layer l's bias is scaled by
# c^l, as it is added to a pre-activation that has been scaled l times; scaling the biases by c
# like the weights breaks it.

# %% tags=["homogeneity"]
def logit(net: l2.Network, X: np.ndarray) -> np.ndarray:
    """Z[L] = W[L] relu(... relu(W[1] X + b[1]) ...) + b[L], shape (m,)."""
    A = X
    for W, b in zip(net.W[:-1], net.b[:-1], strict=True):
        A = np.maximum(W @ A + b, 0.0)
    return (net.W[-1] @ A + net.b[-1])[0]


def scaled(net: l2.Network, c: float, bias_power: bool) -> l2.Network:
    """W[l] → c·W[l]; b[l] → c^l·b[l] (bias_power) or c·b[l]."""
    params = {}
    for l, (W, b) in enumerate(zip(net.W, net.b, strict=True), start=1):
        params[f"W{l}"] = c * W
        params[f"b{l}"] = (c**l if bias_power else c) * b
    return l2.Network.from_params(params, hidden="relu")


cs = [0.1, 0.5, 2.0, 10.0]
bias_free = l2.Network([2, 25, 25, 1], hidden="relu", seed=seed)
z = logit(bias_free, X_train)
homogeneity_error = max(
    float(np.abs(logit(scaled(bias_free, c, False), X_train) - c**3 * z).max() / np.abs(c**3 * z).max())
    for c in cs
)
same_labels = all(
    np.array_equal(logit(scaled(bias_free, c, False), X_train) > 0, z > 0) for c in cs
)
l2.glue("cs", cs)
l2.glue("homogeneity_error", homogeneity_error)

# the same network with random biases
rng = np.random.default_rng(seed)
biased = l2.Network.from_params(
    {key: p + rng.normal(0.0, 0.5, p.shape) if key[0] == "b" else p
     for key, p in bias_free.params.items()},
    hidden="relu",
)
z_b = logit(biased, X_train)
bias_power_error = max(
    float(np.abs(logit(scaled(biased, c, True), X_train) - c**3 * z_b).max() / np.abs(c**3 * z_b).max())
    for c in cs
)
flipped = l2.glue("labels_flipped_uniform", [
    int(np.sum((logit(scaled(biased, c, False), X_train) > 0) != (z_b > 0))) for c in cs
])
l2.glue("bias_power_error", bias_power_error)

# %%
l2.claim(
    "homogeneous",
    "Without biases, scaling all weights by c ∈ {0.1, 0.5, 2, 10} multiplies the logit by c³ "
    "(to 1e-13, relative) and leaves every predicted label on the training set unchanged.",
    homogeneity_error < 1e-13 and same_labels,
    homogeneity_error=homogeneity_error,
)
l2.claim(
    "homogeneous_with_biases",
    "With biases, scaling W[l] by c and b[l] by c^l again multiplies the logit by c³ (to 1e-13); "
    "scaling the biases by c instead changes predicted labels for c = 0.1 and c = 10.",
    bias_power_error < 1e-13 and flipped[0] > 0 and flipped[-1] > 0,
    bias_power_error=bias_power_error,
    labels_flipped=flipped,
)

# %% [markdown]
# ## Without a penalty the scale keeps growing
#
# A [2, 50, 1] network on the 160 training points, for λ = 0 and three values of λ > 0, trained
# with Adam from the same initial weights. Once (nearly) every training point is on the right
# side, the cross-entropy can only fall further by making the logits larger: by growing the
# weights. A penalty makes growth cost something.

# %% tags=["sweep"]
lams = np.array([0.0, 0.3, 1.0, 3.0])
epochs = l2.glue("epochs", 5000)
sweep = l2.sweep_lambda(
    [2, 50, 1], X_train, Y_train, lams,
    optimizer=l2.Adam(0.01), epochs=epochs, seed=seed, record_every=250,
)

# %% tags=["growth"]
record_epochs = sweep.history(0).epochs
squared_norms = np.array([(sweep.history(k).weight_norms**2).sum(axis=1) for k in range(lams.size)])
half = record_epochs.size // 2  # the record at mid-training
growth = squared_norms[:, -1] / squared_norms[:, half]  # Σ_l ‖W[l]‖_F², end / middle
loss_lam0 = sweep.history(0).data_loss
l2.glue("lams", lams)
for k, lam in enumerate(lams):
    l2.glue(f"lam_{k}", float(lam))
l2.glue("sq_norm_lam0_mid", float(squared_norms[0, half]))
l2.glue("sq_norm_lam0_end", float(squared_norms[0, -1]))
l2.glue("sq_norm_end", squared_norms[:, -1])
l2.glue("growth", growth)
l2.glue("train_error_lam0", float(sweep.train_error[0]))
l2.glue("loss_lam0_end", float(loss_lam0[-1]))
largest_change = l2.glue("largest_change_regularized", float(np.abs(growth[1:] - 1).max()))

# %%
l2.claim(
    "norm_grows_without_penalty",
    "At λ = 0 the squared weight norm rises at every record and more than doubles over the second "
    "half of training, while the training loss falls at every record.",
    bool(np.all(np.diff(squared_norms[0]) > 0) and growth[0] > 2 and np.all(np.diff(loss_lam0) < 0)),
    growth=float(growth[0]),
    loss_end=float(loss_lam0[-1]),
)
l2.claim(
    "norm_levels_with_penalty",
    "At every λ > 0 the squared weight norm changes by less than 2% over the second half of training.",
    largest_change < 0.02,
    largest_change=largest_change,
)

# %% [markdown]
# ## Every unit ends balanced
#
# Hidden unit j has input weights w_j (row j of W[1]), bias b_j and output weight v_j (entry j of
# W[2]). The rescaling (w_j, b_j, v_j) → (c·w_j, c·b_j, v_j/c) leaves the function unchanged,
# while the penalty sees only c²‖w_j‖² + v_j²/c² (the bias is not penalized). So the derivative
# of J along the rescaling, at c = 1, is (λ/m)(‖w_j‖² − v_j²): the data loss contributes nothing.
# We check this identity on the unregularized network (far from balanced, with nonzero biases),
# using the gradient of J at λ = 1; at any stationary point of J with λ > 0 the derivative is
# zero, so ‖w_j‖ = |v_j| (the bias excluded).

# %% tags=["balance"]
def units(net: l2.Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """‖w_j‖, |b_j| and |v_j| of the hidden units of a [n_x, H, 1] network."""
    return np.linalg.norm(net.W[0], axis=1), np.abs(net.b[0][:, 0]), np.abs(net.W[1][0])


unregularized = sweep.network(0)
g = unregularized.gradients(X_train, Y_train, lam=1.0)
W1, b1, v = unregularized.W[0], unregularized.b[0][:, 0], unregularized.W[1][0]
along_rescaling = (g["W1"] * W1).sum(axis=1) + g["b1"][:, 0] * b1 - g["W2"][0] * v
predicted = 1.0 / m * ((W1**2).sum(axis=1) - v**2)  # (λ/m)(‖w_j‖² − v_j²) with λ = 1
identity_error = l2.glue(
    "identity_error", float(np.abs(along_rescaling - predicted).max() / np.abs(predicted).max())
)

on_threshold = l2.glue("on_threshold", 0.01)  # a unit is "on" above 1% of the largest unit
imbalance, imbalance_with_bias, active = [], [], []
for k in range(lams.size):
    w_norm, b_abs, v_abs = units(sweep.network(k))
    share = w_norm * v_abs / (w_norm * v_abs).max()
    on = share > on_threshold
    # relative differences |‖w_j‖ − |v_j|| / max(‖w_j‖, |v_j|), and the same with b_j in w_j
    imbalance.append(np.median(np.abs(w_norm - v_abs)[on] / np.maximum(w_norm, v_abs)[on]))
    with_b = np.hypot(w_norm, b_abs)
    imbalance_with_bias.append(
        np.median(np.abs(with_b - v_abs)[on] / np.maximum(with_b, v_abs)[on])
    )
    active.append(on)
imbalance, imbalance_with_bias = np.array(imbalance), np.array(imbalance_with_bias)
l2.glue("imbalance", imbalance)
l2.glue("imbalance_with_bias", imbalance_with_bias)
l2.glue("imbalance_lam0", float(imbalance[0]))
l2.glue("imbalance_worst_regularized", float(imbalance[1:].max()))
l2.glue("imbalance_with_bias_best_regularized", float(imbalance_with_bias[1:].min()))

# %%
l2.claim(
    "rescaling_identity",
    "Along the rescaling of each unit, the derivative of J equals (λ/m)(‖w_j‖² − v_j²), to 1e-9 "
    "relative: the data loss does not change.",
    identity_error < 1e-9,
    identity_error=identity_error,
)
l2.claim(
    "units_balanced",
    "Over the units carrying more than 1% of the largest |v_j|·‖w_j‖, the median relative "
    "difference between ‖w_j‖ and |v_j| is below 1% at every λ > 0 and above 20% at λ = 0.",
    bool(imbalance[1:].max() < 0.01 and imbalance[0] > 0.2),
    imbalance=imbalance,
)
l2.claim(
    "bias_not_in_balance",
    "Counting the bias in w_j makes the balance fail: at every λ > 0 the median relative "
    "difference between ‖(w_j, b_j)‖ and |v_j| is more than 5 times that between ‖w_j‖ and |v_j|.",
    bool(np.all(imbalance_with_bias[1:] > 5 * imbalance[1:])),
    imbalance=imbalance,
    imbalance_with_bias=imbalance_with_bias,
)

# %% [markdown]
# ## The penalty becomes a penalty on units
#
# For one unit, min over c of ½(c²‖w_j‖² + v_j²/c²) is |v_j|·‖w_j‖, reached at c² = |v_j|/‖w_j‖.
# Applying that rescaling to every unit of the unregularized network gives the same function at a
# smaller penalty; for the regularized networks, already balanced, ½Σ_l ‖W[l]‖_F² is already
# Σ_j |v_j|·‖w_j‖.

# %% tags=["rebalance"]
def path_norm(net: l2.Network) -> float:
    """Σ_j |v_j|·‖w_j‖ over the hidden units of a [n_x, H, 1] network."""
    w_norm, _, v_abs = units(net)
    return float((w_norm * v_abs).sum())


def half_sq_norm(net: l2.Network) -> float:
    """½ Σ_l ‖W[l]‖_F²: the penalty without its factor λ/m."""
    return 0.5 * sum(float((W**2).sum()) for W in net.W)


w_norm, _, v_abs = units(unregularized)
c = np.sqrt(v_abs / w_norm)[:, None]  # c_j² = |v_j|/‖w_j‖
rebalanced = l2.Network.from_params(
    {"W1": c * W1, "b1": c * unregularized.b[0], "W2": unregularized.W[1] / c.T,
     "b2": unregularized.b[1]},
    hidden="relu",
)
same_function = float(np.abs(logit(rebalanced, X_train) - logit(unregularized, X_train)).max()
                      / np.abs(logit(unregularized, X_train)).max())
l2.glue("half_sq_norm_lam0", half_sq_norm(unregularized))
l2.glue("half_sq_norm_rebalanced", half_sq_norm(rebalanced))
l2.glue("path_norm_lam0", path_norm(unregularized))
ratios = np.array([half_sq_norm(sweep.network(k)) / path_norm(sweep.network(k))
                   for k in range(lams.size)])
l2.glue("penalty_to_path_norm", ratios)
l2.glue("penalty_to_path_norm_lam0", float(ratios[0]))

# %%
l2.claim(
    "rebalancing_is_free",
    "Rebalancing every unit of the unregularized network leaves its logits unchanged (to 1e-12, "
    "relative) and lowers ½Σ_l ‖W[l]‖_F² to Σ_j |v_j|·‖w_j‖ (to 1e-12).",
    bool(same_function < 1e-12
         and abs(half_sq_norm(rebalanced) / path_norm(unregularized) - 1) < 1e-12),
    same_function=same_function,
    ratio=half_sq_norm(rebalanced) / path_norm(unregularized),
)
l2.claim(
    "penalty_is_path_norm",
    "For every λ > 0 the trained network's ½Σ_l ‖W[l]‖_F² exceeds Σ_j |v_j|·‖w_j‖ by less than "
    "0.1%; at λ = 0 by more than 10%.",
    bool(np.all(ratios[1:] - 1 < 1e-3) and ratios[0] - 1 > 0.1),
    ratios=ratios,
)

# %% [markdown]
# ## Units are switched off
#
# Σ_j |v_j|·‖w_j‖ is a sum of norms, one per unit, like the group lasso's: it does not fade near
# zero the way a square does, and it pushes whole units to zero. We sort the units by their
# contribution |v_j|·‖w_j‖ and count those above 1% of the largest, and those below 10⁻⁸ of it.

# %% tags=["units"]
contributions = []
for k in range(lams.size):
    w_norm, _, v_abs = units(sweep.network(k))
    contributions.append(np.sort(w_norm * v_abs)[::-1])
contributions = np.array(contributions)  # (K, H), each row sorted, largest first
share = contributions / contributions[:, :1]
off_threshold = l2.glue("off_threshold", 1e-8)
n_on = np.array([int(np.sum(s > on_threshold)) for s in share])
n_off = np.array([int(np.sum(s < off_threshold)) for s in share])
l2.glue("n_hidden", contributions.shape[1])
l2.glue("n_on", n_on)
l2.glue("n_off", n_off)
l2.glue("n_on_lam0", int(n_on[0]))
l2.glue("n_on_largest", int(n_on[-1]))
l2.glue("smallest_share_lam0", float(share[0].min()))

# %%
l2.claim(
    "fewer_units_with_penalty",
    "Every λ > 0 leaves fewer units above 1% of the largest contribution than λ = 0, and the "
    "largest λ fewer than half as many.",
    bool(np.all(n_on[1:] < n_on[0]) and 2 * n_on[-1] < n_on[0]),
    n_on=n_on,
)
l2.claim(
    "units_switched_off",
    "At λ = 0 no unit's contribution is below 10⁻⁸ of the largest; at every λ > 0 at least "
    "five are.",
    bool(n_off[0] == 0 and np.all(n_off[1:] >= 5)),
    n_off=n_off,
)

# %% tags=["figure"]
from l2book import plots

colors = [plots.COLORS[c] for c in ("vermillion", "orange", "green", "blue")]
fig, ax = plots.subplots(width=6.4, height=3.6)
for k, color in enumerate(colors):
    ax.plot(record_epochs, squared_norms[k], color=color, label=f"λ = {lams[k]:g}")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("$\\sum_l \\|W^{[l]}\\|_F^2$ (log scale)")
ax.set_title("Without a penalty the weights keep growing")
ax.legend(fontsize=8.5, loc="center right")
l2.figure(
    "norm_growth",
    fig,
    alt=(
        "The squared weight norm of a [2, 50, 1] relu network against the training epoch, on a "
        "log scale, for λ = 0, 0.3, 1 and 3. At λ = 0 it climbs through the whole run; for each "
        "λ > 0 it settles within the first few hundred epochs on a flat line, lower for larger λ."
    ),
    caption=(
        "Squared weight norm during training. At $\\lambda = 0$ the cross-entropy keeps lowering "
        "its loss by scaling the logits up; any $\\lambda > 0$ stops the growth."
    ),
)

# %% tags=["figure"]
fig, (ax_bal, ax_units) = plots.subplots(1, 2, width=9.0, height=3.8)
for k in (0, 2):
    w_norm, _, v_abs = units(sweep.network(k))
    on = active[k]
    ax_bal.scatter(w_norm[on], v_abs[on], s=18, color=colors[k], label=f"λ = {lams[k]:g}")
ax_bal.plot([1e-2, 1e2], [1e-2, 1e2], color=plots.COLORS["grey"], linestyle=":", linewidth=1,
            label="$\\|w_j\\| = |v_j|$")
ax_bal.set_xscale("log")
ax_bal.set_yscale("log")
ax_bal.set_xlim(0.05, 50)
ax_bal.set_ylim(0.05, 50)
ax_bal.set_xlabel("input weights $\\|w_j\\|$")
ax_bal.set_ylabel("output weight $|v_j|$")
ax_bal.set_title("Balance, unit by unit")
ax_bal.legend(fontsize=8, loc="upper left")

rank = np.arange(1, contributions.shape[1] + 1)
for k, color in enumerate(colors):
    ax_units.plot(rank, np.maximum(share[k], 1e-12), marker="o", markersize=3, color=color,
                  label=f"λ = {lams[k]:g}")
ax_units.axhline(on_threshold, color=plots.COLORS["grey"], linestyle=":", linewidth=1)
ax_units.set_yscale("log")
ax_units.set_ylim(1e-12, 2)
ax_units.set_xlabel("unit, sorted by contribution")
ax_units.set_ylabel("$|v_j|\\,\\|w_j\\|$ / largest (log scale)")
ax_units.set_title("Units switched off")
ax_units.legend(fontsize=8, loc="lower left")
l2.figure(
    "units",
    fig,
    alt=(
        "Left: for the units carrying more than 1% of the largest contribution, the output weight "
        "|v_j| against the norm of the input weights ‖w_j‖ on log-log axes. At λ = 1 the points "
        "lie on the diagonal ‖w_j‖ = |v_j|; at λ = 0 they lie at larger norms, scattered widely "
        "on both sides of it. Right: the contributions |v_j|·‖w_j‖ of the 50 units, sorted and divided "
        "by the largest, on a log scale down to 10⁻¹² (smaller values drawn at 10⁻¹²), with a "
        "dotted line at 1%. At λ = 0 they fall gently and stay above 10⁻⁴; for each λ > 0 the "
        "curve drops off a cliff to below 10⁻⁸, soonest for λ = 3."
    ),
    caption=(
        "Left: input and output weights of each hidden unit, balanced when $\\lambda > 0$. "
        "Right: each unit's share $|v_j|\\,\\|w_j\\|$ of the penalty, relative to the largest; "
        "the penalty switches units off."
    ),
)
