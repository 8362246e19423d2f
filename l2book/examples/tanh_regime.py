"""Small weights keep tanh units near-linear
With a large λ the pre-activations z = Wa + b of a tanh network stay in |z| < 1, where tanh is nearly linear.
"""

# %% [markdown]
# A [2, 20, 20, 1] tanh network on the two-moons data, trained for five values of λ in one sweep.
# For each trained network we collect every hidden pre-activation Z[l] = W[l] A[l-1] + b[l] over
# the training inputs and measure how many fall in |z| < 1, the range where tanh(z) is close to z
# (its slope 1 − tanh²(z) stays above 1 − tanh²(1)).

# %%
import numpy as np

import l2book as l2

seed = l2.glue("seed", 0)
X, Y = l2.make_moons(1600, noise=0.3, seed=seed)
split = l2.train_dev_test_split(X, Y, fractions=(0.1, 0.3, 0.6), seed=seed)
slope_at_1 = l2.glue("slope_at_1", float(1 - np.tanh(1.0) ** 2))

# %% tags=["sweep"]
lams = np.array([0.0, 0.01, 0.1, 1.0, 10.0])
sweep = l2.sweep_lambda(
    [2, 20, 20, 1], split.X_train, split.Y_train, lams, hidden="tanh",
    optimizer=l2.Adam(0.01), epochs=800, seed=seed, record_every=800,
)

# %% tags=["preactivations"]
def hidden_preactivations(net: l2.Network, X: np.ndarray) -> np.ndarray:
    """All Z[l] = W[l] A[l-1] + b[l] of the hidden layers, flattened into one array."""
    A, zs = X, []
    for W, b in zip(net.W[:-1], net.b[:-1], strict=True):
        Z = W @ A + b
        zs.append(Z.ravel())
        A = np.tanh(Z)
    return np.concatenate(zs)


z_all = [hidden_preactivations(sweep.network(k), split.X_train) for k in range(lams.size)]
frac_linear = np.array([np.mean(np.abs(z) < 1) for z in z_all])  # share of |z| < 1
l2.glue("lams", lams)
l2.glue("frac_linear", frac_linear)
l2.glue("frac_linear_lam0", float(frac_linear[0]))
l2.glue("frac_linear_lam1", float(frac_linear[3]))
l2.glue("max_abs_z_lam0", float(np.abs(z_all[0]).max()))
max_abs_z_lam1 = l2.glue("max_abs_z_lam1", float(np.abs(z_all[3]).max()))

# %%
l2.claim(
    "more_linear_with_lambda",
    "From λ = 0.01 on, the fraction of hidden pre-activations with |z| < 1 grows with every step "
    "up in λ; λ = 0.01 changes it by less than 0.05 compared with λ = 0.",
    bool(np.all(np.diff(frac_linear[1:]) > 0) and abs(frac_linear[1] - frac_linear[0]) < 0.05),
    frac_linear=frac_linear,
)
l2.claim(
    "lam1_mostly_linear",
    "With λ = 1 more than 90% of the hidden pre-activations lie in |z| < 1; with λ = 0 fewer than half do.",
    bool(frac_linear[3] > 0.9 and frac_linear[0] < 0.5),
    frac_linear_lam1=float(frac_linear[3]),
    frac_linear_lam0=float(frac_linear[0]),
)

# %% [markdown]
# A network whose tanh units all work near z = 0 is close to a linear function of its input. We
# measure that directly: fit the output logit Z[L] on the training inputs by the best linear
# function of x (least squares) and report the share of its variance this explains (R²).

# %% tags=["linearity"]
def linear_r2(net: l2.Network, X: np.ndarray) -> float:
    """R² of the least-squares fit of the logit Z[L](x) by a + cᵀx."""
    A = X
    for W, b in zip(net.W[:-1], net.b[:-1], strict=True):
        A = np.tanh(W @ A + b)
    logit = (net.W[-1] @ A + net.b[-1])[0]
    design = np.vstack([np.ones(X.shape[1]), X]).T
    residual = logit - design @ np.linalg.lstsq(design, logit, rcond=None)[0]
    return float(1 - residual.var() / logit.var())


r2 = np.array([linear_r2(sweep.network(k), split.X_train) for k in range(lams.size)])
l2.glue("r2", r2)
l2.glue("r2_lam0", float(r2[0]))
l2.glue("r2_lam1", float(r2[3]))
l2.claim(
    "logit_nearly_linear",
    "A linear function of x explains the network's logit better at λ = 1 than at λ = 0 "
    "(higher R²).",
    bool(r2[3] > r2[0]),
    r2_lam0=float(r2[0]),
    r2_lam1=float(r2[3]),
)

# %% tags=["figure"]
from l2book import plots

fig, (ax_hist, ax_tanh, ax_frac) = plots.subplots(1, 3, width=9.6, height=3.4)
bins = np.linspace(-6, 6, 61)
ax_hist.axvspan(-1, 1, color=plots.COLORS["green"], alpha=0.15, label="|z| < 1")
for k, color, style in ((0, plots.COLORS["vermillion"], "step"), (3, plots.COLORS["blue"], "stepfilled")):
    z = np.clip(z_all[k], bins[0], bins[-1])  # the outermost bins collect everything beyond ±6
    ax_hist.hist(z, bins=bins, weights=np.full(z.size, 1 / z.size), histtype=style, color=color,
                 linewidth=1.6, alpha=0.9 if style == "step" else 0.6,
                 label=f"λ = {lams[k]:g}: {frac_linear[k]:.0%} inside")
ax_hist.set_xlabel("hidden pre-activation z")
ax_hist.set_ylabel("share of pre-activations per bin")
ax_hist.set_title("Where the tanh units operate")
ax_hist.legend(loc="upper left", fontsize=8)

s = np.linspace(-3, 3, 200)
ax_tanh.axvspan(-1, 1, color=plots.COLORS["green"], alpha=0.15, label="|z| < 1")
ax_tanh.plot(s, s, color=plots.COLORS["grey"], linestyle=":", label="z")
ax_tanh.plot(s, np.tanh(s), color=plots.COLORS["black"], label="tanh(z)")
ax_tanh.set_ylim(-1.6, 1.6)
ax_tanh.set_xlabel("z")
ax_tanh.set_ylabel("activation")
ax_tanh.set_title("tanh is nearly linear near 0")
ax_tanh.legend(loc="upper left", fontsize=8)

ax_frac.plot(np.arange(lams.size), frac_linear, marker="o", color=plots.COLORS["green"],
             label="share of |z| < 1")
ax_frac.plot(np.arange(lams.size), r2, marker="s", linestyle="--", color=plots.COLORS["purple"],
             label="R² of a linear fit to the logit")
ax_frac.set_xticks(np.arange(lams.size), [f"{lam:g}" for lam in lams])
ax_frac.set_xlabel("λ")
ax_frac.set_ylabel("fraction")
ax_frac.set_ylim(0, 1.05)
ax_frac.set_title("Toward a linear network")
ax_frac.legend(loc="lower right", fontsize=8)
l2.figure(
    "tanh_regime",
    fig,
    alt=(
        "Left: histograms of the hidden pre-activations of a tanh network trained with λ = 0 (an "
        "outline spread widely, much of it outside the band |z| < 1, with spikes at the clipped "
        "ends ±6) and with λ = 1 (a filled histogram concentrated inside the band). Middle: tanh(z) "
        "and the line z, which almost coincide inside the band and part outside it. Right: for "
        "λ = 0, 0.01, 0.1, 1 and 10, the share of pre-activations inside the band and the R² of a "
        "linear fit to the network's logit; both are flat for the smallest λ and rise from λ = 0.1 on."
    ),
    caption=(
        "Hidden pre-activations $z = W^{[l]}a^{[l-1]} + b^{[l]}$ over the training inputs "
        "(values beyond ±6 are counted in the outermost bins). Small weights keep $z$ where "
        "$\\tanh(z) \\approx z$."
    ),
)
