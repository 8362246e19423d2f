"""Tests of l2book.network: cost, penalty, gradients, stacks, and input validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l2book import Network, cross_entropy, l2_penalty, regularized_cost
from l2book.network import backward, data_loss_from_logits, forward, penalty, sigmoid


def make_data(n_x: int = 2, m: int = 12, seed: int = 0, output: str = "sigmoid"):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    if output == "sigmoid":
        Y = (rng.random((1, m)) < 0.5).astype(float)
    else:
        Y = rng.standard_normal((1, m))
    return X, Y


# ---------------------------------------------------------------------------------------------
# the penalty
# ---------------------------------------------------------------------------------------------


def test_penalty_is_lambda_over_2m_sum_of_traces():
    net = Network([3, 5, 4, 1], hidden="tanh", seed=3)
    lam, m = 0.7, 25
    expected = lam / (2 * m) * sum(np.trace(W.T @ W) for W in net.W)
    assert net.penalty(lam, m) == pytest.approx(expected, rel=1e-14)
    assert l2_penalty(net.W, lam, m) == pytest.approx(expected, rel=1e-14)
    # by hand, element by element: ‖W‖_F² = Σ_i Σ_j W_ij²
    by_hand = sum(W[i, j] ** 2 for W in net.W for i in range(W.shape[0]) for j in range(W.shape[1]))
    assert net.penalty(lam, m) == pytest.approx(lam / (2 * m) * by_hand, rel=1e-13)


def test_penalty_ignores_biases():
    X, Y = make_data(m=20)
    net = Network([2, 4, 1], seed=1)
    before_penalty = net.penalty(0.5, 20)
    before_gap = net.cost(X, Y, 0.5) - net.data_loss(X, Y)
    for b in net.b:
        b += np.random.default_rng(7).standard_normal(b.shape) * 10
    assert net.penalty(0.5, 20) == before_penalty
    assert net.cost(X, Y, 0.5) - net.data_loss(X, Y) == pytest.approx(before_gap, rel=1e-12)


def test_cost_is_data_loss_plus_penalty_and_matches_cross_entropy():
    X, Y = make_data(m=30)
    net = Network([2, 6, 1], seed=2)
    Y_hat = net.predict_proba(X)
    data = cross_entropy(Y_hat, Y)
    assert net.data_loss(X, Y) == pytest.approx(data, rel=1e-12)
    Z, _ = forward(net.params, X, net.hidden, net.output)
    assert cross_entropy(Z, Y, from_logits=True) == pytest.approx(data, rel=1e-12)
    assert net.cost(X, Y, 2.0) == pytest.approx(data + net.penalty(2.0, 30), rel=1e-14)
    assert regularized_cost(net, X, Y, 2.0) == net.cost(X, Y, 2.0)


def test_squared_loss_for_identity_output():
    X, Y = make_data(m=15, output="identity")
    net = Network([2, 3, 1], hidden="tanh", output="identity", seed=0)
    Y_hat = net.predict(X)
    assert net.data_loss(X, Y) == pytest.approx(0.5 * np.mean((Y_hat - Y) ** 2), rel=1e-13)
    assert net.error(X, Y) == pytest.approx(np.mean((Y_hat - Y) ** 2), rel=1e-13)


def test_sigmoid_is_stable_and_exact_at_extremes():
    Z = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is fine
        s = sigmoid(Z)
    assert s[0, 0] == 0.0 and s[0, -1] == 1.0 and s[0, 2] == 0.5
    assert s[0, 1] == pytest.approx(np.exp(-30.0) / (1 + np.exp(-30.0)), rel=1e-15)
    # the stable cross-entropy never takes log(0)
    loss = data_loss_from_logits(np.array([[1000.0]]), np.array([[0.0]]), "sigmoid")
    assert loss == pytest.approx(1000.0)


def test_predict_and_accuracy():
    X, Y = make_data(m=40)
    net = Network([2, 5, 1], seed=4)
    labels = net.predict(X)
    assert set(np.unique(labels)) <= {0, 1}
    assert net.accuracy(X, Y) == pytest.approx(np.mean(labels == Y))
    assert net.error(X, Y) == pytest.approx(1 - net.accuracy(X, Y))


def test_initialisation_is_seeded_and_scaled():
    a, b, c = Network([50, 40, 1], seed=0), Network([50, 40, 1], seed=0), Network([50, 40, 1], seed=1)
    assert np.array_equal(a.params["W1"], b.params["W1"])
    assert not np.array_equal(a.params["W1"], c.params["W1"])
    assert np.std(a.params["W1"]) == pytest.approx(np.sqrt(2 / 50), rel=0.1)  # He for relu
    xavier = Network([50, 40, 1], hidden="tanh", seed=0)
    assert np.std(xavier.params["W1"]) == pytest.approx(np.sqrt(1 / 50), rel=0.1)
    assert all(np.all(bias == 0) for bias in a.b)


def test_copy_and_from_params_are_independent():
    net = Network([2, 3, 1], seed=0)
    twin = net.copy()
    twin.params["W1"] += 1
    assert not np.array_equal(net.params["W1"], twin.params["W1"])
    rebuilt = Network.from_params(net.params, net.hidden, net.output)
    assert rebuilt.layer_sizes == (2, 3, 1)
    assert all(np.array_equal(net.params[k], rebuilt.params[k]) for k in net.params)


# ---------------------------------------------------------------------------------------------
# gradients
# ---------------------------------------------------------------------------------------------


def test_gradient_of_penalty_is_lambda_over_m_times_w():
    X, Y = make_data(m=17)
    net = Network([2, 4, 3, 1], hidden="tanh", seed=5)
    g0, g = net.gradients(X, Y, 0.0), net.gradients(X, Y, 3.0)
    for l in range(1, 4):
        np.testing.assert_allclose(g[f"W{l}"] - g0[f"W{l}"], 3.0 / 17 * net.params[f"W{l}"],
                                   rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(g[f"b{l}"], g0[f"b{l}"])


@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("output", ["sigmoid", "identity"])
def test_stacked_forward_backward_equal_each_slice(hidden, output):
    X, Y = make_data(m=11, output=output)
    K = 3
    lams = np.array([0.0, 0.5, 4.0])
    nets = [Network([2, 5, 3, 1], hidden=hidden, output=output, seed=k) for k in range(K)]
    stack = {key: np.stack([n.params[key] for n in nets]) for key in nets[0].params}
    Z, cache = forward(stack, X, hidden, output)
    grads = backward(stack, cache, Y, lams, hidden)
    data = data_loss_from_logits(Z, Y, output)
    pen = penalty(stack, lams, 11)
    assert Z.shape == (K, 1, 11) and data.shape == (K,) and pen.shape == (K,)
    for k, net in enumerate(nets):
        single = net.gradients(X, Y, lams[k])
        for key in single:
            np.testing.assert_allclose(grads[key][k], single[key], rtol=1e-12, atol=1e-15)
        assert data[k] + pen[k] == pytest.approx(net.cost(X, Y, lams[k]), rel=1e-12)


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------

small_floats = st.floats(-3, 3, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def networks(draw):
    sizes = [draw(st.integers(1, 3))] + draw(st.lists(st.integers(1, 4), max_size=2)) + [1]
    net = Network(sizes, hidden=draw(st.sampled_from(["relu", "tanh", "sigmoid"])),
                  seed=draw(st.integers(0, 1000)))
    for key in net.params:
        shape = net.params[key].shape
        values = draw(st.lists(small_floats, min_size=int(np.prod(shape)),
                               max_size=int(np.prod(shape))))
        net.params[key] = np.array(values, dtype=float).reshape(shape)
    return net


@settings(max_examples=40, deadline=None)
@given(net=networks(), lam1=st.floats(0, 100), lam2=st.floats(0, 100), m=st.integers(1, 500))
def test_penalty_nonnegative_and_increasing_in_lambda(net, lam1, lam2, m):
    lo, hi = sorted((lam1, lam2))
    p_lo, p_hi = net.penalty(lo, m), net.penalty(hi, m)
    assert p_lo >= 0
    assert p_lo <= p_hi
    squared = sum(float((W * W).sum()) for W in net.W)
    if hi / (2 * m) * squared > 1e-250 and hi - lo > 1e-9 * hi:  # away from underflow and ties
        assert p_lo < p_hi  # strictly increasing once some weight is non-zero


@settings(max_examples=40, deadline=None)
@given(net=networks(), lam=st.floats(0, 50), seed=st.integers(0, 10_000))
def test_regularized_cost_at_least_data_cost(net, lam, seed):
    X, Y = make_data(n_x=net.layer_sizes[0], m=7, seed=seed)
    assert net.cost(X, Y, lam) >= net.data_loss(X, Y)


@settings(max_examples=40, deadline=None)
@given(net=networks(), lam=st.floats(0.01, 50), seed=st.integers(0, 10_000))
def test_penalty_gradient_has_the_sign_of_w(net, lam, seed):
    X, Y = make_data(n_x=net.layer_sizes[0], m=9, seed=seed)
    g, g0 = net.gradients(X, Y, lam), net.gradients(X, Y, 0.0)
    for l, W in enumerate(net.W, start=1):
        pull = g[f"W{l}"] - g0[f"W{l}"]  # (λ/m) W
        np.testing.assert_allclose(pull, lam / 9 * W, rtol=1e-9, atol=1e-12)
        exact = lam / 9 * W
        assert np.array_equal(np.sign(exact), np.sign(W))
        big = np.abs(W) > 1e-6  # away from 0, where rounding in the difference could flip a sign
        assert np.array_equal(np.sign(pull[big]), np.sign(W[big]))


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def setup():
    X, Y = make_data(m=10)
    return Network([2, 3, 1], seed=0), X, Y


def test_transposed_X_suggests_transpose(setup):
    net, X, Y = setup
    with pytest.raises(ValueError, match=r"X has shape \(10, 2\).*did you mean X\.T\?"):
        net.cost(X.T, Y)
    with pytest.raises(ValueError, match=r"did you mean X\.T\?"):
        net.predict(X.T)


def test_example_counts_must_match(setup):
    net, X, Y = setup
    with pytest.raises(ValueError, match=r"X has m=9 examples .* but Y has m=10"):
        net.cost(X[:, :9], Y)
    with pytest.raises(ValueError, match=r"Y has shape \(10, 1\).*did you mean Y\.T\?"):
        net.gradients(X, Y.T)


def test_non_finite_data_and_params_rejected(setup):
    net, X, Y = setup
    X_bad = X.copy()
    X_bad[1, 3] = np.nan
    with pytest.raises(ValueError, match=r"X contains 1 NaN and 0 inf value\(s\) \(first at index \(1, 3\)"):
        net.cost(X_bad, Y)
    Y_bad = Y.copy()
    Y_bad[0, 0] = np.inf
    with pytest.raises(ValueError, match=r"Y contains 0 NaN and 1 inf"):
        net.gradients(X, Y_bad)
    net.params["W1"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"params\['W1'\] contains NaN or inf .*lower the learning rate"):
        net.gradients(X, Y)
    with pytest.raises(ValueError, match=r"params\['W1'\] contains NaN or inf"):
        net.cost(X, Y)
    with pytest.raises(ValueError, match=r"weights\[0\] \(W1\) contains 1 NaN"):
        l2_penalty(net.W, 0.1, 10)


@pytest.mark.parametrize("lam", [-0.1, np.inf, np.nan])
def test_bad_lambda(setup, lam):
    net, X, Y = setup
    with pytest.raises(ValueError, match=r"lam \(λ\) must be finite and >= 0"):
        net.cost(X, Y, lam)
    with pytest.raises(ValueError, match=r"lam \(λ\) must be finite and >= 0"):
        l2_penalty(net.W, lam, 10)


def test_lambda_must_be_a_number(setup):
    net, X, Y = setup
    with pytest.raises(TypeError, match=r"lam must be a real number, got str"):
        net.gradients(X, Y, "0.1")


def test_labels_must_be_binary_for_sigmoid_output(setup):
    net, X, Y = setup
    with pytest.raises(ValueError, match=r"Y must contain only the labels 0 and 1, found values \{0, 2\}"):
        net.cost(X, 2 * Y)
    with pytest.raises(ValueError, match=r"Y must contain only the labels 0 and 1"):
        cross_entropy(np.full((1, 10), 0.5), Y - 1)


def test_empty_data(setup):
    net, _, _ = setup
    with pytest.raises(ValueError, match=r"X is empty \(shape \(2, 0\)\)"):
        net.cost(np.zeros((2, 0)), np.zeros((1, 0)))


def test_layer_sizes_inconsistent_with_X(setup):
    net, X, Y = setup
    with pytest.raises(ValueError, match=r"X has shape \(3, 10\) but \(n_x=2, m\) is expected"):
        net.cost(np.vstack([X, X[:1]]), Y)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"layer_sizes": [2]}, r"needs at least an input and an output size"),
        ({"layer_sizes": [2, 0, 1]}, r"must contain positive integers; got 0"),
        ({"layer_sizes": [2, 2.5, 1]}, r"must contain positive integers; got 2.5"),
        ({"layer_sizes": [2, 3, 2]}, r"sigmoid output .* needs 1 output unit"),
        ({"layer_sizes": [2, 1], "hidden": "elu"}, r"hidden must be one of 'relu', 'tanh', 'sigmoid'"),
        ({"layer_sizes": [2, 1], "output": "softmax"}, r"output must be one of 'sigmoid', 'identity'"),
        ({"layer_sizes": [2, 1], "init": "lecun"}, r"init must be one of 'he', 'xavier'"),
    ],
)
def test_bad_architecture(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Network(**kwargs)


def test_from_params_checks_shapes_and_names():
    with pytest.raises(ValueError, match=r"params has no weight matrix 'W1'"):
        Network.from_params({"b1": np.zeros((1, 1))})
    with pytest.raises(ValueError, match=r"params\['b1'\] has shape \(2, 1\) but layer sizes \[2, 1\]"):
        Network.from_params({"W1": np.ones((1, 2)), "b1": np.ones((2, 1))})
    with pytest.raises(ValueError, match=r"params is missing 'b1'"):
        Network.from_params({"W1": np.ones((1, 2))})


def test_other_entry_points_reject_bad_input(setup):
    net, X, Y = setup
    with pytest.raises(TypeError, match=r"net must be an l2book.Network, got str"):
        regularized_cost("net", X, Y, 0.0)
    with pytest.raises(ValueError, match=r"m must be an integer in \[1, inf\], got m=0"):
        l2_penalty(net.W, 1.0, 0)
    with pytest.raises(ValueError, match=r"Y_hat must hold probabilities in \[0, 1\].*from_logits=True"):
        cross_entropy(np.full((1, 10), 1.5), Y)
    with pytest.raises(ValueError, match=r"accuracy is for a sigmoid output"):
        Network([2, 1], output="identity").accuracy(X, Y)


METHODS = {
    "forward": lambda net, X, Y: net.forward(X),
    "predict_proba": lambda net, X, Y: net.predict_proba(X),
    "predict": lambda net, X, Y: net.predict(X),
    "accuracy": lambda net, X, Y: net.accuracy(X, Y),
    "error": lambda net, X, Y: net.error(X, Y),
    "data_loss": lambda net, X, Y: net.data_loss(X, Y),
    "cost": lambda net, X, Y: net.cost(X, Y, 0.1),
    "gradients": lambda net, X, Y: net.gradients(X, Y, 0.1),
    "regularized_cost": lambda net, X, Y: regularized_cost(net, X, Y, 0.1),
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ("transposed", r"X has shape \(10, 2\) .*did you mean X\.T\?"),
        ("nan", r"X contains 1 NaN"),
        ("inf", r"X contains 0 NaN and 1 inf"),
        ("empty", r"X is empty"),
        ("wrong n_x", r"X has shape \(3, 10\) but \(n_x=2, m\) is expected"),
        ("nan params", r"params\['b1'\] contains NaN or inf"),
    ],
)
def test_every_method_rejects_bad_input(setup, method, bad, match):
    net, X, Y = setup
    if bad == "transposed":
        X = X.T
    elif bad in ("nan", "inf"):
        X = X.copy()
        X[0, 4] = np.nan if bad == "nan" else np.inf
    elif bad == "empty":
        X, Y = X[:, :0], Y[:, :0]
    elif bad == "wrong n_x":
        X = np.vstack([X, X[:1]])
    else:
        net.params["b1"][1, 0] = np.nan
    with pytest.raises(ValueError, match=match):
        METHODS[method](net, X, Y)


def test_cross_entropy_rejects_predictions_as_a_column_and_blames_the_right_argument():
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    P = np.array([[0.2, 0.7, 0.6, 0.4]])
    expected = cross_entropy(P, Y)
    # both as columns would divide by m = 1: a cost m times too large
    column = r"Y_hat has shape \(4, 1\) but \(1, m\) is expected.*did you mean Y_hat\.T\?"
    with pytest.raises(ValueError, match=column):
        cross_entropy(P.T, Y.T)
    with pytest.raises(ValueError, match=r"Y_hat has shape \(4, 1\).*did you mean Y_hat\.T\?"):
        cross_entropy(P.T, Y)
    with pytest.raises(ValueError, match=r"Y has shape \(4, 1\) but \(1, m\) .*did you mean Y\.T\?"):
        cross_entropy(P, Y.T)
    assert expected == pytest.approx(-np.mean(np.log([0.8, 0.7, 0.6, 0.6])), rel=1e-12)
