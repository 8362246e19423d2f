"""Overfitting a noisy 2-D data set
A large network memorizes noisy moons, L2 regularization recovers their shape, logistic regression underfits.

The same training set is fitted by three models: logistic regression (high bias), a network with
two hidden layers of 50 units and λ = 0 (high variance), and the same network with λ = 0.7.
Their decision boundaries, train and dev accuracies, and the dev error during training are compared.
"""

# %% [markdown]
# ## The data
#
# Two interleaving half-moons with Gaussian jitter, and 10% of the labels flipped at random: no
# boundary can classify every point, so a model that does has learned the noise. A small training
# set, and a large dev set drawn from the same distribution to measure how well each model
# generalizes.

# %% tags=["data"]
import numpy as np

import l2book as l2
from l2book import plots

seed = l2.glue("seed", 0)
flip = l2.glue("flip", 0.1)  # probability that a label is flipped
m_train, m_dev, m_test = 100, 500, 500
X, Y = l2.make_moons(m=m_train + m_dev + m_test, noise=0.2, flip=flip, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(m_train / 1100, m_dev / 1100, m_test / 1100),
                                seed=seed)
X_train, Y_train, X_dev, Y_dev = split.X_train, split.Y_train, split.X_dev, split.Y_dev

# %%
l2.glue("m_train", X_train.shape[1])
l2.glue("m_dev", X_dev.shape[1])
l2.glue("m_test", split.X_test.shape[1])

# The same points without the label flips (make_moons draws the flips last, so the points agree):
# which training labels are noise?
X_clean, Y_clean = l2.make_moons(m=m_train + m_dev + m_test, noise=0.2, flip=0.0, seed=seed)
clean = l2.train_dev_test_split(X_clean, Y_clean, fractions=(m_train / 1100, m_dev / 1100,
                                                             m_test / 1100), seed=seed)
same_points = bool(np.array_equal(clean.X_train, X_train))
flipped = (clean.Y_train != Y_train)[0]
l2.glue("n_flipped_train", int(flipped.sum()))
l2.claim("same_points", "Generating the data without label flips gives the same points.",
         same_points)

# %% [markdown]
# ## Three models
#
# Logistic regression has one weight per input: its boundary is a straight line. The network has
# two hidden layers of 50 ReLU units: far more parameters than training examples. Both are trained
# with Adam on the full training set; the network once with λ = 0 and once with λ > 0.

# %% tags=["train"]
lam = l2.glue("lam", 0.7)
logistic = l2.Network([2, 1], seed=seed)
l2.fit(logistic, X_train, Y_train, lam=0.0, optimizer=l2.Adam(lr=0.1), epochs=300)

# Both λ at once: the same network, initial weights and steps, trained for each λ in one run.
sweep = l2.sweep_lambda([2, 50, 50, 1], X_train, Y_train, lams=[0.0, lam], hidden="relu",
                        optimizer=l2.Adam(lr=0.025), epochs=700, seed=seed,
                        X_dev=X_dev, Y_dev=Y_dev, record_every=1)
big, big_l2 = sweep.network(0), sweep.network(1)
history, history_l2 = sweep.history(0), sweep.history(1)

# %%
l2.glue("n_params", int(sum(p.size for p in big.params.values())))
l2.glue("epochs", int(history.epochs[-1]))
models = {"logistic": logistic, "big": big, "big_l2": big_l2}
acc = {}
for name, model in models.items():
    acc[name] = (model.accuracy(X_train, Y_train), model.accuracy(X_dev, Y_dev))
    l2.glue(f"train_acc_{name}", acc[name][0])
    l2.glue(f"dev_acc_{name}", acc[name][1])
    l2.glue(f"train_err_{name}", 1 - acc[name][0])
    l2.glue(f"dev_err_{name}", 1 - acc[name][1])
    print(f"{name:9s} train accuracy {acc[name][0]:.3f}   dev accuracy {acc[name][1]:.3f}")

# %% [markdown]
# ## Who memorized the noise?
#
# On the training examples whose label was flipped, a model that predicts the flipped label has
# learned the noise by heart.

# %%
memorized = {name: int((model.predict(X_train) == Y_train)[0, flipped].sum())
             for name, model in models.items()}
l2.glue("memorized_big", memorized["big"])
l2.glue("memorized_big_l2", memorized["big_l2"])
print("flipped training labels reproduced:", memorized, "of", int(flipped.sum()))

# %% [markdown]
# ## Claims the text relies on

# %%
gap = acc["big"][0] - acc["big"][1]
gap_l2 = acc["big_l2"][0] - acc["big_l2"][1]
l2.glue("gap_big", gap)
l2.glue("gap_big_l2", gap_l2)
l2.claim("memorizes",
         "Without regularization the network classifies at least 99% of the training set "
         "correctly, flipped labels included, but at least 15 points fewer of the dev set.",
         acc["big"][0] >= 0.99 and gap >= 0.15, train_acc=acc["big"][0], dev_acc=acc["big"][1])
l2.claim("memorizes_flips",
         "The unregularized network reproduces most of the flipped training labels; the "
         "regularized one fewer than half as many.",
         memorized["big"] > 0.5 * flipped.sum() and memorized["big_l2"] < 0.5 * memorized["big"],
         flipped=int(flipped.sum()), big=memorized["big"], big_l2=memorized["big_l2"])
l2.claim("l2_dev",
         f"With λ = {lam:g} the network's dev accuracy is at least 5 points higher than with λ = 0.",
         acc["big_l2"][1] - acc["big"][1] >= 0.05, dev_acc_0=acc["big"][1],
         dev_acc_l2=acc["big_l2"][1])
l2.claim("l2_gap",
         f"With λ = {lam:g} the gap between train and dev accuracy is less than half the gap with "
         "λ = 0.",
         gap_l2 < gap / 2, gap_0=gap, gap_l2=gap_l2)
l2.claim("high_bias",
         "Logistic regression has a high error on the training set (at least 15%) and a dev error "
         "within 10 points of it, both higher than the regularized network's dev error.",
         1 - acc["logistic"][0] >= 0.15 and abs(acc["logistic"][0] - acc["logistic"][1]) <= 0.10
         and acc["logistic"][1] < acc["big_l2"][1],
         train_err=1 - acc["logistic"][0], dev_err=1 - acc["logistic"][1])

# %% [markdown]
# ## Overfitting happens during training
#
# The dev error of the unregularized network is recorded after every epoch: it reaches its lowest
# value early; what the network learns afterwards fits the training set, not the dev set.

# %%
best = int(np.argmin(history.dev_error))
l2.glue("best_epoch", int(history.epochs[best]))
l2.glue("dev_err_best_epoch", float(history.dev_error[best]))
l2.glue("train_err_best_epoch", float(history.train_error[best]))
l2.claim("dev_early",
         "The unregularized network reaches its lowest dev error in the first fifth of training, "
         "while its training error is still above 5%; the rest of training drives the training "
         "error to (almost) zero without lowering the dev error.",
         history.epochs[best] <= history.epochs[-1] / 5 and history.train_error[best] > 0.05
         and history.train_error[-1] <= 0.01,
         best_epoch=int(history.epochs[best]), train_err_then=float(history.train_error[best]),
         final_train_err=float(history.train_error[-1]))

fig, axes = plots.subplots(1, 2, width=6.4, height=3.0, sharey=True)
l2.history_curves(axes[0], history)
axes[0].set_title("λ = 0")
l2.history_curves(axes[1], history_l2)
axes[1].set_title(f"λ = {lam:g}")
axes[1].set_ylabel("")
l2.figure("curves", fig,
          alt="Two panels of classification error against training epoch. Left, without "
              "regularization: the training error falls to zero while the dev error reaches its "
              "minimum early and then rises. Right, with L2 regularization: training and dev "
              "error level off close to each other.",
          caption="Train and dev error during training, without (left) and with (right) L2.")

# %% [markdown]
# ## Decision boundaries

# %% tags=["figures"]
def title(name, label):
    train_acc, dev_acc = acc[name]
    return f"{label}\ntrain {train_acc:.0%}, dev {dev_acc:.0%}"


fig, _ = l2.decision_boundaries(
    [logistic, big, big_l2], X_train, Y_train, width=7.2, resolution=150,
    titles=[title("logistic", "logistic regression"), title("big", "network, λ = 0"),
            title("big_l2", f"network, λ = {lam:g}")])
l2.figure("three_models", fig,
          alt="Three panels showing the same noisy two-moons training points and a decision "
              "boundary. Logistic regression draws a straight line that misses the moon shape. "
              "The unregularized network draws a contorted boundary with islands around single "
              "points. The L2-regularized network draws a smooth curve that follows the moons.",
          caption="High bias, high variance, and L2: the same training set, three models.")

fig, _ = l2.decision_boundaries(
    [big, big_l2], X_train, Y_train, resolution=150,
    titles=[title("big", "without L2 (λ = 0)"), title("big_l2", f"with L2 (λ = {lam:g})")])
l2.figure("boundaries_l2", fig,
          alt="Two panels with the same noisy two-moons training points. Left, without "
              "regularization: a contorted decision boundary with small islands around single "
              "points. Right, with L2 regularization: a smooth boundary that follows the two moons.",
          caption="The same network trained on the same points, without and with L2 regularization.")

# %% [markdown]
# ## The test set, used once
#
# The dev set picked the regularized network over the unregularized one; the test set has not been
# looked at. Its accuracy is the estimate to report for the chosen model.

# %%
test_acc = l2.glue("test_acc_big_l2", big_l2.accuracy(split.X_test, split.Y_test))
print(f"test accuracy of the network with λ = {lam:g}: {test_acc:.3f}")
