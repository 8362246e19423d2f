"""The test set, touched once
λ is chosen on a dev set (network) and by cross-validation (ridge); then the test set is used, once.
"""

# %% [markdown]
# Everything before this point chose λ without looking at the test set. Now, and only now, the
# final models meet it. Two problems from this chapter:
#
# * **the network**: [2, 25, 25, 1] relu on two moons, λ chosen on a dev set
#   (the sweep of `dev_sweep`, repeated here so that this example stands alone);
# * **ridge on polynomial features**: degree 15, 25 training points, λ chosen by 5-fold
#   cross-validation, minimum and one-standard-error rule (as in `kfold_one_se`).

# %% tags=["network_choice"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)
lams = np.concatenate([[0.0], np.geomspace(0.01, 10, 10)])
sweep = l2.sweep_lambda(
    [2, 25, 25, 1], split.X_train, split.Y_train, lams,
    optimizer=l2.Adam(0.01), epochs=1000, seed=seed,
    X_dev=split.X_dev, Y_dev=split.Y_dev, record_every=1000,
)
chosen = l2.best_lambda_index(lams, sweep.dev_error)  # decided before the test set is used
net_lam = float(lams[chosen])

# %% tags=["ridge_choice"]
m_poly, degree = 25, 15
x, y = l2.make_polynomial_data(m=m_poly, noise=0.3, seed=seed)
F = l2.polynomial_features(x, degree)
cv = l2.kfold_cv(F, y, np.geomspace(1e-8, 1e2, 51), k=5, seed=seed)
ridge_lams = np.array([0.0, cv.best_lam, cv.one_se_lam])
cv_lam0 = float(l2.kfold_cv(F, y, [0.0], k=5, seed=seed).mean[0])  # λ = 0, for the table

# %% [markdown]
# The test sets: the 960 held-out moons examples, and 2000 fresh points of the polynomial
# problem drawn with another seed. Each chosen model is evaluated on them exactly once, below.

# %% tags=["test"]
net_test = [sweep.network(k).error(split.X_test, split.Y_test) for k in (0, chosen)]
x_test, y_test = l2.make_polynomial_data(m=2000, noise=0.3, seed=seed + 1)
path = l2.ridge_path(F, y, ridge_lams)
ridge_test = np.mean((path.predict(l2.polynomial_features(x_test, degree)) - y_test) ** 2, axis=1)
ridge_train = np.mean((path.predict(F) - y) ** 2, axis=1)

# %%
l2.glue("m_test", split.X_test.shape[1])
l2.glue("net_lam", net_lam)
l2.glue("net_train_lam0", float(sweep.train_error[0]))
l2.glue("net_dev_lam0", float(sweep.dev_error[0]))
l2.glue("net_test_lam0", float(net_test[0]))
l2.glue("net_train_chosen", float(sweep.train_error[chosen]))
l2.glue("net_dev_chosen", float(sweep.dev_error[chosen]))
l2.glue("net_test_chosen", float(net_test[1]))
l2.glue("ridge_lam_min", float(cv.best_lam))
l2.glue("ridge_lam_1se", float(cv.one_se_lam))
l2.glue("ridge_cv_lam0", cv_lam0)
l2.glue("ridge_train_lam0", float(ridge_train[0]))
l2.glue("ridge_train_min", float(ridge_train[1]))
l2.glue("ridge_train_1se", float(ridge_train[2]))
l2.glue("ridge_cv_min", float(cv.mean[cv.best_index]))
cv_1se = l2.glue("ridge_cv_1se", float(cv.mean[np.argmin(np.abs(cv.lams - cv.one_se_lam))]))
l2.glue("ridge_test_lam0", float(ridge_test[0]))
l2.glue("ridge_test_min", float(ridge_test[1]))
l2.glue("ridge_test_1se", float(ridge_test[2]))
noise_variance = l2.glue("noise_variance", 0.3**2)

# %%
l2.claim(
    "network_chosen_beats_lam0",
    "On the test set the network with the dev-chosen λ has a lower error than the one with λ = 0.",
    bool(net_lam > 0 and net_test[1] < net_test[0]),
    net_lam=net_lam,
    test_error_lam0=float(net_test[0]),
    test_error_chosen=float(net_test[1]),
)
l2.claim(
    "dev_is_optimistic",
    "The dev error of the chosen network is below its test error: the minimum of several noisy "
    "dev errors is an optimistic estimate.",
    bool(sweep.dev_error[chosen] < net_test[1]),
    dev_error_chosen=float(sweep.dev_error[chosen]),
    test_error_chosen=float(net_test[1]),
)
l2.claim(
    "ridge_cv_choices_beat_lam0",
    "Both cross-validated λ give ridge a test error far below that of λ = 0 (at least ten times "
    "smaller).",
    bool(max(ridge_test[1], ridge_test[2]) * 10 < ridge_test[0]),
    test_mse_lam0=float(ridge_test[0]),
    test_mse_min=float(ridge_test[1]),
    test_mse_1se=float(ridge_test[2]),
)
l2.claim(
    "one_se_close",
    "The one-standard-error choice's test error is within 10% of the CV minimum's, with a "
    "simpler model.",
    bool(abs(ridge_test[2] - ridge_test[1]) < 0.1 * ridge_test[1] and cv.one_se_lam > cv.best_lam),
    test_mse_min=float(ridge_test[1]),
    test_mse_1se=float(ridge_test[2]),
)
l2.claim(
    "cv_is_optimistic",
    "For both cross-validated choices the CV error of ridge is below its test error.",
    bool(cv.mean[cv.best_index] < ridge_test[1] and cv_1se < ridge_test[2]),
    cv_min=float(cv.mean[cv.best_index]),
    test_mse_min=float(ridge_test[1]),
    cv_1se=cv_1se,
    test_mse_1se=float(ridge_test[2]),
)
