"""Choosing λ: a sweep on a dev set, k-fold cross-validation and the one-standard-error rule.

Layout: ``X`` has shape ``(n_x, m)`` (one column per example), ``y`` shape ``(1, m)`` or ``(m,)``;
data in scikit-learn's ``(m, n_x)`` layout is passed as ``X.T``. λ is the book's (scikit-learn's
``Ridge(alpha=λ)``). Errors are whatever the scoring function returns; the built-in ridge model
uses the mean squared error (1/m) Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)².

Never choose λ on the test set: sweep on dev (or cross-validate on train), then report test once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from l2book import _validate as v
from l2book.ridge import ridge_path

__all__ = [
    "CVResult",
    "DevSweepResult",
    "OneStandardError",
    "best_lambda_index",
    "dev_sweep",
    "kfold_cv",
    "kfold_indices",
    "one_standard_error",
    "ridge_scorer",
]

FitAndError = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float], float]


@dataclass(frozen=True)
class DevSweepResult:
    """Errors of one model per λ, evaluated on a dev set.

    Attributes
    ----------
    lams : ndarray of shape (K,)
        λ values in the order given.
    dev_errors : ndarray of shape (K,)
        Dev-set error of the model trained with each λ.
    train_errors : ndarray of shape (K,) or None
        Training error per λ, when the scoring function returned ``(train_error, dev_error)``.
    best_index : int
        Index of the lowest dev error; on a tie, of the largest tied λ (:func:`best_lambda_index`).
    best_lam : float
        ``lams[best_index]``.
    """

    lams: np.ndarray
    dev_errors: np.ndarray
    train_errors: np.ndarray | None
    best_index: int
    best_lam: float


@dataclass(frozen=True)
class CVResult:
    """k-fold cross-validation errors per λ.

    Attributes
    ----------
    lams : ndarray of shape (K,)
        λ values in the order given.
    fold_errors : ndarray of shape (k, K)
        Validation error of fold f (trained on the other k−1 folds) for each λ.
    mean : ndarray of shape (K,)
        CV(λ) = (1/k) Σ_f fold_errors[f].
    se : ndarray of shape (K,)
        Standard error sd_f(fold_errors) / √k, sd with ddof = 1.
    best_index : int
        Index of the lowest mean; on a tie, of the largest tied λ (:func:`best_lambda_index`).
    best_lam : float
        ``lams[best_index]``.
    one_se_lam : float
        The largest λ whose mean is within one SE of the minimum (:func:`one_standard_error`).
    """

    lams: np.ndarray
    fold_errors: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    best_index: int
    best_lam: float
    one_se_lam: float


@dataclass(frozen=True)
class OneStandardError:
    """Outcome of the one-standard-error rule.

    Attributes
    ----------
    lam : float
        Chosen λ: the largest λ with mean ≤ threshold (the simplest model that is about as good).
    index : int
        Its index in the given ``lams``.
    threshold : float
        mean[best] + se[best].
    best_index : int
        Index of the lowest mean; on a tie, of the largest tied λ (:func:`best_lambda_index`).
    best_lam : float
        λ at the minimum mean.
    """

    lam: float
    index: int
    threshold: float
    best_index: int
    best_lam: float


def best_lambda_index(
    lams: Sequence[float] | np.ndarray, errors: Sequence[float] | np.ndarray
) -> int:
    """Index of λ* = argmin_λ error(λ); among λ tied at the lowest error, the largest λ.

    The tie rule prefers the simpler model: a larger λ gives smaller weights, and when the
    held-out error cannot tell two models apart there is nothing to pay for the larger weights.
    A tie is exact equality with the minimum (classification errors on the same dev set are
    counts over ``m_dev``, so two models tie exactly when they misclassify as many points).
    :func:`dev_sweep`, :func:`kfold_cv` and :func:`one_standard_error` all use this rule.

    Parameters
    ----------
    lams : array-like of shape (K,)
        λ values ≥ 0, any order.
    errors : array-like of shape (K,)
        Error per λ (dev error, mean CV error...), finite.

    Returns
    -------
    int
        Index into ``lams``.

    Examples
    --------
    >>> best_lambda_index([0.0, 0.5, 1.0, 2.0], [0.2, 0.1, 0.1, 0.3])
    2
    """
    lams = v.check_lams(lams)
    errors = v.check_finite("errors", v.as_float_array("errors", errors))
    if errors.shape != lams.shape:
        raise ValueError(
            f"errors has shape {errors.shape} but lams has shape {lams.shape}; pass one error per λ"
        )
    tied = np.flatnonzero(errors == errors.min())
    return int(tied[np.argmax(lams[tied])])


def _check_callable(name: str, f: object, signature: str) -> None:
    if not callable(f):
        raise TypeError(f"{name} must be a function {signature}, got {type(f).__name__} {f!r}")


def _as_error(name: str, value: object, lam: float) -> float:
    try:
        err = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must return a number (an error), got {type(value).__name__} {value!r} for lam={lam!r}"
        ) from None
    if np.isnan(err):
        raise ValueError(
            f"{name} returned NaN for lam={lam!r}; the fit probably diverged (lower the learning rate)"
        )
    return err


def ridge_scorer(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_dev: np.ndarray,
    y_dev: np.ndarray,
    fit_intercept: bool = True,
) -> Callable[[float], tuple[float, float]]:
    """A ``fit_score(lam) -> (train_mse, dev_mse)`` for :func:`dev_sweep` that fits ridge.

    MSE = (1/m) Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)², on the training and on the dev set.

    Parameters
    ----------
    X_train, X_dev : arrays of shape (n_x, m_train), (n_x, m_dev)
        Inputs, one column per example.
    y_train, y_dev : arrays of shape (1, m_*) or (m_*,)
        Targets.
    fit_intercept : bool, default True
        Passed to :func:`l2book.ridge.ridge_path`.
    """
    X_train = v.as_float_matrix("X_train", X_train)
    y_train = v.check_targets("y_train", y_train, X_train, x_name="X_train")
    X_dev = v.check_matrix("X_dev", X_dev, n_rows=X_train.shape[0])
    y_dev = v.check_targets("y_dev", y_dev, X_dev, x_name="X_dev")

    def fit_score(lam: float) -> tuple[float, float]:
        path = ridge_path(X_train, y_train, [lam], fit_intercept=fit_intercept)
        train = float(np.mean((path.predict(X_train)[0] - y_train[0]) ** 2))
        dev = float(np.mean((path.predict(X_dev)[0] - y_dev[0]) ** 2))
        return train, dev

    return fit_score


def dev_sweep(
    fit_score: Callable[[float], float | tuple[float, float]], lams: Sequence[float] | np.ndarray
) -> DevSweepResult:
    """Train once per λ and keep the dev error: λ* = argmin_λ error_dev(λ), the largest on ties.

    Parameters
    ----------
    fit_score : callable ``lam -> dev_error`` or ``lam -> (train_error, dev_error)``
        Trains a model with the given λ on the training set and returns its dev-set error
        (optionally with its training error). For ridge use :func:`ridge_scorer`; for a network,
        a closure that builds, trains and evaluates it.
    lams : array-like of shape (K,)
        λ values ≥ 0.

    Returns
    -------
    DevSweepResult
    """
    _check_callable("fit_score", fit_score, "lam -> dev_error or lam -> (train_error, dev_error)")
    lams = v.check_lams(lams)
    dev, train = [], []
    for lam in lams:
        out = fit_score(float(lam))
        if isinstance(out, tuple):
            if len(out) != 2:
                raise ValueError(
                    f"fit_score returned a tuple of length {len(out)} for lam={float(lam)!r}; "
                    f"return dev_error or (train_error, dev_error)"
                )
            train.append(_as_error("fit_score", out[0], float(lam)))
            out = out[1]
        elif train:
            raise ValueError("fit_score returned a pair for some λ and a single number for others")
        dev.append(_as_error("fit_score", out, float(lam)))
    if train and len(train) != len(dev):
        raise ValueError("fit_score returned a pair for some λ and a single number for others")
    dev_errors = np.array(dev)
    best = best_lambda_index(lams, dev_errors)
    return DevSweepResult(
        lams=lams,
        dev_errors=dev_errors,
        train_errors=np.array(train) if train else None,
        best_index=best,
        best_lam=float(lams[best]),
    )


def kfold_indices(m: int, k: int = 5, seed: int | None = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split range(m) into k folds: a list of (train_idx, val_idx), one pair per fold.

    The examples are shuffled with ``np.random.default_rng(seed).permutation(m)`` (kept in order
    when ``seed`` is None), then cut into k consecutive blocks, the first ``m % k`` of size
    ⌊m/k⌋ + 1 and the rest of size ⌊m/k⌋ — the blocks of scikit-learn's ``KFold``. Every example
    is in exactly one validation block.

    Parameters
    ----------
    m : int
        Number of examples, ≥ k.
    k : int, default 5
        Number of folds, 2 ≤ k ≤ m.
    seed : int or None, default 0
        Seed of the shuffle; None keeps the original order.
    """
    m = v.check_int_range("m", m, lo=1)
    k = _check_k(k, m)
    order = (
        np.arange(m)
        if seed is None
        else np.random.default_rng(v.check_int_range("seed", seed, lo=0)).permutation(m)
    )
    sizes = np.full(k, m // k)
    sizes[: m % k] += 1
    stops = np.cumsum(sizes)
    folds = []
    for start, stop in zip(stops - sizes, stops, strict=True):
        val = order[start:stop]
        train = np.concatenate([order[:start], order[stop:]])
        folds.append((train, val))
    return folds


def _check_k(k: object, m: int) -> int:
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"k must be an integer number of folds, got {type(k).__name__} {k!r}")
    if not 2 <= k <= m:
        raise ValueError(
            f"k={k} folds is impossible with m={m} examples: k-fold CV needs 2 <= k <= m "
            f"(k=m is leave-one-out); choose k in [2, {m}]"
        )
    return int(k)


def kfold_cv(
    X: np.ndarray,
    y: np.ndarray,
    lams: Sequence[float] | np.ndarray,
    k: int = 5,
    seed: int | None = 0,
    model: str | FitAndError = "ridge",
) -> CVResult:
    """k-fold cross-validation: CV(λ) = (1/k) Σ_f error_f(λ), SE(λ) = sd_f(error_f(λ)) / √k.

    error_f(λ) is the error on fold f of the model trained with λ on the other k−1 folds.

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example (pass scikit-learn's layout as ``X_sk.T``).
    y : array of shape (n_y, m) or (m,)
        Targets or labels.
    lams : array-like of shape (K,)
        λ values ≥ 0.
    k : int, default 5
        Number of folds, 2 ≤ k ≤ m.
    seed : int or None, default 0
        Seed of the shuffle (see :func:`kfold_indices`); the same seed gives the same folds.
    model : "ridge" or callable, default "ridge"
        "ridge": :func:`l2book.ridge.ridge_path` on each training part (one SVD per fold for all
        λ), error = mean squared error on the validation part. A callable
        ``fit_and_error(X_train, y_train, X_val, y_val, lam) -> float`` is called once per fold
        and λ with arrays of shapes (n_x, m_train), (n_y, m_train), (n_x, m_val), (n_y, m_val).

    Returns
    -------
    CVResult
    """
    lams = v.check_lams(lams)
    X = v.as_float_matrix("X", X)
    y = v.check_targets("y", y, X, n_outputs=None)
    folds = kfold_indices(X.shape[1], k, seed)
    if isinstance(model, str):
        v.check_choice("model", model, ("ridge",))
        if y.shape[0] != 1:
            raise ValueError(f"model='ridge' needs one target row, y has shape {y.shape}")
    else:
        _check_callable("model", model, "fit_and_error(X_train, y_train, X_val, y_val, lam) -> float")
    errors = np.empty((len(folds), lams.size))
    for f, (tr, va) in enumerate(folds):
        if isinstance(model, str):
            path = ridge_path(X[:, tr], y[:, tr], lams)
            errors[f] = np.mean((path.predict(X[:, va]) - y[:, va]) ** 2, axis=1)
        else:
            for j, lam in enumerate(lams):
                out = model(X[:, tr], y[:, tr], X[:, va], y[:, va], float(lam))
                errors[f, j] = _as_error("model", out, float(lam))
    mean = errors.mean(axis=0)
    se = errors.std(axis=0, ddof=1) / np.sqrt(len(folds))
    rule = one_standard_error(lams, mean, se)
    return CVResult(
        lams=lams,
        fold_errors=errors,
        mean=mean,
        se=se,
        best_index=rule.best_index,
        best_lam=rule.best_lam,
        one_se_lam=rule.lam,
    )


def one_standard_error(
    lams: Sequence[float] | np.ndarray,
    mean: Sequence[float] | np.ndarray,
    se: Sequence[float] | np.ndarray,
) -> OneStandardError:
    """The one-standard-error rule: the largest λ with mean(λ) ≤ mean(λ_min) + se(λ_min).

    Among models whose error is statistically indistinguishable from the best one, take the most
    regularized (simplest) one (ESL §7.10).

    Parameters
    ----------
    lams : array-like of shape (K,)
        λ values ≥ 0, any order.
    mean : array-like of shape (K,)
        Mean CV error per λ.
    se : array-like of shape (K,)
        Its standard error per λ, ≥ 0.

    Returns
    -------
    OneStandardError
    """
    lams = v.check_lams(lams)
    arrays = {}
    for name, a in (("mean", mean), ("se", se)):
        arr = v.as_float_array(name, a)
        if arr.shape != lams.shape:
            raise ValueError(
                f"{name} has shape {arr.shape} but lams has shape {lams.shape}; pass one {name} value per λ"
            )
        arrays[name] = v.check_finite(name, arr)
    mean, se = arrays["mean"], arrays["se"]
    if (se < 0).any():
        raise ValueError(f"se must be >= 0, got se={se.tolist()!r}")
    best = best_lambda_index(lams, mean)
    threshold = float(mean[best] + se[best])
    within = np.flatnonzero(mean <= threshold)
    chosen = int(within[np.argmax(lams[within])])
    return OneStandardError(
        lam=float(lams[chosen]),
        index=chosen,
        threshold=threshold,
        best_index=best,
        best_lam=float(lams[best]),
    )
