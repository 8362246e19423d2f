"""Tests of l2book.sweep: K λ in one vectorized run equal K separate fits."""

from __future__ import annotations

import numpy as np
import pytest

from l2book import (
    GD,
    SGD,
    Adam,
    AdamW,
    DivergenceError,
    Momentum,
    Network,
    SweepResult,
    fit,
    sweep_lambda,
)

RTOL = 1e-10
FIELDS = ("cost", "data_loss", "penalty", "train_error", "dev_error", "weight_norms")


def xor_data(m: int, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m))
    Y = ((X[0] * X[1] + 0.4 * rng.standard_normal(m)) > 0).astype(float)[None]
    return X, Y


def assert_close(a, b, what):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, what
    scale = np.maximum(np.abs(a), np.abs(b))
    worst = np.max(np.abs(a - b) / np.where(scale > 0, scale, 1.0)) if a.size else 0.0
    assert worst <= RTOL, f"{what}: relative difference {worst:.2e}"


def assert_sweep_equals_fits(result, layer_sizes, X, Y, lams, **kwargs):
    hidden = kwargs.pop("hidden", "relu")
    output = kwargs.pop("output", "sigmoid")
    seed = kwargs.get("seed", 0)
    for k, lam in enumerate(lams):
        net = Network(layer_sizes, hidden=hidden, output=output, seed=seed)
        h = fit(net, X, Y, lam=lam, **kwargs)
        hk = result.history(k)
        np.testing.assert_array_equal(h.epochs, hk.epochs)
        np.testing.assert_array_equal(h.steps, hk.steps)
        for field in FIELDS:
            if getattr(h, field) is None:
                assert getattr(hk, field) is None
            else:
                assert_close(getattr(h, field), getattr(hk, field), f"lams[{k}] {field}")
        assert (h.best_epoch, h.stopped_epoch) == (hk.best_epoch, hk.stopped_epoch)
        assert hk.lam == lam and hk.optimizer == h.optimizer
        other = result.network(k)
        for key in net.params:
            assert_close(net.params[key], other.params[key], f"lams[{k}] {key}")
            assert_close(net.params[key], result.params[key][k], f"lams[{k}] {key}")
        assert_close(net.error(X, Y), result.train_error[k], f"lams[{k}] train error")


LAMS = [0.0, 0.3, 3.0, 30.0]


@pytest.mark.parametrize(
    "opt",
    [GD(0.5), SGD(0.1, batch_size=16), Momentum(0.2, batch_size=20), Adam(0.02),
     AdamW(0.02, weight_decay=0.05, batch_size=25)],
    ids=repr,
)
def test_sweep_equals_separate_fits(opt):
    X, Y = xor_data(50, 0)
    result = sweep_lambda([2, 6, 3, 1], X, Y, LAMS, optimizer=opt, epochs=30, seed=2, record_every=4)
    assert isinstance(result, SweepResult) and len(result) == 4
    assert_sweep_equals_fits(result, [2, 6, 3, 1], X, Y, LAMS, optimizer=opt, epochs=30, seed=2,
                             record_every=4)


def test_sweep_with_dev_set_and_early_stopping_equals_fits():
    X, Y = xor_data(60, 0)
    X_dev, Y_dev = xor_data(40, 1)
    lams = [0.0, 1.0, 10.0, 100.0]
    kwargs = dict(optimizer=Adam(0.05), epochs=150, seed=0, X_dev=X_dev, Y_dev=Y_dev, early_stopping=4,
                  hidden="tanh")
    result = sweep_lambda([2, 20, 1], X, Y, lams, **kwargs)
    stopped = [result.history(k).stopped_epoch for k in range(4)]
    assert any(s is not None for s in stopped)
    assert len({len(result.history(k)) for k in range(4)}) > 1  # each network stopped on its own
    assert_sweep_equals_fits(result, [2, 20, 1], X, Y, lams, **kwargs)
    for k in range(4):
        assert result.dev_error[k] == pytest.approx(result.network(k).error(X_dev, Y_dev))


def test_sweep_regression_equals_fits():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 40))
    Y = (X[0] - 2 * X[2] + 0.1 * rng.standard_normal(40))[None]
    kwargs = dict(optimizer=GD(0.05), epochs=40, hidden="sigmoid", output="identity", seed=1)
    result = sweep_lambda([3, 5, 1], X, Y, [0.0, 2.0, 20.0], **kwargs)
    assert result.history(0).metric == "mean squared error"
    assert_sweep_equals_fits(result, [3, 5, 1], X, Y, [0.0, 2.0, 20.0], **kwargs)


def test_larger_lambda_smaller_weights_and_shapes():
    X, Y = xor_data(80, 0)
    lams = np.logspace(-1, 2, 5)
    result = sweep_lambda([2, 10, 1], X, Y, lams, optimizer=GD(0.5), epochs=200, record_every=50)
    assert result.weight_norms.shape == (5, 2)
    total = result.weight_norms.sum(axis=1)
    assert np.all(np.diff(total) < 0)
    assert result.params["W1"].shape == (5, 10, 2)
    assert result.history(-1) is result.histories[4]
    assert result.dev_error is None
    with pytest.raises(ValueError):
        result.params["W1"][0, 0, 0] = 1.0  # the result is read-only
    user_lams = np.array([0.0, 1.0])
    sweep_lambda([2, 1], X, Y, user_lams, epochs=1)
    user_lams[0] = 5.0  # the caller's array stays writable


def test_sweep_divergence_names_lambda():
    X, Y = xor_data(40, 0)
    with pytest.raises(DivergenceError, match=r"diverged in epoch \d+ .* for lam=10000\. .*smaller "
                       r"learning rate.*1 − lr·lam/m = -249 is below −1.*below 2m/lam = 0.008"):
        sweep_lambda([2, 3, 1], X, Y, [0.0, 1e4], optimizer=GD(1.0), epochs=300)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lams": [0.1, -1.0]}, ValueError, r"lams\[1\]=-1.0: every λ must be finite and >= 0"),
        ({"lams": [0.1, np.nan]}, ValueError, r"lams\[1\]=nan: every λ must be finite"),
        ({"lams": []}, ValueError, r"lams is empty; pass at least one λ"),
        ({"lams": [[0.1, 1.0]]}, ValueError, r"lams must be a 1-D sequence of λ values, got shape \(1, 2\)"),
        ({"X": "transposed"}, ValueError, r"X has shape \(30, 2\) .*did you mean X\.T\?"),
        ({"layer_sizes": [3, 4, 1]}, ValueError, r"X has shape \(2, 30\) but \(n_x=3, m\) is expected"),
        ({"layer_sizes": [2, 4, 2]}, ValueError, r"sigmoid output .* needs 1 output unit"),
        ({"hidden": "gelu"}, ValueError, r"hidden must be one of 'relu', 'tanh', 'sigmoid'"),
        ({"init": "orthogonal"}, ValueError, r"init must be one of 'he', 'xavier'"),
        ({"optimizer": "lbfgs"}, ValueError, r"unknown optimizer 'lbfgs'; choose one of"),
        ({"Y": "labels"}, ValueError, r"Y must contain only the labels 0 and 1"),
        ({"Y": "short"}, ValueError, r"X has m=30 examples .* but Y has m=29"),
        ({"epochs": -1}, ValueError, r"epochs must be an integer in \[1, inf\]"),
        ({"early_stopping": 3}, ValueError, r"early_stopping=3 watches the dev error"),
    ],
)
def test_sweep_rejects_bad_input(kwargs, error, match):
    X, Y = xor_data(30, 0)
    args = {"layer_sizes": [2, 4, 1], "X": X, "Y": Y, "lams": [0.0, 1.0], "epochs": 2}
    for key, value in kwargs.items():
        if key == "X":
            args["X"] = X.T
        elif key == "Y":
            args["Y"] = 2 * Y if value == "labels" else Y[:, :29]
        else:
            args[key] = value
    with pytest.raises(error, match=match):
        sweep_lambda(**args)


def test_result_index_checked():
    X, Y = xor_data(30, 0)
    result = sweep_lambda([2, 1], X, Y, [0.0, 1.0], epochs=1)
    with pytest.raises(ValueError, match=r"k must be an integer in \[-2, 1\], got k=2"):
        result.network(2)
    with pytest.raises(TypeError, match=r"k must be an integer, got float"):
        result.history(0.5)
