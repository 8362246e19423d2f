"""AdamW in practice: timescale, scaling, and its ℓ∞ box
AdamW regularizes once 1/(η·wd) is short next to training; PyTorch's lr×wd vs the paper; why no λ equals it.
"""

# %% [markdown]
# AdamW multiplies every weight by 1 − η·wd per step. Left alone, a weight would decay as
# (1 − η·wd)ᵗ ≈ exp(−η·wd·t): the decay acts on a **timescale of 1/(η·wd) steps**. If training
# is much shorter than that, AdamW barely differs from Adam. We train the network of the chapter
# on choosing λ (two moons, [2, 25, 25, 1] relu, Adam with η = 0.01 for 1000 full-batch steps)
# with AdamW for a range of wd, from a timescale ten times longer than training to one a hundred
# times shorter.

# %% tags=["regimes"]
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)
lr, steps = l2.glue("lr", 0.01), l2.glue("steps", 1000)
wds = np.array([0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0])
runs = []
for wd in wds:
    net = l2.Network([2, 25, 25, 1], seed=seed)
    runs.append(l2.fit(net, split.X_train, split.Y_train, lam=0.0,
                       optimizer=l2.AdamW(lr, weight_decay=wd), epochs=steps,
                       X_dev=split.X_dev, Y_dev=split.Y_dev, record_every=steps))
train_error = np.array([h.train_error[-1] for h in runs])
dev_error = np.array([h.dev_error[-1] for h in runs])
norm = np.array([np.sqrt((h.weight_norms[-1] ** 2).sum()) for h in runs])
decayed = lr * wds * steps  # η·wd·T: training length in units of the decay timescale

# %%
best = l2.best_lambda_index(wds, dev_error)  # the same rule as for λ: the largest wd on a tie
l2.glue("wds", wds)
l2.glue("dev_error", dev_error)
wd_weak = l2.glue("wd_weak", float(wds[1]))
l2.glue("decayed_weak", float(decayed[1]))
l2.glue("timescale_weak", float(1 / (lr * wds[1])))
l2.glue("norm_none", float(norm[0]))
l2.glue("norm_weak", float(norm[1]))
wd_best = l2.glue("wd_best", float(wds[best]))
l2.glue("decayed_best", float(decayed[best]))
l2.glue("timescale_best", float(1 / (lr * wds[best])))
l2.glue("norm_best", float(norm[best]))
l2.glue("dev_error_none", float(dev_error[0]))
l2.glue("train_error_none", float(train_error[0]))
l2.glue("dev_error_best", float(dev_error[best]))
l2.glue("train_error_best", float(train_error[best]))
l2.glue("wd_largest", float(wds[-1]))
l2.glue("train_error_largest", float(train_error[-1]))
l2.claim(
    "weak_decay_barely_acts",
    "With wd = 0.01 (timescale ten times the training) the final weight norm is within 10% of "
    "Adam's without decay, and the training error is the same.",
    bool(abs(norm[1] / norm[0] - 1) < 0.1 and train_error[1] == train_error[0]),
    norm_ratio=float(norm[1] / norm[0]),
    train_error_weak=float(train_error[1]),
    train_error_none=float(train_error[0]),
)
l2.claim(
    "short_timescale_regularizes",
    "The wd with the lowest dev error has a decay timescale shorter than the training "
    "(η·wd·T > 1); there the training error is higher, the dev error lower by more than two "
    "points and the weight norm less than half of Adam's without decay.",
    bool(decayed[best] > 1 and train_error[best] > train_error[0]
         and dev_error[best] < dev_error[0] - 0.02 and norm[best] < 0.5 * norm[0]),
    wd_best=float(wds[best]),
    eta_wd_T=float(decayed[best]),
    dev_error_best=float(dev_error[best]),
    dev_error_none=float(dev_error[0]),
)
l2.claim(
    "too_strong_underfits",
    "The largest wd underfits: training error above 20%.",
    bool(train_error[-1] > 0.2),
    train_error_largest=float(train_error[-1]),
)

# %% [markdown]
# For comparison, coupled L2 under Adam with the λ the chapter on choosing λ selects on the same
# dev set (λ = 1) on the same network.

# %% tags=["l2"]
coupled = l2.fit(l2.Network([2, 25, 25, 1], seed=seed), split.X_train, split.Y_train, lam=1.0,
                 optimizer=l2.Adam(lr), epochs=steps, X_dev=split.X_dev, Y_dev=split.Y_dev,
                 record_every=steps)
dev_error_l2 = l2.glue("dev_error_l2", float(coupled.dev_error[-1]))
l2.claim(
    "adamw_as_good_as_l2",
    "At its best wd, AdamW's dev error is within one percentage point of Adam + L2's at λ = 1.",
    bool(abs(dev_error[best] - dev_error_l2) <= 0.01),
    dev_error_adamw=float(dev_error[best]),
    dev_error_l2=dev_error_l2,
)

# %% tags=["figure_regimes"]
from l2book import figures, plots

fig, (ax_err, ax_norm) = plots.subplots(1, 2, width=8.4, height=3.5)
figures.train_dev_curves(ax_err, decayed[1:], train_error[1:], dev_error[1:], best=best - 1,
                         xlabel="η·wd·T (training length / decay timescale)",
                         ylabel="classification error", log_x=True)
ax_err.axhline(dev_error[0], color=plots.COLORS["vermillion"], linestyle=":", linewidth=1,
               label="dev, no decay")
ax_err.axvline(1.0, color=plots.COLORS["grey"], linewidth=0.8)
_ = ax_err.legend(fontsize=8, loc="upper left")
ax_norm.plot(decayed[1:], norm[1:], marker="o", markersize=4, color=plots.COLORS["blue"])
ax_norm.axhline(norm[0], color=plots.COLORS["blue"], linestyle=":", linewidth=1)
ax_norm.axvline(1.0, color=plots.COLORS["grey"], linewidth=0.8)
ax_norm.set_xscale("log")
ax_norm.set_xlabel("η·wd·T")
ax_norm.set_ylabel("total weight norm after training")
l2.figure(
    "regimes",
    fig,
    alt=(
        "Two panels against η·wd·T on a log axis, with a vertical line at 1. Left: AdamW's "
        "training error stays near zero left of the line and rises to its right; the dev error "
        "is lowest, circled, at η·wd·T = " + f"{decayed[best]:g}" + ", below the no-decay level "
        "(dotted), and both errors are high for the largest wd. Right: the weight norm stays near "
        "its no-decay value (dotted) left of the line and falls steeply to its right."
    ),
    caption=(
        "AdamW on the network of *Choosing λ*, for wd from 0.01 to 10 with $\\eta$ and $T$ fixed: "
        "the decay matters only when training lasts longer than its timescale "
        "$1/(\\eta\\,\\mathrm{wd})$."
    ),
)

# %% [markdown]
# **PyTorch's scaling and the paper's.** PyTorch's `AdamW(lr, weight_decay=wd)` (and `l2.AdamW`)
# decays by lr·wd per step, so a learning-rate schedule scales the decay too, and changing the base
# learning rate changes the decay. Loshchilov & Hutter's Algorithm 2 writes
# θ ← θ − ηₜ(α·m̂/(√v̂ + ε) + λθ), with α the base learning rate and ηₜ the schedule
# multiplier: the decay is multiplied by the schedule factor only, not by α. So the paper's λ is
# PyTorch's α·wd. We check it step by step with ηₜ = 1.

# %% tags=["paper"]
rng = np.random.default_rng(seed)
theta0 = {"W1": rng.standard_normal((3, 4))}
gradients = [{"W1": rng.standard_normal((3, 4))} for _ in range(50)]
alpha, lam_paper = l2.glue("alpha", 0.01), l2.glue("lam_paper", 0.01)  # base lr, paper's decay λ
torch_form = {"W1": theta0["W1"].copy()}
opt = l2.AdamW(alpha, weight_decay=lam_paper / alpha)  # PyTorch's wd = λ/α
paper = theta0["W1"].copy()
m1, m2 = np.zeros_like(paper), np.zeros_like(paper)
b1, b2, eps, eta_t = 0.9, 0.999, 1e-8, 1.0
for t, g in enumerate(gradients, start=1):
    opt.step(torch_form, g)
    m1 = b1 * m1 + (1 - b1) * g["W1"]
    m2 = b2 * m2 + (1 - b2) * g["W1"] ** 2
    step = (m1 / (1 - b1**t)) / (np.sqrt(m2 / (1 - b2**t)) + eps)
    paper = paper - eta_t * (alpha * step + lam_paper * paper)  # Algorithm 2, line 12
paper_gap = l2.glue("paper_gap", float(np.abs(paper - torch_form["W1"]).max()))
l2.glue("paper_wd", lam_paper / alpha)
l2.claim(
    "paper_is_torch_with_wd_over_alpha",
    "The paper's AdamW with base learning rate α and decay λ takes the same steps as PyTorch's "
    "AdamW with weight_decay = λ/α.",
    bool(paper_gap < 1e-12),
    max_abs_difference=paper_gap,
)

# %% [markdown]
# **Why no λ reproduces AdamW.** Where AdamW comes to rest the weights stop changing:
# η·wd·wᵢ = −η·m̂ᵢ/(√v̂ᵢ + ε). With steady gradients m̂ᵢ/√v̂ᵢ is the sign of gᵢ, so a weight with a
# non-zero gradient sits at |wᵢ| = 1/wd, and a weight inside the box has gᵢ = 0. These are the
# optimality conditions of least squares **subject to |wᵢ| ≤ 1/wd** (an ℓ∞ ball), not of any
# L2-penalized cost, whose solutions shrink every coordinate together along the ridge path.
# We take the least-squares problem of the conventions page (three inputs of scales 10, 1 and 0.1)
# and run AdamW with wd = 0.5 until it is at rest.

# %% tags=["box"]
rng = np.random.default_rng(seed)
scales = l2.glue("scales", [10.0, 1.0, 0.1])  # inputs of unequal scale
Xa = rng.standard_normal((3, 200)) * np.array(scales)[:, None]
Ya = np.array([[4.0, 1.0, 0.5]]) @ Xa + 0.1 * rng.standard_normal((1, 200))
wd_box = l2.glue("wd_box", 0.5)
adamw = l2.Network([3, 1], output="identity", seed=seed)
l2.fit(adamw, Xa, Ya, lam=0.0, optimizer=l2.AdamW(0.01, weight_decay=wd_box), epochs=40000,
       record_every=40000)
w_adamw = adamw.params["W1"].ravel()


def box_least_squares(bound: float) -> np.ndarray:
    """argmin 1/(2m)‖wX + b − y‖² subject to |wᵢ| ≤ bound (b free), by trying every active set."""
    best_w, best_cost = None, np.inf
    for pattern in np.ndindex(3, 3, 3):  # each weight free, at +bound or at −bound
        fixed = np.array([(0.0, bound, -bound)[p] for p in pattern])
        free = [i for i, p in enumerate(pattern) if p == 0]
        A = np.vstack([Xa[free], np.ones(Xa.shape[1])]).T
        coef = np.linalg.lstsq(A, Ya[0] - fixed @ Xa, rcond=None)[0]
        w = fixed.copy()
        w[free] = coef[:-1]
        cost = float(np.mean((w @ Xa + coef[-1] - Ya[0]) ** 2))
        if np.all(np.abs(w) <= bound + 1e-12) and cost < best_cost:
            best_w, best_cost = w, cost
    return best_w


w_box = box_least_squares(1 / wd_box)
w_ls = l2.ridge(Xa, Ya, 0.0).w
path = l2.ridge_path(Xa, Ya, np.logspace(-4, 6, 2001))
ridge_distance = float(np.min(np.linalg.norm(path.coefs - w_adamw, axis=1)) / np.linalg.norm(w_adamw))
l2.glue("w_adamw", w_adamw)
l2.glue("w_box", w_box)
l2.glue("w_ls", w_ls)
l2.glue("bound", 1 / wd_box)
l2.glue("ridge_distance", ridge_distance)
max_w3_ridge = l2.glue("max_w3_ridge", float(np.abs(path.coefs[:, 2]).max()))
box_gap = float(np.abs(w_adamw - w_box).max())
l2.claim(
    "adamw_is_box_constrained",
    "At rest, AdamW's weights are the least-squares solution constrained to |wᵢ| ≤ 1/wd, with "
    "two of the three weights on the bound.",
    bool(box_gap < 1e-4 and np.sum(np.isclose(np.abs(w_box), 1 / wd_box)) == 2),
    max_abs_difference=box_gap,
)
l2.claim(
    "no_ridge_point_near",
    "No point of the ridge path comes within 30% (relative distance) of AdamW's weights, and on "
    "the whole path |w₃| stays below AdamW's |w₃|, which sits on the bound.",
    bool(ridge_distance > 0.3 and max_w3_ridge < abs(w_adamw[2])),
    ridge_distance=ridge_distance,
    max_w3_ridge=max_w3_ridge,
    w3_adamw=float(w_adamw[2]),
)
