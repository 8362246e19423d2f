"""Tests of l2book.train: the fit loop, its history, early stopping, divergence and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from l2book import GD, SGD, Adam, DivergenceError, History, Momentum, Network, fit


def xor_data(m: int, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m))
    Y = ((X[0] * X[1] + 0.4 * rng.standard_normal(m)) > 0).astype(float)[None]
    return X, Y


@pytest.fixture
def data():
    return xor_data(60, 0)


@pytest.fixture
def dev():
    return xor_data(40, 1)


def test_history_contents(data):
    X, Y = data
    net = Network([2, 6, 1], seed=0)
    h = fit(net, X, Y, lam=0.3, optimizer=GD(0.5), epochs=25, record_every=10)
    assert isinstance(h, History) and h.net is net
    np.testing.assert_array_equal(h.epochs, [0, 10, 20, 25])
    np.testing.assert_array_equal(h.steps, [0, 10, 20, 25])
    assert len(h) == 4 and h.weight_norms.shape == (4, 2)
    np.testing.assert_allclose(h.cost, h.data_loss + h.penalty, rtol=1e-15)
    # the last record describes the returned network
    assert h.cost[-1] == pytest.approx(net.cost(X, Y, 0.3), rel=1e-12)
    assert h.penalty[-1] == pytest.approx(net.penalty(0.3, 60), rel=1e-12)
    assert h.train_error[-1] == pytest.approx(net.error(X, Y), abs=1e-15)
    assert h.train_accuracy[-1] == pytest.approx(net.accuracy(X, Y), abs=1e-15)
    np.testing.assert_allclose(h.weight_norms[-1], net.weight_norms(), rtol=1e-13)
    assert h.dev_error is None and h.best_epoch is None and h.stopped_epoch is None
    assert h.lam == 0.3 and h.optimizer == "GD(lr=0.5)" and h.seed == 0
    assert h.metric == "classification error"
    assert h.cost[-1] < h.cost[0]  # training lowers the cost
    with pytest.raises(ValueError, match=r"no dev set was recorded"):
        _ = h.dev_accuracy
    with pytest.raises(ValueError):
        h.cost[0] = 0.0  # a history is read-only


def test_first_record_is_the_initial_network(data):
    X, Y = data
    net = Network([2, 4, 1], seed=3)
    initial_cost = net.cost(X, Y, 1.0)
    h = fit(net, X, Y, lam=1.0, epochs=3)
    assert h.cost[0] == pytest.approx(initial_cost, rel=1e-13)


def test_steps_count_minibatches(data):
    X, Y = data
    h = fit(Network([2, 4, 1]), X, Y, optimizer=SGD(0.1, batch_size=25), epochs=4, record_every=2)
    np.testing.assert_array_equal(h.steps, [0, 6, 12])  # ⌈60/25⌉ = 3 steps per epoch


def test_identity_output_records_mean_squared_error():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 50))
    Y = (X.sum(axis=0) + 0.1 * rng.standard_normal(50))[None]
    net = Network([3, 1], output="identity")
    h = fit(net, X, Y, lam=0.1, optimizer=GD(0.1), epochs=200, record_every=50)
    assert h.metric == "mean squared error"
    assert h.train_error[-1] == pytest.approx(net.error(X, Y))
    assert h.data_loss[-1] == pytest.approx(h.train_error[-1] / 2)  # L = ½(ŷ − y)²
    with pytest.raises(ValueError, match=r"accuracy is defined for a sigmoid output"):
        _ = h.train_accuracy


def test_larger_lambda_gives_smaller_weights(data):
    X, Y = data
    norms = [
        fit(Network([2, 8, 1], seed=0), X, Y, lam=lam, optimizer=GD(0.5), epochs=300).weight_norms[-1]
        for lam in (0.0, 1.0, 10.0)
    ]
    assert norms[0].sum() > norms[1].sum() > norms[2].sum()


def test_string_optimizer(data):
    X, Y = data
    h = fit(Network([2, 3, 1]), X, Y, optimizer="adam", epochs=2)
    assert h.optimizer.startswith("Adam(lr=0.001")


# ---------------------------------------------------------------------------------------------
# determinism
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("opt", [SGD(0.1, batch_size=16), Momentum(0.1, batch_size=10)], ids=repr)
def test_same_seed_same_history_different_seed_different(data, opt):
    X, Y = data

    def run(seed):
        return fit(Network([2, 5, 1], seed=0), X, Y, lam=0.1, optimizer=opt, epochs=10, seed=seed)

    a, b, c = run(0), run(0), run(1)
    for name in ("cost", "data_loss", "penalty", "train_error", "weight_norms"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.cost, c.cost)
    # the optimizer's own seed also changes the order of the minibatches
    d = fit(Network([2, 5, 1], seed=0), X, Y, lam=0.1,
            optimizer=SGD(0.1, batch_size=16, seed=5), epochs=10, seed=0)
    assert not np.array_equal(a.cost, d.cost)


def test_full_batch_does_not_depend_on_seed(data):
    X, Y = data
    a = fit(Network([2, 5, 1]), X, Y, optimizer=GD(0.3), epochs=10, seed=0)
    b = fit(Network([2, 5, 1]), X, Y, optimizer=GD(0.3), epochs=10, seed=9)
    np.testing.assert_array_equal(a.cost, b.cost)


# ---------------------------------------------------------------------------------------------
# dev set and early stopping
# ---------------------------------------------------------------------------------------------


def test_dev_error_recorded(data, dev):
    X, Y = data
    net = Network([2, 5, 1])
    h = fit(net, X, Y, epochs=5, X_dev=dev[0], Y_dev=dev[1])
    assert h.dev_error.shape == (6,)
    assert h.dev_error[-1] == pytest.approx(net.error(*dev))
    assert h.dev_accuracy[-1] == pytest.approx(net.accuracy(*dev))


def test_early_stopping_restores_the_best_parameters(data, dev):
    X, Y = data
    net = Network([2, 30, 1], seed=0)
    patience = 3
    h = fit(net, X, Y, optimizer=Adam(0.05), epochs=400, X_dev=dev[0], Y_dev=dev[1],
            record_every=2, early_stopping=patience)
    assert h.stopped_epoch is not None and h.stopped_epoch < 400
    best = int(np.argmin(h.dev_error))  # the first minimum: ties keep the earliest
    assert h.best_epoch == h.epochs[best]
    assert h.epochs[-1] == h.stopped_epoch == h.best_epoch + 2 * patience
    assert np.all(h.dev_error[best + 1:] >= h.dev_error[best])
    # the network holds the parameters of the best epoch: same dev error and weight norms
    assert net.error(*dev) == pytest.approx(h.dev_error[best])
    np.testing.assert_allclose(net.weight_norms(), h.weight_norms[best], rtol=1e-12)
    assert net.cost(X, Y) == pytest.approx(h.cost[best], rel=1e-12)


def test_early_stopping_without_running_out_of_patience_still_restores(data, dev):
    X, Y = data
    net = Network([2, 5, 1], seed=0)
    h = fit(net, X, Y, optimizer=GD(0.5), epochs=20, X_dev=dev[0], Y_dev=dev[1], early_stopping=1000)
    assert h.stopped_epoch is None and h.epochs[-1] == 20
    best = int(np.argmin(h.dev_error))
    assert h.best_epoch == best
    np.testing.assert_allclose(net.weight_norms(), h.weight_norms[best], rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# divergence
# ---------------------------------------------------------------------------------------------


def test_divergence_raises_with_epoch_and_advice():
    rng = np.random.default_rng(0)
    X = 10 * rng.standard_normal((2, 40))
    Y = X.sum(axis=0, keepdims=True)
    with pytest.raises(DivergenceError, match=r"training diverged in epoch \d+ \(after step \d+\): "
                                              r"the (cost|weights) (became NaN or inf|grew from \S+ to \S+)"
                                              r".*GD\(lr=5\).*"
                                              r"use a smaller learning rate, e.g. lr=0.5"):
        fit(Network([2, 8, 1], output="identity"), X, Y, optimizer=GD(5.0), epochs=500)


def test_divergence_detected_between_records():
    rng = np.random.default_rng(0)
    X = 10 * rng.standard_normal((2, 40))
    Y = X.sum(axis=0, keepdims=True)
    with pytest.raises(DivergenceError, match=r"the weights became NaN or inf"):
        fit(Network([2, 8, 1], output="identity"), X, Y, optimizer=GD(5.0), epochs=5000,
            record_every=5000)


def test_divergence_between_records_names_the_epoch_it_started_in():
    # The run notices a divergence only at a record (here the last, epoch 5000): the error must
    # still name the epoch whose step overflowed, found here by stepping by hand.
    rng = np.random.default_rng(0)
    X = 10 * rng.standard_normal((2, 40))
    Y = X.sum(axis=0, keepdims=True)
    net = Network([2, 8, 1], output="identity")
    by_hand = net.copy()
    with np.errstate(over="raise", invalid="raise"), pytest.raises(FloatingPointError):
        for epoch in range(1, 5001):  # noqa: B007 (read after the loop)
            for key, grad in by_hand.gradients(X, Y).items():
                by_hand.params[key] -= 5.0 * grad
    assert epoch > 1  # the replay that names it starts over from the start, not where it noticed
    with pytest.raises(DivergenceError, match=rf"diverged in epoch {epoch} \("):
        fit(net, X, Y, optimizer=GD(5.0), epochs=5000, record_every=5000)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"X": "transposed"}, ValueError, r"X has shape \(60, 2\) .*did you mean X\.T\?"),
        ({"X": "short"}, ValueError, r"X has m=59 examples .* but Y has m=60"),
        ({"X": "nan"}, ValueError, r"X contains 2 NaN and 0 inf value\(s\) \(first at index \(0, 7\)"),
        ({"Y": "inf"}, ValueError, r"Y contains 0 NaN and 1 inf"),
        ({"Y": "labels"}, ValueError, r"Y must contain only the labels 0 and 1, found values \{0, 3\}"),
        ({"X": "empty"}, ValueError, r"X is empty"),
        ({"X": "three features"}, ValueError, r"X has shape \(3, 60\) but \(n_x=2, m\) is expected"),
        ({"lam": -1.0}, ValueError, r"lam \(λ\) must be finite and >= 0, got lam=-1.0"),
        ({"lam": np.inf}, ValueError, r"lam \(λ\) must be finite and >= 0, got lam=inf"),
        ({"optimizer": "rmsprop"}, ValueError, r"unknown optimizer 'rmsprop'; choose one of 'gd', "),
        ({"epochs": 0}, ValueError, r"epochs must be an integer in \[1, inf\], got epochs=0"),
        ({"epochs": 2.0}, TypeError, r"epochs must be an integer, got float"),
        ({"record_every": 0}, ValueError, r"record_every must be an integer in \[1, inf\]"),
        ({"seed": -3}, ValueError, r"seed must be an integer in \[0, inf\], got seed=-3"),
        ({"X_dev": "only"}, ValueError, r"X_dev was given without Y_dev; pass both or neither"),
        ({"Y_dev": "only"}, ValueError, r"Y_dev was given without X_dev; pass both or neither"),
        ({"X_dev": "transposed"}, ValueError, r"X_dev has shape \(40, 2\).*did you mean X_dev\.T\?"),
        ({"Y_dev": "labels"}, ValueError, r"Y_dev must contain only the labels 0 and 1"),
        ({"early_stopping": 5}, ValueError, r"early_stopping=5 watches the dev error, but no dev set"),
        ({"early_stopping": 0, "X_dev": "ok"}, ValueError, r"early_stopping must be an integer in \[1"),
    ],
)
def test_fit_rejects_bad_input(data, dev, change, error, match):
    X, Y = data
    kwargs = {"lam": 0.0, "optimizer": GD(0.1), "epochs": 2}
    X_dev, Y_dev = dev
    for key, value in change.items():
        if key == "X":
            X = {
                "transposed": X.T,
                "short": X[:, :59],
                "nan": np.where(np.arange(60) == 7, np.nan, X),
                "empty": np.zeros((2, 0)),
                "three features": np.vstack([X, X[:1]]),
            }[value]
        elif key == "Y":
            Y = {"inf": np.where(np.arange(60) == 2, np.inf, Y), "labels": 3 * Y}[value]
        elif key == "X_dev":
            kwargs["X_dev"] = X_dev.T if value == "transposed" else X_dev
            if value == "ok" or value == "transposed":
                kwargs["Y_dev"] = Y_dev
        elif key == "Y_dev":
            kwargs["Y_dev"] = 2 * Y_dev if value == "labels" else Y_dev
            if value == "labels":
                kwargs["X_dev"] = X_dev
        else:
            kwargs[key] = value
    with pytest.raises(error, match=match):
        fit(Network([2, 3, 1]), X, Y, **kwargs)


def test_fit_rejects_bad_network(data):
    X, Y = data
    with pytest.raises(TypeError, match=r"net must be an l2book.Network, got dict"):
        fit({"W1": np.zeros((1, 2))}, X, Y)
    net = Network([2, 3, 1])
    net.params["b1"][0, 0] = np.inf
    with pytest.raises(ValueError, match=r"net.params\['b1'\] contains NaN or inf"):
        fit(net, X, Y)
    net = Network([2, 3, 1])
    net.params["W2"] = np.zeros((1, 4))
    with pytest.raises(ValueError, match=r"net.params\['W2'\] must be a float array of shape \(1, 3\)"):
        fit(net, X, Y)


def test_a_cost_grown_by_orders_of_magnitude_is_divergence_too():
    # cross-entropy from logits stays finite: without this check, lr=1e8 returned an absurd history
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 100))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    with pytest.raises(DivergenceError, match=r"diverged in epoch 1 \(after step 1\): the cost grew from "
                                              r"0\.\d+ to [0-9.]+e\+\d+\. .*GD\(lr=1e\+08\).*lr=1e\+07"):
        fit(Network([2, 8, 1]), X, Y, lam=0.0, optimizer=GD(1e8), epochs=50)
    history = fit(Network([2, 8, 1]), X, Y, lam=0.0, optimizer=GD(1.0), epochs=50)
    assert history.cost[-1] < history.cost[0]  # an ordinary run is not flagged
