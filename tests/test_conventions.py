"""Every row of the conventions table (docs/conventions.md), checked by computing one model two ways.

The book's cost is J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F². Each test fits or steps the same
model with l2book at λ and with another library at the translated setting, and compares the results
to a stated tolerance. Each test also checks that a plausible *wrong* translation gives a clearly
different result, so a test that passes is evidence for the mapping rather than for a coincidence.

PyTorch rows run when ``torch`` is installed (``pip install torch==2.13.0``). Keras cannot be
installed here: its row is checked against the formula Keras documents for ``regularizers.l2(l)``,
"loss = l2 * reduce_sum(square(x))", added to the mean data loss.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier

import l2book as l2

# ---------------------------------------------------------------------------------------------
# shared data and helpers
# ---------------------------------------------------------------------------------------------


def _regression_data(m: int = 40, n_x: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m)) * np.arange(1, n_x + 1)[:, None]  # unequal feature scales
    y = np.array([1.0, -2.0, 0.5, 0.0, 3.0])[:n_x] @ X + 0.7 + rng.standard_normal(m)
    return X, y.reshape(1, -1)


def _moons(m: int = 60, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    return l2.make_moons(m=m, noise=0.3, seed=seed)


def _max_diff(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> float:
    assert set(a) == set(b)
    return max(float(np.max(np.abs(a[k] - b[k]))) for k in a)


def _params_from_sklearn(mlp: MLPClassifier) -> dict[str, np.ndarray]:
    """scikit-learn's ``coefs_[l-1]`` is the book's ``W[l].T``; ``intercepts_[l-1]`` is ``b[l]``."""
    params = {}
    for l, (coef, intercept) in enumerate(zip(mlp.coefs_, mlp.intercepts_, strict=True), start=1):
        params[f"W{l}"] = coef.T.copy()
        params[f"b{l}"] = intercept.reshape(-1, 1).copy()
    return params


def _set_sklearn_params(mlp: MLPClassifier, params: dict[str, np.ndarray]) -> None:
    L = len(params) // 2
    mlp.coefs_ = [params[f"W{l}"].T.copy() for l in range(1, L + 1)]
    mlp.intercepts_ = [params[f"b{l}"].ravel().copy() for l in range(1, L + 1)]


def _sklearn_sgd_epoch(
    X: np.ndarray, Y: np.ndarray, params: dict[str, np.ndarray], alpha: float, lr: float, batch_size: int
) -> tuple[dict[str, np.ndarray], float]:
    """One epoch of scikit-learn's plain minibatch SGD (no momentum, no shuffling) from ``params``.

    Returns the parameters after the epoch and scikit-learn's ``loss_`` for it (the mean of the
    minibatch losses, each evaluated before its step).
    """
    hidden = params["W1"].shape[0]
    mlp = MLPClassifier(
        hidden_layer_sizes=(hidden,), activation="tanh", solver="sgd", alpha=alpha,
        batch_size=batch_size, learning_rate="constant", learning_rate_init=lr, momentum=0.0,
        nesterovs_momentum=False, shuffle=False, max_iter=1, warm_start=True, random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X.T, Y.ravel())  # sets up classes and shapes; its weights are replaced below
        _set_sklearn_params(mlp, params)
        mlp.fit(X.T, Y.ravel())  # warm start: exactly one epoch from `params`
    return _params_from_sklearn(mlp), float(mlp.loss_)


def _book_minibatch_epoch(
    net: l2.Network, X: np.ndarray, Y: np.ndarray, lam: float, lr: float, batch_size: int
) -> l2.Network:
    """One epoch of the book's minibatch SGD over consecutive batches, in the order of the columns.

    The book's minibatch gradient is g_B = (1/|B|) Σ_{i∈B} ∂L⁽ⁱ⁾/∂θ + (λ/m) W, with m the size of the
    training set. ``Network.gradients`` divides the penalty's gradient by the batch's own size, so it
    is called with λ·|B|/m (the same scaling :func:`l2book.fit` applies).
    """
    net = net.copy()
    m = X.shape[1]
    opt = l2.SGD(lr, batch_size=batch_size)
    for start in range(0, m, batch_size):
        Xb, Yb = X[:, start : start + batch_size], Y[:, start : start + batch_size]
        opt.step(net.params, net.gradients(Xb, Yb, lam * Xb.shape[1] / m))
    return net


# ---------------------------------------------------------------------------------------------
# scikit-learn
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lam", [0.01, 1.0, 30.0])
def test_ridge_alpha_is_lambda(lam: float) -> None:
    X, y = _regression_data()
    book = l2.ridge(X, y, lam)
    sk = Ridge(alpha=lam, solver="svd").fit(X.T, y.ravel())
    np.testing.assert_allclose(book.w, sk.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(book.b, sk.intercept_, rtol=1e-10, atol=1e-12)
    # Mistaking λ for λ/m (the penalty's coefficient up to ½) gives a different model.
    m = X.shape[1]
    wrong = Ridge(alpha=lam / m, solver="svd").fit(X.T, y.ravel())
    assert np.max(np.abs(wrong.coef_ - book.w)) > 1e3 * np.max(np.abs(sk.coef_ - book.w)) + 1e-6


def _book_logistic_regression(X: np.ndarray, Y: np.ndarray, lam: float) -> l2.Network:
    """Minimise the book's J for logistic regression (a one-layer sigmoid network) to high precision.

    Newton's method on J(w, b) with the exact Hessian; the gradient is l2book's backpropagation.
    """
    n_x, m = X.shape
    net = l2.Network([n_x, 1], output="sigmoid", seed=0)
    net.params["W1"][...] = 0.0
    net.params["b1"][...] = 0.0
    A = np.vstack([X, np.ones((1, m))])  # inputs with a constant row for b
    for _ in range(50):
        g = net.gradients(X, Y, lam)
        grad = np.concatenate([g["W1"].ravel(), g["b1"].ravel()])
        p = net.predict_proba(X).ravel()
        H = (A * (p * (1 - p))) @ A.T / m
        H[:n_x, :n_x] += lam / m * np.eye(n_x)  # ∂²/∂w² of λ/(2m)‖w‖²; b is not penalised
        step = np.linalg.solve(H, grad)
        net.params["W1"] -= step[:n_x].reshape(1, n_x)
        net.params["b1"] -= step[n_x:].reshape(1, 1)
        if np.max(np.abs(grad)) < 1e-14:
            break
    return net


@pytest.mark.parametrize("lam", [0.1, 2.0, 20.0])
def test_logistic_regression_C_is_one_over_lambda(lam: float) -> None:
    X, Y = _moons(m=80)
    book = _book_logistic_regression(X, Y, lam)
    sk = LogisticRegression(C=1.0 / lam, solver="newton-cholesky", tol=1e-12, max_iter=200)
    sk.fit(X.T, Y.ravel())
    np.testing.assert_allclose(book.params["W1"].ravel(), sk.coef_.ravel(), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(book.params["b1"].ravel(), sk.intercept_, rtol=1e-7, atol=1e-9)
    # At scikit-learn's solution the book's gradient vanishes for λ = 1/C, and not for λ = C.
    sk_net = l2.Network.from_params(
        {"W1": sk.coef_.copy(), "b1": sk.intercept_.reshape(1, 1).copy()}, "relu", "sigmoid"
    )
    right = max(float(np.abs(g).max()) for g in sk_net.gradients(X, Y, lam).values())
    wrong = max(float(np.abs(g).max()) for g in sk_net.gradients(X, Y, 1.0 / lam).values())
    assert right < 1e-9
    assert wrong > 1e-4


@pytest.mark.parametrize("alpha", [0.05, 1.0])
def test_mlp_classifier_alpha_is_lambda_full_batch(alpha: float) -> None:
    X, Y = _moons(m=60)
    net = l2.Network([2, 5, 1], hidden="tanh", output="sigmoid", seed=3)
    lr, m = 0.5, X.shape[1]
    sk_params, sk_loss = _sklearn_sgd_epoch(X, Y, net.params, alpha, lr, batch_size=m)
    # scikit-learn's loss for the epoch is the book's J at the starting weights with λ = alpha.
    assert sk_loss == pytest.approx(net.cost(X, Y, alpha), rel=1e-12)
    book = net.copy()
    l2.fit(book, X, Y, lam=alpha, optimizer=l2.GD(lr), epochs=1)
    assert _max_diff(book.params, sk_params) < 1e-12
    # λ = alpha/m (reading alpha as the coefficient of ‖W‖² in a mean loss) is a different step.
    wrong = net.copy()
    l2.fit(wrong, X, Y, lam=alpha / m, optimizer=l2.GD(lr), epochs=1)
    assert _max_diff(wrong.params, sk_params) > 1e-6


@pytest.mark.parametrize("batch_size", [10, 20])
def test_mlp_classifier_alpha_with_minibatches_is_lambda_times_m_over_B(batch_size: int) -> None:
    X, Y = _moons(m=60)
    net = l2.Network([2, 5, 1], hidden="tanh", output="sigmoid", seed=3)
    alpha, lr, m = 0.5, 0.3, X.shape[1]
    sk_params, _ = _sklearn_sgd_epoch(X, Y, net.params, alpha, lr, batch_size)
    book = _book_minibatch_epoch(net, X, Y, lam=alpha * m / batch_size, lr=lr, batch_size=batch_size)
    assert _max_diff(book.params, sk_params) < 1e-12
    naive = _book_minibatch_epoch(net, X, Y, lam=alpha, lr=lr, batch_size=batch_size)
    assert _max_diff(naive.params, sk_params) > 1e-5


# ---------------------------------------------------------------------------------------------
# PyTorch (optional)
# ---------------------------------------------------------------------------------------------


def _torch_model(net: l2.Network):  # -> torch.nn.Sequential
    torch = pytest.importorskip("torch")
    layers = []
    for l in range(1, net.L + 1):
        W, b = net.params[f"W{l}"], net.params[f"b{l}"]
        lin = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))  # torch's weight is (out, in), like the book's W
            lin.bias.copy_(torch.from_numpy(b.ravel()))
        layers.append(lin)
        if l < net.L:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def _torch_params(model) -> dict[str, np.ndarray]:
    linears = [layer for layer in model if hasattr(layer, "weight")]
    params = {}
    for l, lin in enumerate(linears, start=1):
        params[f"W{l}"] = lin.weight.detach().numpy().copy()
        params[f"b{l}"] = lin.bias.detach().numpy().reshape(-1, 1).copy()
    return params


def _torch_train(model, optimizer, X: np.ndarray, Y: np.ndarray, steps: int) -> None:
    torch = pytest.importorskip("torch")
    Xt, Yt = torch.from_numpy(X.T.copy()), torch.from_numpy(Y.T.copy())
    loss_fn = torch.nn.BCEWithLogitsLoss()  # mean over the batch, like the book's (1/m) Σ L
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(model(Xt), Yt).backward()
        optimizer.step()


def _weight_and_bias_groups(model, weight_decay: float) -> list[dict]:
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
    return [{"params": weights, "weight_decay": weight_decay}, {"params": biases, "weight_decay": 0.0}]


@pytest.mark.torch
def test_torch_sgd_weight_decay_is_lambda_over_m() -> None:
    torch = pytest.importorskip("torch")
    X, Y = _moons(m=60)
    net = l2.Network([2, 5, 1], hidden="tanh", output="sigmoid", seed=3)
    lam, lr, steps, m = 3.0, 0.5, 25, X.shape[1]
    book = net.copy()
    l2.fit(book, X, Y, lam=lam, optimizer=l2.GD(lr), epochs=steps)

    model = _torch_model(net)
    opt = torch.optim.SGD(_weight_and_bias_groups(model, lam / m), lr=lr)
    _torch_train(model, opt, X, Y, steps)
    assert _max_diff(book.params, _torch_params(model)) < 1e-12

    # torch's default decays the biases too (one parameter group): no longer the book's penalty.
    model = _torch_model(net)
    _torch_train(model, torch.optim.SGD(model.parameters(), lr=lr, weight_decay=lam / m), X, Y, steps)
    assert _max_diff(book.params, _torch_params(model)) > 1e-6


@pytest.mark.torch
def test_torch_adam_weight_decay_is_coupled_l2() -> None:
    torch = pytest.importorskip("torch")
    X, Y = _moons(m=60)
    net = l2.Network([2, 5, 1], hidden="tanh", output="sigmoid", seed=3)
    lam, lr, steps, m = 3.0, 0.05, 25, X.shape[1]
    book = net.copy()
    l2.fit(book, X, Y, lam=lam, optimizer=l2.Adam(lr), epochs=steps)
    model = _torch_model(net)
    _torch_train(model, torch.optim.Adam(_weight_and_bias_groups(model, lam / m), lr=lr), X, Y, steps)
    assert _max_diff(book.params, _torch_params(model)) < 1e-10


@pytest.mark.torch
def test_torch_adamw_matches_l2book_adamw() -> None:
    torch = pytest.importorskip("torch")
    X, Y = _moons(m=60)
    net = l2.Network([2, 5, 1], hidden="tanh", output="sigmoid", seed=3)
    wd, lr, steps = 0.1, 0.05, 25
    book = net.copy()
    l2.fit(book, X, Y, lam=0.0, optimizer=l2.AdamW(lr, weight_decay=wd), epochs=steps)
    model = _torch_model(net)
    _torch_train(model, torch.optim.AdamW(_weight_and_bias_groups(model, wd), lr=lr), X, Y, steps)
    assert _max_diff(book.params, _torch_params(model)) < 1e-10


@pytest.mark.torch
def test_torch_adamw_shrinks_by_one_minus_lr_wd_per_step() -> None:
    torch = pytest.importorskip("torch")
    w0 = torch.tensor([[1.5, -2.0, 0.25]], dtype=torch.float64)
    w = torch.nn.Parameter(w0.clone())
    lr, wd, steps = 0.01, 0.3, 7
    opt = torch.optim.AdamW([w], lr=lr, weight_decay=wd)
    for _ in range(steps):
        opt.zero_grad()
        (0.0 * w.sum()).backward()  # zero data gradient: only the decay moves the weights
        opt.step()
    np.testing.assert_allclose(w.detach().numpy(), (1 - lr * wd) ** steps * w0.numpy(), rtol=1e-14)


def test_adamw_is_not_l2_for_any_lambda() -> None:
    """No λ makes the L2-regularized optimum equal to what AdamW converges to.

    Every L2 solution of this least-squares problem lies on the ridge path ŵ(λ), λ ∈ [0, ∞). AdamW's
    decay shrinks every weight by the same factor per step while its Adam step has roughly unit size
    per coordinate, so it caps the large weight of the high-variance input; ridge instead shrinks the
    low-variance directions first. The closest point of a fine ridge path stays far away.
    """
    rng = np.random.default_rng(0)
    m = 200
    X = rng.standard_normal((3, m)) * np.array([[10.0], [1.0], [0.1]])
    Y = np.array([[4.0, 1.0, 0.5]]) @ X + 0.1 * rng.standard_normal((1, m))
    net = l2.Network([3, 1], output="identity", seed=0)
    l2.fit(net, X, Y, lam=0.0, optimizer=l2.AdamW(0.01, weight_decay=0.5), epochs=2000,
           record_every=2000)
    w = net.params["W1"].ravel()
    path = l2.ridge_path(X, Y, np.logspace(-4, 6, 2001))
    distance = np.linalg.norm(path.coefs - w, axis=1) / np.linalg.norm(w)
    assert distance.min() > 0.3
    # The same comparison for Adam with coupled L2 (λ/m inside the gradient) finds its λ on the path.
    lam = 50.0
    adam = l2.Network([3, 1], output="identity", seed=0)
    l2.fit(adam, X, Y, lam=lam, optimizer=l2.Adam(0.01), epochs=2000, record_every=2000)
    w_adam = adam.params["W1"].ravel()
    np.testing.assert_allclose(w_adam, l2.ridge(X, Y, lam).w, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------------
# Keras (documented formula)
# ---------------------------------------------------------------------------------------------


def _keras_loss_and_grads(net: l2.Network, X: np.ndarray, Y: np.ndarray, l2_factor: float):
    """Keras's training loss with ``kernel_regularizer=regularizers.l2(l2_factor)`` on every layer.

    Keras documents the penalty as ``l2 * reduce_sum(square(x))`` per kernel and adds it, unscaled,
    to the mean data loss of the batch; its gradient is therefore ∂L_mean/∂W + 2·l2·W.
    """
    data = net.data_loss(X, Y)
    loss = data + sum(l2_factor * float(np.sum(W**2)) for W in net.W)
    grads = net.gradients(X, Y, 0.0)
    for l in range(1, net.L + 1):
        grads[f"W{l}"] = grads[f"W{l}"] + 2 * l2_factor * net.params[f"W{l}"]
    return loss, grads


@pytest.mark.parametrize("lam", [0.3, 5.0])
def test_keras_l2_is_lambda_over_2m(lam: float) -> None:
    X, Y = _moons(m=60)
    net = l2.Network([2, 5, 1], hidden="tanh", output="sigmoid", seed=3)
    m = X.shape[1]
    loss, grads = _keras_loss_and_grads(net, X, Y, lam / (2 * m))
    assert loss == pytest.approx(net.cost(X, Y, lam), rel=1e-13)
    assert _max_diff(grads, net.gradients(X, Y, lam)) < 1e-14
    # l = λ/m (forgetting Keras has no ½) doubles the penalty.
    loss_wrong, _ = _keras_loss_and_grads(net, X, Y, lam / m)
    assert abs(loss_wrong - net.cost(X, Y, lam)) > 1e-3 * net.penalty(lam, m)
