"""One gradient step with L2 is weight decay
One gradient-descent step on the L2-regularized cost equals W ← (1 − ηλ/m)W − η ∂L/∂W, to rounding error.
"""

# %% [markdown]
# The L2 penalty λ/(2m) Σ_l ‖W[l]‖²_F adds (λ/m)W[l] to the gradient of every weight matrix, so one
# gradient-descent step with learning rate η rearranges into a shrinking of W followed by the step of
# the unregularized loss:
#
# $$W - \eta\Big(\frac{\partial L}{\partial W} + \frac{\lambda}{m}W\Big)
#   = \Big(1 - \frac{\eta\lambda}{m}\Big)W - \eta\,\frac{\partial L}{\partial W}.$$
#
# We take both sides on a real network, computed independently, and compare them entry by entry.

# %% tags=["setup"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
m = l2.glue("m", 200)
X = rng.standard_normal((2, m))  # shape (n_x, m): one column per example
Y = (X[0:1] * X[1:2] > 0).astype(float)  # XOR-like labels, shape (1, m)
net = l2.Network([2, 8, 8, 1], hidden="tanh", seed=seed)
lr = l2.glue("lr", 0.5)
lam = l2.glue("lam", 20.0)

# %% [markdown]
# Left side: one plain gradient step on J, whose gradient `net.gradients(X, Y, lam)` already
# contains (λ/m)W. Right side: decay the weights by the factor 1 − ηλ/m, then step along the
# gradient of the data loss alone (`lam=0`). The biases are not penalized, so they only take the step.

# %% tags=["step"]
grad_J = net.gradients(X, Y, lam=lam)  # ∂J/∂W = ∂L/∂W + (λ/m)W
grad_L = net.gradients(X, Y, lam=0.0)  # ∂L/∂W
decay = l2.glue("decay_factor", 1 - lr * lam / m)

step = {key: value - lr * grad_J[key] for key, value in net.params.items()}
weight_decay = {
    key: (decay * value if key.startswith("W") else value) - lr * grad_L[key]
    for key, value in net.params.items()
}
max_abs_diff = l2.glue(
    "max_abs_diff", max(float(np.max(np.abs(step[key] - weight_decay[key]))) for key in step)
)

# %%
l2.claim(
    "step_equals_weight_decay",
    "One gradient step on the L2-regularized cost equals shrinking every weight by (1 − ηλ/m) and "
    "then stepping along the gradient of the data loss alone.",
    bool(max_abs_diff < 1e-12),
    max_abs_diff=max_abs_diff,
    tolerance=1e-12,
)

# %% [markdown]
# The step also lowers the regularized cost, as a small enough gradient step must:

# %% tags=["cost"]
cost_before = l2.glue("cost_before", net.cost(X, Y, lam=lam))
after = l2.Network.from_params(step, hidden="tanh")
cost_after = l2.glue("cost_after", after.cost(X, Y, lam=lam))
l2.claim(
    "step_lowers_cost",
    "The step lowers the regularized cost J.",
    bool(cost_after < cost_before),
    cost_before=cost_before,
    cost_after=cost_after,
)

# %% [markdown]
# Each weight's update splits into two parts. The decay part −(ηλ/m)W lies on a straight line
# through the origin: it pulls every weight toward zero in proportion to its size. The data part
# −η ∂L/∂W does not depend on the weight's size or sign in any simple way.

# %% tags=["figure"]
from l2book import plots

keys = [key for key in net.params if key.startswith("W")]
W = np.concatenate([net.params[key].ravel() for key in keys])
decay_part = -(lr * lam / m) * W
data_part = np.concatenate([-lr * grad_L[key].ravel() for key in keys])

fig, ax = plots.subplots(width=6.4, height=4.0)
ax.scatter(
    W, data_part, s=14, color=plots.COLORS["orange"], label=r"data part $-\eta\,\partial L/\partial W$"
)
order = np.argsort(W)
ax.plot(W[order], decay_part[order], color=plots.COLORS["blue"],
        label=r"decay part $-(\eta\lambda/m)\,W$")
ax.axhline(0, color=plots.COLORS["grey"], linewidth=0.8)
ax.axvline(0, color=plots.COLORS["grey"], linewidth=0.8)
ax.set_xlabel("weight $W_{ij}$ before the step (all layers)")
ax.set_ylabel("change in the weight")
ax.set_title(f"One step, η = {lr:g}, λ = {lam:g}, m = {m}: decay factor {decay:g}")
_ = ax.legend(loc="upper right")
l2.figure(
    "update_parts",
    fig,
    alt=(
        "Scatter of the weights of a [2, 8, 8, 1] network against the change one gradient step makes "
        "to them. The decay part lies on a straight line through the origin with negative slope "
        "−ηλ/m, so it moves positive weights down and negative weights up; the data part is a cloud "
        "of small changes scattered around zero without that pattern."
    ),
    caption=(
        "The two parts of one L2-regularized step: $-(\\eta\\lambda/m)W$ shrinks each weight toward "
        "zero in proportion to its size; $-\\eta\\,\\partial L/\\partial W$ is the unregularized step."
    ),
)
