"""Finite-difference gradient check of the regularized cost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from l2book import _validate as v
from l2book.network import NetworkBase


@dataclass(frozen=True)
class GradientCheck:
    """Result of :func:`gradient_check`.

    Attributes
    ----------
    relative_error : float
        ‖g_backprop − g_numeric‖₂ / (‖g_backprop‖₂ + ‖g_numeric‖₂) over all parameters.
    per_parameter : dict of str to float
        The same ratio computed for each parameter array (``"W1"``, ``"b1"``, ...).
    n_parameters : int
        Number of scalar parameters perturbed.
    """

    relative_error: float
    per_parameter: dict[str, float]
    n_parameters: int


def _relative_error(a: np.ndarray, b: np.ndarray) -> float:
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def gradient_check(
    net: NetworkBase,
    X: np.ndarray,
    Y: np.ndarray,
    lam: float = 0.0,
    eps: float = 1e-6,
    masks: Sequence[np.ndarray] | None = None,
) -> GradientCheck:
    """Compare backprop's gradient of J with centered finite differences.

    For every scalar parameter θ_i:

        g_numeric_i = (J(θ + ε e_i) − J(θ − ε e_i)) / (2ε)

    and the check reports ‖g − g_numeric‖₂ / (‖g‖₂ + ‖g_numeric‖₂); below about 1e-7 the backward pass
    is correct (the centered difference has error O(ε²)).

    Parameters
    ----------
    net : Network or LayerNormNetwork
        The network; its parameters are perturbed and restored exactly.
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    lam : float, default 0.0
        λ of the cost J = (1/m) Σ L + λ/(2m) Σ_l ‖W[l]‖_F².
    eps : float, default 1e-6
        Step ε of the finite difference.
    masks : list of ndarray, optional
        Dropout masks (:func:`l2book.dropout_masks`), the same for every evaluation of J: a
        step with dropout follows the gradient of the cost under its own masks, and a new draw at
        every evaluation would make J a different function each time.

    Returns
    -------
    GradientCheck
    """
    if not isinstance(net, NetworkBase):
        raise TypeError(
            f"net must be an l2book.Network or l2book.LayerNormNetwork, got {type(net).__name__}"
        )
    eps = v.check_positive("eps", eps)
    # Masks only when given: a network class of the reader's own (say one with a deliberate bug)
    # may override cost and gradients without them.
    extra = () if masks is None else (masks,)
    grads = net.gradients(X, Y, lam, *extra)
    per_parameter: dict[str, float] = {}
    analytic, numeric = [], []
    for name, theta in net.params.items():
        approx = np.zeros_like(theta)
        for index in np.ndindex(theta.shape):
            original = theta[index]
            theta[index] = original + eps
            plus = net.cost(X, Y, lam, *extra)
            theta[index] = original - eps
            minus = net.cost(X, Y, lam, *extra)
            theta[index] = original  # restore exactly: the network must be unchanged afterwards
            approx[index] = (plus - minus) / (2 * eps)
        per_parameter[name] = _relative_error(grads[name], approx)
        analytic.append(grads[name].ravel())
        numeric.append(approx.ravel())
    g, g_num = np.concatenate(analytic), np.concatenate(numeric)
    return GradientCheck(_relative_error(g, g_num), per_parameter, int(g.size))
