"""Backprop's gradient of the regularized cost agrees with finite differences everywhere."""

from __future__ import annotations

import numpy as np
import pytest

from l2book import GradientCheck, Network, gradient_check
from l2book import network as network_module

HIDDEN_LAYERS = {0: [3, 1], 1: [3, 4, 1], 2: [3, 4, 3, 1]}


def data(output: str, m: int = 8, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3, m))
    Y = (rng.random((1, m)) < 0.5).astype(float) if output == "sigmoid" else rng.standard_normal((1, m))
    return X, Y


def relu_away_from_kinks(net: Network, X: np.ndarray, margin: float = 1e-3) -> bool:
    """True when no hidden pre-activation lies within ``margin`` of relu's kink at 0."""
    _, cache = network_module.forward(net.params, X, net.hidden, net.output)
    return all(np.min(np.abs(Z)) > margin for _, Z, _ in cache[:-1])


@pytest.mark.parametrize("lam", [0.0, 0.1, 5.0])
@pytest.mark.parametrize("depth", [0, 1, 2])
@pytest.mark.parametrize("output", ["sigmoid", "identity"])
@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid"])
def test_gradient_check_passes(hidden, output, depth, lam):
    X, Y = data(output)
    net = Network(HIDDEN_LAYERS[depth], hidden=hidden, output=output, seed=depth + 1)
    for b in net.b:  # non-zero biases, so that the bias gradients are exercised too
        b += 0.1
    if hidden == "relu":
        assert relu_away_from_kinks(net, X)
    result = gradient_check(net, X, Y, lam)
    assert isinstance(result, GradientCheck)
    assert result.relative_error < 1e-7, result.per_parameter
    assert set(result.per_parameter) == set(net.params)
    assert result.n_parameters == sum(p.size for p in net.params.values())


def test_gradient_check_restores_parameters():
    X, Y = data("sigmoid")
    net = Network([3, 4, 1], seed=0)
    before = {k: p.copy() for k, p in net.params.items()}
    gradient_check(net, X, Y, 0.3)
    for key, value in before.items():
        np.testing.assert_array_equal(net.params[key], value)


def test_gradient_check_detects_a_missing_penalty_gradient(monkeypatch):
    """The check can fail: backprop that forgets the (λ/m)W term is caught."""
    X, Y = data("sigmoid")
    net = Network([3, 4, 1], hidden="tanh", seed=0)
    original = network_module.backward_layers

    def without_l2(Ws, cache, Y, decay, hidden, work=None, drop=None):
        return original(Ws, cache, Y, 0.0 * decay, hidden, work, drop)

    monkeypatch.setattr(network_module, "backward_layers", without_l2)
    assert gradient_check(net, X, Y, 5.0).relative_error > 1e-3
    assert gradient_check(net, X, Y, 0.0).relative_error < 1e-7


def test_gradient_check_rejects_bad_input():
    X, Y = data("sigmoid")
    net = Network([3, 1])
    with pytest.raises(TypeError, match=r"net must be an l2book.Network or l2book.LayerNormNetwork, got"):
        gradient_check(net.params, X, Y)
    with pytest.raises(ValueError, match=r"eps must be finite and > 0, got eps=0"):
        gradient_check(net, X, Y, eps=0)
    with pytest.raises(ValueError, match=r"lam \(λ\) must be finite and >= 0"):
        gradient_check(net, X, Y, lam=-1)
    with pytest.raises(ValueError, match=r"did you mean X\.T\?"):
        gradient_check(net, X.T, Y)
