"""Why a test set: the winner's dev score is optimistic
Pick the best of many models by dev accuracy and its dev accuracy overstates what it will do on new data.

Fifty "models" that guess every label at random (true accuracy 50%) are scored on a dev set of 100
examples. The best of them looks better than chance on dev; on a fresh test set it is back at chance.
The same happens, less visibly, whenever λ or an architecture is chosen on the dev set.
"""

# %% [markdown]
# ## Fifty coin-flipping classifiers
#
# Each model predicts 0 or 1 with probability ½, independently of the input: its true accuracy is
# exactly 50%. The only thing that differs between them is luck.

# %% tags=["guessers"]
import numpy as np

import l2book as l2
from l2book import plots

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
n_models, m_dev, m_test = 50, 100, 100
Y_dev = rng.integers(0, 2, size=(1, m_dev))
Y_test = rng.integers(0, 2, size=(1, m_test))
guesses_dev = rng.integers(0, 2, size=(n_models, m_dev))  # row k: model k's predictions
guesses_test = rng.integers(0, 2, size=(n_models, m_test))

dev_acc = (guesses_dev == Y_dev).mean(axis=1)
test_acc = (guesses_test == Y_test).mean(axis=1)
winner = int(np.argmax(dev_acc))  # "model selection" on the dev set

# %%
l2.glue("n_models", n_models)
l2.glue("m_dev", m_dev)
l2.glue("m_test", m_test)
l2.glue("winner_dev_acc", float(dev_acc[winner]))
l2.glue("winner_test_acc", float(test_acc[winner]))
l2.glue("mean_dev_acc", float(dev_acc.mean()))
print(f"best dev accuracy {dev_acc[winner]:.2f}; the same model on the test set {test_acc[winner]:.2f}")
l2.claim("winner_optimistic",
         "The model with the best dev accuracy scores at least 8 points above chance on the dev "
         "set, and at least 5 points lower on the test set.",
         dev_acc[winner] >= 0.58 and dev_acc[winner] - test_acc[winner] >= 0.05,
         winner_dev=float(dev_acc[winner]), winner_test=float(test_acc[winner]))
l2.claim("average_honest",
         "Averaged over all models, the dev accuracy is within 3 points of chance: no single score "
         "is biased, the choice of the maximum is.",
         abs(dev_acc.mean() - 0.5) <= 0.03, mean_dev=float(dev_acc.mean()))

# %% tags=["figure"]
fig, ax = plots.subplots(width=5.6, height=3.2)
order = np.argsort(dev_acc)
ax.plot(range(n_models), dev_acc[order], marker="o", markersize=3, linestyle="none",
        color=plots.COLORS["vermillion"], label="dev accuracy (sorted)")
ax.plot(range(n_models), test_acc[order], marker="s", markersize=3, linestyle="none",
        color=plots.COLORS["blue"], label="test accuracy of the same model")
ax.axhline(0.5, color=plots.COLORS["grey"], linestyle=":", label="true accuracy")
ax.annotate("chosen on dev", xy=(n_models - 1, dev_acc[winner]),
            xytext=(n_models - 14, dev_acc[winner] + 0.03),
            arrowprops=dict(arrowstyle="->", color=plots.COLORS["black"]), fontsize=9)
ax.set_xlabel("model, ordered by dev accuracy")
ax.set_ylabel("accuracy")
ax.set_ylim(0.3, 0.75)
ax.legend(fontsize=8, loc="upper left")
l2.figure("winner", fig,
          alt=f"Dots for {n_models} random-guessing models ordered by dev accuracy, which rises from "
              "well below to well above one half; the squares showing the same models' test "
              "accuracy scatter around one half with no trend. The model chosen for the best dev "
              "accuracy is marked at the right end.",
          caption=f"{n_models} models with a true accuracy of one half: the best dev score is "
                  "luck, and the test set shows it.")
