"""Debugging regularized training
Plot J with its penalty (it falls at every full-batch step); gradient-check with λ > 0: penalty bugs show.
"""

# %% [markdown]
# Two checks for code that trains with L2. First, what to plot: the cost that gradient descent
# minimizes is J = (1/m) Σ L + λ/(2m) Σ_l ‖W[l]‖_F², and with a small enough learning rate J falls at
# every full-batch step. The data loss alone, the first term, need not: once the penalty starts to
# dominate, gradient descent trades data loss for smaller weights.
#
# The moons data, a [2, 20, 20, 1] tanh network and full-batch gradient descent.

# %% tags=["monotone"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(200, noise=0.25, seed=seed)
lam, lr = l2.glue("lam", 3.0), l2.glue("lr", 0.1)
epochs = l2.glue("epochs", 3000)
history = l2.fit(l2.Network([2, 20, 20, 1], hidden="tanh", seed=seed), X, Y, lam=lam,
                 optimizer=l2.GD(lr), epochs=epochs, record_every=1)
J, data_loss, penalty = history.cost, history.data_loss, history.penalty  # J = data loss + penalty
n_J_up = l2.glue("n_J_up", int(np.sum(np.diff(J) > 0)))
n_loss_up = l2.glue("n_loss_up", int(np.sum(np.diff(data_loss) > 0)))
first_loss_up = l2.glue("first_loss_up", int(history.epochs[1:][np.diff(data_loss) > 0][0]))

# %%
sum_gap = float(np.max(np.abs(J - (data_loss + penalty))))
l2.claim(
    "cost_is_loss_plus_penalty",
    "The recorded cost J is the data loss plus the penalty at every epoch.",
    bool(sum_gap < 1e-12),
    max_abs_difference=sum_gap,
)
l2.claim(
    "J_falls_monotonically",
    "J never increases from one epoch to the next, while the data loss alone increases at more "
    "than a hundred epochs.",
    bool(n_J_up == 0 and n_loss_up > 100),
    epochs_J_up=n_J_up,
    epochs_data_loss_up=n_loss_up,
)

# %% [markdown]
# So a rising data loss under L2 is not a bug in itself; a rising J is a symptom. With a learning
# rate five times larger and a weaker penalty, the same network's J goes up at many steps: the
# steps overshoot.

# %% tags=["too_large"]
lr_large, lam_large = l2.glue("lr_large", 0.5), l2.glue("lam_large", 1.0)
fast = l2.fit(l2.Network([2, 20, 20, 1], hidden="tanh", seed=seed), X, Y, lam=lam_large,
              optimizer=l2.GD(lr_large), epochs=epochs, record_every=1)
# Not glued: these steps oscillate, and how many of them go up moves with the last bits of the
# floating-point arithmetic (another NumPy, another count); that J goes up is what matters.
n_J_up_large = int(np.sum(np.diff(fast.cost) > 0))
l2.claim(
    "J_rises_with_too_large_a_step",
    "With the larger learning rate J increases at more than a hundred epochs.",
    bool(n_J_up_large > 100),
    epochs_J_up=n_J_up_large,
)

# %% tags=["figure_monotone"]
from l2book import plots

fig, (ax_ok, ax_zoom, ax_bad) = plots.subplots(1, 3, width=10.0, height=3.4)
ax_ok.plot(history.epochs, J, color=plots.COLORS["black"], label="J = data loss + penalty")
ax_ok.plot(history.epochs, data_loss, color=plots.COLORS["blue"], linestyle="--", label="data loss")
ax_ok.plot(history.epochs, penalty, color=plots.COLORS["vermillion"], linestyle=":", label="penalty")
ax_ok.axvline(first_loss_up, color=plots.COLORS["grey"], linewidth=0.8)
ax_ok.set_yscale("log")
ax_ok.set_xlabel("epoch")
ax_ok.set_title(f"η = {lr:g}, λ = {lam:g}")
_ = ax_ok.legend(fontsize=8, loc="upper right")
late = history.epochs >= first_loss_up // 2
ax_zoom.plot(history.epochs[late], data_loss[late], color=plots.COLORS["blue"], linestyle="--")
ax_zoom.axvline(first_loss_up, color=plots.COLORS["grey"], linewidth=0.8)
ax_zoom.set_xlabel("epoch")
ax_zoom.set_ylabel("data loss")
ax_zoom.set_title("the data loss alone, zoomed")
ax_bad.plot(fast.epochs, fast.cost, color=plots.COLORS["black"])
ax_bad.set_yscale("log")
ax_bad.set_xlabel("epoch")
ax_bad.set_ylabel("J")
ax_bad.set_title(f"η = {lr_large:g}, λ = {lam_large:g}: J rises at times")
l2.figure(
    "monotone_cost",
    fig,
    alt=(
        "Left: on a log axis against the epoch, J falls steadily, and so do the data loss and the "
        f"penalty. Middle: the data loss alone, zoomed in from epoch {first_loss_up // 2}: it "
        f"reaches its minimum at epoch {first_loss_up} (vertical line), rises for about a "
        "thousand epochs and then falls again. "
        "Right: J with a larger learning rate falls overall but rises at many steps, once sharply."
    ),
    caption=(
        "Plot the cost with its penalty. Under full-batch gradient descent with a small enough "
        "step it never rises (left), even where the data loss does (middle); a J that rises "
        "(right) says "
        "the step is too large, or the gradient is wrong."
    ),
)

# %% [markdown]
# Second, the gradient check: compare backpropagation's gradient with centered finite differences
# of J, **with the penalty in both**. `l2.gradient_check` does this for an `l2.Network`; a
# subclass with a wrong `gradients` method stands in for two classic bugs: the penalty's gradient
# (λ/m)W forgotten, and λW written without its 1/m. Each network is checked at λ = 0 and at λ > 0.

# %% tags=["gradcheck"]
class ForgotPenaltyGradient(l2.Network):
    """Bug: J includes the penalty, its gradient does not."""

    def gradients(self, X, Y, lam=0.0):
        return super().gradients(X, Y, 0.0)


class PenaltyGradientWithoutM(l2.Network):
    """Bug: the penalty's gradient is λW instead of (λ/m)W."""

    def gradients(self, X, Y, lam=0.0):
        grads = super().gradients(X, Y, 0.0)
        for key in grads:
            if key.startswith("W"):
                grads[key] = grads[key] + lam * self.params[key]
        return grads


Xs, Ys = X[:, :20], Y[:, :20]  # a few examples and a small network: the check is slow by design
lam_check = l2.glue("lam_check", 0.7)
checks = {}
for name, cls in (("correct", l2.Network), ("forgot", ForgotPenaltyGradient),
                  ("without_m", PenaltyGradientWithoutM)):
    net = cls([2, 5, 3, 1], hidden="tanh", seed=seed)
    checks[name] = [l2.gradient_check(net, Xs, Ys, lam=l).relative_error for l in (0.0, lam_check)]
    l2.glue(f"check_{name}", checks[name])

# %%
l2.claim(
    "correct_gradient_passes",
    "The book's gradient agrees with finite differences to better than 1e-7 with and without "
    "the penalty.",
    bool(max(checks["correct"]) < 1e-7),
    relative_error_lam0=checks["correct"][0],
    relative_error_lam=checks["correct"][1],
)
l2.claim(
    "penalty_bugs_need_lambda",
    "Both buggy gradients pass the check at λ = 0 and fail it (relative error above 1e-3) at "
    "λ > 0.",
    bool(all(checks[b][0] < 1e-7 and checks[b][1] > 1e-3 for b in ("forgot", "without_m"))),
    forgot=checks["forgot"],
    without_m=checks["without_m"],
)
