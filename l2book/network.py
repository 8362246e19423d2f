"""L-layer fully connected network with an L2-regularized cost.

Notation (the book's, after Andrew Ng's deep-learning course):

* ``X`` has shape ``(n_x, m)``: one column per example.
* ``Y`` has shape ``(1, m)``.
* ``W[l]`` has shape ``(n[l], n[l-1])``: row ``i`` holds the weights of unit ``i`` of layer ``l``,
  column ``j`` the weights on input ``j`` coming from layer ``l-1``.
* ``b[l]`` has shape ``(n[l], 1)``.

The cost is

    J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F²

with ``L`` the cross-entropy for a sigmoid output and ``½(ŷ − y)²`` for an identity output.

The functions in this module also accept *stacks* of parameters: ``W[l]`` of shape
``(K, n[l], n[l-1])`` and ``b[l]`` of shape ``(K, n[l], 1)`` describe ``K`` networks that share the data,
with ``lam`` of shape ``(K,)``. :func:`l2book.sweep_lambda` uses this to train many λ at once with
exactly the arithmetic of a single fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np

from l2book import _validate as v

HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid")
OUTPUT_ACTIVATIONS = ("sigmoid", "identity")
INITIALISATIONS = ("he", "xavier")

Params = dict[str, np.ndarray]


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for large |z|."""
    return _sigmoid_keeping_exp(Z)[0]


def _sigmoid_keeping_exp(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sigmoid` and the e^(−|z|) it is computed from, which the cross-entropy needs too."""
    e = np.exp(-np.abs(Z))  # e^(−|z|) ≤ 1 never overflows
    r = 1.0 / (1.0 + e)
    # σ(z) = 1/(1 + e^(−z)) for z ≥ 0, e^z/(1 + e^z) below
    return np.where(Z >= 0, r, e * r), e


def _activate(name: str, Z: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "tanh":
        return np.tanh(Z)
    if name == "sigmoid":
        return sigmoid(Z)
    return Z  # identity


def _activation_derivative(name: str, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    if name == "relu":
        return (Z > 0).astype(float)
    if name == "tanh":
        return 1.0 - A * A
    if name == "sigmoid":
        return A * (1.0 - A)
    return np.ones_like(Z)


def n_layers(params: Mapping[str, np.ndarray]) -> int:
    """Number of layers ``L`` (weight matrices) in a parameter dictionary."""
    return sum(1 for key in params if key.startswith("W"))


def weights(params: Mapping[str, np.ndarray]) -> list[np.ndarray]:
    """The weight matrices ``[W1, ..., WL]`` of a parameter dictionary, in layer order."""
    return [params[f"W{l}"] for l in range(1, n_layers(params) + 1)]


def forward(
    params: Mapping[str, np.ndarray], X: np.ndarray, hidden: str, output: str
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """Forward propagation: Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l]), A[0] = X.

    Returns the output-layer pre-activation ``Z[L]`` (the logits for a sigmoid output) and a cache of
    ``(A[l-1], Z[l], A[l])`` per layer for :func:`backward`. No input validation (internal use).
    """
    L = n_layers(params)
    cache = forward_layers(
        [params[f"W{l}"] for l in range(1, L + 1)], [params[f"b{l}"] for l in range(1, L + 1)],
        X, hidden, output,
    )
    return cache[-1][1], cache


class Workspace:
    """Arrays the training loop writes every step's results into, instead of new ones.

    A new array of a few hundred KB per operation (a stack of networks, or a wide layer times
    many examples) is memory the system hands over afresh and takes back at every step; writing
    into the same arrays skips that, and the arithmetic is the same (``benchmarks/core.py``).
    One workspace serves one batch size: ``m`` columns.
    """

    def __init__(self, Ws: Sequence[np.ndarray], m: int) -> None:
        lead = Ws[0].shape[:-2]
        self.Z = [np.empty(lead + (W.shape[-2], m)) for W in Ws]
        self.A = [np.empty_like(Z) for Z in self.Z[:-1]]  # hidden activations
        self.dZ = [np.empty_like(Z) for Z in self.Z]
        self.mask = [np.empty(Z.shape, dtype=bool) for Z in self.Z[:-1]]
        self.dW = [np.empty_like(W) for W in Ws]
        self.db = [np.empty(W.shape[:-1] + (1,)) for W in Ws]
        # e^(−|Z[L]|) of the last forward pass with a sigmoid output: the cost recorded after it
        # reuses it (data_loss_from_logits) instead of computing it again
        self.exp_neg_abs: np.ndarray | None = None


def forward_layers(
    Ws: Sequence[np.ndarray],
    bs: Sequence[np.ndarray],
    X: np.ndarray,
    hidden: str,
    output: str,
    work: Workspace | None = None,
    drop: Sequence[np.ndarray] | None = None,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`forward` on the lists ``[W1..WL]`` and ``[b1..bL]``: the training loop's form.

    The loop holds the lists once (the arrays are updated in place), instead of looking every
    matrix up by name at every step. With ``work``, the results are written into its arrays (the
    cache is then valid until the next call with the same workspace; numpy parses a positional
    ``out`` about 0.1 µs faster than the keyword, a few percent of a small network's step). With
    ``drop`` (inverted dropout, :func:`l2book.dropout.dropout_masks`), each hidden layer's
    activations are multiplied by its mask D[l]/keep_prob; the cache then holds the dropped-out
    activations.
    """
    last = len(Ws) - 1
    relu = hidden == "relu"
    into = work is not None and hidden in ("relu", "tanh")  # hidden activations into work.A
    A = X
    cache = []
    for l, W in enumerate(Ws):
        Z = W @ A if work is None else np.matmul(W, A, work.Z[l])
        Z += bs[l]
        if l == last:
            if output != "sigmoid":
                A_next = Z
            elif work is None:
                A_next = sigmoid(Z)
            else:
                A_next, work.exp_neg_abs = _sigmoid_keeping_exp(Z)
        elif into:
            A_next = np.maximum(Z, 0.0, out=work.A[l]) if relu else np.tanh(Z, work.A[l])
        elif relu:  # the common case, without a call per layer
            A_next = np.maximum(Z, 0.0)
        else:
            A_next = _activate(hidden, Z)
        if drop is not None and l < last:
            A_next = A_next * drop[l]
        cache.append((A, Z, A_next))
        A = A_next
    return cache


def data_loss_from_logits(
    Z: np.ndarray, Y: np.ndarray, output: str, exp_neg_abs: np.ndarray | None = None
) -> np.ndarray:
    """(1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) from the last layer's pre-activation ``Z`` (any leading stack axes).

    Cross-entropy uses the stable form L = max(z, 0) − z·y + log(1 + e^(−|z|)), which equals
    −[y log σ(z) + (1 − y) log(1 − σ(z))] without ever evaluating log(0). ``exp_neg_abs``:
    e^(−|Z|) if the forward pass already computed it (:attr:`Workspace.exp_neg_abs`).
    """
    m = Z.shape[-1]
    if output == "sigmoid":
        e = np.exp(-np.abs(Z)) if exp_neg_abs is None else exp_neg_abs
        losses = np.maximum(Z, 0.0) - Z * Y + np.log1p(e)
    else:
        losses = 0.5 * (Z - Y) ** 2
    return np.add.reduce(losses, axis=(-2, -1)) / m


def penalty(params: Mapping[str, np.ndarray], lam: float | np.ndarray, m: int) -> np.ndarray:
    """λ/(2m) Σ_l ‖W[l]‖_F² (biases are not penalised). Unvalidated; see :func:`l2_penalty`."""
    squared_norm = sum((W * W).sum(axis=(-2, -1)) for W in weights(params))
    return np.asarray(lam) / (2 * m) * squared_norm


def backward(
    params: Mapping[str, np.ndarray],
    cache: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    Y: np.ndarray,
    lam: float | np.ndarray,
    hidden: str,
) -> Params:
    """Backward propagation of the regularized cost.

    dZ[L] = Ŷ − Y (both output activations, with their matching loss), then for each layer

        dW[l] = (1/m) dZ[l] A[l-1]ᵀ + (λ/m) W[l]      ← the L2 term's gradient
        db[l] = (1/m) Σ_i dZ[l]⁽ⁱ⁾                     ← no penalty on biases
        dZ[l-1] = W[l]ᵀ dZ[l] * g'[l-1](Z[l-1])

    ``lam`` may be an array of shape ``(K,)`` when the parameters are stacked.
    Returns gradients under the same keys as ``params``.
    """
    L = n_layers(params)
    dWs, dbs = backward_layers(
        [params[f"W{l}"] for l in range(1, L + 1)], cache, Y, weight_decay(lam, Y.shape[-1]), hidden
    )
    return gradients_by_key(params, dWs, dbs)


def gradients_by_key(
    keys: Iterable[str], dWs: Sequence[np.ndarray], dbs: Sequence[np.ndarray]
) -> Params:
    """``{"W1": dWs[0], "b1": dbs[0], ...}`` in the order of ``keys`` (a parameter dictionary's)."""
    return {key: (dWs if key[0] == "W" else dbs)[int(key[1:]) - 1] for key in keys}


def weight_decay(lam: float | np.ndarray, m: int) -> float | np.ndarray:
    """λ/m, shaped to multiply the weights (``(K, 1, 1)`` for ``K`` stacked networks).

    One λ gives a Python float: numpy multiplies an array by it about twice as fast as by a
    numpy scalar (the same product).
    """
    lam_b = np.asarray(lam, dtype=float)
    if lam_b.ndim == 1:
        return lam_b[:, None, None] / m
    return float(lam_b) / m


def backward_layers(
    Ws: Sequence[np.ndarray],
    cache: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    Y: np.ndarray,
    decay: np.ndarray,
    hidden: str,
    work: Workspace | None = None,
    drop: Sequence[np.ndarray] | None = None,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """:func:`backward` on the list ``[W1..WL]`` with ``decay`` = λ/m (:func:`weight_decay`).

    Returns ``([dW1..dWL], [db1..dbL])``; with ``work``, arrays of the workspace, valid until its
    next use. ``drop``: the dropout masks the forward pass used (dA[l] is multiplied by the same
    mask, as the dropped units did not take part).
    """
    L = len(Ws)
    m = Y.shape[-1]
    # .T is an attribute, about 40 ns cheaper than a swapaxes call; on one network's 2-D arrays
    # it is the same transpose (stacked ones need the last two axes swapped)
    flat = Ws[0].ndim == 2
    if work is None:
        dWs: list[np.ndarray] = [None] * L  # type: ignore[list-item]
        dbs: list[np.ndarray] = [None] * L  # type: ignore[list-item]
        dZ = cache[-1][2] - Y
    else:
        dWs, dbs = work.dW, work.db
        dZ = np.subtract(cache[-1][2], Y, work.dZ[-1])
    dZ /= m  # dZ[L]/m: the 1/m of the mean loss, carried through every layer
    for l in range(L - 1, -1, -1):
        W = Ws[l]
        A_prev_T = cache[l][0].T if flat else cache[l][0].swapaxes(-1, -2)
        if work is None:
            dW = dWs[l] = dZ @ A_prev_T
            dbs[l] = np.add.reduce(dZ, axis=-1, keepdims=True)
        else:
            dW = np.matmul(dZ, A_prev_T, dWs[l])
            np.add.reduce(dZ, axis=-1, keepdims=True, out=dbs[l])
        dW += decay * W  # + (λ/m) W[l], the L2 term's gradient
        if l > 0:
            _, Z_prev, A_prev_act = cache[l - 1]
            # dA[l-1], then times g'[l-1](Z[l-1]) in place
            W_T = W.T if flat else W.swapaxes(-1, -2)
            dZ = W_T @ dZ if work is None else np.matmul(W_T, dZ, work.dZ[l - 1])
            if drop is not None:
                dZ *= drop[l - 1]
                # tanh' and σ' are computed from A[l-1], which the mask has scaled: recompute it
                A_prev_act = _activate(hidden, Z_prev)
            if hidden == "relu":
                dZ *= Z_prev > 0 if work is None else np.greater(Z_prev, 0, work.mask[l - 1])
            else:
                dZ *= _activation_derivative(hidden, Z_prev, A_prev_act)
    return dWs, dbs


def initialise(
    layer_sizes: Sequence[int], init: str, rng: np.random.Generator, stack: int | None = None
) -> Params:
    """He (√(2/n[l-1])) or Xavier (√(1/n[l-1])) scaled Gaussian weights, zero biases."""
    params: Params = {}
    lead = () if stack is None else (stack,)
    for l in range(1, len(layer_sizes)):
        fan_in, fan_out = layer_sizes[l - 1], layer_sizes[l]
        scale = np.sqrt((2.0 if init == "he" else 1.0) / fan_in)
        params[f"W{l}"] = rng.standard_normal(lead + (fan_out, fan_in)) * scale
        params[f"b{l}"] = np.zeros(lead + (fan_out, 1))
    return params


@dataclass(frozen=True)
class Architecture:
    """Layer sizes ``[n_x, n[1], ..., n[L]]`` and activations of a network."""

    layer_sizes: tuple[int, ...]
    hidden: str
    output: str

    @property
    def n_x(self) -> int:
        return self.layer_sizes[0]


def check_architecture(layer_sizes: Sequence[int], hidden: str, output: str) -> Architecture:
    """Validate layer sizes and activation names, returning an :class:`Architecture`."""
    sizes = tuple(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"layer_sizes={list(sizes)} needs at least an input and an output size, "
            "e.g. [2, 1] for logistic regression or [2, 20, 1] for one hidden layer"
        )
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(
                f"layer_sizes={list(sizes)} must contain positive integers; got {n!r}"
            )
    v.check_choice("hidden", hidden, HIDDEN_ACTIVATIONS)
    v.check_choice("output", output, OUTPUT_ACTIVATIONS)
    if output == "sigmoid" and sizes[-1] != 1:
        raise ValueError(
            f"a sigmoid output is for binary classification and needs 1 output unit, "
            f"but layer_sizes ends with {sizes[-1]}; use layer_sizes[-1] = 1"
        )
    return Architecture(tuple(int(n) for n in sizes), hidden, output)


def check_data(arch: Architecture, X: object, Y: object | None = None) -> tuple[np.ndarray, ...]:
    """Validate ``X`` (and ``Y``) against an architecture; returns float arrays."""
    X = v.check_matrix("X", X, n_rows=arch.n_x)
    if Y is None:
        return (X,)
    Y = v.check_targets("Y", Y, X, n_outputs=arch.layer_sizes[-1])
    if arch.output == "sigmoid":
        v.check_binary_labels("Y", Y)
    return X, Y


class NetworkBase:
    """What every network of the book shares: layers, predictions, errors and the L2 cost.

    Subclasses set ``arch`` (an :class:`Architecture`) and ``params`` (with ``"W1" … "WL"`` and
    ``"b1" … "bL"``) and define :meth:`forward`, :meth:`data_loss` and :meth:`gradients`.
    """

    arch: Architecture
    params: Params

    def _checked(self, X: object, Y: object | None = None) -> tuple[np.ndarray, ...]:
        """``X`` (and ``Y``) validated against the architecture, then the parameters checked
        finite: what every computation from the parameters needs first."""
        data = check_data(self.arch, X, Y)
        v.check_finite_params("params", self.params)
        return data

    # -- structure -----------------------------------------------------------------------------
    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """``(n_x, n[1], ..., n[L])``."""
        return self.arch.layer_sizes

    @property
    def hidden(self) -> str:
        """Activation of the hidden layers: ``"relu"``, ``"tanh"`` or ``"sigmoid"``."""
        return self.arch.hidden

    @property
    def output(self) -> str:
        """Output activation: ``"sigmoid"`` (classification) or ``"identity"`` (regression)."""
        return self.arch.output

    @property
    def L(self) -> int:
        """Number of layers with parameters."""
        return len(self.arch.layer_sizes) - 1

    @property
    def W(self) -> list[np.ndarray]:
        """``[W[1], ..., W[L]]`` (views of :attr:`params`)."""
        return weights(self.params)

    @property
    def b(self) -> list[np.ndarray]:
        """``[b[1], ..., b[L]]`` (views of :attr:`params`)."""
        return [self.params[f"b{l}"] for l in range(1, self.L + 1)]

    def copy(self) -> Self:
        """An independent copy (parameters copied)."""
        # Not through __init__: it would draw a random initialisation only to overwrite it.
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.params = {key: value.copy() for key, value in self.params.items()}
        return new

    def weight_norms(self) -> list[float]:
        """‖W[l]‖_F for each layer l = 1..L."""
        return [float(np.linalg.norm(W)) for W in self.W]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Ŷ = A[L], shape ``(n[L], m)``: probabilities for a sigmoid output, values otherwise."""
        return self.forward(X)[0]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels 1{ŷ > 0.5} for a sigmoid output; Ŷ itself for an identity output."""
        A = self.predict_proba(X)
        return (A > 0.5).astype(int) if self.output == "sigmoid" else A

    def accuracy(self, X: np.ndarray, Y: np.ndarray) -> float:
        """Fraction of examples whose predicted label equals y (sigmoid output only)."""
        if self.output != "sigmoid":
            raise ValueError("accuracy is for a sigmoid output; use error(X, Y) for regression")
        X, Y = check_data(self.arch, X, Y)
        return float(np.mean(self.predict(X) == Y))

    def error(self, X: np.ndarray, Y: np.ndarray) -> float:
        """Classification error 1 − accuracy (sigmoid) or mean squared error (identity)."""
        X, Y = check_data(self.arch, X, Y)
        if self.output == "sigmoid":
            return 1.0 - self.accuracy(X, Y)
        return float(np.mean((self.predict_proba(X) - Y) ** 2))

    def penalty(self, lam: float, m: int) -> float:
        """λ/(2m) Σ_l ‖W[l]‖_F² for a training set of ``m`` examples."""
        return l2_penalty(self.W, lam, m)

    def cost(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        lam: float = 0.0,
        masks: Sequence[np.ndarray] | None = None,
    ) -> float:
        """J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F², with m = X.shape[1].

        ``masks`` (from :func:`l2book.dropout_masks`): the cost under that one draw of dropout,
        the function whose gradient a dropout step follows.
        """
        lam = v.check_lam(lam)
        X, Y = check_data(self.arch, X, Y)
        return self.data_loss(X, Y, masks) + self.penalty(lam, X.shape[1])


class Network(NetworkBase):
    """An L-layer network ``[n_x, n[1], ..., n[L]]`` with an L2-regularized cost.

    J(W[1], b[1], ..., W[L], b[L]) = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F²

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_x, n[1], ..., n[L]]``. ``[n_x, 1]`` is logistic (or linear) regression.
    hidden : {"relu", "tanh", "sigmoid"}, default "relu"
        Activation of the hidden layers.
    output : {"sigmoid", "identity"}, default "sigmoid"
        ``"sigmoid"``: binary classification with cross-entropy loss; ``"identity"``: regression with
        loss ½(ŷ − y)².
    init : {"he", "xavier"} or None, default None
        Weight scale √(2/n[l-1]) (He, suited to relu) or √(1/n[l-1]) (Xavier, suited to tanh/sigmoid).
        None picks He for relu and Xavier otherwise.
    seed : int, default 0
        Seed of the initialisation; the same seed gives the same weights.

    Attributes
    ----------
    params : dict of str to ndarray
        ``{"W1": (n[1], n_x), "b1": (n[1], 1), ...}``, updated in place by the optimizers.

    Notes
    -----
    Data is laid out as ``X`` of shape ``(n_x, m)``; scikit-learn uses ``(m, n_x)``, so pass ``X.T``.
    scikit-learn stores ``coefs_[l-1] = W[l].T`` and ``intercepts_[l-1] = b[l].ravel()``.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        hidden: str = "relu",
        output: str = "sigmoid",
        init: str | None = None,
        seed: int = 0,
    ) -> None:
        self.arch = check_architecture(layer_sizes, hidden, output)
        if init is None:
            init = "he" if hidden == "relu" else "xavier"
        v.check_choice("init", init, INITIALISATIONS)
        self.init = init
        self.seed = seed
        self.params: Params = initialise(self.arch.layer_sizes, init, np.random.default_rng(seed))

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, np.ndarray],
        hidden: str = "relu",
        output: str = "sigmoid",
    ) -> Network:
        """Build a network from given parameters ``{"W1": ..., "b1": ..., ...}``."""
        L = n_layers(params)
        if L == 0:
            raise ValueError("params has no weight matrix 'W1'; pass {'W1': ..., 'b1': ..., ...}")
        sizes = [np.shape(params["W1"])[-1]] + [np.shape(params[f"W{l}"])[0] for l in range(1, L + 1)]
        net = cls(sizes, hidden=hidden, output=output)
        for l in range(1, L + 1):
            for name, shape in ((f"W{l}", (sizes[l], sizes[l - 1])), (f"b{l}", (sizes[l], 1))):
                if name not in params:
                    raise ValueError(f"params is missing {name!r} (expected shape {shape})")
                value = v.check_matrix(f"params[{name!r}]", params[name])
                if value.shape != shape:
                    raise ValueError(
                        f"params[{name!r}] has shape {value.shape} but layer sizes {sizes} "
                        f"need {shape}"
                    )
                net.params[name] = value.copy()
        return net

    def __repr__(self) -> str:
        return (
            f"Network(layer_sizes={list(self.layer_sizes)}, hidden={self.hidden!r}, "
            f"output={self.output!r})"
        )

    # -- computation ---------------------------------------------------------------------------
    def forward(self, X: np.ndarray) -> tuple[np.ndarray, list]:
        """Ŷ = A[L] for ``X`` of shape ``(n_x, m)``, and the cache used by :meth:`backward`."""
        (X,) = self._checked(X)
        _, cache = forward(self.params, X, self.hidden, self.output)
        return cache[-1][2], cache

    def data_loss(
        self, X: np.ndarray, Y: np.ndarray, masks: Sequence[np.ndarray] | None = None
    ) -> float:
        """(1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾), the unregularized cost (with ``masks``: under that dropout)."""
        X, Y = self._checked(X, Y)
        drop = _check_masks(self.arch, masks, X.shape[1])
        cache = forward_layers(self.W, self.b, X, self.hidden, self.output, drop=drop)
        return float(data_loss_from_logits(cache[-1][1], Y, self.output))

    def gradients(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        lam: float = 0.0,
        masks: Sequence[np.ndarray] | None = None,
    ) -> Params:
        """∂J/∂W[l] = ∂L/∂W[l] + (λ/m) W[l] and ∂J/∂b[l] for every layer (keys as in params).

        With ``masks``, the gradient of :meth:`cost` under that draw of dropout.
        """
        lam = v.check_lam(lam)
        X, Y = self._checked(X, Y)
        drop = _check_masks(self.arch, masks, X.shape[1])
        Ws = self.W
        cache = forward_layers(Ws, self.b, X, self.hidden, self.output, drop=drop)
        dWs, dbs = backward_layers(
            Ws, cache, Y, weight_decay(lam, X.shape[1]), self.hidden, drop=drop
        )
        return gradients_by_key(self.params, dWs, dbs)


def _check_masks(
    arch: Architecture, masks: Sequence[np.ndarray] | None, m: int
) -> list[np.ndarray] | None:
    """``masks`` as float arrays, one per hidden layer of shape (n[l], m), or a clear error."""
    if masks is None:
        return None
    sizes = arch.layer_sizes[1:-1]
    masks = list(masks)
    if len(masks) != len(sizes):
        raise ValueError(
            f"masks must hold one array per hidden layer ({len(sizes)} for layer sizes "
            f"{list(arch.layer_sizes)}), got {len(masks)}; make them with "
            "l2book.dropout_masks(net, m, keep_prob)"
        )
    checked = []
    for l, (mask, n) in enumerate(zip(masks, sizes, strict=True), start=1):
        mask = np.asarray(mask, dtype=float)
        if mask.shape != (n, m):
            raise ValueError(
                f"masks[{l - 1}] (layer {l}) must have shape {(n, m)}, got {mask.shape}"
            )
        if not np.isfinite(mask).all() or (mask < 0).any():
            raise ValueError(f"masks[{l - 1}] (layer {l}) must be finite and ≥ 0")
        checked.append(mask)
    return checked


def l2_penalty(weights: Sequence[np.ndarray], lam: float, m: int) -> float:
    """L2 penalty λ/(2m) Σ_l ‖W[l]‖_F², with ‖W‖_F² = Σ_i Σ_j W_ij² = tr(WᵀW).

    Parameters
    ----------
    weights : sequence of ndarray
        The weight matrices ``W[1], ..., W[L]`` (never the biases).
    lam : float
        λ ≥ 0.
    m : int
        Number of training examples (the full training set, also under minibatch training).

    Returns
    -------
    float
    """
    lam = v.check_lam(lam)
    m = v.check_count("m", m)
    if isinstance(weights, np.ndarray) and weights.ndim == 2:
        weights = [weights]
    total = 0.0
    for l, W in enumerate(weights, start=1):
        W = v.check_matrix(f"weights[{l - 1}] (W{l})", W)
        total += float((W * W).sum())  # ‖W[l]‖_F²
    return lam / (2 * m) * total


def cross_entropy(Y_hat: np.ndarray, Y: np.ndarray, *, from_logits: bool = False) -> float:
    """Cost J = −(1/m) Σ_i [y⁽ⁱ⁾ log ŷ⁽ⁱ⁾ + (1 − y⁽ⁱ⁾) log(1 − ŷ⁽ⁱ⁾)].

    Parameters
    ----------
    Y_hat : ndarray of shape (1, m)
        Predicted probabilities ŷ in [0, 1], or logits z (ŷ = σ(z)) when ``from_logits=True``.
        Logits are preferred: the loss is then computed stably even when ŷ rounds to 0 or 1.
    Y : ndarray of shape (1, m)
        Labels in {0, 1}.
    from_logits : bool, default False

    Returns
    -------
    float
    """
    Y_hat = v.check_matrix("Y_hat", Y_hat)
    if Y_hat.shape[0] != 1:
        # (m, 1) would divide by m = 1 below: a cost m times too large, silently
        hint = "; did you mean Y_hat.T?" if Y_hat.shape[1] == 1 else ""
        raise ValueError(
            f"Y_hat has shape {Y_hat.shape} but (1, m) is expected, one prediction per example "
            f"in its own column{hint}"
        )
    Y = v.check_targets("Y", Y, Y_hat, n_outputs=1, x_name="Y_hat")
    v.check_binary_labels("Y", Y)
    if from_logits:
        return float(data_loss_from_logits(Y_hat, Y, "sigmoid"))
    if np.any((Y_hat < 0) | (Y_hat > 1)):
        raise ValueError(
            f"Y_hat must hold probabilities in [0, 1] but ranges over "
            f"[{Y_hat.min():.3g}, {Y_hat.max():.3g}]; pass from_logits=True for logits"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = -(np.where(Y == 1, np.log(Y_hat), np.log1p(-Y_hat)))
    return float(losses.sum() / Y.shape[1])


def regularized_cost(net: Network, X: np.ndarray, Y: np.ndarray, lam: float) -> float:
    """J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F² of ``net`` on ``(X, Y)``.

    Same as ``net.cost(X, Y, lam)``; provided as a function to mirror the formula.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be an l2book.Network, got {type(net).__name__}")
    return net.cost(X, Y, lam)
