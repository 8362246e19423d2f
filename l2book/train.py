"""The training loop and its history.

:func:`fit` minimises the book's cost

    J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F²

with one of the optimizers of :mod:`l2book.optim`, recording at a chosen interval the cost, its two
parts, the train (and dev) error and the Frobenius norm of every weight matrix. The loop itself
(:func:`run`) works on a single network or on a stack of ``K`` networks with a leading parameter axis,
which is how :func:`l2book.sweep_lambda` trains many λ at once with the same arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from l2book import _validate as v
from l2book.dropout import draw_masks
from l2book.network import (
    Architecture,
    Network,
    Workspace,
    backward_layers,
    data_loss_from_logits,
    forward_layers,
    gradients_by_key,
    weight_decay,
)
from l2book.optim import Optimizer, get_optimizer

__all__ = ["DivergenceError", "History", "fit"]


class DivergenceError(FloatingPointError):
    """Training produced a non-finite cost or weights, or a cost grown by orders of magnitude
    (the learning rate is too large)."""


COST_GROWTH = 1e3
"""Training has diverged when a recorded cost exceeds this multiple of max(J at epoch 0, 1):
weights thrown far out by too large steps give a finite but absurd cost long before an overflow
(cross-entropy computed from logits stays finite)."""
DROPOUT_STREAM = 1
"""Third seed word of the dropout masks' generator (the minibatch order uses the first two)."""


@dataclass(frozen=True, eq=False)
class History:
    """What :func:`fit` recorded, one entry per recorded epoch (``T`` entries).

    Attributes
    ----------
    epochs : ndarray of int, shape (T,)
        Epoch of each record; 0 is the initial network, the last is the final (or stopping) epoch.
    steps : ndarray of int, shape (T,)
        Optimizer steps taken when the record was made (epochs × steps per epoch).
    cost : ndarray, shape (T,)
        J = data_loss + penalty on the training set.
    data_loss : ndarray, shape (T,)
        (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) on the training set.
    penalty : ndarray, shape (T,)
        λ/(2m) Σ_l ‖W[l]‖_F².
    train_error : ndarray, shape (T,)
        Classification error 1 − accuracy (sigmoid output) or mean squared error (identity output).
    dev_error : ndarray, shape (T,), or None
        The same on the dev set, when one was given.
    weight_norms : ndarray, shape (T, L)
        ‖W[l]‖_F of each layer l = 1..L.
    metric : str
        ``"classification error"`` or ``"mean squared error"``.
    lam : float
        λ.
    optimizer : str
        The optimizer and its hyperparameters, e.g. ``"GD(lr=0.1)"``.
    seed : int
        Seed of the minibatch order.
    best_epoch : int or None
        With early stopping: the epoch of the lowest dev error, whose parameters ``net`` holds.
    stopped_epoch : int or None
        With early stopping: the epoch at which patience ran out (None if all epochs ran).
    net : Network
        The trained network (the object passed to :func:`fit`, trained in place).
    keep_prob : float
        Dropout's keep probability during training (1: no dropout). The records are computed
        without dropout, on the network as it predicts.
    """

    epochs: np.ndarray
    steps: np.ndarray
    cost: np.ndarray
    data_loss: np.ndarray
    penalty: np.ndarray
    train_error: np.ndarray
    dev_error: np.ndarray | None
    weight_norms: np.ndarray
    metric: str
    lam: float
    optimizer: str
    seed: int
    best_epoch: int | None
    stopped_epoch: int | None
    net: Network
    keep_prob: float = 1.0

    def __post_init__(self) -> None:
        for name in ("epochs", "steps", "cost", "data_loss", "penalty", "train_error",
                     "dev_error", "weight_norms"):
            value = getattr(self, name)
            if value is not None:
                value.setflags(write=False)  # a history is a record: keep it immutable

    def __len__(self) -> int:
        return int(self.epochs.size)

    @property
    def train_accuracy(self) -> np.ndarray:
        """1 − train_error (sigmoid output only)."""
        return 1.0 - self._classification("train_error", self.train_error)

    @property
    def dev_accuracy(self) -> np.ndarray:
        """1 − dev_error (sigmoid output with a dev set only)."""
        if self.dev_error is None:
            raise ValueError("no dev set was recorded; pass X_dev and Y_dev to fit")
        return 1.0 - self._classification("dev_error", self.dev_error)

    def _classification(self, name: str, values: np.ndarray) -> np.ndarray:
        if self.metric != "classification error":
            raise ValueError(
                f"accuracy is defined for a sigmoid output; this history records {name} as the "
                f"{self.metric}"
            )
        return values

    def __repr__(self) -> str:
        dev = "" if self.dev_error is None else f", dev_error={self.dev_error[-1]:.4g}"
        return (
            f"History(records={len(self)}, epochs={int(self.epochs[-1])}, lam={self.lam:g}, "
            f"optimizer={self.optimizer}, cost={self.cost[-1]:.6g}, "
            f"train_error={self.train_error[-1]:.4g}{dev})"
        )


# ---------------------------------------------------------------------------------------------
# validation shared by fit and sweep_lambda
# ---------------------------------------------------------------------------------------------


def check_split(
    arch: Architecture, X: object, Y: object, x_name: str = "X", y_name: str = "Y"
) -> tuple[np.ndarray, np.ndarray]:
    """Validate one data split against an architecture, naming the arguments in messages."""
    X = v.check_matrix(x_name, X, n_rows=arch.n_x)
    Y = v.check_targets(y_name, Y, X, n_outputs=arch.layer_sizes[-1], x_name=x_name)
    if arch.output == "sigmoid":
        v.check_binary_labels(y_name, Y)
    return X, Y


@dataclass(frozen=True)
class Settings:
    """Validated arguments of a training run."""

    X: np.ndarray
    Y: np.ndarray
    dev: tuple[np.ndarray, np.ndarray] | None
    optimizer: Optimizer
    epochs: int
    record_every: int
    patience: int | None
    seed: int
    keep_prob: float = 1.0


def check_settings(
    arch: Architecture,
    X: object,
    Y: object,
    optimizer: Optimizer | str,
    epochs: object,
    X_dev: object,
    Y_dev: object,
    record_every: object,
    early_stopping: object,
    seed: object,
    keep_prob: object = 1.0,
) -> Settings:
    """Validate everything but the parameters and λ, once, before the loop."""
    X, Y = check_split(arch, X, Y)
    if (X_dev is None) != (Y_dev is None):
        given, missing = ("X_dev", "Y_dev") if Y_dev is None else ("Y_dev", "X_dev")
        raise ValueError(f"{given} was given without {missing}; pass both or neither")
    dev = None if X_dev is None else check_split(arch, X_dev, Y_dev, "X_dev", "Y_dev")
    patience = None
    if early_stopping is not None:
        patience = v.check_count("early_stopping", early_stopping)
        if dev is None:
            raise ValueError(
                f"early_stopping={patience} watches the dev error, but no dev set was given; "
                "pass X_dev and Y_dev (or early_stopping=None)"
            )
    return Settings(
        X=X,
        Y=Y,
        dev=dev,
        optimizer=get_optimizer(optimizer),
        epochs=v.check_count("epochs", epochs),
        record_every=v.check_count("record_every", record_every),
        patience=patience,
        seed=v.check_int_range("seed", seed, lo=0),
        keep_prob=v.check_keep_prob(keep_prob),
    )


# ---------------------------------------------------------------------------------------------
# the loop
# ---------------------------------------------------------------------------------------------


def _error(A: np.ndarray, Y: np.ndarray, output: str) -> np.ndarray:
    """Classification error mean(1{ŷ > 0.5} ≠ y) or mean squared error, per stacked network."""
    n = A.shape[-2] * A.shape[-1]
    if output == "sigmoid":
        return np.add.reduce((A > 0.5) != Y, axis=(-2, -1)) / n
    D = A - Y
    return np.add.reduce(D * D, axis=(-2, -1)) / n


@dataclass
class Run:
    """Raw output of :func:`run`; arrays have the parameters' leading stack shape in front."""

    epochs: np.ndarray  # (T,)
    steps: np.ndarray  # (T,)
    cost: np.ndarray  # lead + (T,)
    data_loss: np.ndarray
    penalty: np.ndarray
    train_error: np.ndarray
    dev_error: np.ndarray | None
    weight_norms: np.ndarray  # lead + (T, L)
    n_records: np.ndarray  # (K,): records belonging to each network (fewer if it stopped early)
    best_epoch: np.ndarray | None  # (K,)
    stopped_epoch: np.ndarray  # (K,), -1 when training ran all epochs


def _diverged(
    problem: str, epoch: int, step: int, opt: Optimizer, lam: float, m: int, stacked: bool
) -> str:
    which = f" for lam={lam:g}" if stacked else ""
    message = (
        f"training diverged in epoch {epoch} (after step {step}): {problem}"
        f"{which}. The steps of {opt!r} are too large for this problem; use a smaller learning "
        f"rate, e.g. lr={opt.lr / 10:g}"
    )
    decay = 1.0 - opt.lr * lam / m
    if opt.name in ("gd", "sgd") and decay < -1:
        # W ← (1 − ηλ/m) W − η ∂L/∂W flips and grows the weights whenever 1 − ηλ/m < −1
        message += (
            f". The weight-decay factor 1 − lr·lam/m = {decay:.3g} is below −1, so the penalty "
            f"alone makes the weights oscillate and grow: lr must stay below 2m/lam = {2 * m / lam:.3g}"
        )
    return message


def run(
    params: dict[str, np.ndarray],
    arch: Architecture,
    lam: float | np.ndarray,
    s: Settings,
    watch: bool = False,
) -> Run:
    """Train ``params`` in place (single or stacked) and return the records. No validation.

    ``lam`` is a float for a single network and an array of shape (K,) for parameters stacked along a
    leading axis of length K. All K networks see the same minibatches in the same order. ``watch``
    (one network): numpy raises at the operation that overflows or makes a NaN, and the error
    names that epoch and step (:func:`run_watched_if_diverged`).
    """
    X, Y, opt = s.X, s.Y, s.optimizer
    hidden, output = arch.hidden, arch.output
    m = X.shape[1]
    lead = params["W1"].shape[:-2]
    stacked = len(lead) > 0
    K = math.prod(lead)
    lam_arr = np.asarray(lam, dtype=float)
    half_lam_over_m = lam_arr / (2 * m)
    W_keys = [f"W{l}" for l in range(1, len(arch.layer_sizes))]
    # The arrays are updated in place by the optimizer (and by early stopping's restore), so the
    # loop holds them in lists once instead of looking them up by name at every step.
    Ws = [params[key] for key in W_keys]
    bs = [params[f"b{l}"] for l in range(1, len(arch.layer_sizes))]
    decay = weight_decay(lam_arr, m)  # λ/m, shaped for the weights
    workspaces: dict[int, tuple[Workspace, Callable[[], None]]] = {}  # by batch size

    def work(size: int) -> tuple[Workspace, Callable[[], None]]:
        """The workspace for batches of ``size``, and the optimizer's step from its gradients
        (backward writes into the same arrays every step, so the step is set up once)."""
        if size not in workspaces:
            space = Workspace(Ws, size)
            workspaces[size] = space, opt._stepper(params, gradients_by_key(params, space.dW, space.db))
        return workspaces[size]

    full, full_step = work(m)  # the whole training set: full-batch steps and every record
    full_batch = opt.batch_size is None or opt.batch_size >= m
    rng = None if full_batch else np.random.default_rng([s.seed, opt.seed])
    dropping = s.keep_prob < 1.0
    if dropping and stacked:
        raise ValueError("dropout trains one network at a time; stacked parameters were given")
    # A stream of its own: the minibatch order is the same with and without dropout.
    drop_rng = np.random.default_rng([s.seed, opt.seed, DROPOUT_STREAM]) if dropping else None

    epochs_rec: list[int] = []
    steps_rec: list[int] = []
    cost_rec, data_rec, pen_rec, err_rec, dev_rec, sq_rec = [], [], [], [], [], []
    active = np.ones(K, dtype=bool)
    n_records = np.zeros(K, dtype=int)
    stopped_epoch = np.full(K, -1)
    best_err = np.full(K, np.inf)
    best_epoch = np.zeros(K, dtype=int)
    best_params = {key: p.copy() for key, p in params.items()} if s.patience else {}
    bad_evals = np.zeros(K, dtype=int)
    cost_limit = np.zeros(lead)  # set by the first record: COST_GROWTH × max(J at epoch 0, 1)
    limit = cost_limit.reshape(-1)  # a view: limit[0] is the one network's limit, as a float

    def lam_of(k: int) -> np.floating:
        """λ of network ``k``, for the messages of a run that diverged."""
        return np.broadcast_to(lam_arr, (K,))[k]

    def diverged(what: str, values: np.ndarray, epoch: int, step: int) -> None:
        bad = active & ~np.isfinite(np.reshape(values, (K, -1))).all(axis=1)
        if bad.any():  # networks that already stopped early may diverge afterwards: ignored
            k = int(np.argmax(bad))
            problem = f"{what} became NaN or inf"
            raise DivergenceError(_diverged(problem, epoch, step, opt, lam_of(k), m, stacked))

    def record(epoch: int, step: int) -> list:
        # kept lean: with record_every=1 this runs every epoch
        cache = forward_layers(Ws, bs, X, hidden, output, full)
        data = data_loss_from_logits(cache[-1][1], Y, output, full.exp_neg_abs)
        squared = [np.add.reduce(W * W, axis=(-2, -1)) for W in Ws]
        pen = half_lam_over_m * sum(squared)  # λ/(2m) Σ_l ‖W[l]‖_F²
        cost = data + pen
        # one scalar for one network: math.isfinite is much cheaper than np.isfinite(...).all()
        if not (np.isfinite(cost).all() if stacked else math.isfinite(cost)):
            diverged("the cost", cost, epoch, step)
        if epoch == 0:
            cost_limit[...] = COST_GROWTH * np.maximum(cost, 1.0)
        # one network: a comparison of two floats, much cheaper than the array operations
        elif (np.any(active & np.reshape(cost > cost_limit, K)) if stacked else cost > limit[0]):
            k = int(np.argmax(active & np.reshape(cost > cost_limit, K)))  # the first that grew
            start, now = np.reshape(cost_rec[0], K)[k], np.reshape(cost, K)[k]
            raise DivergenceError(_diverged(
                f"the cost grew from {start:.3g} to {now:.3g}", epoch, step, opt, lam_of(k), m, stacked
            ))
        epochs_rec.append(epoch)
        steps_rec.append(step)
        cost_rec.append(cost)
        data_rec.append(data)
        pen_rec.append(pen)
        err_rec.append(_error(cache[-1][2], Y, output))
        sq_rec.append(squared)
        if s.dev is not None:
            dev_cache = forward_layers(Ws, bs, s.dev[0], hidden, output)
            dev_rec.append(_error(dev_cache[-1][2], s.dev[1], output))
        if s.patience:
            n_records[active] = len(epochs_rec)
            early_stopping_update(epoch, np.reshape(dev_rec[-1], K))
        return cache

    def early_stopping_update(epoch: int, dev_err: np.ndarray) -> None:
        improved = active & (dev_err < best_err)
        best_err[improved] = dev_err[improved]
        best_epoch[improved] = epoch
        if improved.any():
            for key, p in params.items():
                if stacked:
                    best_params[key][improved] = p[improved]
                else:
                    best_params[key][...] = p
        bad_evals[improved] = 0
        bad_evals[active & ~improved] += 1
        newly = active & (bad_evals >= s.patience)
        stopped_epoch[newly] = epoch
        active[newly] = False

    # One network: a NaN or inf stays in the weights and reaches the next recorded cost (the last
    # epoch is always recorded), so no scan of the weights at every epoch is needed; watched,
    # numpy raises at the very operation that made it. Stacked networks: one that stopped early
    # may diverge harmlessly afterwards, so the checks below look at each network.
    mode = "raise" if watch and not stacked else "ignore"
    step = epoch = 0
    last_W = Ws[-1]
    epochs, every = s.epochs, s.record_every
    whole_set_steps = full_batch and not dropping  # one step per epoch on the recorded pass
    try:
        with np.errstate(over=mode, invalid=mode, divide="ignore", under="ignore"):
            cache = record(0, 0)
            for epoch in range(1, epochs + 1):
                if whole_set_steps:
                    if cache is None:  # the last record's forward pass is reused if there is one
                        cache = forward_layers(Ws, bs, X, hidden, output, full)
                    backward_layers(Ws, cache, Y, decay, hidden, full)  # into full_step's gradients
                    full_step()
                    step += 1
                else:
                    batches = [None] if full_batch else opt._batches(m, rng)
                    step = _batch_steps(
                        Ws, bs, X, Y, arch, lam_arr, work, batches, drop_rng, s.keep_prob, step
                    )
                cache = None
                if epoch % every == 0 or epoch == epochs:
                    cache = record(epoch, step)  # checks the cost for NaN/inf
                    if not active.any():
                        break
                elif stacked and not math.isfinite(np.add.reduce(last_W, axis=None)):
                    diverged("the weights", last_W, epoch, step)  # a NaN or inf makes the sum one
    except DivergenceError:
        raise
    except FloatingPointError:
        problem = "the weights became NaN or inf"
        raise DivergenceError(_diverged(problem, epoch, step, opt, float(lam_arr), m, False)) from None

    if s.patience:
        for key, p in params.items():
            p[...] = best_params[key]  # restore the parameters of the lowest dev error
    else:
        n_records[:] = len(epochs_rec)

    axis = len(lead)
    squared = np.array(sq_rec)  # (T, L) + lead
    if stacked:
        squared = np.moveaxis(squared, (0, 1), (axis, axis + 1))  # lead + (T, L)

    def along(records: list) -> np.ndarray:
        """One record per epoch recorded, along the axis after the stack's (one network: the
        same values as np.stack, without its work on the shape of each record)."""
        return np.stack(records, axis=axis) if stacked else np.array(records)

    return Run(
        epochs=np.array(epochs_rec),
        steps=np.array(steps_rec),
        cost=along(cost_rec),
        data_loss=along(data_rec),
        penalty=along(pen_rec),
        train_error=along(err_rec),
        dev_error=along(dev_rec) if s.dev is not None else None,
        weight_norms=np.sqrt(squared),
        n_records=n_records,
        best_epoch=best_epoch if s.patience else None,
        stopped_epoch=stopped_epoch,
    )


def run_watched_if_diverged(
    params: dict[str, np.ndarray], arch: Architecture, lam: float, s: Settings
) -> Run:
    """:func:`run` for one network; a run that diverged is run again from the same start, watched.

    Watching (numpy raising at the operation that overflows) makes every numpy call of a step
    dearer: about 1 % of ``fit`` on the benchmark's network (``benchmarks/core.py``). A divergence
    leaves NaN or inf in the parameters or in a recorded cost, so the first run goes unwatched;
    only one that left such a trace is replayed watched, which training's determinism (seeded
    minibatches and masks, a fresh copy of the optimizer) makes the same computation, for the
    error to name the epoch and step where it started.
    """
    start = {key: p.copy() for key, p in params.items()}
    try:
        r = run(params, arch, lam, s)
        if all(math.isfinite(np.add.reduce(p, axis=None)) for p in params.values()):
            return r  # (a sum that overflows with finite parameters only costs the replay)
    except DivergenceError:
        pass
    for key, p in params.items():
        p[...] = start[key]
    return run(params, arch, lam, replace(s, optimizer=s.optimizer.clone()), watch=True)


def _batch_steps(
    Ws: list[np.ndarray],
    bs: list[np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    arch: Architecture,
    lam: np.ndarray,
    work: Callable[[int], tuple[Workspace, Callable[[], None]]],
    batches: Iterable[np.ndarray | None],
    drop_rng: np.random.Generator | None,
    keep_prob: float,
    step: int,
) -> int:
    """One epoch's steps, one per batch (an index array, or None for the whole training set);
    with ``drop_rng``, inverted dropout with new masks at every step. ``work(size)`` gives the
    workspace of a batch size and the optimizer's step from its gradients. Returns the step count.

    The full-batch loop without dropout does not come here: it reuses the recorded forward pass,
    whereas each of these steps needs a forward pass of its own batch or masks.
    """
    m = X.shape[1]
    hidden_sizes = arch.layer_sizes[1:-1]
    for index in batches:
        X_b, Y_b = (X, Y) if index is None else (X[:, index], Y[:, index])
        size = X_b.shape[1]
        space, step_from_grads = work(size)
        drop = None if drop_rng is None else draw_masks(hidden_sizes, size, keep_prob, drop_rng)
        cache = forward_layers(Ws, bs, X_b, arch.hidden, arch.output, space, drop)
        # The penalty's gradient is divided by the batch's size; scaling λ by |B|/m makes it
        # (λ/m)W with the training set's m, as in the full batch.
        decay = weight_decay(lam * (size / m), size)
        backward_layers(Ws, cache, Y_b, decay, arch.hidden, space, drop)
        step_from_grads()
        step += 1
    return step


def history_from_run(
    r: Run, k: int | None, net: Network, lam: float, s: Settings, arch: Architecture
) -> History:
    """The :class:`History` of network ``k`` of a stacked run (``k=None`` for a single run)."""
    kk = 0 if k is None else k
    T = int(r.n_records[kk])

    def take(a: np.ndarray | None) -> np.ndarray | None:
        if a is None:
            return None
        return (a if k is None else a[k])[:T].copy()

    stopped = int(r.stopped_epoch[kk])
    return History(
        epochs=r.epochs[:T].copy(),
        steps=r.steps[:T].copy(),
        cost=take(r.cost),
        data_loss=take(r.data_loss),
        penalty=take(r.penalty),
        train_error=take(r.train_error),
        dev_error=take(r.dev_error),
        weight_norms=take(r.weight_norms),
        metric="classification error" if arch.output == "sigmoid" else "mean squared error",
        lam=float(lam),
        optimizer=repr(s.optimizer),
        seed=s.seed,
        best_epoch=None if r.best_epoch is None else int(r.best_epoch[kk]),
        stopped_epoch=None if stopped < 0 else stopped,
        net=net,
        keep_prob=s.keep_prob,
    )


def fit(
    net: Network,
    X: np.ndarray,
    Y: np.ndarray,
    lam: float = 0.0,
    optimizer: Optimizer | str = "gd",
    epochs: int = 1000,
    X_dev: np.ndarray | None = None,
    Y_dev: np.ndarray | None = None,
    record_every: int = 1,
    early_stopping: int | None = None,
    seed: int = 0,
    keep_prob: float = 1.0,
) -> History:
    """Train ``net`` in place by minimising J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F².

    Each epoch takes one optimizer step (full batch) or one per minibatch; the gradient passed to the
    optimizer is ∂J/∂θ, whose weight part is ∂L/∂W[l] + (λ/m) W[l] with m the training-set size.

    Parameters
    ----------
    net : Network
        The network to train; its parameters are updated in place.
    X : ndarray of shape (n_x, m)
        Training inputs, one column per example.
    Y : ndarray of shape (1, m)
        Labels in {0, 1} (sigmoid output) or targets (identity output).
    lam : float, default 0.0
        λ ≥ 0 (scikit-learn's ``alpha`` for full-batch MLPs).
    optimizer : Optimizer or str, default "gd"
        An optimizer from :mod:`l2book.optim` (cloned, so the same object can be reused) or one of the
        names ``"gd"``, ``"sgd"``, ``"momentum"``, ``"adam"``, ``"adamw"`` with default settings.
    epochs : int, default 1000
        Passes over the training set.
    X_dev, Y_dev : ndarray, optional
        A dev set whose error is recorded (and watched by early stopping).
    record_every : int, default 1
        Record every this many epochs; epoch 0 and the last epoch are always recorded.
    early_stopping : int or None, default None
        Patience: stop after this many consecutive records without a lower dev error, and in any
        case end with the parameters of the lowest dev error (ties keep the earliest).
    seed : int, default 0
        Seed of the minibatch order and of the dropout masks (combined with the optimizer's
        ``seed``). The same seeds give the same history; with full-batch optimizers and no
        dropout, training is deterministic whatever the seed.
    keep_prob : float, default 1.0
        Inverted dropout on the hidden layers: at every step each hidden unit of each example is
        kept with this probability (its activation divided by it) and zeroed otherwise
        (:mod:`l2book.dropout`). 1 means no dropout. The history's cost and errors are those of
        the network without dropout, as it predicts.

    Returns
    -------
    History

    Raises
    ------
    DivergenceError
        When the cost or the weights become NaN or inf; the message names the epoch and step.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be an l2book.Network, got {type(net).__name__}")
    lam = v.check_lam(lam)
    s = check_settings(net.arch, X, Y, optimizer, epochs, X_dev, Y_dev, record_every,
                       early_stopping, seed, keep_prob)
    v.check_finite_params("net.params", net.params)
    _check_param_shapes(net.params, net.arch)
    r = run_watched_if_diverged(net.params, net.arch, lam, s)
    return history_from_run(r, None, net, lam, s, net.arch)


def _check_param_shapes(params: Mapping[str, np.ndarray], arch: Architecture) -> None:
    sizes = arch.layer_sizes
    for l in range(1, len(sizes)):
        for key, shape in ((f"W{l}", (sizes[l], sizes[l - 1])), (f"b{l}", (sizes[l], 1))):
            value = params.get(key)
            if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype != float:
                raise ValueError(
                    f"net.params[{key!r}] must be a float array of shape {shape} for layer sizes "
                    f"{list(sizes)}, got {getattr(value, 'shape', value)!r}"
                )
