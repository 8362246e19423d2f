"""LayerNormNetwork: backpropagation through layer normalization, its scale invariance, bad input."""

from __future__ import annotations

import numpy as np
import pytest

import l2book as l2


@pytest.fixture(scope="module")
def moons() -> tuple[np.ndarray, np.ndarray]:
    return l2.make_moons(m=40, noise=0.2, seed=3)


def _perturbed(net: l2.LayerNormNetwork, seed: int = 0) -> l2.LayerNormNetwork:
    """Gains, shifts and output bias away from their initial 1 and 0, so every term is tested."""
    rng = np.random.default_rng(seed)
    for value in net.params.values():
        value += 0.3 * rng.standard_normal(value.shape)
    return net


@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("eps", [0.0, 1e-3])
def test_gradients_match_finite_differences(moons, hidden, eps):
    X, Y = moons
    net = _perturbed(l2.LayerNormNetwork([2, 6, 5, 1], hidden=hidden, eps=eps, seed=1))
    check = l2.gradient_check(net, X, Y, lam=0.7)
    assert check.relative_error < 1e-7, check.per_parameter
    assert set(check.per_parameter) == {"W1", "g1", "b1", "W2", "g2", "b2", "W3", "b3"}


def test_regression_output_gradients(moons):
    X, _ = moons
    Y = np.sin(X[:1])
    net = _perturbed(l2.LayerNormNetwork([2, 4, 1], output="identity", seed=2))
    assert l2.gradient_check(net, X, Y, lam=0.3).relative_error < 1e-7


def test_normalized_layer_by_hand(moons):
    """One hidden layer written out with numpy: the same probabilities."""
    X, _ = moons
    net = _perturbed(l2.LayerNormNetwork([2, 5, 1], hidden="tanh", seed=4))
    p = net.params
    Z = p["W1"] @ X
    Z_hat = (Z - Z.mean(axis=0)) / Z.std(axis=0)
    A = np.tanh(p["g1"] * Z_hat + p["b1"])
    expected = 1 / (1 + np.exp(-(p["W2"] @ A + p["b2"])))
    np.testing.assert_allclose(net.predict_proba(X), expected, rtol=1e-12)


def test_weights_before_a_normalization_are_scale_invariant(moons):
    X, Y = moons
    net = _perturbed(l2.LayerNormNetwork([2, 6, 5, 1], seed=5))
    assert net.scale_invariant == ("W1", "W2")
    cost, grads = net.cost(X, Y), net.gradients(X, Y)
    for key in net.scale_invariant:
        assert abs(np.sum(net.params[key] * grads[key])) < 1e-12 * np.linalg.norm(grads[key]) * (
            np.linalg.norm(net.params[key])
        )
        scaled = net.copy()
        scaled.params[key] *= 50.0
        assert scaled.cost(X, Y) == pytest.approx(cost, rel=1e-13)
        np.testing.assert_allclose(50.0 * scaled.gradients(X, Y)[key], grads[key], rtol=1e-9, atol=1e-15)
    # The output layer is not: scaling it changes the cost, and the penalty sees every W.
    scaled = net.copy()
    scaled.params["W3"] *= 2.0
    assert scaled.cost(X, Y) != pytest.approx(cost, rel=1e-6)
    assert net.cost(X, Y, lam=1.0) - cost == pytest.approx(
        sum(float((W * W).sum()) for W in net.W) / (2 * X.shape[1]), rel=1e-12
    )


def test_eps_breaks_the_invariance_only_for_tiny_weights(moons):
    X, Y = moons
    net = l2.LayerNormNetwork([2, 6, 1], eps=1e-5, seed=6)
    cost = net.cost(X, Y)
    large, tiny = net.copy(), net.copy()
    large.params["W1"] *= 10.0
    tiny.params["W1"] *= 1e-4
    assert large.cost(X, Y) == pytest.approx(cost, rel=1e-4)
    assert tiny.cost(X, Y) != pytest.approx(cost, rel=1e-2)


def test_optimizers_decay_weights_only_unless_asked(moons):
    X, Y = moons
    for decay_biases, decayed in ((False, {"W1", "W2"}), (True, {"W1", "g1", "b1", "W2", "b2"})):
        net = l2.LayerNormNetwork([2, 4, 1], seed=7)
        before = {k: v.copy() for k, v in net.params.items()}
        zero = {k: np.zeros_like(v) for k, v in net.params.items()}
        l2.SGDW(lr=0.1, momentum=0.0, weight_decay=1.0, decay_biases=decay_biases).step(net.params, zero)
        changed = {k for k in net.params if not np.array_equal(net.params[k], before[k])}
        # zeros stay zeros under decay: the shifts and the output bias start at 0
        assert changed == decayed - {"b1", "b2"}


def test_copy_is_independent():
    net = l2.LayerNormNetwork([2, 3, 1])
    twin = net.copy()
    twin.params["g1"] += 1.0
    assert not np.array_equal(net.params["g1"], twin.params["g1"])
    assert "LayerNormNetwork(layer_sizes=[2, 3, 1]" in repr(net)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"layer_sizes": [2, 1]}, ValueError, "at least one hidden"),
        ({"layer_sizes": [2, 1, 1]}, ValueError, "at least 2 units"),
        ({"layer_sizes": [2, 3, 1], "eps": -1.0}, ValueError, "eps must be finite and >= 0"),
        ({"layer_sizes": [2, 3, 1], "hidden": "gelu"}, ValueError, "hidden"),
        ({"layer_sizes": [2, 3, 1], "seed": -1}, ValueError, "seed"),
    ],
)
def test_bad_construction(kwargs, error, message):
    with pytest.raises(error, match=message):
        l2.LayerNormNetwork(**kwargs)


def test_bad_use(moons):
    X, Y = moons
    net = l2.LayerNormNetwork([2, 3, 1])
    with pytest.raises(ValueError, match="does not take dropout masks"):
        net.cost(X, Y, masks=[np.ones((3, X.shape[1]))])
    with pytest.raises(ValueError, match="lam"):
        net.gradients(X, Y, lam=-1.0)
    with pytest.raises(ValueError, match="X"):
        net.predict(X.T)
    flat = net.copy()
    flat.params["W1"][:] = 0.0
    with pytest.raises(ValueError, match="0/0; use eps > 0"):
        flat.cost(X, Y)
    with pytest.raises(TypeError, match="l2book.Network"):
        l2.fit(net, X, Y, epochs=1)
    nan = net.copy()
    nan.params["g1"][0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        nan.gradients(X, Y)
