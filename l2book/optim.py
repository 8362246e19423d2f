"""Optimizers: gradient descent, minibatch SGD, momentum, SGDW, Adam (coupled L2) and AdamW (decoupled decay).

Every optimizer updates a parameter dictionary ``{"W1": ..., "b1": ..., ...}`` **in place** from the
gradients of the cost

    J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F²,   ∂J/∂W[l] = ∂L/∂W[l] + (λ/m) W[l].

The L2 term is *coupled*: it arrives inside the gradient, so plain gradient descent gives the weight-decay
form W ← (1 − ηλ/m) W − η ∂L/∂W. Only :class:`SGDW` and :class:`AdamW` add a *decoupled* decay of their
own, outside the gradient (outside the momentum buffer, and outside Adam's per-coordinate scaling).

On a minibatch ``B`` the gradient is (1/|B|) Σ_{i∈B} ∂L⁽ⁱ⁾ + (λ/m) W with ``m`` the size of the
**training set**, so that one epoch of minibatch steps penalises the weights as much as one full-batch
step. scikit-learn's ``MLPClassifier``/``MLPRegressor`` divide the penalty by the batch size instead
(``alpha·W/|B|``), so their ``alpha`` equals the book's λ only for full-batch training.

State (velocities, moment estimates) is created lazily under each parameter's name on the first
:meth:`Optimizer.step`, with the parameter's shape, so the same optimizer also updates stacks of
parameters with a leading axis ``K`` (many networks trained at once, see :func:`l2book.sweep_lambda`).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator, Mapping, MutableMapping

import numpy as np

from l2book import _validate as v

__all__ = ["GD", "SGD", "SGDW", "Adam", "AdamW", "Momentum", "Optimizer", "get_optimizer", "OPTIMIZERS"]

Index = slice | np.ndarray


class Optimizer:
    """Base class: one update rule ``step`` and the minibatch schedule ``batches``.

    Parameters
    ----------
    lr : float
        Learning rate η > 0.
    batch_size : int or None, default None
        Examples per step; ``None`` (or a size ≥ m) means full batch: one step per epoch over all m
        examples, in their original order.
    seed : int, default 0
        Seeds the shuffling of minibatches together with the ``seed`` given to :func:`l2book.fit`.

    Attributes
    ----------
    name : str
        Short name (``"gd"``, ``"sgd"``, ``"momentum"``, ``"sgdw"``, ``"adam"``, ``"adamw"``).
    t : int
        Number of steps taken since the last :meth:`reset`.
    """

    name = "optimizer"

    def __init__(self, lr: float, batch_size: int | None = None, seed: int = 0) -> None:
        self.lr = v.check_positive("lr", lr)
        self.batch_size = None if batch_size is None else v.check_count("batch_size", batch_size)
        self.seed = v.check_int_range("seed", seed, lo=0)
        self.reset()

    # -- state -------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget all state (step count, velocities, moments)."""
        self.t = 0
        self._state: dict[str, dict[str, np.ndarray]] = {}

    def clone(self) -> Optimizer:
        """A fresh optimizer with the same hyperparameters and no state."""
        new = copy.copy(self)
        new.reset()
        return new

    def _slot(self, key: str, param: np.ndarray, names: tuple[str, ...]) -> dict[str, np.ndarray]:
        state = self._state.get(key)
        if state is None:
            state = {name: np.zeros_like(param) for name in names}
            self._state[key] = state
        return state

    # -- schedule ----------------------------------------------------------------------------------
    def batches(self, m: int, epoch_rng: np.random.Generator) -> Iterator[Index]:
        """Index objects selecting the examples (columns of X) of each step of one epoch.

        Full batch: a single ``slice(0, m)`` (a view, no copy, no random draw). Minibatches: a random
        permutation of ``range(m)`` drawn from ``epoch_rng``, cut into consecutive pieces of
        ``batch_size`` (the last one may be smaller).
        """
        m = v.check_count("m", m)
        if not isinstance(epoch_rng, np.random.Generator):
            raise TypeError(
                f"epoch_rng must be a numpy Generator, got {type(epoch_rng).__name__}; "
                "use np.random.default_rng(seed)"
            )
        return self._batches(m, epoch_rng)

    def _batches(self, m: int, epoch_rng: np.random.Generator) -> Iterator[Index]:
        if self.batch_size is None or self.batch_size >= m:
            yield slice(0, m)
            return
        order = epoch_rng.permutation(m)
        for start in range(0, m, self.batch_size):
            yield order[start : start + self.batch_size]

    # -- update ------------------------------------------------------------------------------------
    def step(self, params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from ``grads`` (same keys and shapes)."""
        if set(params) != set(grads):
            raise ValueError(
                f"grads has keys {sorted(grads)} but params has keys {sorted(params)}; "
                "pass one gradient per parameter"
            )
        for key, param in params.items():
            if not isinstance(param, np.ndarray) or param.dtype != np.float64:
                raise TypeError(
                    f"params[{key!r}] must be a float64 numpy array (updated in place), "
                    f"got {type(param).__name__}"
                )
            if np.shape(grads[key]) != param.shape:
                raise ValueError(
                    f"grads[{key!r}] has shape {np.shape(grads[key])} but params[{key!r}] has "
                    f"shape {param.shape}; they must match"
                )
        self._step(params, grads)

    def _step(self, params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        raise NotImplementedError

    def _stepper(
        self, params: MutableMapping[str, np.ndarray], grads: dict[str, np.ndarray]
    ) -> Callable[[], None]:
        """One :meth:`_step` on these arrays, as a call without arguments: the training loop
        writes each step's gradients into the same arrays, which nobody else holds, so an
        optimizer may overwrite them instead of allocating new arrays, and may prepare the loop
        over the parameters once."""
        return functools.partial(self._step, params, grads)

    def _hyper(self) -> str:
        return f"lr={self.lr:g}"

    def __repr__(self) -> str:
        batch = "" if self.batch_size is None else f", batch_size={self.batch_size}"
        return f"{type(self).__name__}({self._hyper()}{batch})"


class GD(Optimizer):
    """Gradient descent: θ ← θ − η ∂J/∂θ.

    With the L2 term in ∂J/∂W this is W ← (1 − ηλ/m) W − η ∂L/∂W: every step first shrinks the weights
    by the factor (1 − ηλ/m) ("weight decay"), then follows the data gradient.

    Parameters
    ----------
    lr : float
        Learning rate η > 0.
    batch_size : int or None, default None
        None: full batch (batch gradient descent). An integer gives minibatch gradient descent
        (same as :class:`SGD`).
    seed : int, default 0
        Minibatch shuffling seed (see :class:`Optimizer`).
    """

    name = "gd"

    def _step(self, params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        self.t += 1
        lr = self.lr
        for key, param in params.items():
            param -= lr * grads[key]  # θ ← θ − η ∂J/∂θ

    def _stepper(
        self, params: MutableMapping[str, np.ndarray], grads: dict[str, np.ndarray]
    ) -> Callable[[], None]:
        # the pairs are looked up once: about 1 % of a small network's step (benchmarks/core.py)
        pairs = [(param, grads[key]) for key, param in params.items()]
        lr = self.lr

        def step() -> None:
            self.t += 1
            for param, grad in pairs:
                grad *= lr  # the same products as lr * grad, without a new array per parameter
                param -= grad  # θ ← θ − η ∂J/∂θ

        return step


class SGD(GD):
    """Minibatch stochastic gradient descent: θ ← θ − η g_B for each minibatch B of an epoch.

    g_B = (1/|B|) Σ_{i∈B} ∂L⁽ⁱ⁾/∂θ + (λ/m) W, with m the number of **training** examples (not |B|), so
    the penalty's pull per epoch does not depend on the batch size. scikit-learn's MLP uses
    ``alpha/|B|`` instead; the two agree only for full batches.

    Parameters
    ----------
    lr : float
        Learning rate η > 0.
    batch_size : int
        Examples per step; the examples are reshuffled every epoch.
    seed : int, default 0
        Minibatch shuffling seed, combined with the ``seed`` of :func:`l2book.fit`.
    """

    name = "sgd"

    def __init__(self, lr: float, batch_size: int, seed: int = 0) -> None:
        if batch_size is None:
            raise ValueError(
                "SGD needs batch_size (examples per step), e.g. SGD(0.1, batch_size=32); "
                "use GD(lr) for full-batch gradient descent"
            )
        super().__init__(lr, batch_size, seed)


class Momentum(Optimizer):
    """Gradient descent with momentum (exponentially weighted average of gradients).

        v ← β v + (1 − β) ∂J/∂θ,   θ ← θ − η v

    This is the form of Ng's deep-learning course. PyTorch's ``SGD(momentum=β)`` accumulates
    v ← β v + g without the (1 − β) factor: the two trajectories coincide when PyTorch's learning rate is
    η(1 − β).

    Parameters
    ----------
    lr : float
        Learning rate η > 0.
    beta : float, default 0.9
        Momentum β in [0, 1); β = 0 is plain gradient descent.
    batch_size : int or None, default None
        None for full batch, else minibatch size.
    seed : int, default 0
        Minibatch shuffling seed.
    """

    name = "momentum"

    def __init__(
        self, lr: float, beta: float = 0.9, batch_size: int | None = None, seed: int = 0
    ) -> None:
        self.beta = _check_beta("beta", beta)
        super().__init__(lr, batch_size, seed)

    def _step(self, params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        self.t += 1
        lr, beta = self.lr, self.beta
        for key, param in params.items():
            velocity = self._slot(key, param, ("v",))["v"]
            velocity *= beta
            velocity += (1.0 - beta) * grads[key]  # v ← βv + (1 − β)g
            param -= lr * velocity

    def _hyper(self) -> str:
        return f"lr={self.lr:g}, beta={self.beta:g}"


class SGDW(Optimizer):
    """Heavy-ball momentum with *decoupled* weight decay (Loshchilov & Hutter's SGDW):

        v ← μ v + g,   θ ← θ − η v − η·wd·θ

    with g = ∂J/∂θ as passed to :meth:`step` (it contains the coupled L2 term (λ/m)W when training
    with ``fit(..., lam=λ)``). With ``weight_decay=0`` this is ``torch.optim.SGD(lr=η, momentum=μ)``,
    whose own ``weight_decay`` is *coupled* L2 (added to g, so it goes through the momentum buffer).

    Coupled and decoupled decay differ under momentum. At a fixed point v = g/(1 − μ), so the
    decoupled rule stops where ∂L/∂θ + (1 − μ)·wd·θ = 0 while coupled L2 stops where
    ∂L/∂θ + (λ/m)·θ = 0: the two agree when λ/m = (1 − μ)·wd, and their paths differ even then.
    (For μ = 0 both are the weight-decay step of plain gradient descent and agree for λ/m = wd.)

    Only the weights ``W[l]`` decay; ``decay_biases=True`` decays the biases too.

    Parameters
    ----------
    lr : float
        Learning rate η > 0.
    momentum : float, default 0.9
        μ in [0, 1); μ = 0 is gradient descent with decay.
    weight_decay : float, default 0.0
        Decoupled decay rate wd ≥ 0 (the decay step is η·wd·θ).
    batch_size : int or None, default None
        None for full batch, else minibatch size.
    seed : int, default 0
        Minibatch shuffling seed.
    decay_biases : bool, default False
        Also decay the biases.
    """

    name = "sgdw"

    def __init__(
        self,
        lr: float,
        momentum: float = 0.9,
        weight_decay: float = 0.0,
        batch_size: int | None = None,
        seed: int = 0,
        decay_biases: bool = False,
    ) -> None:
        self.momentum = _check_beta("momentum", momentum)
        self.weight_decay = v.check_nonnegative("weight_decay", weight_decay)
        if not isinstance(decay_biases, bool):
            raise TypeError(f"decay_biases must be True or False, got {decay_biases!r}")
        self.decay_biases = decay_biases
        super().__init__(lr, batch_size, seed)

    def _step(self, params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        self.t += 1
        lr, mu = self.lr, self.momentum
        shrink = 1.0 - lr * self.weight_decay
        for key, param in params.items():
            velocity = self._slot(key, param, ("v",))["v"]
            velocity *= mu
            velocity += grads[key]  # v ← μv + g
            if key.startswith("W") or self.decay_biases:
                param *= shrink  # θ ← (1 − η·wd) θ: the decay never enters v
            param -= lr * velocity  # θ ← θ − η v

    def _hyper(self) -> str:
        biases = ", decay_biases=True" if self.decay_biases else ""
        return f"lr={self.lr:g}, momentum={self.momentum:g}, weight_decay={self.weight_decay:g}{biases}"


class Adam(Optimizer):
    """Adam with *coupled* L2: the penalty's gradient (λ/m)W is part of g and gets rescaled.

        m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
        θ ← θ − η · [m / (1 − β₁ᵗ)] / (√v / √(1 − β₂ᵗ) + ε)

    (arranged exactly as ``torch.optim.Adam``). Because g includes (λ/m)W, the shrinkage of a weight is
    divided by √v̂ like the rest of its gradient: weights with large gradients are decayed *less*. That
    is why Adam + L2 is not weight decay, see :class:`AdamW`.

    Parameters
    ----------
    lr : float, default 0.001
    beta1 : float, default 0.9
        Decay of the first-moment estimate, in [0, 1).
    beta2 : float, default 0.999
        Decay of the second-moment estimate, in [0, 1).
    eps : float, default 1e-8
        Added to √v̂ to avoid division by zero, > 0.
    batch_size : int or None, default None
    seed : int, default 0
    """

    name = "adam"

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        batch_size: int | None = None,
        seed: int = 0,
    ) -> None:
        self.beta1 = _check_beta("beta1", beta1)
        self.beta2 = _check_beta("beta2", beta2)
        self.eps = v.check_positive("eps", eps)
        super().__init__(lr, batch_size, seed)

    def _adam_update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        b1, b2 = self.beta1, self.beta2
        slot = self._slot(key, param, ("m", "v"))
        m, s = slot["m"], slot["v"]
        m *= b1
        m += (1.0 - b1) * grad  # m ← β₁m + (1 − β₁)g
        s *= b2
        s += (1.0 - b2) * grad * grad  # v ← β₂v + (1 − β₂)g²
        bias1 = 1.0 - b1**self.t
        bias2 = 1.0 - b2**self.t
        denom = np.sqrt(s) / np.sqrt(bias2) + self.eps
        param -= (self.lr / bias1) * (m / denom)

    def _step(self, params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        self.t += 1
        for key, param in params.items():
            self._adam_update(key, param, grads[key])

    def _hyper(self) -> str:
        return f"lr={self.lr:g}, beta1={self.beta1:g}, beta2={self.beta2:g}, eps={self.eps:g}"


class AdamW(Adam):
    """Adam with *decoupled* weight decay (Loshchilov & Hutter), as ``torch.optim.AdamW``:

        θ ← θ − η·wd·θ        (decay, outside the gradient)
        θ ← Adam step on g    (g = ∂J/∂θ, **without** an L2 term when ``fit(..., lam=0)``)

    Every weight shrinks by the same factor (1 − η·wd) per step, whatever its gradient history. Under
    plain gradient descent this decay equals L2 with wd = λ/m; under Adam it does not.

    Only the weights ``W[l]`` decay, not the biases ``b[l]``: the book's penalty never includes biases.
    PyTorch decays every parameter of a group unless biases are put in a group with ``weight_decay=0``;
    ``decay_biases=True`` reproduces its default.

    The gradient passed to :meth:`step` is used as given: training with ``fit(..., lam=λ)`` adds the
    coupled L2 term on top of the decay. Use ``lam=0`` for pure AdamW.

    Parameters
    ----------
    lr : float, default 0.001
    weight_decay : float, default 0.01
        Decay rate wd ≥ 0 (per step the weights are multiplied by 1 − η·wd).
    beta1, beta2, eps : float
        As in :class:`Adam`.
    batch_size : int or None, default None
    seed : int, default 0
    decay_biases : bool, default False
        Also decay the biases (PyTorch's behaviour for a single parameter group).
    """

    name = "adamw"

    def __init__(
        self,
        lr: float = 0.001,
        weight_decay: float = 0.01,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        batch_size: int | None = None,
        seed: int = 0,
        decay_biases: bool = False,
    ) -> None:
        self.weight_decay = v.check_nonnegative("weight_decay", weight_decay)
        if not isinstance(decay_biases, bool):
            raise TypeError(f"decay_biases must be True or False, got {decay_biases!r}")
        self.decay_biases = decay_biases
        super().__init__(lr, beta1, beta2, eps, batch_size, seed)

    def _step(self, params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        self.t += 1
        shrink = 1.0 - self.lr * self.weight_decay
        for key, param in params.items():
            if key.startswith("W") or self.decay_biases:
                param *= shrink  # θ ← (1 − η·wd) θ, before the Adam step as in PyTorch
            self._adam_update(key, param, grads[key])

    def _hyper(self) -> str:
        biases = ", decay_biases=True" if self.decay_biases else ""
        return (
            f"lr={self.lr:g}, weight_decay={self.weight_decay:g}, beta1={self.beta1:g}, "
            f"beta2={self.beta2:g}, eps={self.eps:g}{biases}"
        )


def _check_beta(name: str, value: object) -> float:
    beta = v.check_nonnegative(name, value)
    if beta >= 1:
        raise ValueError(f"{name} must lie in [0, 1), got {name}={value!r}; typical values are 0.9")
    return beta


#: Names accepted by :func:`get_optimizer` and ``fit(..., optimizer=NAME)``, with their defaults.
OPTIMIZERS: dict[str, Optimizer] = {
    "gd": GD(0.1),
    "sgd": SGD(0.1, batch_size=32),
    "momentum": Momentum(0.1),
    "sgdw": SGDW(0.1),
    "adam": Adam(0.001),
    "adamw": AdamW(0.001),
}


def get_optimizer(optimizer: Optimizer | str) -> Optimizer:
    """A fresh optimizer from an instance (cloned, its state dropped) or a name in :data:`OPTIMIZERS`.

    Names give the defaults ``GD(0.1)``, ``SGD(0.1, batch_size=32)``, ``Momentum(0.1)``,
    ``SGDW(0.1)`` (momentum 0.9, no decay), ``Adam(0.001)`` and ``AdamW(0.001)`` (weight_decay
    0.01); build the object to choose others.
    """
    if isinstance(optimizer, Optimizer):
        return optimizer.clone()
    if isinstance(optimizer, str):
        if optimizer.lower() in OPTIMIZERS:
            return OPTIMIZERS[optimizer.lower()].clone()
        raise ValueError(
            f"unknown optimizer {optimizer!r}; choose one of "
            f"{', '.join(repr(n) for n in OPTIMIZERS)} or pass an instance such as GD(0.1)"
        )
    raise TypeError(
        f"optimizer must be an l2book optimizer (e.g. GD(0.1)) or one of "
        f"{', '.join(repr(n) for n in OPTIMIZERS)}, got {type(optimizer).__name__}"
    )
