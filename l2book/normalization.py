"""A network whose hidden layers are layer-normalized: the model where weight decay is not a prior.

Each hidden layer l normalizes its pre-activations over its units, example by example, then
applies a gain and a shift (Ba, Kiros & Hinton's layer normalization):

    Z[l] = W[l] A[l-1],   Ẑ[l] = (Z[l] − mean(Z[l])) / √(var(Z[l]) + ε),   A[l] = g(γ[l] ⊙ Ẑ[l] + β[l])

with mean and variance over the n[l] units of each column. The output layer is the book's usual
Z[L] = W[L] A[L-1] + b[L] with a sigmoid (or identity) output.

Multiplying W[l] (l < L) by any c > 0 multiplies Z[l], its mean and its standard deviation by
c: with ε = 0, Ẑ[l] and therefore the network's function do not change. The weights feeding a
normalization are *scale-invariant*, and the L2 penalty on them constrains nothing the network
computes; what it changes is how fast they turn (their gradient scales as 1/c). Batch
normalization, which takes mean and variance over the examples of a batch instead, has the same
invariance. γ[l], β[l] and the output layer are not scale-invariant.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from l2book import _validate as v
from l2book.network import (
    NetworkBase,
    Params,
    _activate,
    _activation_derivative,
    check_architecture,
    data_loss_from_logits,
    initialise,
    sigmoid,
    weight_decay,
)

__all__ = ["LayerNormNetwork"]

Cache = list[tuple[np.ndarray, ...]]


class LayerNormNetwork(NetworkBase):
    """An L-layer network ``[n_x, n[1], ..., n[L]]`` with layer normalization in every hidden layer.

    J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F², the book's cost: the penalty covers every
    weight matrix, including the scale-invariant ones (see the module's documentation).

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_x, n[1], ..., n[L]]`` with at least one hidden layer of at least 2 units (the
        normalization of a single unit is 0/0).
    hidden : {"relu", "tanh", "sigmoid"}, default "relu"
        Activation applied after the gain and shift.
    output : {"sigmoid", "identity"}, default "sigmoid"
    eps : float, default 0.0
        ε added to the variance. With ε = 0 the invariance is exact; libraries add ε ≈ 1e-5,
        which breaks it only for weights so small that var(Z) is comparable to ε.
    seed : int, default 0
        Seed of the He initialisation of the weights; gains start at 1, shifts and b[L] at 0.

    Attributes
    ----------
    params : dict of str to ndarray
        ``W1 … WL`` (``W[l]`` of shape ``(n[l], n[l-1])``), gains ``g1 … g(L-1)`` and shifts
        ``b1 … b(L-1)`` of shape ``(n[l], 1)``, and the output bias ``bL``. The optimizers decay
        the ``W`` keys only; ``decay_biases=True`` decays gains and shifts too.

    Notes
    -----
    A hidden layer has no bias before the normalization: subtracting the mean would remove it.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        hidden: str = "relu",
        output: str = "sigmoid",
        eps: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.arch = check_architecture(layer_sizes, hidden, output)
        sizes = self.arch.layer_sizes
        if len(sizes) < 3 or min(sizes[1:-1]) < 2:
            raise ValueError(
                f"layer_sizes={list(sizes)}: a layer-normalized network needs at least one hidden "
                "layer, each of at least 2 units, e.g. [2, 20, 1]"
            )
        self.eps = v.check_nonnegative("eps", eps)
        self.seed = v.check_int_range("seed", seed, lo=0)
        init = initialise(sizes, "he" if hidden == "relu" else "xavier", np.random.default_rng(seed))
        self.params: Params = {}
        for l in range(1, self.L + 1):
            self.params[f"W{l}"] = init[f"W{l}"]
            if l < self.L:
                self.params[f"g{l}"] = np.ones((sizes[l], 1))
            self.params[f"b{l}"] = init[f"b{l}"]

    @property
    def scale_invariant(self) -> tuple[str, ...]:
        """Keys of the weights followed by a normalization, ``("W1", …, "W(L-1)")``."""
        return tuple(f"W{l}" for l in range(1, self.L))

    def __repr__(self) -> str:
        return (
            f"LayerNormNetwork(layer_sizes={list(self.layer_sizes)}, hidden={self.hidden!r}, "
            f"output={self.output!r}, eps={self.eps:g})"
        )

    # -- computation ---------------------------------------------------------------------------
    def _forward(self, X: np.ndarray) -> Cache:
        """Per hidden layer (A[l-1], Ẑ, 1/σ, U = γẐ + β, A[l]); last entry (A[L-1], Z[L], A[L])."""
        p = self.params
        cache: Cache = []
        A = X
        for l in range(1, self.L):
            Z = p[f"W{l}"] @ A
            centred = Z - Z.mean(axis=0, keepdims=True)
            variance = (centred * centred).mean(axis=0) + self.eps
            if not variance.all():
                raise ValueError(
                    f"layer {l}: the pre-activations of some example are equal across all "
                    f"{Z.shape[0]} units, so their normalization is 0/0; use eps > 0 "
                    "(e.g. LayerNormNetwork(..., eps=1e-5)) or different weights"
                )
            inv_std = 1.0 / np.sqrt(variance)
            Z_hat = centred * inv_std
            U = p[f"g{l}"] * Z_hat + p[f"b{l}"]
            A_next = _activate(self.hidden, U)
            cache.append((A, Z_hat, inv_std, U, A_next))
            A = A_next
        Z = p[f"W{self.L}"] @ A + p[f"b{self.L}"]
        cache.append((A, Z, sigmoid(Z) if self.output == "sigmoid" else Z))
        return cache

    def forward(self, X: np.ndarray) -> tuple[np.ndarray, Cache]:
        """Ŷ = A[L] for ``X`` of shape ``(n_x, m)``, and the per-layer cache."""
        (X,) = self._checked(X)
        cache = self._forward(X)
        return cache[-1][2], cache

    def data_loss(
        self, X: np.ndarray, Y: np.ndarray, masks: Sequence[np.ndarray] | None = None
    ) -> float:
        """(1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾), the unregularized cost."""
        _no_masks(masks)
        X, Y = self._checked(X, Y)
        return float(data_loss_from_logits(self._forward(X)[-1][1], Y, self.output))

    def gradients(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        lam: float = 0.0,
        masks: Sequence[np.ndarray] | None = None,
    ) -> Params:
        """∂J/∂θ for every parameter (keys as in :attr:`params`), with (λ/m) W[l] in each ∂J/∂W[l].

        Through a normalization, with Ẑ = (Z − μ)/σ over the units of a column,
        ∂J/∂Z = (1/σ)·(∂J/∂Ẑ − mean(∂J/∂Ẑ) − Ẑ·mean(∂J/∂Ẑ ⊙ Ẑ)): the part of ∂J/∂Z along Z − μ
        and along the constant vector is removed, which is why ⟨W[l], ∂L/∂W[l]⟩ = 0 for l < L.
        """
        _no_masks(masks)
        lam = v.check_lam(lam)
        X, Y = self._checked(X, Y)
        decay = weight_decay(lam, X.shape[1])
        p, L = self.params, self.L
        cache = self._forward(X)
        grads: Params = {}
        A_prev, _, A_out = cache[-1]
        dZ = (A_out - Y) / X.shape[1]
        grads[f"W{L}"] = dZ @ A_prev.T + decay * p[f"W{L}"]
        grads[f"b{L}"] = dZ.sum(axis=1, keepdims=True)
        dA = p[f"W{L}"].T @ dZ
        for l in range(L - 1, 0, -1):
            A_prev, Z_hat, inv_std, U, A_next = cache[l - 1]
            dU = dA * _activation_derivative(self.hidden, U, A_next)
            grads[f"g{l}"] = (dU * Z_hat).sum(axis=1, keepdims=True)
            grads[f"b{l}"] = dU.sum(axis=1, keepdims=True)
            dZ_hat = p[f"g{l}"] * dU
            dZ = inv_std * (
                dZ_hat - dZ_hat.mean(axis=0) - Z_hat * (dZ_hat * Z_hat).mean(axis=0)
            )
            grads[f"W{l}"] = dZ @ A_prev.T + decay * p[f"W{l}"]
            if l > 1:
                dA = p[f"W{l}"].T @ dZ
        return {key: grads[key] for key in p}


def _no_masks(masks: Sequence[np.ndarray] | None) -> None:
    if masks is not None:
        raise ValueError(
            "LayerNormNetwork does not take dropout masks; dropout is implemented for "
            "l2book.Network (fit(..., keep_prob=...))"
        )
