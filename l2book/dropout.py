"""Inverted dropout: the masks a training step draws, as one function of its own.

During a step with dropout, each hidden unit of each example is kept with probability
``keep_prob`` and set to zero otherwise, and the kept activations are divided by ``keep_prob``:
A[l] ← A[l] ⊙ D[l] / keep_prob, with D[l] ~ Bernoulli(keep_prob). The division keeps the
expected activation unchanged, so the trained network is used as it is at prediction time,
without masks. The gradient of a step is the gradient of the cost *under that step's masks*;
passing the same masks to :meth:`l2book.Network.cost` and :meth:`~l2book.Network.gradients` (or to
:func:`l2book.gradient_check`) checks backpropagation through dropout.
"""

from __future__ import annotations

import numpy as np

from l2book import _validate as v
from l2book.network import Network

__all__ = ["dropout_masks"]


def draw_masks(
    sizes: tuple[int, ...], m: int, keep_prob: float, rng: np.random.Generator
) -> list[np.ndarray]:
    """D[l]/keep_prob for hidden layers of ``sizes`` and ``m`` examples. No validation."""
    return [(rng.random((n, m)) < keep_prob) / keep_prob for n in sizes]


def dropout_masks(net: Network, m: int, keep_prob: float, seed: int = 0) -> list[np.ndarray]:
    """One draw of inverted-dropout masks for the hidden layers of ``net``.

    Parameters
    ----------
    net : Network
    m : int
        Number of examples (columns of X) the masks are for.
    keep_prob : float
        Probability of keeping a unit, in (0, 1]; 1 gives masks of ones.
    seed : int, default 0
        The same seed gives the same masks.

    Returns
    -------
    list of ndarray
        ``D[l] / keep_prob`` of shape ``(n[l], m)`` for each hidden layer l = 1 … L−1: zeros
        where a unit is dropped, ``1/keep_prob`` where it is kept.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be an l2book.Network, got {type(net).__name__}")
    m = v.check_count("m", m)
    keep_prob = v.check_keep_prob(keep_prob)
    seed = v.check_int_range("seed", seed, lo=0)
    return draw_masks(net.layer_sizes[1:-1], m, keep_prob, np.random.default_rng(seed))
