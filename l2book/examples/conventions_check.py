"""The book's λ in other libraries, checked
Fits each model with l2book at λ and with scikit-learn at the translated setting, and measures the difference.
"""

# %% [markdown]
# The book's cost is J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F². Each library writes its own
# penalty. For every translation in the conventions table we compute the same model both ways and
# report the largest difference between the two sets of parameters (or costs), next to the
# difference a plausible *wrong* translation produces. scikit-learn runs here; PyTorch and Keras are
# represented by the update rules they document (the test suite runs real PyTorch).

# %%
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier

import l2book as l2

seed = l2.glue("seed", 0)
lam = l2.glue("lam", 2.0)


def max_diff(a: dict, b: dict) -> float:
    """Largest absolute difference over all parameters of two parameter dictionaries."""
    return float(max(np.max(np.abs(a[k] - b[k])) for k in a))


# %% [markdown]
# **Ridge.** scikit-learn minimises ‖y − Xw − b‖² + α‖w‖², which is 2m·J: the same minimiser, so
# α = λ.

# %% tags=["ridge"]
x, y = l2.make_polynomial_data(m=30, noise=0.2, seed=seed)
X = l2.polynomial_features(x, degree=6)
book = l2.ridge(X, y, lam)
sk = Ridge(alpha=lam).fit(X.T, y.ravel())  # scikit-learn wants one row per example: X.T
ridge_diff = max(np.max(np.abs(book.w - sk.coef_)), abs(book.b - sk.intercept_))
m = X.shape[1]
wrong = Ridge(alpha=lam / m).fit(X.T, y.ravel())
ridge_wrong = np.max(np.abs(book.w - wrong.coef_))
l2.glue("ridge_diff", float(ridge_diff))
ridge_wrong = l2.glue("ridge_wrong", float(ridge_wrong))

# %% [markdown]
# **Logistic regression.** scikit-learn minimises ½‖w‖² + C Σ_i L⁽ⁱ⁾, which is (m/λ)·J when
# C = 1/λ. l2book trains the same model (a one-layer sigmoid network) by gradient descent to
# convergence.

# %% tags=["logistic"]
Xc, Yc = l2.make_moons(200, noise=0.25, seed=seed)
logreg = l2.Network([2, 1], output="sigmoid", seed=seed)
l2.fit(logreg, Xc, Yc, lam=lam, optimizer=l2.GD(5.0), epochs=600, record_every=600)
sk = LogisticRegression(C=1 / lam, solver="newton-cholesky", tol=1e-12).fit(Xc.T, Yc.ravel())
sk_params = {"W1": sk.coef_, "b1": sk.intercept_.reshape(1, 1)}
logistic_diff = max_diff(logreg.params, sk_params)
sk_wrong = LogisticRegression(C=lam, solver="newton-cholesky", tol=1e-12).fit(Xc.T, Yc.ravel())
logistic_wrong = max_diff(logreg.params, {"W1": sk_wrong.coef_, "b1": sk_wrong.intercept_.reshape(1, 1)})
l2.glue("logistic_diff", logistic_diff)
logistic_wrong = l2.glue("logistic_wrong", logistic_wrong)

# %% [markdown]
# **An exception: liblinear penalizes the intercept.** `LogisticRegression(solver="liblinear")`
# appends a constant feature of value `intercept_scaling` (default 1) to every example and
# regularizes its weight like the others, so the intercept is shrunk too. It shows when the
# intercept is large: shift the first input by 3 and compare with a solver that leaves the
# intercept alone; a large `intercept_scaling` makes the intercept's penalty negligible.

# %% tags=["liblinear"]
X_shifted = Xc + np.array([[3.0], [0.0]])
unpenalized = LogisticRegression(C=1 / lam, solver="newton-cholesky", tol=1e-12)
b_unpenalized = l2.glue("b_unpenalized", float(unpenalized.fit(X_shifted.T, Yc.ravel()).intercept_[0]))
liblinear = LogisticRegression(C=1 / lam, solver="liblinear", tol=1e-12, max_iter=100_000)
b_liblinear = l2.glue("b_liblinear", float(liblinear.fit(X_shifted.T, Yc.ravel()).intercept_[0]))
scaled = LogisticRegression(C=1 / lam, solver="liblinear", tol=1e-12, max_iter=100_000,
                            intercept_scaling=1000.0)
b_scaled = l2.glue("b_liblinear_scaled", float(scaled.fit(X_shifted.T, Yc.ravel()).intercept_[0]))
l2.claim(
    "liblinear_shrinks_intercept",
    "With solver=\"liblinear\" the intercept is penalized: it comes out at least 20 % closer to "
    "zero than the intercept of a solver that leaves it unpenalized.",
    bool(abs(b_liblinear) < 0.8 * abs(b_unpenalized)),
    b_liblinear=b_liblinear,
    b_unpenalized=b_unpenalized,
)
l2.claim(
    "intercept_scaling_frees_it",
    "With intercept_scaling=1000 the intercept's penalty is negligible: liblinear's intercept "
    "matches the unpenalized one to 1e-3.",
    bool(abs(b_scaled - b_unpenalized) < 1e-3),
    b_liblinear_scaled=b_scaled,
    b_unpenalized=b_unpenalized,
)

# %% [markdown]
# **MLPClassifier.** Per minibatch B scikit-learn adds α/(2|B|) Σ_l ‖W[l]‖² to the mean loss of the
# batch. Full batch (|B| = m) that is the book's penalty with λ = α. We start both from the same
# weights and take the same 50 full-batch gradient steps (plain SGD, no momentum, no shuffling).

# %% tags=["mlp_helpers"]
def sklearn_sgd(params: dict, X: np.ndarray, Y: np.ndarray, alpha: float, lr: float,
                batch_size: int, epochs: int) -> tuple[dict, float]:
    """Train a copy of ``params`` with scikit-learn's plain minibatch SGD.

    Returns the trained parameters and scikit-learn's loss for the first epoch from ``params``.
    """
    L = len(params) // 2
    mlp = MLPClassifier(
        hidden_layer_sizes=tuple(params[f"W{l}"].shape[0] for l in range(1, L)), activation="tanh",
        solver="sgd", alpha=alpha, batch_size=batch_size, learning_rate_init=lr, momentum=0.0,
        nesterovs_momentum=False, shuffle=False, max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1,
        warm_start=True, random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.set_params(max_iter=1).fit(X.T, Y.ravel())  # only to set up shapes and classes
        mlp.coefs_ = [params[f"W{l}"].T.copy() for l in range(1, L + 1)]  # sklearn's W is our W.T
        mlp.intercepts_ = [params[f"b{l}"].ravel().copy() for l in range(1, L + 1)]
        first = len(mlp.loss_curve_)  # warm start appends to the curve of the set-up fit
        mlp.set_params(max_iter=epochs).fit(X.T, Y.ravel())
    trained = {}
    for l in range(1, L + 1):
        trained[f"W{l}"] = mlp.coefs_[l - 1].T
        trained[f"b{l}"] = mlp.intercepts_[l - 1].reshape(-1, 1)
    return trained, float(mlp.loss_curve_[first])


# %% tags=["mlp_full_batch"]
start = l2.Network([2, 8, 1], hidden="tanh", output="sigmoid", seed=seed)
lr, steps, m = 0.5, 50, Xc.shape[1]
sk_params, sk_first_loss = sklearn_sgd(start.params, Xc, Yc, alpha=lam, lr=lr, batch_size=m, epochs=steps)
mlp = start.copy()
l2.fit(mlp, Xc, Yc, lam=lam, optimizer=l2.GD(lr), epochs=steps, record_every=steps)
mlp_diff = max_diff(mlp.params, sk_params)
mlp_cost_diff = abs(sk_first_loss - start.cost(Xc, Yc, lam))  # sklearn's loss = the book's J
mlp_wrong_net = start.copy()
l2.fit(mlp_wrong_net, Xc, Yc, lam=lam / m, optimizer=l2.GD(lr), epochs=steps, record_every=steps)
mlp_wrong = max_diff(mlp_wrong_net.params, sk_params)
l2.glue("mlp_steps", steps)
l2.glue("mlp_diff", mlp_diff)
l2.glue("mlp_cost_diff", float(mlp_cost_diff))
mlp_wrong = l2.glue("mlp_wrong", mlp_wrong)

# %% [markdown]
# With minibatches of size B the book's gradient of J on a batch is (1/|B|) Σ_{i∈B} ∂L⁽ⁱ⁾ +
# (λ/m) W, while scikit-learn's is (1/|B|) Σ_{i∈B} ∂L⁽ⁱ⁾ + (α/|B|) W: equal when λ = α·m/B.
# One epoch over consecutive batches, both ways.

# %% tags=["mlp_minibatch"]
def book_minibatch_epoch(net: l2.Network, X: np.ndarray, Y: np.ndarray, lam: float, lr: float,
                         batch_size: int) -> l2.Network:
    """One epoch of the book's minibatch SGD over consecutive batches."""
    net = net.copy()
    opt = l2.SGD(lr, batch_size=batch_size)
    m = X.shape[1]
    for s in range(0, m, batch_size):
        Xb, Yb = X[:, s:s + batch_size], Y[:, s:s + batch_size]
        # Network.gradients divides the penalty by the batch's size; λ·|B|/m makes it (λ/m)W.
        opt.step(net.params, net.gradients(Xb, Yb, lam * Xb.shape[1] / m))
    return net


B = l2.glue("batch_size", 20)
alpha = l2.glue("alpha", 0.5)
sk_params, _ = sklearn_sgd(start.params, Xc, Yc, alpha=alpha, lr=lr, batch_size=B, epochs=1)
lam_equivalent = l2.glue("lam_equivalent", alpha * m / B)
minibatch_diff = max_diff(book_minibatch_epoch(start, Xc, Yc, lam_equivalent, lr, B).params, sk_params)
minibatch_wrong = max_diff(book_minibatch_epoch(start, Xc, Yc, alpha, lr, B).params, sk_params)
l2.glue("m", m)
l2.glue("minibatch_diff", minibatch_diff)
minibatch_wrong = l2.glue("minibatch_wrong", minibatch_wrong)

# %% [markdown]
# **PyTorch `SGD(weight_decay=wd)`** documents the step g ← ∇(mean loss) + wd·θ, θ ← θ − η g. With
# wd = λ/m on the weights (and 0 on the biases, which need their own parameter group) this is the
# book's gradient descent step. We apply the documented rule in NumPy for 50 steps.

# %% tags=["torch_sgd"]
def torch_sgd_rule(net: l2.Network, X: np.ndarray, Y: np.ndarray, wd: float, lr: float,
                   steps: int, decay_biases: bool = False) -> l2.Network:
    net = net.copy()
    for _ in range(steps):
        g = net.gradients(X, Y, 0.0)  # gradient of the mean data loss only
        for key, p in net.params.items():
            decay = wd if (key.startswith("W") or decay_biases) else 0.0
            p -= lr * (g[key] + decay * p)  # torch.optim.SGD: g ← g + wd·θ; θ ← θ − lr·g
    return net


torch_sgd_diff = max_diff(torch_sgd_rule(start, Xc, Yc, lam / m, lr, steps).params, mlp.params)
torch_biases = max_diff(torch_sgd_rule(start, Xc, Yc, lam / m, lr, steps, True).params, mlp.params)
l2.glue("torch_sgd_diff", torch_sgd_diff)
torch_biases = l2.glue("torch_sgd_biases_diff", torch_biases)

# %% [markdown]
# **AdamW** multiplies every weight by (1 − η·wd) before each Adam step, whatever its gradient.
# With a zero data gradient only that factor acts; after t steps w = (1 − η·wd)ᵗ w₀.

# %% tags=["adamw_factor"]
eta, wd, t = 0.01, 0.3, 7
w0 = l2.Network([3, 1], output="identity", seed=seed)
decayed = w0.copy()
opt = l2.AdamW(eta, weight_decay=wd)
for _ in range(t):
    opt.step(decayed.params, {k: np.zeros_like(p) for k, p in decayed.params.items()})
adamw_factor_diff = float(np.max(np.abs(decayed.params["W1"] - (1 - eta * wd) ** t * w0.params["W1"])))
adamw_factor_diff = l2.glue("adamw_factor_diff", adamw_factor_diff)

# %% [markdown]
# Is AdamW's result the L2 optimum for *some* λ? On a least-squares problem every L2 optimum lies on
# the ridge path ŵ(λ). We train AdamW to a steady state and measure how close the nearest point of
# a fine ridge path comes (relative distance); Adam with coupled L2 at λ lands on its path point.

# %% tags=["adamw_vs_l2"]
rng = np.random.default_rng(seed)
Xa = rng.standard_normal((3, 200)) * np.array([[10.0], [1.0], [0.1]])  # inputs of unequal scale
Ya = np.array([[4.0, 1.0, 0.5]]) @ Xa + 0.1 * rng.standard_normal((1, 200))
adamw = l2.Network([3, 1], output="identity", seed=seed)
l2.fit(adamw, Xa, Ya, lam=0.0, optimizer=l2.AdamW(0.01, weight_decay=0.5), epochs=2000, record_every=2000)
path = l2.ridge_path(Xa, Ya, np.logspace(-4, 6, 2001))
w = adamw.params["W1"].ravel()
adamw_distance = float(np.min(np.linalg.norm(path.coefs - w, axis=1)) / np.linalg.norm(w))
lam_adam = 50.0
adam = l2.Network([3, 1], output="identity", seed=seed)
l2.fit(adam, Xa, Ya, lam=lam_adam, optimizer=l2.Adam(0.01), epochs=2000, record_every=2000)
w_ridge = l2.ridge(Xa, Ya, lam_adam).w
adam_distance = float(np.linalg.norm(adam.params["W1"].ravel() - w_ridge) / np.linalg.norm(w_ridge))
l2.glue("adamw_distance", adamw_distance)
adam_distance = l2.glue("adam_distance", adam_distance)

# %% [markdown]
# **Keras `regularizers.l2(l)`** documents its penalty as l·Σ w² (no ½, no 1/m), added to the mean
# loss. So l·‖W‖² = λ/(2m)‖W‖² when l = λ/(2m).

# %% tags=["keras"]
def keras_loss(net: l2.Network, X: np.ndarray, Y: np.ndarray, l: float) -> float:
    return net.data_loss(X, Y) + sum(l * float(np.sum(W**2)) for W in net.W)  # Keras: l2 * sum(x²)


keras_diff = abs(keras_loss(start, Xc, Yc, lam / (2 * m)) - start.cost(Xc, Yc, lam))
keras_wrong = abs(keras_loss(start, Xc, Yc, lam / m) - start.cost(Xc, Yc, lam))
l2.glue("keras_diff", float(keras_diff))
keras_wrong = l2.glue("keras_wrong", float(keras_wrong))

# %% [markdown]
# Every right translation agrees to rounding; every wrong one is off by many orders of magnitude more.

# %% tags=["claims"]
rows = {
    "Ridge(alpha=λ)": (ridge_diff, ridge_wrong, 1e-10),
    "LogisticRegression(C=1/λ)": (logistic_diff, logistic_wrong, 1e-9),
    "MLPClassifier(alpha=λ), full batch": (mlp_diff, mlp_wrong, 1e-12),
    "MLPClassifier(alpha), batch B: λ = alpha·m/B": (minibatch_diff, minibatch_wrong, 1e-12),
    "SGD weight_decay = λ/m on weights": (torch_sgd_diff, torch_biases, 1e-12),
    "Keras l2(λ/(2m))": (keras_diff, keras_wrong, 1e-12),
}
for key, (name, (right, wrong_diff, tol)) in zip(
    ("ridge", "logistic", "mlp", "minibatch", "torch_sgd", "keras"), rows.items(), strict=True
):
    l2.claim(
        f"{key}_mapping",
        f"{name}: l2book and the other library agree to within {tol:g}, and the wrong translation "
        "does not.",
        bool(right < tol and wrong_diff > 1e3 * tol),
        max_diff=float(right),
        wrong_diff=float(wrong_diff),
        tolerance=tol,
    )
l2.claim(
    "mlp_loss_is_cost",
    "scikit-learn's reported MLP loss equals the book's J with λ = alpha (full batch).",
    bool(mlp_cost_diff < 1e-12),
    diff=float(mlp_cost_diff),
)
l2.claim(
    "adamw_factor",
    "With a zero data gradient, AdamW multiplies the weights by (1 − η·wd) per step.",
    bool(adamw_factor_diff < 1e-14),
    max_diff=adamw_factor_diff,
)
l2.claim(
    "adamw_not_l2",
    "AdamW's steady state is far from every L2 optimum, while Adam with coupled L2 reaches the L2 "
    "optimum of its λ.",
    bool(adamw_distance > 0.3 and adam_distance < 1e-4),
    adamw_distance=adamw_distance,
    adam_distance=adam_distance,
)

# %% [markdown]
# The differences on a log scale: right translations at rounding level, wrong ones far above.

# %% tags=["figure"]
from l2book import plots

labels = ["Ridge", "LogisticRegression", "MLP full batch", "MLP minibatch", "SGD weight_decay", "Keras l2"]
right = np.array([max(r[0], 1e-17) for r in rows.values()])  # exact zeros drawn at the floor
wrong_values = np.array([r[1] for r in rows.values()])
fig, ax = plots.subplots(width=6.4, height=3.6)
yy = np.arange(len(labels))
ax.scatter(right, yy, color=plots.COLORS["green"], s=40, label="right translation", zorder=3)
ax.scatter(wrong_values, yy, color=plots.COLORS["vermillion"], marker="X", s=50,
           label="wrong translation", zorder=3)
ax.set_xscale("log")
ax.set_yticks(yy)
ax.set_yticklabels(labels)
ax.invert_yaxis()
ax.set_xlabel("largest difference from l2book (parameters or cost)")
ax.legend(loc="center", fontsize=8)
l2.figure(
    "differences",
    fig,
    alt=(
        "Dot plot on a logarithmic axis, one row per library setting (Ridge, LogisticRegression, MLP "
        "full batch, MLP minibatch, SGD weight_decay, Keras l2). Green dots, the right translations, "
        f"all lie at or below {right.max():.0e}; red crosses, the wrong translations, lie between "
        f"{wrong_values.min():.0e} and {wrong_values.max():.0e}."
    ),
    caption=(
        "Largest difference between l2book and each library, right and wrong translations of λ "
        "(an exact zero is drawn at $10^{-17}$)."
    ),
)
