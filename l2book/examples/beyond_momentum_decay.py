"""Weight decay vs L2 under momentum
With momentum μ, L2 and decoupled decay (SGDW) take different paths; SGDW ends at ridge, λ = m(1 − μ)wd.
"""

# %% [markdown]
# Under plain (minibatch) gradient descent, L2 with λ and a decay of the weights by 1 − ηλ/m per
# step are the same algorithm. With momentum they are not: coupled L2 puts (λ/m)w into the
# gradient, which then goes through the momentum buffer; decoupled decay (Loshchilov & Hutter's
# SGDW) shrinks the weights outside it.
#
# The problem is least squares with two features, so that the end points can be compared with
# closed-form ridge solutions, J(w) = 1/(2m)‖wX − y‖² + λ/(2m)‖w‖², and the paths drawn in the plane.

# %% tags=["data"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
rng = np.random.default_rng(seed)
m = l2.glue("m", 50)
X = rng.standard_normal((2, m)) * np.array([[1.5], [0.6]])
y = np.array([2.0, -1.5]) @ X + 0.5 * rng.standard_normal(m)


def run(opt: l2.Optimizer, lam: float, steps: int, decay: float = 0.0) -> np.ndarray:
    """Minimize the least-squares cost from w = 0; returns w after every step, shape (steps + 1, 2).

    ``lam`` enters the gradient (coupled L2); ``decay`` multiplies w by 1 − η·decay before each
    step (decoupled, for optimizers that have no decay of their own).
    """
    params = {"W1": np.zeros((1, 2))}
    path = [params["W1"][0].copy()]
    for _ in range(steps):
        w = params["W1"]
        grad = (w @ X - y) @ X.T / m + (lam / m) * w  # ∂/∂w [1/(2m)‖wX − y‖² + λ/(2m)‖w‖²]
        params["W1"] *= 1 - opt.lr * decay
        opt.step(params, {"W1": grad})
        path.append(params["W1"][0].copy())
    return np.array(path)


# %% [markdown]
# Three runs of heavy-ball momentum (PyTorch's `SGD(momentum=μ)`: v ← μv + g, w ← w − ηv), with
# the same η and μ:
#
# * **SGDW**, decoupled decay wd: w ← w − ηv − η·wd·w, with g the data gradient alone;
# * **coupled L2 with λ = m·wd**, the value that gives the same run when μ = 0;
# * **coupled L2 with λ = m(1 − μ)·wd**.

# %% tags=["runs"]
lr, mu, wd = l2.glue("lr", 0.05), l2.glue("mu", 0.9), l2.glue("wd", 0.5)
steps = l2.glue("steps", 800)
lam_same = l2.glue("lam_same", m * wd)  # the SGD correspondence λ/m = wd
lam_rescaled = l2.glue("lam_rescaled", m * (1 - mu) * wd)  # λ/m = (1 − μ)·wd
sgdw = run(l2.SGDW(lr, momentum=mu, weight_decay=wd), 0.0, steps)
coupled_same = run(l2.SGDW(lr, momentum=mu), lam_same, steps)
coupled_rescaled = run(l2.SGDW(lr, momentum=mu), lam_rescaled, steps)
ridge_same = l2.ridge(X, y, lam_same, fit_intercept=False).w
ridge_rescaled = l2.ridge(X, y, lam_rescaled, fit_intercept=False).w

# %% [markdown]
# Why the factor: at a fixed point the buffer stops changing, v = μv + g, so v = g/(1 − μ), and
# the weights stop changing, ηv + η·wd·w = 0. Together: ∂L/∂w + (1 − μ)·wd·w = 0, the ridge
# condition with λ/m = (1 − μ)·wd. Coupled L2 stops where g = ∂L/∂w + (λ/m)w = 0.

# %% tags=["fixed_points"]
end_gap_rescaled = l2.glue("end_gap_rescaled", float(np.abs(sgdw[-1] - ridge_rescaled).max()))
end_gap_same = l2.glue("end_gap_same", float(np.abs(sgdw[-1] - ridge_same).max()))
coupled_end_gap = float(np.abs(coupled_same[-1] - ridge_same).max())
path_gap = l2.glue("path_gap", float(np.abs(sgdw - coupled_rescaled).max()))
l2.glue("w_sgdw", sgdw[-1])
l2.glue("w_ridge_same", ridge_same)
l2.claim(
    "sgdw_fixed_point_rescaled",
    "SGDW with decay wd and momentum μ ends at the ridge solution for λ = m(1 − μ)·wd.",
    bool(end_gap_rescaled < 1e-9),
    max_abs_difference=end_gap_rescaled,
    tolerance=1e-9,
)
l2.claim(
    "sgdw_not_sgd_correspondence",
    "SGDW does not end at the ridge solution for λ = m·wd (the correspondence that holds without "
    "momentum), while coupled L2 with that λ does.",
    bool(end_gap_same > 0.1 and coupled_end_gap < 1e-9),
    sgdw_gap=end_gap_same,
    coupled_gap=coupled_end_gap,
)
l2.claim(
    "paths_differ",
    "With λ rescaled so that the fixed points coincide, SGDW and coupled L2 still take different "
    "paths: at some step their weights differ by more than 0.05.",
    bool(path_gap > 0.05),
    max_path_difference=path_gap,
)

# %% [markdown]
# Two checks of the setting. Without momentum (μ = 0) the decoupled and coupled runs are one and
# the same, step for step. And the factor 1 − μ belongs to the heavy-ball form: with the course's
# momentum, v ← βv + (1 − β)g, v is an *average* of gradients, so its fixed point is v = g and a
# decoupled decay wd then stops at the ridge solution for λ = m·wd, with no rescaling (its path
# still differs from coupled L2's).

# %% tags=["checks"]
no_momentum_gap = l2.glue("no_momentum_gap", float(np.abs(
    run(l2.SGDW(lr, momentum=0.0, weight_decay=wd), 0.0, 50) - run(l2.GD(lr), lam_same, 50)
).max()))
course_decoupled = run(l2.Momentum(lr / (1 - mu), beta=mu), 0.0, steps, decay=wd)
course_coupled = run(l2.Momentum(lr / (1 - mu), beta=mu), lam_same, steps)
course_end_gap = l2.glue("course_end_gap", float(np.abs(course_decoupled[-1] - ridge_same).max()))
course_path_gap = l2.glue("course_path_gap", float(np.abs(course_decoupled - course_coupled).max()))
l2.claim(
    "no_momentum_same_path",
    "With μ = 0, decoupled decay wd and coupled L2 with λ = m·wd give the same weights after every "
    "step.",
    bool(no_momentum_gap < 1e-12),
    max_abs_difference=no_momentum_gap,
)
l2.claim(
    "course_momentum_no_rescaling",
    "With the course's averaged momentum, decoupled decay wd ends at the ridge solution for "
    "λ = m·wd, on a different path from coupled L2.",
    bool(course_end_gap < 1e-9 and course_path_gap > 0.05),
    end_gap=course_end_gap,
    path_gap=course_path_gap,
)

# %% tags=["figure"]
from l2book import plots

fig, ax = plots.subplots(width=6.4, height=4.4)
shown = 120  # the first steps, where the paths separate; the rest spirals into the end points
ax.plot(*sgdw[:shown].T, color=plots.COLORS["vermillion"], label="SGDW, decay wd")
ax.plot(*coupled_rescaled[:shown].T, color=plots.COLORS["blue"], linestyle="--",
        label="L2, λ = m(1 − μ)·wd")
ax.plot(*coupled_same[:shown].T, color=plots.COLORS["grey"], linestyle=":", label="L2, λ = m·wd")
ax.plot(*ridge_rescaled, "o", color=plots.COLORS["black"], markersize=7, markerfacecolor="none",
        label="ridge, λ = m(1 − μ)·wd")
ax.plot(*ridge_same, "s", color=plots.COLORS["black"], markersize=6, markerfacecolor="none",
        label="ridge, λ = m·wd")
ax.plot(0, 0, "k+", markersize=8)
ax.set_xlabel("$w_1$")
ax.set_ylabel("$w_2$")
ax.set_title(f"Heavy-ball momentum μ = {mu:g}: paths from w = 0")
ax.legend(fontsize=8.5, loc="lower left")
l2.figure(
    "paths",
    fig,
    alt=(
        "Paths of the two weights from the origin under momentum for three runs. The SGDW path "
        "(solid) and the path of coupled L2 with λ rescaled by 1 − μ (dashed) overshoot along "
        "different curves but spiral into the same point, the ridge solution for the rescaled λ "
        "(circle). Coupled L2 with λ = m·wd (dotted) ends elsewhere, at the ridge solution for "
        "that λ (square), closer to the origin."
    ),
    caption=(
        "Least squares with two weights, heavy-ball momentum. SGDW and coupled L2 with "
        "$\\lambda = m(1-\\mu)\\,\\mathrm{wd}$ share an end point but not a path; the SGD "
        "correspondence $\\lambda = m\\,\\mathrm{wd}$ gives another end point."
    ),
)
