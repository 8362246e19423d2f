"""Input checks shared by the public entry points of l2book.

Every check raises ``ValueError`` (bad value or shape) or ``TypeError`` (wrong kind of object)
with a message that names the argument, shows the offending value or shape, and says how to fix it.

Layout convention checked here: ``X`` has shape ``(n_x, m)`` (one **column** per example) and ``Y``
has shape ``(n_outputs, m)`` (usually ``(1, m)``). Data in scikit-learn's ``(m, n_x)`` layout is
converted with ``X.T``; a target vector ``y`` of shape ``(m,)`` with ``y.reshape(1, -1)``.

Checks return the converted value (a float array, a float or an int) so callers can write
``X = check_matrix("X", X)``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "as_float_array",
    "as_float_matrix",
    "check_binary_labels",
    "check_choice",
    "check_count",
    "check_examples_axis",
    "check_finite",
    "check_finite_params",
    "check_int_range",
    "check_lam",
    "check_lams",
    "check_matrix",
    "check_nonempty",
    "check_nonnegative",
    "check_positive",
    "check_probability",
    "check_targets",
]


def _short(value: Any, limit: int = 60) -> str:
    """repr() of a value, cut to ``limit`` characters so messages stay one line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------------------------
# arrays
# ---------------------------------------------------------------------------------------------


def as_float_array(name: str, A: object) -> np.ndarray:
    """Convert ``A`` to a float64 ndarray; ``TypeError`` if it is not real-numeric."""
    if A is None:
        raise TypeError(f"{name} is None; pass a numeric array")
    if isinstance(A, (str, bytes, Mapping)):
        raise TypeError(f"{name} must be a numeric array, got {type(A).__name__} {_short(A)}")
    arr = np.asarray(A)
    if arr.dtype == bool:
        return arr.astype(float)
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real-valued, got complex dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.number):
        try:
            return np.asarray(arr, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                f"{name} must be a numeric array, got dtype {arr.dtype} "
                f"(e.g. {_short(arr.flat[0] if arr.size else arr)}); convert it with "
                f"np.asarray({name}, dtype=float) after encoding non-numeric values"
            ) from None
    return np.asarray(arr, dtype=float)


def check_nonempty(name: str, A: np.ndarray) -> np.ndarray:
    """Reject arrays with no elements (e.g. shape (2, 0))."""
    if A.size == 0:
        raise ValueError(f"{name} is empty (shape {A.shape}); pass at least one example")
    return A


def check_finite(name: str, A: np.ndarray) -> np.ndarray:
    """Reject NaN and ±inf, reporting how many and where the first one is."""
    finite = np.isfinite(A)
    if not finite.all():
        n_nan = int(np.isnan(A).sum())
        n_inf = int(np.isinf(A).sum())
        first = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise ValueError(
            f"{name} contains {n_nan} NaN and {n_inf} inf value(s) (first at index {first}, "
            f"shape {A.shape}); remove or impute them before calling"
        )
    return A


def as_float_matrix(name: str, A: object) -> np.ndarray:
    """A non-empty, finite, 2-D float array."""
    arr = as_float_array(name, A)
    if arr.ndim != 2:
        hint = (
            f"; for one feature use {name}.reshape(1, -1) (shape (1, m)), "
            f"for one example {name}.reshape(-1, 1)"
            if arr.ndim == 1
            else ""
        )
        raise ValueError(
            f"{name} must be 2-D with shape (n_x, m), one column per example; "
            f"got {arr.ndim}-D shape {arr.shape}{hint}"
        )
    check_nonempty(name, arr)
    return check_finite(name, arr)


def check_matrix(name: str, A: object, n_rows: int | None = None) -> np.ndarray:
    """A finite 2-D float array, with ``n_rows`` rows when given (hinting ``.T`` if transposed)."""
    arr = as_float_matrix(name, A)
    if n_rows is not None and arr.shape[0] != n_rows:
        hint = f"; did you mean {name}.T?" if arr.shape[1] == n_rows else ""
        raise ValueError(
            f"{name} has shape {arr.shape} but (n_x={n_rows}, m) is expected, one column per example{hint}"
        )
    return arr


def check_examples_axis(X: np.ndarray, Y: np.ndarray, x_name: str = "X", y_name: str = "Y") -> None:
    """Check that ``X`` (n_x, m) and ``Y`` (n_y, m) hold the same number m of examples (columns).

    When ``X`` has as many **rows** as ``Y`` has columns, ``X`` is almost surely in scikit-learn's
    ``(m, n_x)`` layout and the message suggests ``X.T``.
    """
    m_x, m_y = X.shape[1], Y.shape[-1]
    if m_x == m_y:
        return
    if X.shape[0] == m_y:
        raise ValueError(
            f"{x_name} has shape {X.shape} but {y_name} has m={m_y} examples; {x_name} looks like "
            f"(m, n_x) with one row per example, the layout here is (n_x, m): "
            f"did you mean {x_name}.T?"
        )
    raise ValueError(
        f"{x_name} has m={m_x} examples (columns, shape {X.shape}) but {y_name} has m={m_y} "
        f"(shape {Y.shape}); pass the same examples to both"
    )


def check_targets(
    name: str, Y: object, X: np.ndarray, n_outputs: int | None = 1, x_name: str = "X"
) -> np.ndarray:
    """Targets as a finite float array of shape ``(n_outputs, m)`` matching ``X`` of shape (n_x, m).

    A 1-D ``Y`` of shape ``(m,)`` is accepted when ``n_outputs`` is 1 (or None) and returned as
    ``(1, m)``. ``n_outputs=None`` accepts any number of rows, but still flags an ``(m, 1)`` column
    as transposed.
    """
    arr = as_float_array(name, Y)
    check_nonempty(name, arr)
    m = X.shape[1]
    if arr.ndim == 1:
        if n_outputs not in (None, 1):
            raise ValueError(
                f"{name} is 1-D with shape {arr.shape} but {n_outputs} outputs are expected; "
                f"pass shape ({n_outputs}, m)"
            )
        arr = arr.reshape(1, -1)
    elif arr.ndim == 2:
        expected = arr.shape[0] if n_outputs is None else n_outputs
        transposed = (
            arr.shape[0] == m and arr.shape[1] == 1 and m != 1
            if n_outputs is None
            else arr.shape[0] != n_outputs and arr.shape[1] == n_outputs
        )
        if transposed:
            shown = "n_y" if n_outputs is None else n_outputs
            raise ValueError(
                f"{name} has shape {arr.shape} but ({shown}, m) is expected, one column "
                f"per example; did you mean {name}.T?"
            )
        if arr.shape[0] != expected:
            raise ValueError(
                f"{name} has shape {arr.shape} but ({n_outputs}, m) is expected "
                f"({n_outputs} output row(s), one column per example)"
            )
    else:
        shown = "n_y" if n_outputs is None else n_outputs
        raise ValueError(f"{name} must have shape ({shown}, m) or (m,), got {arr.ndim}-D shape {arr.shape}")
    check_finite(name, arr)
    check_examples_axis(X, arr, x_name=x_name, y_name=name)
    return arr


def check_binary_labels(name: str, Y: np.ndarray) -> np.ndarray:
    """Labels must be exactly 0 or 1 (binary classification with a sigmoid output)."""
    bad = (Y != 0) & (Y != 1)
    if bad.any():
        found = np.unique(Y)
        shown = ", ".join(f"{x:g}" for x in found[:6]) + (", ..." if found.size > 6 else "")
        raise ValueError(
            f"{name} must contain only the labels 0 and 1, found values {{{shown}}}; "
            f"encode the positive class as 1, "
            f"e.g. {name} = ({name} == positive_class).astype(float)"
        )
    return Y


def check_finite_params(name: str, params: Mapping[str, np.ndarray]) -> None:
    """Every parameter array in a mapping is finite (a NaN means training diverged)."""
    for key, value in params.items():
        arr = np.asarray(value)
        if not np.isfinite(arr).all():
            raise ValueError(
                f"{name}[{key!r}] contains NaN or inf (shape {arr.shape}); training probably "
                f"diverged: lower the learning rate or re-initialise the parameters"
            )


# ---------------------------------------------------------------------------------------------
# scalars
# ---------------------------------------------------------------------------------------------


def _as_real(name: str, value: object, fix: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {_short(value)}")
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise TypeError(f"{name} must be a scalar, got an array of shape {value.shape}; {fix}")
        if not np.issubdtype(value.dtype, np.number) or np.iscomplexobj(value):
            raise TypeError(f"{name} must be a real number, got dtype {value.dtype}")
    return float(value)  # type: ignore[arg-type]


def check_lam(lam: object, name: str = "lam") -> float:
    """λ must be a finite real number ≥ 0 (λ = 0 means no regularization)."""
    value = _as_real(name, lam, "for several λ use a function that takes an array of λ")
    if not np.isfinite(value) or value < 0:
        raise ValueError(
            f"{name} (λ) must be finite and >= 0, got {name}={_short(lam)}; "
            f"use {name}=0 for no regularization and a positive value to shrink weights"
        )
    return value


def check_lams(lams: object, name: str = "lams") -> np.ndarray:
    """A non-empty 1-D array of λ values, each finite and ≥ 0 (a scalar becomes shape (1,))."""
    arr = as_float_array(name, lams)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of λ values, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass at least one λ, e.g. np.logspace(-3, 3, 13)")
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{name}[{i}]={float(arr[i])!r}: every λ must be finite and >= 0; use 0 for no regularization"
        )
    return arr


def check_positive(name: str, value: object) -> float:
    """A finite real number > 0 (learning rate, tolerance, step size)."""
    x = _as_real(name, value, "pass a single number")
    if not np.isfinite(x) or x <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {name}={_short(value)}")
    return x


def check_nonnegative(name: str, value: object) -> float:
    """A finite real number ≥ 0 (noise level, momentum, ...)."""
    x = _as_real(name, value, "pass a single number")
    if not np.isfinite(x) or x < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {name}={_short(value)}")
    return x


def check_probability(name: str, value: object) -> float:
    """A real number in [0, 1] (a fraction, a label-flip probability)."""
    x = _as_real(name, value, "pass a single number")
    if not (0.0 <= x <= 1.0):
        raise ValueError(f"{name} must lie in [0, 1], got {name}={_short(value)}")
    return x


def check_int_range(name: str, value: object, lo: int | None = None, hi: int | None = None) -> int:
    """An integer in ``[lo, hi]`` (either bound may be None for unbounded)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {_short(value)}")
    n = int(value)
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        lo_s = "-inf" if lo is None else str(lo)
        hi_s = "inf" if hi is None else str(hi)
        raise ValueError(f"{name} must be an integer in [{lo_s}, {hi_s}], got {name}={n}")
    return n


def check_count(name: str, value: object) -> int:
    """A positive integer (a number of examples, units, epochs, ...)."""
    return check_int_range(name, value, lo=1)


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """``value`` must be one of ``choices`` (strings)."""
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise ValueError(f"{name} must be one of {listed}; got {name}={_short(value)}")
    return value


def check_bool(name: str, value: object) -> bool:
    """``value`` as a bool; anything but True/False (e.g. 1, "yes") is a TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def predict_linear(w: np.ndarray, b: float, X: object) -> np.ndarray:
    """ŷ = wᵀX + b for ``X`` of shape (n_x, m), checked against ``w``; returns shape (1, m)."""
    X = check_matrix("X", X, n_rows=w.shape[0])
    return (w @ X + b).reshape(1, -1)


def predict_linear_path(coefs: np.ndarray, intercepts: np.ndarray, X: object) -> np.ndarray:
    """Row k is ŵ_kᵀX + b̂_k, for ``coefs`` (K, n_x) and ``X`` (n_x, m); returns shape (K, m)."""
    X = check_matrix("X", X, n_rows=coefs.shape[1])
    return coefs @ X + intercepts[:, None]


def check_keep_prob(value: object, name: str = "keep_prob") -> float:
    """Dropout's keep probability: a real number in (0, 1] (1 means no dropout)."""
    x = _as_real(name, value, "pass a single number")
    if not (0.0 < x <= 1.0):
        raise ValueError(
            f"{name} must lie in (0, 1], got {name}={_short(value)}: it is the probability of "
            "keeping a unit (1 = no dropout; the course's example uses 0.86)"
        )
    return x
