"""Weight decay with normalization layers
Before a normalization the weights' scale is invisible: decay sets their learning rate, not the capacity.

A [2, 20, 20, 1] relu network whose hidden layers are layer-normalized (l2book.LayerNormNetwork),
trained by full-batch gradient descent on two moons. Three computations: the function and the
gradient under a rescaling of the weights; decay as an exact learning-rate schedule; and what
decay does to the parameters that are not scale-invariant (the output layer, gains and shifts).
"""

# %% [markdown]
# ## The weights before a normalization are scale-invariant
#
# Multiplying W[1] by c > 0 multiplies every pre-activation of layer 1, their mean and their
# standard deviation by c: the normalized values, and everything after them, are unchanged. So the
# cost is the same, and differentiating J(cW) = J(W) gives c·∇J(cW) = ∇J(W): the gradient at the
# larger weights is c times *smaller*. Differentiating J(cW) in c at c = 1 gives ⟨W, ∇J(W)⟩ = 0:
# the gradient is orthogonal to the weights.

# %% tags=["invariance"]
import numpy as np

import l2book as l2
from l2book import plots

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(m=200, noise=0.25, seed=seed)
X_dev, Y_dev = l2.make_moons(m=500, noise=0.25, seed=seed + 1)
sizes = l2.glue("layer_sizes", [2, 20, 20, 1])
net = l2.LayerNormNetwork(sizes, seed=seed)
cost = net.cost(X, Y)
grad = net.gradients(X, Y)["W1"]
scales = l2.glue("scales", [0.01, 100.0])
cost_change, gradient_mismatch = 0.0, 0.0
for c in scales:
    scaled = net.copy()
    scaled.params["W1"] *= c
    cost_change = max(cost_change, abs(scaled.cost(X, Y) - cost) / cost)
    scaled_grad = scaled.gradients(X, Y)["W1"]
    gradient_mismatch = max(
        gradient_mismatch, float(np.linalg.norm(c * scaled_grad - grad) / np.linalg.norm(grad))
    )
cosines = [
    float(np.sum(net.params[k] * g) / (np.linalg.norm(net.params[k]) * np.linalg.norm(g)))
    for k, g in net.gradients(X, Y).items() if k in net.scale_invariant
]
l2.glue("cost_change", cost_change)
l2.glue("largest_cosine", max(abs(x) for x in cosines))
l2.claim(
    "function_invariant",
    "Scaling W[1] by 0.01 or by 100 leaves the cost unchanged (to 1e-12, relative), and the "
    "gradient at cW[1] is ∇J/c (to 1e-9).",
    cost_change < 1e-12 and gradient_mismatch < 1e-9,
    cost_change=cost_change,
    gradient_mismatch=gradient_mismatch,
)
others_change = []
for key in ("g2", "W3"):
    doubled = net.copy()
    doubled.params[key] *= 2.0
    others_change.append(abs(doubled.cost(X, Y) - cost) / cost)
l2.claim(
    "others_not_invariant",
    "Doubling the gains γ[2] of the last hidden layer, or the output weights W[3], changes the "
    "cost (by more than 1 %).",
    min(others_change) > 0.01,
    relative_changes=others_change,
)
l2.claim(
    "gradient_orthogonal",
    "For W[1] and W[2], the cosine between the weights and their gradient is 0 (below 1e-12).",
    max(abs(x) for x in cosines) < 1e-12,
    cosines=cosines,
)

# %% [markdown]
# ## Decay is a learning-rate schedule
#
# Gradient descent with decoupled decay on the scale-invariant weights,
# W ← (1 − η·wd)·W − η·∇J(W), keeps the same direction as gradient descent *without* decay whose
# step on those weights grows as η_t = η·(1 − η·wd)^−2t (t = 0, 1, …): write W_t = (1 − η·wd)^t·U_t and use
# ∇J(kU) = ∇J(U)/k. The two runs compute the same function at every step, and the decayed weights
# are the undecayed ones times (1 − η·wd)^t. Both are trained here for the same steps.

# %% tags=["schedule"]
eta = l2.glue("eta", 0.1)
wd = l2.glue("wd_schedule", 0.05)
steps = l2.glue("schedule_steps", 500)
shrink = 1.0 - eta * wd


def step(net, wd, decayed):
    """One gradient-descent step, then decoupled decay of the parameters named in decayed."""
    g = net.gradients(X, Y)
    for key, param in net.params.items():
        param -= eta * g[key]
        if key in decayed:
            param *= 1.0 - eta * wd


decayed, scheduled = l2.LayerNormNetwork(sizes, seed=seed), l2.LayerNormNetwork(sizes, seed=seed)
for t in range(steps):
    step(decayed, wd, decayed.scale_invariant)  # decay on the scale-invariant weights only
    g = scheduled.gradients(X, Y)
    for key, param in scheduled.params.items():
        lr = eta * shrink ** (-2 * t) if key in scheduled.scale_invariant else eta
        param -= lr * g[key]

# %%
probability_gap = float(np.abs(decayed.predict_proba(X_dev) - scheduled.predict_proba(X_dev)).max())
weight_gap = float(
    np.linalg.norm(decayed.params["W1"] - shrink**steps * scheduled.params["W1"])
    / np.linalg.norm(decayed.params["W1"])
)
l2.glue("final_step_factor", shrink ** (-2 * (steps - 1)))
l2.glue("probability_gap", probability_gap)
l2.claim(
    "decay_is_schedule",
    "After the steps, the two runs predict the same probabilities (to 1e-9) and the decayed W[1] "
    "is the scheduled one times (1 − η·wd)^t (to 1e-9, relative).",
    probability_gap < 1e-9 and weight_gap < 1e-9,
    probability_gap=probability_gap,
    weight_gap=weight_gap,
)

# %% [markdown]
# ## The effective learning rate, with and without decay
#
# Since the gradient is orthogonal to W, a step of plain gradient descent can only lengthen it:
# ‖W − η∇J‖² = ‖W‖² + η²‖∇J‖². Without decay the weights grow and their direction turns ever
# more slowly (the angle per step is about η‖∇J‖/‖W‖, with ‖∇J‖ itself ∝ 1/‖W‖). With decay, the
# norm settles where the growth and the shrinkage balance, (1 − η·wd)²(‖W‖² + η²‖∇J‖²) = ‖W‖²,
# which puts the angle per step at about √(2η·wd) whatever the initial scale.

# %% tags=["equilibrium"]
epochs = l2.glue("epochs", 1000)
wds = l2.glue("wds", [0.0, 0.05, 0.1])
runs = {}
for wd_run in wds:
    run = l2.LayerNormNetwork(sizes, seed=seed)
    norms, angles = [], []
    for _ in range(epochs):
        before = run.params["W2"].copy()
        step(run, wd_run, run.scale_invariant)
        after = run.params["W2"]
        cosine = np.sum(before * after) / (np.linalg.norm(before) * np.linalg.norm(after))
        angles.append(float(np.arccos(min(cosine, 1.0))))
        norms.append(float(np.linalg.norm(after)))
    runs[wd_run] = (run, np.array(norms), np.array(angles))

# %%
tail = epochs // 3
for i, wd_run in enumerate(wds):
    run, norms, angles = runs[wd_run]
    l2.glue(f"wd_{i}", wd_run)
    l2.glue(f"norm_end_{i}", norms[-1])  # ‖W[2]‖ after training, in the order of wds
    l2.glue(f"angle_tail_{i}", float(angles[-tail:].mean()))
    l2.glue(f"train_cost_{i}", run.cost(X, Y))
    l2.glue(f"dev_error_{i}", run.error(X_dev, Y_dev))
    print(f"wd = {wd_run:<5g} ‖W[2]‖ {norms[-1]:6.3f}   angle per step {angles[-tail:].mean():.4f}   "
          f"dev error {run.error(X_dev, Y_dev):.3f}")
dev_errors = [runs[w][0].error(X_dev, Y_dev) for w in wds]
l2.claim(
    "dev_errors_close",
    "The three runs' dev errors lie within 0.02 of each other (10 of the 500 dev points).",
    max(dev_errors) - min(dev_errors) <= 0.02 + 1e-12,
    dev_errors=dev_errors,
)
_, norms0, angles0 = runs[0.0]
l2.glue("norm_start", float(np.linalg.norm(net.params["W2"])))  # net is still untrained
growth = l2.glue("norm_growth_without_decay", float(norms0[-1] / norms0[0]))
shorter = l2.glue("norm_ratio_largest_wd", float(norms0[-1] / runs[wds[-1]][1][-1]))
l2.claim(
    "norm_grows_without_decay",
    "Without decay, ‖W[2]‖ never decreases, yet grows by less than 10 % over the whole run: the "
    "effective learning rate η/‖W[2]‖² stays near its initial value. With the largest decay, "
    "‖W[2]‖ ends more than 10 times shorter, so that rate is more than 100 times larger.",
    bool(np.all(np.diff(norms0) >= -1e-12 * norms0[1:])) and growth < 1.1 and shorter > 10,
    growth=growth,
    shorter=shorter,
)
ratios = [float(runs[w][2][-tail:].mean() / np.sqrt(2 * eta * w)) for w in wds[1:]]
l2.glue("angle_ratios", ratios)
l2.claim(
    "angle_near_equilibrium",
    "With decay, the angle per step over the last third of training is within 10 % of √(2η·wd), "
    "for both rates, and the larger rate turns the weights faster.",
    all(0.9 < r < 1.1 for r in ratios)
    and runs[wds[2]][2][-tail:].mean() > runs[wds[1]][2][-tail:].mean(),
    ratios=ratios,
)

# %% [markdown]
# ## Too much decay: the step outgrows the curvature
#
# The equilibrium rate grows with wd. Past some point the effective learning rate exceeds what the
# curvature of the cost allows, and gradient descent overshoots, spikes and recovers over and over.
# Such a run is chaotic: two runs whose W[2] differs by one part in 10¹² end with visibly different
# predictions.

# %% tags=["unstable"]
wd_large = l2.glue("wd_large", 0.3)
final = []
for nudge in (0.0, 1e-12):
    run = l2.LayerNormNetwork(sizes, seed=seed)
    run.params["W2"] *= 1.0 + nudge
    for _ in range(epochs):
        step(run, wd_large, run.scale_invariant)
    final.append(run.predict_proba(X_dev))
nudged_gap = float(np.abs(final[0] - final[1]).max())
stable_gaps = []
for wd_run in wds[1:]:
    run = l2.LayerNormNetwork(sizes, seed=seed)
    run.params["W2"] *= 1.0 + 1e-12
    for _ in range(epochs):
        step(run, wd_run, run.scale_invariant)
    stable_gaps.append(float(np.abs(run.predict_proba(X_dev) - runs[wd_run][0].predict_proba(X_dev)).max()))
l2.claim(
    "large_decay_chaotic",
    "At the largest wd, nudging W[2] by one part in 10¹² changes some dev probability by more than "
    "0.01 at the end; at the two smaller rates the same nudge changes none by more than 1e-8.",
    nudged_gap > 0.01 and max(stable_gaps) < 1e-8,
    nudged_gap=nudged_gap,
    stable_gaps=stable_gaps,
)

# %% tags=["figure"]
fig, (ax_norm, ax_angle) = plots.subplots(1, 2, width=8.0, height=3.2)
steps_axis = np.arange(1, epochs + 1)
window = 50
for (wd_run, (_, norms, angles)), style in zip(runs.items(), ("-", "--", ":"), strict=True):
    ax_norm.plot(steps_axis, norms, style, label=f"wd = {wd_run:g}")
    smooth = np.convolve(angles, np.ones(window) / window, mode="valid")
    line = ax_angle.plot(steps_axis[window - 1:], smooth, style, label=f"wd = {wd_run:g}")[0]
    if wd_run > 0:
        ax_angle.axhline(np.sqrt(2 * eta * wd_run), color=line.get_color(), linewidth=0.8)
ax_norm.set_yscale("log")
ax_norm.set_xlabel("step")
ax_norm.set_ylabel("‖W[2]‖")
ax_norm.legend()
ax_angle.set_yscale("log")
ax_angle.set_xlabel("step")
ax_angle.set_ylabel("angle per step (rad)")
l2.figure("normalization", fig,
          alt="Left: the norm of the second hidden layer's weights against the step, on a log "
              "scale. Without decay it is flat; with decay it falls and levels off, lower for the "
              "larger rate. Right: the angle the weights turn per step, averaged over 50 steps; "
              "without decay it falls, with decay it levels off near a thin horizontal line at "
              "the square root of 2 η wd.",
          caption="Without decay the weights before a normalization keep their length and turn "
                  "ever more slowly; decay shortens them until they turn at about √(2η·wd) per "
                  "step.")

# %% [markdown]
# ## What decay does constrain
#
# The output layer has no normalization after it: its scale is the scale of the logits. Decay on
# it is a real penalty. The same training with wd = 0.1 on no parameter, and on W[3] only:

# %% tags=["what_decays"]
wd_output = l2.glue("wd_output", 0.1)
ends = {}
for name, decays in (("none", ()), ("output", ("W3",))):
    run = l2.LayerNormNetwork(sizes, seed=seed)
    for _ in range(epochs):
        step(run, wd_output, decays)
    ends[name] = run
    print(f"decay on {name:7} train cost {run.cost(X, Y):.4f}   dev error {run.error(X_dev, Y_dev):.3f}   "
          f"‖W[3]‖ {np.linalg.norm(run.params['W3']):.3f}")

# %%
for name, run in ends.items():
    l2.glue(f"train_cost_{name}", run.cost(X, Y))
    l2.glue(f"dev_error_{name}", run.error(X_dev, Y_dev))
    l2.glue(f"output_norm_{name}", float(np.linalg.norm(run.params["W3"])))
output_norms = [float(np.linalg.norm(run.params["W3"])) for run in ends.values()]
costs = [run.cost(X, Y) for run in ends.values()]
l2.claim(
    "output_decay_constrains",
    "Decay on W[3] ends with a higher training cost and ‖W[3]‖ less than half of what it is "
    "without decay.",
    costs[1] > costs[0] and output_norms[1] < 0.5 * output_norms[0],
    costs=costs,
    output_norms=output_norms,
)
