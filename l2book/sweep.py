"""Train one network per λ, all at once.

:func:`sweep_lambda` stacks the parameters of K networks along a leading axis — ``W[l]`` of shape
``(K, n[l], n[l-1])`` — and trains them in a single loop: one batched matrix product per layer instead
of K separate fits. Each network k minimises

    J_k = (1/m) Σ_i L(ŷ_k⁽ⁱ⁾, y⁽ⁱ⁾) + λ_k/(2m) Σ_l ‖W_k[l]‖_F²

from the same initial weights, on the same minibatches in the same order, with the same optimizer
(each network gets its own optimizer state). Network k therefore follows the trajectory of
``fit(Network(layer_sizes, ..., seed=seed), X, Y, lam=lams[k], ..., seed=seed)`` up to rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from l2book import _validate as v
from l2book.network import Network, check_architecture, forward
from l2book.optim import Optimizer
from l2book.train import History, _error, check_settings, history_from_run, run

__all__ = ["SweepResult", "sweep_lambda"]


@dataclass(frozen=True, eq=False)
class SweepResult:
    """The K trained networks of :func:`sweep_lambda` and their histories.

    Attributes
    ----------
    lams : ndarray, shape (K,)
        The λ values, in the order given.
    params : dict of str to ndarray
        Final stacked parameters, ``W[l]`` of shape (K, n[l], n[l-1]) and ``b[l]`` of shape
        (K, n[l], 1) (with early stopping: the parameters of each network's best dev epoch).
    histories : tuple of History
        One per λ, equal to what :func:`l2book.fit` records for that λ.
    train_error : ndarray, shape (K,)
        Final training error of each network (classification error or mean squared error).
    dev_error : ndarray, shape (K,), or None
        Final dev error of each network, when a dev set was given.
    hidden, output : str
        Activations of the networks.
    """

    lams: np.ndarray
    params: dict[str, np.ndarray]
    histories: tuple[History, ...]
    train_error: np.ndarray
    dev_error: np.ndarray | None
    hidden: str
    output: str

    def __len__(self) -> int:
        return int(self.lams.size)

    def _check_index(self, k: object) -> int:
        k = v.check_int_range("k", k, lo=-len(self), hi=len(self) - 1)
        return k % len(self)

    def network(self, k: int) -> Network:
        """The trained network for ``lams[k]`` (an independent copy of its parameters)."""
        k = self._check_index(k)
        return Network.from_params(
            {key: p[k] for key, p in self.params.items()}, self.hidden, self.output
        )

    def history(self, k: int) -> History:
        """The history recorded for ``lams[k]``."""
        return self.histories[self._check_index(k)]

    @property
    def weight_norms(self) -> np.ndarray:
        """Final ‖W[l]‖_F of each network and layer, shape (K, L)."""
        return np.stack(
            [np.sqrt((W * W).sum(axis=(-2, -1))) for key, W in self.params.items() if key[0] == "W"],
            axis=-1,
        )

    def __repr__(self) -> str:
        return f"SweepResult(K={len(self)}, lams=[{self.lams.min():g} .. {self.lams.max():g}])"


def sweep_lambda(
    layer_sizes: Sequence[int],
    X: np.ndarray,
    Y: np.ndarray,
    lams: Sequence[float] | np.ndarray,
    hidden: str = "relu",
    output: str = "sigmoid",
    optimizer: Optimizer | str = "gd",
    epochs: int = 1000,
    seed: int = 0,
    X_dev: np.ndarray | None = None,
    Y_dev: np.ndarray | None = None,
    record_every: int = 1,
    early_stopping: int | None = None,
    init: str | None = None,
) -> SweepResult:
    """Train K networks, one per λ in ``lams``, in one vectorized run.

    Network k minimises J_k = (1/m) Σ_i L(ŷ_k⁽ⁱ⁾, y⁽ⁱ⁾) + λ_k/(2m) Σ_l ‖W_k[l]‖_F², starting from
    ``Network(layer_sizes, hidden, output, init, seed)``'s weights (the same for every k).

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_x, n[1], ..., n[L]]``.
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    lams : sequence of float
        The K values of λ ≥ 0.
    hidden, output : str
        As in :class:`l2book.Network`.
    optimizer : Optimizer or str, default "gd"
        As in :func:`l2book.fit`; every network gets a fresh state of the same optimizer.
    epochs, seed, X_dev, Y_dev, record_every, early_stopping :
        As in :func:`l2book.fit` (``seed`` also seeds the initial weights). With early stopping each
        network stops (its history ends) on its own; the run ends when all have stopped.
    init : {"he", "xavier"} or None
        As in :class:`l2book.Network`.

    Returns
    -------
    SweepResult
        ``result.history(k)`` and ``result.network(k)`` equal, to rounding, the history and network of
        ``fit(Network(layer_sizes, hidden, output, init, seed), X, Y, lam=lams[k], optimizer, epochs,
        X_dev, Y_dev, record_every, early_stopping, seed)``.
    """
    arch = check_architecture(layer_sizes, hidden, output)
    lams = v.check_lams(lams).copy()  # the result freezes its arrays; never the caller's
    s = check_settings(arch, X, Y, optimizer, epochs, X_dev, Y_dev, record_every, early_stopping,
                       seed)
    K = lams.size
    start = Network(arch.layer_sizes, hidden, output, init=init, seed=s.seed).params
    params = {key: np.repeat(p[None], K, axis=0) for key, p in start.items()}
    r = run(params, arch, lams, s)

    _, cache = forward(params, s.X, hidden, output)
    train_error = _error(cache[-1][2], s.Y, output)
    dev_error = None
    if s.dev is not None:
        _, dev_cache = forward(params, s.dev[0], hidden, output)
        dev_error = _error(dev_cache[-1][2], s.dev[1], output)

    result_params = {key: p.copy() for key, p in params.items()}
    histories = []
    for k in range(K):
        net = Network.from_params({key: p[k] for key, p in params.items()}, hidden, output)
        histories.append(history_from_run(r, k, net, float(lams[k]), s, arch))
    for a in (*result_params.values(), train_error, lams) + (() if dev_error is None else (dev_error,)):
        a.setflags(write=False)
    return SweepResult(
        lams=lams,
        params=result_params,
        histories=tuple(histories),
        train_error=train_error,
        dev_error=dev_error,
        hidden=hidden,
        output=output,
    )
