"""Polynomial degree: from underfitting to overfitting
Polynomials of degree 1 to 14 on 15 noisy points: the train error falls, the dev error falls then explodes.

Data y = sin(πx) + ε with ε ~ N(0, 0.2²). Each degree d fits ŷ = w₁x + … + w_d x^d + b by least
squares (λ = 0) on 15 training points; the dev set has 100 points from the same distribution.
"""

# %% [markdown]
# ## Data
#
# Fifteen training points, and a dev set of a hundred, from the same curve with the same noise.

# %% tags=["data"]
import numpy as np

import l2book as l2
from l2book import plots

seed = l2.glue("seed", 0)
noise = l2.glue("noise", 0.2)
m_train, m_dev, m_test = 15, 100, 100
m = m_train + m_dev + m_test
x, y = l2.make_polynomial_data(m=m, noise=noise, seed=seed)  # y = sin(πx) + ε
split = l2.train_dev_test_split(x, y, fractions=(m_train / m, m_dev / m, m_test / m), seed=seed)
x_train, y_train, x_dev, y_dev = split.X_train, split.Y_train, split.X_dev, split.Y_dev
m_train = l2.glue("m_train", x_train.shape[1])
m_dev = l2.glue("m_dev", x_dev.shape[1])

# %% [markdown]
# ## One least-squares fit per degree
#
# The features of degree d are the rows x, x², …, x^d; `l2.ridge` with λ = 0 is plain least
# squares (its intercept b is never penalized anyway).

# %% tags=["fit"]
def mse(fit, x, y, degree):
    return float(np.mean((fit.predict(l2.polynomial_features(x, degree)) - y) ** 2))


degrees = np.arange(1, m_train)  # degree 14 has 15 parameters: as many as training points
train_mse, dev_mse, fits = [], [], {}
for d in degrees:
    fit = l2.ridge(l2.polynomial_features(x_train, d), y_train, lam=0.0)
    fits[d] = fit
    train_mse.append(mse(fit, x_train, y_train, d))
    dev_mse.append(mse(fit, x_dev, y_dev, d))
train_mse, dev_mse = np.array(train_mse), np.array(dev_mse)

# %%
best = int(degrees[np.argmin(dev_mse)])
top = int(degrees[-1])
l2.glue("best_degree", best)
l2.glue("top_degree", top)
l2.glue("dev_mse_best", float(dev_mse[best - 1]))
l2.glue("train_mse_best", float(train_mse[best - 1]))
l2.glue("dev_mse_1", float(dev_mse[0]))
l2.glue("train_mse_1", float(train_mse[0]))
l2.glue("dev_mse_top", float(dev_mse[-1]))
l2.glue("train_mse_top", float(train_mse[-1]))
l2.glue("dev_ratio_top", float(dev_mse[-1] / dev_mse[best - 1]))
for d, tr, dv in zip(degrees, train_mse, dev_mse, strict=True):
    print(f"degree {d:2d}: train MSE {tr:.3g}   dev MSE {dv:.3g}")

# %% [markdown]
# ## A preview of L2
#
# The same degree-14 features, now with a small penalty λ‖w‖²/(2m) on the weights.

# %% tags=["ridge"]
lam = l2.glue("lam", 0.01)
fit_l2 = l2.ridge(l2.polynomial_features(x_train, top), y_train, lam=lam)
train_mse_top_l2 = l2.glue("train_mse_top_l2", mse(fit_l2, x_train, y_train, top))
dev_mse_top_l2 = l2.glue("dev_mse_top_l2", mse(fit_l2, x_dev, y_dev, top))

# %% [markdown]
# ## Claims

# %%
l2.claim("train_falls",
         "The training error never increases with the degree (each degree can reproduce the "
         "previous fit).",
         bool(np.all(np.diff(train_mse) <= 1e-12)), train_mse=train_mse.round(6))
l2.claim("interpolates",
         f"At degree {top} the polynomial passes through all {m_train} training points "
         "(training error below 1e-6).",
         train_mse[-1] < 1e-6, train_mse=float(train_mse[-1]))
l2.claim("dev_u_shape",
         "The dev error is lowest at an intermediate degree, at least 3 times lower than at "
         f"degree 1 and at least 100 times lower than at degree {top}.",
         1 < best < top and dev_mse[0] >= 3 * dev_mse[best - 1]
         and dev_mse[-1] >= 100 * dev_mse[best - 1],
         best_degree=best, dev_1=float(dev_mse[0]), dev_best=float(dev_mse[best - 1]),
         dev_top=float(dev_mse[-1]))
l2.claim("l2_rescues",
         f"With λ = {lam:g}, the degree-{top} polynomial's dev error falls more than 10-fold and "
         f"ends within a factor 2 of the best degree's.",
         dev_mse_top_l2 * 10 < dev_mse[-1] and dev_mse_top_l2 < 2 * dev_mse[best - 1],
         dev_top=float(dev_mse[-1]), dev_top_l2=dev_mse_top_l2, dev_best=float(dev_mse[best - 1]))

# %% [markdown]
# ## Figure

# %% tags=["figure"]
fig, (ax_fit, ax_err) = plots.subplots(1, 2, width=7.2, height=3.4)
grid = np.linspace(-1, 1, 400).reshape(1, -1)
ax_fit.plot(grid[0], np.sin(np.pi * grid[0]), color=plots.COLORS["grey"], linestyle=":",
            label="true curve sin(πx)")
for d, color, style in ((1, "sky", "-"), (best, "green", "-"), (top, "vermillion", "--")):
    ax_fit.plot(grid[0], fits[d].predict(l2.polynomial_features(grid, d))[0],
                color=plots.COLORS[color], linestyle=style, label=f"degree {d}")
ax_fit.scatter(x_train[0], y_train[0], color=plots.COLORS["black"], s=18, zorder=3,
               label="training points")
ax_fit.set_ylim(-3.2, 2)
ax_fit.set_xlabel("x")
ax_fit.set_ylabel("y")
ax_fit.legend(fontsize=7, loc="lower center", ncol=2, frameon=True, framealpha=0.9)
l2.train_dev_curves(ax_err, degrees, train_mse, dev_mse, xlabel="polynomial degree",
                    ylabel="mean squared error", log_y=True)
# The degree-14 training error is zero up to rounding: let it leave the plot at the bottom.
ax_err.set_ylim(1e-3, None)
ax_err.xaxis.get_major_locator().set_params(integer=True)
l2.figure("degree", fig,
          alt=f"Left: fifteen noisy training points around a sine curve, with least-squares "
              f"polynomials of degree 1 (a nearly straight line), {best} (close to the sine) and "
              f"{top} (passing through every point and swinging wildly between them). Right: "
              f"training and dev mean squared error against the degree on a log scale; the "
              f"training error falls steadily, the dev error is lowest at degree {best} and grows "
              f"by orders of magnitude at high degree.",
          caption="Underfitting at low degree, overfitting at high degree: the training error "
                  f"keeps falling (at degree {top} it is zero up to rounding and leaves the plot), "
                  "the dev error does not.")
