"""Early stopping on a network
Train the chapter's network without a penalty, record the dev error every epoch, compare its best epoch to L2.
"""

# %% [markdown]
# The network of the chapter on choosing λ (two moons, 160 training and 480 dev points,
# [2, 25, 25, 1] relu, Adam with η = 0.01 for 1000 full-batch epochs), trained twice from the same
# initial weights: once without a penalty, its training and dev errors recorded after **every**
# epoch, and once with L2 at the λ the dev set chose in that chapter (λ = 1).

# %% tags=["runs"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)
epochs = l2.glue("epochs", 1000)
lam = l2.glue("lam", 1.0)
plain = l2.fit(l2.Network([2, 25, 25, 1], seed=seed), split.X_train, split.Y_train, lam=0.0,
               optimizer=l2.Adam(0.01), epochs=epochs, X_dev=split.X_dev, Y_dev=split.Y_dev,
               record_every=1)
with_l2 = l2.fit(l2.Network([2, 25, 25, 1], seed=seed), split.X_train, split.Y_train, lam=lam,
                 optimizer=l2.Adam(0.01), epochs=epochs, X_dev=split.X_dev, Y_dev=split.Y_dev,
                 record_every=epochs)
best = int(np.argmin(plain.dev_error))  # the first epoch with the lowest dev error
norm = np.sqrt((plain.weight_norms**2).sum(axis=1))  # √(Σ_l ‖W[l]‖_F²) after each epoch

# %%
best_epoch = l2.glue("best_epoch", int(plain.epochs[best]))
dev_best = l2.glue("dev_error_best_epoch", float(plain.dev_error[best]))
train_best = l2.glue("train_error_best_epoch", float(plain.train_error[best]))
dev_end = l2.glue("dev_error_end", float(plain.dev_error[-1]))
train_end = l2.glue("train_error_end", float(plain.train_error[-1]))
dev_l2 = l2.glue("dev_error_l2", float(with_l2.dev_error[-1]))
train_l2 = l2.glue("train_error_l2", float(with_l2.train_error[-1]))
cost_best = l2.glue("cost_best_epoch", float(plain.cost[best]))
cost_end = l2.glue("cost_end", float(plain.cost[-1]))
norm_init = l2.glue("norm_init", float(norm[0]))
norm_best = l2.glue("norm_best_epoch", float(norm[best]))
norm_end = l2.glue("norm_end", float(norm[-1]))
norm_l2 = l2.glue("norm_l2", float(np.sqrt((with_l2.weight_norms[-1] ** 2).sum())))
l2.claim(
    "best_epoch_inside",
    "The dev error is lowest well before the end of training, and there it is lower than at the "
    "end by more than two points.",
    bool(0 < best < 0.5 * epochs and dev_best < dev_end - 0.02),
    best_epoch=best_epoch,
    dev_error_best_epoch=dev_best,
    dev_error_end=dev_end,
)
l2.claim(
    "early_stopping_close_to_l2",
    "Stopped at its best epoch, the unpenalized network's dev error is within one percentage point "
    "of the L2 network's.",
    bool(abs(dev_best - dev_l2) <= 0.01),
    dev_error_best_epoch=dev_best,
    dev_error_l2=dev_l2,
)
l2.claim(
    "stopping_stops_optimizing",
    "At the best epoch the training cost J is more than three times the value training reaches "
    "by the end: stopping there gives up on minimizing J.",
    bool(cost_best > 3 * cost_end),
    cost_best_epoch=cost_best,
    cost_end=cost_end,
)
l2.claim(
    "weights_do_not_start_at_zero",
    "The weights start far from zero; the early-stopped network's are larger than at the start, "
    "the L2 network's smaller.",
    bool(norm_init > 1 and norm_best > norm_init > norm_l2),
    norm_init=norm_init,
    norm_best_epoch=norm_best,
    norm_l2=norm_l2,
)

# %% tags=["figure"]
from l2book import figures, plots

fig, (ax_err, ax_norm) = plots.subplots(1, 2, width=8.4, height=3.5)
figures.train_dev_curves(ax_err, plain.epochs[1:], plain.train_error[1:], plain.dev_error[1:],
                         best=best - 1, xlabel="epoch", ylabel="classification error",
                         log_x=True, markers=False)
ax_err.axhline(dev_l2, color=plots.COLORS["green"], linestyle=":", label=f"dev, L2 (λ = {lam:g})")
_ = ax_err.legend(fontsize=8, loc="upper right")
ax_norm.plot(plain.epochs[1:], norm[1:], color=plots.COLORS["blue"], label="no penalty")
ax_norm.axhline(norm_l2, color=plots.COLORS["green"], linestyle=":", label=f"L2 (λ = {lam:g}), end")
ax_norm.axhline(norm_init, color=plots.COLORS["grey"], linestyle="--", linewidth=1, label="initial")
ax_norm.axvline(best_epoch, color=plots.COLORS["black"], linewidth=0.8)
ax_norm.set_xscale("log")
ax_norm.set_xlabel("epoch")
ax_norm.set_ylabel("total weight norm")
_ = ax_norm.legend(fontsize=8, loc="upper left")
l2.figure(
    "validation_curve",
    fig,
    alt=(
        "Left: training and dev error of the unpenalized network against the epoch on a log axis. "
        f"Both fall at first; the dev error is lowest, circled, at epoch {best_epoch}, then rises "
        "while the training error keeps falling toward zero; a dotted line marks the L2 network's "
        "dev error, close to the circled minimum. Right: the total weight norm of the unpenalized "
        f"network grows from its initial value through the best epoch (vertical line) to {norm_end:.0f}; "
        "the L2 network ends below the initial value."
    ),
    caption=(
        "The validation curve of a network trained without a penalty. Early stopping keeps the "
        "weights of the circled epoch; L2 trains to the end with a penalty instead."
    ),
)
