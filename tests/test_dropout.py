"""Inverted dropout: masks, backpropagation through them, and training with them."""

from __future__ import annotations

import numpy as np
import pytest

import l2book as l2
from l2book.network import forward_layers


@pytest.fixture
def moons():
    return l2.make_moons(120, noise=0.2, seed=0)


def network(hidden: str = "relu") -> l2.Network:
    net = l2.Network([2, 8, 5, 1], hidden=hidden, seed=1)
    # Biases away from zero: with zero biases a unit whose inputs were all dropped sits exactly
    # at relu's kink, where a finite difference measures nothing.
    rng = np.random.default_rng(5)
    for b in net.b:
        b += rng.normal(0.0, 0.1, b.shape)
    return net


@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid"])
def test_backprop_through_fixed_masks_passes_the_gradient_check(moons, hidden):
    X, Y = moons
    net = network(hidden)
    masks = l2.dropout_masks(net, X.shape[1], 0.7, seed=2)
    check = l2.gradient_check(net, X, Y, lam=0.7, masks=masks)
    assert check.relative_error < 1e-7, check
    # The masks matter: the gradient under them is not the gradient without them.
    with_masks, without = net.gradients(X, Y, 0.7, masks), net.gradients(X, Y, 0.7)
    assert not np.allclose(with_masks["W1"], without["W1"])


def test_masks_are_zero_or_one_over_keep_prob_and_reproducible():
    net = network()
    masks = l2.dropout_masks(net, 5000, 0.8, seed=4)
    assert [mask.shape for mask in masks] == [(8, 5000), (5, 5000)]
    for mask in masks:
        assert set(np.unique(mask)) == {0.0, 1.0 / 0.8}
        # kept with probability 0.8: 40 000 Bernoulli draws, standard error 0.002
        assert abs(np.mean(mask > 0) - 0.8) < 0.01
    again = l2.dropout_masks(net, 5000, 0.8, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(masks, again, strict=True))
    ones = l2.dropout_masks(net, 10, 1.0)
    assert all((mask == 1.0).all() for mask in ones)


def test_inverted_dropout_keeps_the_expected_input_of_the_next_layer(moons):
    """E[W (A ⊙ D/p)] = W A: the division by keep_prob is what lets the trained network predict
    without masks."""
    X, _ = moons
    net = network()
    plain = forward_layers(net.W, net.b, X, "relu", "sigmoid")
    rng = np.random.default_rng(0)
    draws = 4000
    total = np.zeros_like(plain[1][1])
    for _ in range(draws):
        first = [(rng.random((8, X.shape[1])) < 0.6) / 0.6, np.ones((5, X.shape[1]))]
        total += forward_layers(net.W, net.b, X, "relu", "sigmoid", drop=first)[1][1]
    spread = np.abs(plain[1][1]).max()
    assert np.abs(total / draws - plain[1][1]).max() < 0.05 * spread


def test_keep_prob_one_is_exactly_training_without_dropout(moons):
    X, Y = moons
    a, b = network(), network()
    l2.fit(a, X, Y, lam=0.5, epochs=40)
    history = l2.fit(b, X, Y, lam=0.5, epochs=40, keep_prob=1.0)
    assert all(np.array_equal(p, q) for p, q in zip(a.W + a.b, b.W + b.b, strict=True))
    assert history.keep_prob == 1.0


@pytest.mark.parametrize("optimizer", ["gd", l2.SGD(lr=0.1, batch_size=32)])
def test_training_with_dropout_is_seeded_and_records_the_network_without_masks(moons, optimizer):
    X, Y = moons
    runs = []
    for seed in (0, 0, 1):
        net = network()
        history = l2.fit(net, X, Y, lam=0.1, epochs=30, keep_prob=0.8, seed=seed, optimizer=optimizer)
        runs.append((net, history))
    (a, ha), (b, _), (c, _) = runs
    assert np.array_equal(a.W[0], b.W[0]), "the same seed gives the same masks"
    assert not np.array_equal(a.W[0], c.W[0]), "another seed draws other masks"
    assert ha.keep_prob == 0.8
    assert ha.cost[-1] == pytest.approx(a.cost(X, Y, 0.1), rel=1e-12)
    assert ha.train_error[-1] == pytest.approx(a.error(X, Y), abs=1e-12)


@pytest.mark.parametrize("keep_prob", [0, -0.1, 1.5, float("nan")])
def test_keep_prob_outside_zero_one_is_rejected(moons, keep_prob):
    X, Y = moons
    with pytest.raises(ValueError, match=r"keep_prob must lie in \(0, 1\]"):
        l2.fit(network(), X, Y, keep_prob=keep_prob, epochs=1)
    with pytest.raises(ValueError, match="keep_prob"):
        l2.dropout_masks(network(), 10, keep_prob)


def test_masks_of_the_wrong_count_or_shape_are_rejected(moons):
    X, Y = moons
    net = network()
    masks = l2.dropout_masks(net, X.shape[1], 0.8)
    with pytest.raises(ValueError, match="one array per hidden layer"):
        net.cost(X, Y, 0.1, masks[:1])
    with pytest.raises(ValueError, match=r"masks\[1\] \(layer 2\) must have shape \(5, 120\)"):
        net.gradients(X, Y, 0.1, [masks[0], masks[1][:, :10]])
    with pytest.raises(ValueError, match="finite and ≥ 0"):
        net.cost(X, Y, 0.1, [masks[0], -masks[1]])
    with pytest.raises(TypeError, match="l2book.Network"):
        l2.dropout_masks("net", 10, 0.5)
