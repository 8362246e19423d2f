"""Tests of l2book.optim: each update rule against its formula written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from l2book import GD, SGD, SGDW, Adam, AdamW, Momentum, Network, fit, get_optimizer, ridge
from l2book.network import backward, forward


def problem(m: int = 40, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m))
    Y = ((X[0] * X[1] + 0.3 * rng.standard_normal(m)) > 0).astype(float)[None]
    return X, Y


def random_params(seed: int = 0, lead: tuple[int, ...] = ()):
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal(lead + (3, 2)),
        "b1": rng.standard_normal(lead + (3, 1)),
        "W2": rng.standard_normal(lead + (1, 3)),
        "b2": rng.standard_normal(lead + (1, 1)),
    }


def copy(params):
    return {k: p.copy() for k, p in params.items()}


# ---------------------------------------------------------------------------------------------
# gradient descent = weight decay
# ---------------------------------------------------------------------------------------------


def test_one_gd_step_is_the_weight_decay_form():
    """W ← (1 − ηλ/m) W − η ∂L/∂W, with ∂L/∂W the gradient at λ = 0; b ← b − η ∂L/∂b."""
    X, Y = problem(m=40)
    net = Network([2, 5, 1], hidden="tanh", seed=1)
    lr, lam, m = 0.3, 2.5, 40
    data_grad = net.gradients(X, Y, 0.0)
    before = copy(net.params)
    fit(net, X, Y, lam=lam, optimizer=GD(lr), epochs=1)
    for key, value in before.items():
        if key.startswith("W"):
            expected = (1 - lr * lam / m) * value - lr * data_grad[key]
        else:
            expected = value - lr * data_grad[key]
        np.testing.assert_allclose(net.params[key], expected, rtol=1e-13, atol=1e-15)


def test_gd_step_in_place_and_formula():
    params, grads = random_params(0), random_params(1)
    arrays = {k: id(p) for k, p in params.items()}
    expected = {k: params[k] - 0.1 * grads[k] for k in params}
    opt = GD(0.1)
    opt.step(params, grads)
    assert opt.t == 1
    for key in params:
        assert id(params[key]) == arrays[key]  # updated in place, the network sees the change
        np.testing.assert_array_equal(params[key], expected[key])


# ---------------------------------------------------------------------------------------------
# minibatches
# ---------------------------------------------------------------------------------------------


def test_minibatches_partition_the_examples_each_epoch():
    opt = SGD(0.1, batch_size=7)
    rng = np.random.default_rng(0)
    first = list(opt.batches(30, rng))
    second = list(opt.batches(30, rng))
    assert [b.size for b in first] == [7, 7, 7, 7, 2]
    for batches in (first, second):
        assert np.array_equal(np.sort(np.concatenate(batches)), np.arange(30))
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))  # reshuffled
    again = list(SGD(0.1, batch_size=7).batches(30, np.random.default_rng(0)))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))


def test_full_batch_is_one_slice_without_random_draws():
    rng = np.random.default_rng(0)
    state = rng.bit_generator.state
    assert list(GD(0.1).batches(12, rng)) == [slice(0, 12)]
    assert list(Adam(0.1, batch_size=50).batches(12, rng)) == [slice(0, 12)]
    assert rng.bit_generator.state == state


def test_minibatch_penalty_uses_training_set_size():
    """One SGD step on batch B: W ← W − η[(1/|B|) Σ_B ∂L + (λ/m) W]."""
    X, Y = problem(m=30)
    net = Network([2, 4, 1], hidden="tanh", seed=0)
    lr, lam, m = 0.2, 3.0, 30
    opt = SGD(lr, batch_size=30 // 2)  # two steps per epoch
    batches = list(opt.batches(m, np.random.default_rng([0, 0])))
    params = copy(net.params)
    for index in batches:
        _, cache = forward(params, X[:, index], "tanh", "sigmoid")
        data_grad = backward(params, cache, Y[:, index], 0.0, "tanh")  # (1/|B|) Σ_B ∂L
        for key in params:
            decay = lam / m * params[key] if key.startswith("W") else 0.0
            params[key] = params[key] - lr * (data_grad[key] + decay)
    fit(net, X, Y, lam=lam, optimizer=opt, epochs=1, seed=0)
    for key in params:
        np.testing.assert_allclose(net.params[key], params[key], rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------------------------------------
# momentum, Adam, AdamW
# ---------------------------------------------------------------------------------------------


def test_momentum_by_hand_and_pytorch_equivalence():
    params, g1, g2 = random_params(0), random_params(1), random_params(2)
    lr, beta = 0.05, 0.8
    opt = Momentum(lr, beta=beta)
    expected = copy(params)
    v = {k: (1 - beta) * g1[k] for k in params}
    for k in params:
        expected[k] = expected[k] - lr * v[k]
    v = {k: beta * v[k] + (1 - beta) * g2[k] for k in params}
    for k in params:
        expected[k] = expected[k] - lr * v[k]
    opt.step(params, g1)
    opt.step(params, g2)
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-14)
    # PyTorch's form v ← βv + g, θ ← θ − η' v with η' = η(1 − β) gives the same trajectory
    torch_like = random_params(0)
    v = {k: np.zeros_like(p) for k, p in torch_like.items()}
    for g in (g1, g2):
        for k in torch_like:
            v[k] = beta * v[k] + g[k]
            torch_like[k] = torch_like[k] - lr * (1 - beta) * v[k]
    for k in params:
        np.testing.assert_allclose(params[k], torch_like[k], rtol=1e-13)


def test_sgdw_by_hand_decays_only_weights():
    params, g1, g2 = random_params(0), random_params(1), random_params(2)
    lr, mu, wd = 0.05, 0.8, 0.3
    opt = SGDW(lr, momentum=mu, weight_decay=wd)
    expected = copy(params)
    v = {k: np.zeros_like(p) for k, p in params.items()}
    for g in (g1, g2):
        for k in expected:
            v[k] = mu * v[k] + g[k]
            decay = lr * wd * expected[k] if k.startswith("W") else 0.0
            expected[k] = expected[k] - lr * v[k] - decay
        opt.step(params, g)
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-14)


def test_sgdw_without_decay_is_torch_sgd_momentum_and_the_courses_momentum():
    params = random_params(0)
    grads = [random_params(s) for s in (1, 2, 3)]
    lr, mu = 0.05, 0.8
    ours, course = copy(params), copy(params)
    sgdw, momentum = SGDW(lr, momentum=mu), Momentum(lr / (1 - mu), beta=mu)
    for g in grads:
        sgdw.step(ours, g)
        momentum.step(course, g)
    for k in params:  # the course's v is (1 − μ) times PyTorch's: same path for lr/(1 − μ)
        np.testing.assert_allclose(ours[k], course[k], rtol=1e-13)
    torch = pytest.importorskip("torch")
    tensors = {k: torch.tensor(p, dtype=torch.float64, requires_grad=True) for k, p in params.items()}
    torch_opt = torch.optim.SGD(list(tensors.values()), lr=lr, momentum=mu)
    for g in grads:
        for k, tensor in tensors.items():
            tensor.grad = torch.tensor(g[k], dtype=torch.float64)
        torch_opt.step()
    for k in params:
        np.testing.assert_allclose(ours[k], tensors[k].detach().numpy(), rtol=1e-12)


def _least_squares(m: int = 50, n: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, m))
    y = rng.standard_normal(n) @ X + 0.5 * rng.standard_normal(m)
    return X, y


def _run_linear(opt, X, y, lam: float, steps: int) -> np.ndarray:
    """Minimize 1/(2m)‖wX − y‖² + λ/(2m)‖w‖² with ``opt``; the L2 term is in the gradient (coupled)."""
    m = X.shape[1]
    params = {"W1": np.zeros((1, X.shape[0]))}
    for _ in range(steps):
        w = params["W1"]
        opt.step(params, {"W1": (w @ X - y) @ X.T / m + (lam / m) * w})
    return params["W1"][0]


def test_sgdw_fixed_point_is_ridge_with_lambda_rescaled_by_one_minus_momentum():
    """At a fixed point v = g/(1 − μ): decoupled decay wd stops at ridge with λ/m = (1 − μ)·wd."""
    X, y = _least_squares()
    m, lr, mu, wd = X.shape[1], 0.05, 0.9, 0.2
    decoupled = _run_linear(SGDW(lr, momentum=mu, weight_decay=wd), X, y, lam=0.0, steps=3000)
    rescaled = ridge(X, y, m * (1 - mu) * wd, fit_intercept=False).w
    naive = ridge(X, y, m * wd, fit_intercept=False).w
    np.testing.assert_allclose(decoupled, rescaled, rtol=1e-10)
    assert np.abs(decoupled - naive).max() > 0.05
    # Coupled L2 through the same momentum stops at ridge with λ itself.
    coupled = _run_linear(SGDW(lr, momentum=mu), X, y, lam=m * wd, steps=3000)
    np.testing.assert_allclose(coupled, naive, rtol=1e-10)


def test_sgdw_and_coupled_l2_agree_without_momentum_and_not_with_it():
    X, y = _least_squares()
    m, lr, wd = X.shape[1], 0.05, 0.2
    decoupled = _run_linear(SGDW(lr, momentum=0.0, weight_decay=wd), X, y, lam=0.0, steps=30)
    coupled = _run_linear(GD(lr), X, y, lam=m * wd, steps=30)
    np.testing.assert_allclose(decoupled, coupled, rtol=1e-12)  # μ = 0: the same path
    mu = 0.9  # with momentum, even the λ that gives the same fixed point gives another path
    decoupled = _run_linear(SGDW(lr, momentum=mu, weight_decay=wd), X, y, lam=0.0, steps=30)
    coupled = _run_linear(SGDW(lr, momentum=mu), X, y, lam=m * (1 - mu) * wd, steps=30)
    assert np.abs(decoupled - coupled).max() > 1e-3


def adam_by_hand(theta, grads, lr, b1, b2, eps, wd=0.0, decay=lambda key: False):
    """torch.optim.Adam/AdamW's update, written out (single parameter group)."""
    theta = copy(theta)
    m = {k: np.zeros_like(p) for k, p in theta.items()}
    v = {k: np.zeros_like(p) for k, p in theta.items()}
    for t, g in enumerate(grads, start=1):
        for k in theta:
            if decay(k):
                theta[k] = theta[k] * (1 - lr * wd)
            m[k] = b1 * m[k] + (1 - b1) * g[k]
            v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
            m_hat = m[k] / (1 - b1**t)
            v_hat = v[k] / (1 - b2**t)
            theta[k] = theta[k] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta


def test_adam_by_hand():
    params = random_params(0)
    grads = [random_params(s) for s in (1, 2, 3)]
    opt = Adam(0.01, beta1=0.8, beta2=0.95, eps=1e-6)
    expected = adam_by_hand(params, grads, 0.01, 0.8, 0.95, 1e-6)
    for g in grads:
        opt.step(params, g)
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-13)


@pytest.mark.parametrize("decay_biases", [False, True])
def test_adamw_is_pytorchs_formula(decay_biases):
    params = random_params(0)
    grads = [random_params(s) for s in (1, 2, 3)]
    opt = AdamW(0.01, weight_decay=0.5, beta1=0.9, beta2=0.99, eps=1e-8, decay_biases=decay_biases)
    expected = adam_by_hand(params, grads, 0.01, 0.9, 0.99, 1e-8, wd=0.5,
                            decay=lambda k: k.startswith("W") or decay_biases)
    for g in grads:
        opt.step(params, g)
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-13)


def test_adamw_decays_only_weights_by_default():
    params = random_params(0)
    zero = {k: np.zeros_like(p) for k, p in params.items()}
    before = copy(params)
    AdamW(0.1, weight_decay=0.2).step(params, zero)  # a zero gradient leaves only the decay
    np.testing.assert_allclose(params["W1"], (1 - 0.1 * 0.2) * before["W1"], rtol=1e-15)
    np.testing.assert_array_equal(params["b1"], before["b1"])


@pytest.mark.torch
def test_adamw_equals_torch():
    torch = pytest.importorskip("torch")
    params = random_params(0)
    grads = [random_params(s) for s in (1, 2, 3)]
    tensors = {k: torch.tensor(p, dtype=torch.float64, requires_grad=True) for k, p in params.items()}
    groups = [
        {"params": [tensors["W1"], tensors["W2"]], "weight_decay": 0.3},
        {"params": [tensors["b1"], tensors["b2"]], "weight_decay": 0.0},
    ]
    torch_opt = torch.optim.AdamW(groups, lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    ours = AdamW(0.01, weight_decay=0.3)
    for g in grads:
        for k, tensor in tensors.items():
            tensor.grad = torch.tensor(g[k], dtype=torch.float64)
        torch_opt.step()
        ours.step(params, g)
    for k in params:
        np.testing.assert_allclose(params[k], tensors[k].detach().numpy(), rtol=1e-12)


def test_adamw_and_adam_with_l2_follow_different_trajectories():
    """Coupled L2 is rescaled by Adam's 1/√v̂, decoupled decay is not: the paths separate."""
    X, Y = problem(m=60)
    lam, m, lr = 5.0, 60, 0.01
    coupled = fit(Network([2, 8, 1], seed=0), X, Y, lam=lam, optimizer=Adam(lr), epochs=100)
    decoupled = fit(Network([2, 8, 1], seed=0), X, Y, lam=0.0,
                    optimizer=AdamW(lr, weight_decay=lam / m), epochs=100)
    plain = fit(Network([2, 8, 1], seed=0), X, Y, lam=0.0, optimizer=Adam(lr), epochs=100)
    gap = np.abs(coupled.weight_norms - decoupled.weight_norms).max()
    assert gap > 1e-3
    # both shrink the weights relative to no regularization
    assert coupled.weight_norms[-1].sum() < plain.weight_norms[-1].sum()
    assert decoupled.weight_norms[-1].sum() < plain.weight_norms[-1].sum()


def test_adam_without_l2_equals_adamw_without_decay():
    X, Y = problem()
    a = fit(Network([2, 4, 1], seed=0), X, Y, optimizer=Adam(0.01), epochs=20)
    b = fit(Network([2, 4, 1], seed=0), X, Y, optimizer=AdamW(0.01, weight_decay=0.0), epochs=20)
    np.testing.assert_array_equal(a.cost, b.cost)


@pytest.mark.parametrize(
    "opt",
    [GD(0.1), Momentum(0.1), SGDW(0.1, weight_decay=0.1), Adam(0.01), AdamW(0.01, weight_decay=0.1)],
    ids=repr,
)
def test_stacked_step_equals_each_slice(opt):
    """Lazily created state takes the parameters' shape, so a (K, ...) stack works slice by slice."""
    K = 3
    stack = random_params(0, lead=(K,))
    grads = [random_params(s, lead=(K,)) for s in (1, 2)]
    singles = [{k: p[i].copy() for k, p in stack.items()} for i in range(K)]
    batched = opt.clone()
    for g in grads:
        batched.step(stack, g)
    for i, single in enumerate(singles):
        one = opt.clone()
        for g in grads:
            one.step(single, {k: p[i] for k, p in g.items()})
        for k in single:
            np.testing.assert_array_equal(stack[k][i], single[k])


def test_clone_and_reset_drop_state():
    opt = Adam(0.01)
    params = random_params(0)
    opt.step(params, random_params(1))
    assert opt.t == 1 and opt._state
    fresh = opt.clone()
    assert fresh.t == 0 and not fresh._state and fresh.lr == opt.lr
    opt.reset()
    assert opt.t == 0 and not opt._state


def test_fit_does_not_touch_the_given_optimizer():
    X, Y = problem()
    opt = Adam(0.01)
    first = fit(Network([2, 3, 1], seed=0), X, Y, optimizer=opt, epochs=5)
    second = fit(Network([2, 3, 1], seed=0), X, Y, optimizer=opt, epochs=5)
    assert opt.t == 0
    np.testing.assert_array_equal(first.cost, second.cost)


def test_names_and_repr():
    assert [get_optimizer(n).name for n in ("gd", "sgd", "momentum", "sgdw", "adam", "ADAMW")] == [
        "gd", "sgd", "momentum", "sgdw", "adam", "adamw"]
    assert repr(SGDW(0.1, weight_decay=0.5)) == "SGDW(lr=0.1, momentum=0.9, weight_decay=0.5)"
    assert repr(SGD(0.1, batch_size=8)) == "SGD(lr=0.1, batch_size=8)"
    assert repr(AdamW(0.001)) == "AdamW(lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert get_optimizer("adam").lr == 0.001


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: GD(0), ValueError, r"lr must be finite and > 0, got lr=0"),
        (lambda: GD(-0.1), ValueError, r"lr must be finite and > 0, got lr=-0.1"),
        (lambda: Adam(float("nan")), ValueError, r"lr must be finite and > 0, got lr=nan"),
        (lambda: GD("0.1"), TypeError, r"lr must be a real number, got str"),
        (lambda: SGD(0.1, batch_size=0), ValueError, r"batch_size must be an integer in \[1, inf\]"),
        (lambda: SGD(0.1, batch_size=None), ValueError, r"SGD needs batch_size"),
        (lambda: SGD(0.1, batch_size=2.5), TypeError, r"batch_size must be an integer, got float"),
        (lambda: Momentum(0.1, beta=1.0), ValueError, r"beta must lie in \[0, 1\), got beta=1.0"),
        (lambda: Adam(0.1, beta2=-0.5), ValueError, r"beta2 must be finite and >= 0"),
        (lambda: Adam(0.1, eps=0), ValueError, r"eps must be finite and > 0"),
        (lambda: AdamW(0.1, weight_decay=-1), ValueError, r"weight_decay must be finite and >= 0"),
        (lambda: AdamW(0.1, decay_biases="no"), TypeError, r"decay_biases must be True or False"),
        (lambda: SGDW(0.1, momentum=1.0), ValueError, r"momentum must lie in \[0, 1\), got momentum=1.0"),
        (lambda: SGDW(0.1, weight_decay=-1), ValueError, r"weight_decay must be finite and >= 0"),
        (lambda: SGDW(0.1, decay_biases=1), TypeError, r"decay_biases must be True or False"),
        (lambda: GD(0.1, seed=-1), ValueError, r"seed must be an integer in \[0, inf\]"),
    ],
)
def test_bad_hyperparameters(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_unknown_optimizer_name_lists_choices():
    with pytest.raises(ValueError, match=r"unknown optimizer 'adagrad'; choose one of 'gd', 'sgd', "
                                         r"'momentum', 'sgdw', 'adam', 'adamw'"):
        get_optimizer("adagrad")
    with pytest.raises(TypeError, match=r"optimizer must be an l2book optimizer .* got float"):
        get_optimizer(0.1)


def test_step_rejects_mismatched_gradients():
    params = random_params(0)
    with pytest.raises(ValueError, match=r"grads has keys \['W1'\] but params has keys"):
        GD(0.1).step(params, {"W1": params["W1"]})
    grads = random_params(1)
    grads["b1"] = np.zeros((4, 1))
    with pytest.raises(ValueError, match=r"grads\[.b1.\] has shape \(4, 1\) but params\[.b1.\] has"):
        GD(0.1).step(params, grads)
    params["W1"] = [[1.0, 2.0]]
    with pytest.raises(TypeError, match=r"params\['W1'\] must be a float64 numpy array"):
        GD(0.1).step(params, random_params(1))


def test_batches_reject_bad_input():
    with pytest.raises(ValueError, match=r"m must be an integer in \[1, inf\], got m=0"):
        list(GD(0.1).batches(0, np.random.default_rng(0)))
    with pytest.raises(TypeError, match=r"epoch_rng must be a numpy Generator, got int"):
        list(GD(0.1).batches(10, 0))
