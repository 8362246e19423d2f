"""Weight decay vs L2 under SGD and Adam
Under SGD, L2 equals a weight decay of 1 − ηλ/m per step; under Adam it does not (AdamW).
"""

# %% [markdown]
# Two ways to shrink weights while training:
#
# * **L2 (coupled):** add (λ/m)W to the gradient, and let the optimizer do what it does with it;
# * **weight decay (decoupled):** multiply W by a factor slightly below 1 at every step, outside the
#   gradient.
#
# First minibatch SGD on a small network, once each way, with the *same* minibatches.

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(200, noise=0.25, seed=seed)
X_dev, Y_dev = l2.make_moons(400, noise=0.25, seed=seed + 1)
m = l2.glue("m", X.shape[1])
lam = l2.glue("lam", 2.0)
layers = [2, 20, 20, 1]
weight_keys = [f"W{l}" for l in range(1, len(layers))]

# %% tags=["sgd"]
lr = l2.glue("lr_sgd", 0.3)
decay = l2.glue("decay_factor", 1 - lr * lam / m)  # the weight-decay factor per step


def train_sgd(decoupled: bool, epochs: int = 20) -> np.ndarray:
    """Minibatch SGD; returns the parameters after every step, shape (steps, n_params)."""
    net = l2.Network(layers, hidden="tanh", seed=seed)
    opt = l2.SGD(lr, batch_size=25)
    rng = np.random.default_rng(seed)  # same minibatches for both runs
    trajectory = []
    for _ in range(epochs):
        for idx in opt.batches(m, rng):
            grads = net.gradients(X[:, idx], Y[:, idx], lam=0.0)  # data term only
            for key in weight_keys:
                if decoupled:
                    net.params[key] *= decay  # W ← (1 − ηλ/m) W, outside the gradient
                else:
                    grads[key] += lam / m * net.params[key]  # + (λ/m) W, m = training-set size
            opt.step(net.params, grads)
            trajectory.append(np.concatenate([p.ravel() for p in net.params.values()]))
    return np.array(trajectory)


l2_path, decay_path = train_sgd(decoupled=False), train_sgd(decoupled=True)
sgd_steps = l2.glue("sgd_steps", l2_path.shape[0])
sgd_max_diff = l2.glue("sgd_max_diff", float(np.abs(l2_path - decay_path).max()))

# %%
l2.claim(
    "sgd_same_trajectory",
    "Under minibatch SGD, the L2 gradient (λ/m)W and a decay of W by 1 − ηλ/m per step give the same "
    "parameters after every step.",
    bool(sgd_max_diff < 1e-12),
    max_abs_difference=sgd_max_diff,
    steps=sgd_steps,
    tolerance=1e-12,
)

# %% [markdown]
# Algebraically, W − η(∂L/∂W + (λ/m)W) = (1 − ηλ/m)W − η∂L/∂W: the differences above are rounding.
#
# Now Adam. `l2.Adam` receives the L2 term inside the gradient (coupled); `l2.AdamW` decays the
# weights by 1 − η·wd per step outside the gradient (Loshchilov & Hutter's decoupled weight decay).
# With wd = λ/m, both would be the same under SGD. We train three networks for the same number of
# full-batch steps from the same initialisation.

# %% tags=["adam"]
lr_adam = l2.glue("lr_adam", 0.01)
epochs = l2.glue("epochs_adam", 300)
wd = l2.glue("wd", lam / m)
timescale = l2.glue("timescale", 1 / (lr_adam * wd))  # steps for the decay alone to shrink w by e
decayed = l2.glue("decayed", lr_adam * wd * epochs)  # the run's length in units of that timescale
runs = {
    "Adam, λ = 0": (l2.Adam(lr_adam), 0.0),
    "Adam + L2 (λ)": (l2.Adam(lr_adam), lam),
    "AdamW (wd = λ/m)": (l2.AdamW(lr_adam, weight_decay=wd), 0.0),
}
histories = {}
for name, (optimizer, run_lam) in runs.items():
    net = l2.Network(layers, hidden="tanh", seed=seed)
    histories[name] = l2.fit(net, X, Y, lam=run_lam, optimizer=optimizer, epochs=epochs,
                             X_dev=X_dev, Y_dev=Y_dev, record_every=10)

# %%
total_norm = {name: np.sqrt((h.weight_norms**2).sum(axis=1)) for name, h in histories.items()}
norm_none = l2.glue("norm_adam_none", float(total_norm["Adam, λ = 0"][-1]))
norm_l2 = l2.glue("norm_adam_l2", float(total_norm["Adam + L2 (λ)"][-1]))
norm_w = l2.glue("norm_adamw", float(total_norm["AdamW (wd = λ/m)"][-1]))
dev_l2 = l2.glue("dev_error_adam_l2", float(histories["Adam + L2 (λ)"].dev_error[-1]))
dev_w = l2.glue("dev_error_adamw", float(histories["AdamW (wd = λ/m)"].dev_error[-1]))
dev_none = l2.glue("dev_error_adam_none", float(histories["Adam, λ = 0"].dev_error[-1]))
l2.claim(
    "adam_differs",
    "Under Adam, L2 with λ and decoupled decay with wd = λ/m end at different weights: the final "
    "‖W‖ differ by more than a factor 1.5.",
    bool(norm_w / norm_l2 > 1.5),
    norm_adam_l2=norm_l2,
    norm_adamw=norm_w,
)
l2.claim(
    "adamw_short_run",
    "This run is far shorter than AdamW's decay timescale 1/(η·wd): η·wd·T < 0.1.",
    bool(decayed < 0.1),
    eta_wd_T=decayed,
    timescale=timescale,
)
l2.claim(
    "adamw_uniform_shrink",
    "AdamW with wd = λ/m ends with smaller weights than Adam without regularization, but larger "
    "ones than Adam + L2.",
    bool(norm_l2 < norm_w < norm_none),
    norm_adam_none=norm_none,
    norm_adamw=norm_w,
    norm_adam_l2=norm_l2,
)

# %% [markdown]
# **Why.** Adam divides each coordinate of the gradient by √v̂, the running root-mean-square of
# that coordinate's past gradients. The L2 part (λ/m)w is divided too, so a weight's shrinkage per
# step is about η(λ/m)/(√v̂ + ε) times the weight: large for weights whose gradients have been small,
# small for weights whose gradients have been large. AdamW's shrinkage η·wd is the same for all.
# We recompute √v̂ along the Adam + L2 run (the same update, step by step) to see the spread.

# %% tags=["why"]
net = l2.Network(layers, hidden="tanh", seed=seed)
opt = l2.Adam(lr_adam)
beta2, eps = opt.beta2, opt.eps
v = {key: np.zeros_like(net.params[key]) for key in weight_keys}
for _ in range(epochs):
    grads = net.gradients(X, Y, lam=lam)  # ∂L/∂W + (λ/m)W: what Adam + L2 sees
    for key in weight_keys:
        v[key] = beta2 * v[key] + (1 - beta2) * grads[key] ** 2  # Adam's second moment
    opt.step(net.params, grads)
rms = np.concatenate([np.sqrt(v[key] / (1 - beta2**epochs)).ravel() for key in weight_keys])  # √v̂
rate_l2 = lr_adam * (lam / m) / (rms + eps)  # per-step shrink of each weight under Adam + L2
rate_w = lr_adam * wd  # the same number for every weight under AdamW

# %%
replay_diff = float(max(np.abs(net.params[k] - histories["Adam + L2 (λ)"].net.params[k]).max()
                        for k in net.params))
l2.claim(
    "replay_matches",
    "The step-by-step replay reproduces the Adam + L2 run of l2.fit.",
    bool(replay_diff < 1e-12),
    max_abs_difference=replay_diff,
)
ratio = rate_l2 / rate_w
ratio_median = l2.glue("ratio_median", float(np.median(ratio)))
ratio_min = l2.glue("ratio_min", float(ratio.min()))
ratio_max = l2.glue("ratio_max", float(ratio.max()))
l2.claim(
    "shrink_rates_spread",
    "Under Adam + L2 the per-step shrinkage differs from weight to weight by more than a factor 10, "
    "and for the median weight it is larger than AdamW's.",
    bool(ratio_max / ratio_min > 10 and ratio_median > 1),
    ratio_min=ratio_min,
    ratio_median=ratio_median,
    ratio_max=ratio_max,
)

# %% tags=["figure"]
from l2book import plots

fig, (ax_norm, ax_rate) = plots.subplots(1, 2, width=8.4, height=3.6)
colors = [plots.COLORS["grey"], plots.COLORS["blue"], plots.COLORS["vermillion"]]
styles = ["-", "-", "--"]
for (name, h), color, style in zip(histories.items(), colors, styles, strict=True):
    ax_norm.plot(h.epochs, total_norm[name], color=color, linestyle=style, label=name)
ax_norm.set_xlabel("step (full batch)")
ax_norm.set_ylabel(r"$\sqrt{\sum_l \|W^{[l]}\|_F^2}$")
ax_norm.set_title("Weight norm during training")
ax_norm.legend(loc="upper left")

ax_rate.scatter(rms, rate_l2, s=8, color=plots.COLORS["blue"], alpha=0.6, label="Adam + L2, each weight")
ax_rate.axhline(rate_w, color=plots.COLORS["vermillion"], linestyle="--", label="AdamW, every weight")
ax_rate.set_xscale("log")
ax_rate.set_yscale("log")
ax_rate.set_xlabel(r"RMS of the weight's gradients $\sqrt{\hat v}$")
ax_rate.set_ylabel("shrinkage per step")
ax_rate.set_title("Why: Adam divides the L2 pull by $\\sqrt{\\hat v}$")
ax_rate.legend(loc="lower left")
l2.figure(
    "adam_vs_adamw",
    fig,
    alt=(
        "Left: total weight norm against training step for Adam without regularization, Adam with "
        "L2 and AdamW; Adam with L2 stays far below the other two, AdamW stays just below Adam "
        "without regularization. Right: log-log scatter of each weight's per-step shrinkage under "
        "Adam with L2 against the RMS of its gradients, a falling line, with AdamW's single "
        "shrinkage as a horizontal dashed line below most points."
    ),
    caption=(
        "Same network, data, initialisation and learning rate. Under Adam, the L2 term is rescaled "
        "per weight by $1/(\\sqrt{\\hat v}+\\epsilon)$; AdamW's decay is not."
    ),
)
