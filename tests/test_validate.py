from __future__ import annotations

import re

import numpy as np
import pytest

from l2book import _validate as v


def test_as_float_array_converts_ints_and_bools():
    assert v.as_float_array("X", [[1, 2]]).dtype == np.float64
    np.testing.assert_array_equal(v.as_float_array("Y", np.array([True, False])), [1.0, 0.0])


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        (None, r"X is None; pass a numeric array"),
        ("abc", r"X must be a numeric array, got str"),
        ({"a": 1}, r"X must be a numeric array, got dict"),
        (np.array([1 + 2j]), r"X must be real-valued, got complex dtype"),
        (np.array(["a", "b"]), r"X must be a numeric array, got dtype <U1 .*np.asarray\(X"),
    ],
)
def test_as_float_array_rejects_non_numeric(value, pattern):
    with pytest.raises(TypeError, match=pattern):
        v.as_float_array("X", value)


def test_check_finite_reports_count_and_position():
    A = np.array([[1.0, np.nan], [np.inf, 2.0]])
    with pytest.raises(
        ValueError, match=re.escape("A contains 1 NaN and 1 inf value(s) (first at index (0, 1)")
    ):
        v.check_finite("A", A)


def test_check_nonempty():
    with pytest.raises(ValueError, match=r"X is empty \(shape \(2, 0\)\); pass at least one"):
        v.check_nonempty("X", np.zeros((2, 0)))


def test_as_float_matrix_wants_2d_and_hints_reshape():
    with pytest.raises(ValueError, match=r"X must be 2-D .* got 1-D shape \(3,\).*reshape\(1, -1\)"):
        v.as_float_matrix("X", [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"got 3-D shape \(1, 1, 1\)"):
        v.as_float_matrix("X", np.zeros((1, 1, 1)))
    with pytest.raises(ValueError, match=r"X is empty"):
        v.as_float_matrix("X", np.zeros((0, 3)))
    with pytest.raises(ValueError, match=r"X contains 1 NaN"):
        v.as_float_matrix("X", [[np.nan]])


def test_check_matrix_rows_and_transpose_hint():
    assert v.check_matrix("X", np.zeros((2, 5)), n_rows=2).shape == (2, 5)
    with pytest.raises(ValueError, match=re.escape("X has shape (5, 2) but (n_x=2, m) is expected")) as info:
        v.check_matrix("X", np.zeros((5, 2)), n_rows=2)
    assert "did you mean X.T?" in str(info.value)
    with pytest.raises(ValueError, match=r"\(n_x=2, m\) is expected, one column per example$"):
        v.check_matrix("X", np.zeros((3, 4)), n_rows=2)


def test_check_examples_axis_detects_sklearn_layout():
    X_sk = np.zeros((10, 3))  # (m, n_x)
    Y = np.zeros((1, 10))
    with pytest.raises(ValueError, match=r"X has shape \(10, 3\) .* did you mean X\.T\?"):
        v.check_examples_axis(X_sk, Y)
    with pytest.raises(ValueError, match=r"X has m=4 examples .* but Y has m=10"):
        v.check_examples_axis(np.zeros((3, 4)), Y)
    v.check_examples_axis(np.zeros((3, 10)), Y)


def test_check_targets_shapes():
    X = np.zeros((3, 4))
    assert v.check_targets("y", np.arange(4.0), X).shape == (1, 4)
    assert v.check_targets("Y", np.zeros((2, 4)), X, n_outputs=None).shape == (2, 4)
    with pytest.raises(ValueError, match=r"y has shape \(4, 1\) .* did you mean y\.T\?"):
        v.check_targets("y", np.zeros((4, 1)), X)
    with pytest.raises(ValueError, match=r"y has shape \(4, 1\) .* did you mean y\.T\?"):
        v.check_targets("y", np.zeros((4, 1)), X, n_outputs=None)
    with pytest.raises(ValueError, match=r"y is 1-D with shape \(4,\) but 2 outputs"):
        v.check_targets("y", np.zeros(4), X, n_outputs=2)
    with pytest.raises(ValueError, match=r"y has shape \(3, 4\) but \(1, m\) is expected"):
        v.check_targets("y", np.zeros((3, 4)), X)
    with pytest.raises(ValueError, match=r"y must have shape \(1, m\) or \(m,\), got 3-D"):
        v.check_targets("y", np.zeros((1, 1, 4)), X)
    with pytest.raises(ValueError, match=r"y contains 1 NaN"):
        v.check_targets("y", [np.nan, 0, 0, 0], X)
    with pytest.raises(ValueError, match=r"X has m=4 examples .* but y has m=5"):
        v.check_targets("y", np.zeros(5), X)
    with pytest.raises(ValueError, match=r"y is empty"):
        v.check_targets("y", [], X)


def test_check_binary_labels():
    v.check_binary_labels("Y", np.array([[0.0, 1.0, 1.0]]))
    with pytest.raises(ValueError, match=r"Y must contain only the labels 0 and 1, found values \{-1, 1\}"):
        v.check_binary_labels("Y", np.array([[-1.0, 1.0]]))
    with pytest.raises(ValueError, match=r"found values \{0, 1, 2, 3, 4, 5, \.\.\.\}"):
        v.check_binary_labels("Y", np.arange(8.0))


def test_check_finite_params():
    v.check_finite_params("params", {"W1": np.ones((2, 2))})
    with pytest.raises(ValueError, match=r"params\['W1'\] contains NaN or inf .* lower the learning"):
        v.check_finite_params("params", {"W1": np.array([[np.nan]])})


def test_check_lam():
    assert v.check_lam(0) == 0.0
    assert v.check_lam(np.float32(0.5)) == 0.5
    assert v.check_lam(np.array(2.0)) == 2.0
    for bad in (-0.1, np.inf, np.nan):
        with pytest.raises(ValueError, match=r"lam \(λ\) must be finite and >= 0, got lam="):
            v.check_lam(bad)
    with pytest.raises(TypeError, match=r"lam must be a real number, got str '1'"):
        v.check_lam("1")
    with pytest.raises(TypeError, match=r"lam must be a real number, got bool"):
        v.check_lam(True)
    with pytest.raises(TypeError, match=r"lam must be a scalar, got an array of shape \(2,\)"):
        v.check_lam(np.array([1.0, 2.0]))


def test_check_lams():
    np.testing.assert_array_equal(v.check_lams(3), [3.0])
    np.testing.assert_array_equal(v.check_lams([0, 1]), [0.0, 1.0])
    with pytest.raises(ValueError, match=r"lams is empty; pass at least one λ"):
        v.check_lams([])
    with pytest.raises(ValueError, match=r"lams\[1\]=-2\.0: every λ must be finite and >= 0"):
        v.check_lams([1, -2])
    with pytest.raises(ValueError, match=r"lams\[0\]=nan"):
        v.check_lams([np.nan])
    with pytest.raises(ValueError, match=r"lams must be a 1-D sequence of λ values, got shape"):
        v.check_lams(np.zeros((2, 2)))


def test_scalar_checks():
    assert v.check_positive("learning_rate", 0.1) == 0.1
    for bad in (0, -1, np.inf):
        with pytest.raises(ValueError, match=r"learning_rate must be finite and > 0, got learning_rate="):
            v.check_positive("learning_rate", bad)
    assert v.check_nonnegative("noise", 0) == 0.0
    with pytest.raises(ValueError, match=r"noise must be finite and >= 0, got noise=-1"):
        v.check_nonnegative("noise", -1)
    assert v.check_probability("flip", 1) == 1.0
    with pytest.raises(ValueError, match=r"flip must lie in \[0, 1\], got flip=1.5"):
        v.check_probability("flip", 1.5)


def test_check_int_range_and_count():
    assert v.check_int_range("k", np.int64(3), 2, 5) == 3
    with pytest.raises(ValueError, match=r"k must be an integer in \[2, 5\], got k=6"):
        v.check_int_range("k", 6, 2, 5)
    with pytest.raises(ValueError, match=r"k must be an integer in \[-inf, 1\], got k=2"):
        v.check_int_range("k", 2, hi=1)
    with pytest.raises(TypeError, match=r"k must be an integer, got float 2\.0"):
        v.check_int_range("k", 2.0)
    with pytest.raises(TypeError, match=r"k must be an integer, got bool"):
        v.check_int_range("k", True)
    assert v.check_count("m", 1) == 1
    with pytest.raises(ValueError, match=r"m must be an integer in \[1, inf\], got m=0"):
        v.check_count("m", 0)


def test_check_choice():
    assert v.check_choice("hidden", "relu", ("relu", "tanh")) == "relu"
    with pytest.raises(ValueError, match=r"hidden must be one of 'relu', 'tanh'; got hidden='ReLU'"):
        v.check_choice("hidden", "ReLU", ("relu", "tanh"))
