"""L2 helps the optimizer too
X̃X̃ᵀ + λI is invertible and better conditioned; on separable data λ > 0 makes logistic regression converge.

Two computations: a polynomial fit with more features than examples, where least squares has no
unique solution and gradient descent's number of steps follows the condition number of X̃X̃ᵀ + λI;
and logistic regression on two separable clouds, whose weights grow without bound at λ = 0.
"""

# %% [markdown]
# ## More features than examples
#
# A degree-11 polynomial fitted to 8 points: 11 features, 8 examples. The centered matrix X̃X̃ᵀ
# (11 × 11) has rank at most m − 1 = 7, so the normal equations of least squares have infinitely
# many solutions. With the penalty, the matrix is X̃X̃ᵀ + λI, whose eigenvalues are those of
# X̃X̃ᵀ plus λ: all at least λ > 0, so it is invertible, and its condition number is
# κ = (d²_max + λ)/(d²_min + λ).

# %% tags=["rank"]
import numpy as np

import l2book as l2
from l2book import plots

seed = l2.glue("seed", 0)
m = l2.glue("m", 8)
degree = l2.glue("degree", 11)
x, y = l2.make_polynomial_data(m=m, noise=0.2, seed=seed)
X = l2.polynomial_features(x, degree)
X_c = X - X.mean(axis=1, keepdims=True)
y_c = (y - y.mean()).ravel()
gram = X_c @ X_c.T
eigenvalues = np.linalg.eigvalsh(gram)  # ascending
rank = l2.glue("rank", int(np.linalg.matrix_rank(gram)))
l2.glue("n_x", X.shape[0])
l2.glue("largest_eigenvalue", float(eigenvalues[-1]))
smallest = l2.glue("smallest_eigenvalue_abs", float(np.abs(eigenvalues).min()))
l2.claim(
    "least_squares_not_unique",
    "X̃X̃ᵀ has rank below the number of features (its smallest eigenvalues are zero up to "
    "rounding), so least squares has no unique solution.",
    rank < X.shape[0] and smallest < 1e-12 * eigenvalues[-1],
    rank=rank,
    n_x=X.shape[0],
    smallest=smallest,
)

# %% [markdown]
# ## λ sets the condition number, and the condition number sets the steps
#
# Gradient descent on the ridge cost with the largest stable step (η = 1/L, L the largest
# eigenvalue of the cost's Hessian (X̃X̃ᵀ + λI)/m) shrinks the error along each eigenvector by
# 1 − (d²_j + λ)/(d²_max + λ) per step: the slowest direction needs about κ steps per factor e.
# Counted until the weights are within 10⁻⁶ (relative) of the solution:

# %% tags=["steps"]
lams = [0.01, 0.1, 1.0, 10.0]
tolerance = 1e-6
conditions, steps = [], []
for lam in lams:
    A = gram + lam * np.eye(degree)
    w_star = np.linalg.solve(A, X_c @ y_c)
    hessian = A / m
    eta = 1.0 / np.linalg.eigvalsh(hessian)[-1]
    w, t = np.zeros(degree), 0
    while np.linalg.norm(w - w_star) > tolerance * np.linalg.norm(w_star):
        w -= eta * (hessian @ w - X_c @ y_c / m)  # ∂J/∂w of the ridge cost
        t += 1
    conditions.append(float(np.linalg.cond(A)))
    steps.append(t)

# %%
l2.glue("lams", lams)
l2.glue("conditions", conditions)
l2.glue("steps", steps)
for i, (lam, kappa, t) in enumerate(zip(lams, conditions, steps, strict=True)):
    l2.glue(f"lam_{i}", lam)
    l2.glue(f"kappa_{i}", kappa)  # in the order of lams
    l2.glue(f"steps_{i}", t)
    print(f"λ = {lam:<5g} κ = {kappa:9.1f}   gradient-descent steps {t}")
predicted = [(eigenvalues[-1] + lam) / (max(eigenvalues[0], 0.0) + lam) for lam in lams]
worst = float(max(abs(k / p - 1) for k, p in zip(conditions, predicted, strict=True)))
l2.claim(
    "condition_formula",
    "The condition number of X̃X̃ᵀ + λI is (d²_max + λ)/(d²_min + λ) with d²_min = 0 (to 1e-6).",
    worst < 1e-6,
    worst_relative_error=worst,
)
per_kappa = [t / k for t, k in zip(steps, conditions, strict=True)]
spread = l2.glue("steps_per_kappa_spread", max(per_kappa) / min(per_kappa))
l2.claim(
    "steps_follow_kappa",
    "Each larger λ needs fewer gradient-descent steps, and the steps are proportional to κ: "
    "steps/κ varies by less than a factor 1.5 over the four λ.",
    all(a > b for a, b in zip(steps, steps[1:], strict=False)) and spread < 1.5,
    steps=steps,
    spread=spread,
)

# %% [markdown]
# ## Separable data: at λ = 0 the weights never stop growing
#
# Two clouds of points that a line separates. Logistic regression's cross-entropy can always be
# lowered by scaling w up (every margin grows, every loss shrinks toward 0), so gradient descent
# never converges: ‖w‖ grows like the logarithm of the number of steps. Any λ > 0 adds a cost
# that grows with ‖w‖, and the minimum is finite.

# %% tags=["separable"]
rng = np.random.default_rng(seed)
half = 30
X_sep = np.hstack([rng.normal(-2.0, 0.7, (2, half)), rng.normal(2.0, 0.7, (2, half))])
Y_sep = np.concatenate([np.zeros(half), np.ones(half)])[None]
epochs = l2.glue("epochs", 20000)
record = 2000
histories = {}
for lam in (0.0, 0.1):
    net = l2.Network([2, 1], seed=seed)
    histories[lam] = l2.fit(net, X_sep, Y_sep, lam=lam, optimizer=l2.GD(1.0), epochs=epochs,
                            record_every=record)

# %%
norms = {lam: h.weight_norms[:, 0] for lam, h in histories.items()}
separated = bool((histories[0.0].net.predict(X_sep) == Y_sep).all())
l2.glue("lam_separable", 0.1)
l2.glue("norm_unregularized_mid", float(norms[0.0][len(norms[0.0]) // 2]))
l2.glue("norm_unregularized_end", float(norms[0.0][-1]))
l2.glue("norm_regularized_end", float(norms[0.1][-1]))
l2.glue("cost_unregularized_end", float(histories[0.0].cost[-1]))
settled = l2.glue("norm_regularized_last_change", float(abs(norms[0.1][-1] - norms[0.1][-2])))
l2.claim(
    "unregularized_grows",
    "At λ = 0 the data are separated and ‖w‖ rises at every record, still rising at the end, "
    "while the cost falls toward 0.",
    separated and bool(np.all(np.diff(norms[0.0]) > 0)) and histories[0.0].cost[-1] < 1e-3,
    last_increase=float(norms[0.0][-1] - norms[0.0][-2]),
    cost=float(histories[0.0].cost[-1]),
)
l2.claim(
    "regularized_settles",
    "At λ = 0.1, ‖w‖ has stopped moving: it changes by less than 1e-9 over the last records.",
    settled < 1e-9,
    last_change=settled,
)

# %% tags=["figure"]
fig, (ax_steps, ax_norm) = plots.subplots(1, 2, width=8.0, height=3.2)
ax_steps.loglog(conditions, steps, "o-")
for lam, kappa, t in zip(lams, conditions, steps, strict=True):
    ax_steps.annotate(f"λ = {lam:g}", (kappa, t), textcoords="offset points", xytext=(6, -10))
ax_steps.set_xlabel("condition number κ of X̃X̃ᵀ + λI")
ax_steps.set_ylabel("gradient-descent steps")
epochs_rec = histories[0.0].epochs
ax_norm.plot(epochs_rec, norms[0.0], "o-", label="λ = 0")
ax_norm.plot(epochs_rec, norms[0.1], "s-", label="λ = 0.1")
ax_norm.set_xlabel("epoch")
ax_norm.set_ylabel("‖w‖")
ax_norm.legend()
l2.figure("optimization", fig,
          alt="Left: gradient-descent steps against the condition number on log-log axes, a "
              "straight rising line, the largest λ at the bottom left. Right: the weight norm of "
              "logistic regression on separable data against epochs; at λ = 0 it keeps rising, "
              "at λ = 0.1 it is flat after the first record.",
          caption="Left: steps to converge follow the condition number that λ sets. Right: "
                  "without a penalty the weights on separable data grow without end.")
