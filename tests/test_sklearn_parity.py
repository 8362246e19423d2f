"""The book's λ is scikit-learn's: same cost, same gradients, same optimum.

scikit-learn's MLPs minimise (1/m) Σ L + alpha/(2m) Σ ‖coefs_‖², LogisticRegression minimises
C Σ L + ½‖w‖², i.e. (after dividing by Cm) the book's J with λ = 1/C. These tests load identical
weights into both implementations and compare, using scikit-learn's private ``_backprop`` and
``_loss_grad_lbfgs`` (sklearn/neural_network/_multilayer_perceptron.py), which return the loss and
the gradients of exactly the objective the estimator trains.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402

from l2book import GD, Momentum, Network, fit  # noqa: E402

SKLEARN_ACTIVATION = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic"}
TOL = 1e-10


def make_data(output: str, n_x: int = 3, m: int = 40, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    if output == "sigmoid":
        Y = ((X[0] - X[1] + 0.5 * rng.standard_normal(m)) > 0).astype(float)[None]
    else:
        Y = (X[0] - 2 * X[1] + 0.1 * rng.standard_normal(m))[None]
    return X, Y


def sklearn_twin(net: Network, X: np.ndarray, Y: np.ndarray, lam: float, **kwargs):
    """An MLPClassifier/MLPRegressor set up for the same data, holding ``net``'s weights."""
    cls = MLPClassifier if net.output == "sigmoid" else MLPRegressor
    est = cls(hidden_layer_sizes=net.layer_sizes[1:-1], activation=SKLEARN_ACTIVATION[net.hidden],
              alpha=lam, **({"solver": "lbfgs", "max_iter": 1} | kwargs))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X.T, Y.ravel())  # builds the layers and the loss; the weights are replaced below
    est.coefs_ = [W.T.copy() for W in net.W]  # coefs_[l-1] = W[l]ᵀ
    est.intercepts_ = [b.ravel().copy() for b in net.b]
    return est


def sklearn_backprop(est, X: np.ndarray, Y: np.ndarray):
    n = est.n_layers_
    args = (
        [X.T] + [None] * (n - 1),
        [None] * (n - 1),
        [np.empty_like(c) for c in est.coefs_],
        [np.empty_like(i) for i in est.intercepts_],
    )
    loss, coef_grads, intercept_grads = est._backprop(X.T, Y.T, None, *args)
    return loss, coef_grads, intercept_grads


def relative(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-300))


@pytest.mark.parametrize("lam", [0.0, 0.3, 5.0])
@pytest.mark.parametrize("hidden_sizes", [(), (5,), (4, 3)], ids=["0 hidden", "1 hidden", "2 hidden"])
@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("output", ["sigmoid", "identity"])
def test_cost_and_gradients_equal_sklearn_mlp(output, hidden, hidden_sizes, lam):
    X, Y = make_data(output)
    net = Network([3, *hidden_sizes, 1], hidden=hidden, output=output, seed=1)
    for b in net.b:
        b += np.random.default_rng(2).normal(0, 0.3, b.shape)
    est = sklearn_twin(net, X, Y, lam)
    loss, coef_grads, intercept_grads = sklearn_backprop(est, X, Y)
    assert relative(net.cost(X, Y, lam), loss) < TOL
    grads = net.gradients(X, Y, lam)
    for l in range(1, net.L + 1):
        assert relative(grads[f"W{l}"], coef_grads[l - 1].T) < TOL, f"W{l}"
        assert relative(grads[f"b{l}"].ravel(), intercept_grads[l - 1]) < TOL, f"b{l}"


@pytest.mark.parametrize("output", ["sigmoid", "identity"])
def test_packed_lbfgs_objective_equals_ours(output):
    """``_loss_grad_lbfgs`` is the function L-BFGS minimises: it agrees with J and ∇J too."""
    X, Y = make_data(output, seed=3)
    net = Network([3, 6, 4, 1], hidden="tanh", output=output, seed=4)
    lam = 1.7
    est = sklearn_twin(net, X, Y, lam)
    packed = np.concatenate([c.ravel() for c in est.coefs_] + [i.ravel() for i in est.intercepts_])
    n = est.n_layers_
    loss, grad = est._loss_grad_lbfgs(
        packed, X.T, Y.T, None, [X.T] + [None] * (n - 1), [None] * (n - 1),
        [np.empty_like(c) for c in est.coefs_], [np.empty_like(i) for i in est.intercepts_],
    )
    g = net.gradients(X, Y, lam)
    ours = np.concatenate([g[f"W{l}"].T.ravel() for l in range(1, 4)]
                          + [g[f"b{l}"].ravel() for l in range(1, 4)])
    assert relative(net.cost(X, Y, lam), loss) < TOL
    assert relative(ours, grad) < TOL


@pytest.mark.parametrize("output", ["sigmoid", "identity"])
def test_full_batch_training_follows_sklearn_sgd(output):
    """Full-batch SGD without momentum in scikit-learn = GD(η) here, step for step."""
    X, Y = make_data(output, m=50, seed=5)
    lam, lr, epochs = 0.8, 0.05, 30
    start = Network([3, 7, 1], hidden="relu", output=output, seed=6)
    est = sklearn_twin(start, X, Y, lam, solver="sgd", batch_size=50, momentum=0.0,
                       learning_rate_init=lr, max_iter=epochs, shuffle=False, tol=0.0,
                       n_iter_no_change=10**6, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X.T, Y.ravel())  # warm start: continues from the weights loaded into it
    net = start.copy()
    h = fit(net, X, Y, lam=lam, optimizer=GD(lr), epochs=epochs)
    for l in range(1, 3):
        assert relative(net.params[f"W{l}"], est.coefs_[l - 1].T) < TOL
        assert relative(net.params[f"b{l}"].ravel(), est.intercepts_[l - 1]) < TOL
    # loss_curve_ (appended to by each warm-started fit) holds J before each epoch's step
    assert relative(h.cost[:-1], est.loss_curve_[-epochs:]) < TOL


def test_logistic_regression_optimum_equals_sklearn():
    """LogisticRegression(C=1/λ) and a zero-hidden-layer network reach the same (w, b)."""
    X, Y = make_data("sigmoid", n_x=3, m=200, seed=7)
    lam = 2.0
    clf = LogisticRegression(C=1 / lam, tol=1e-13, max_iter=10_000).fit(X.T, Y.ravel())
    w, b = clf.coef_, clf.intercept_.reshape(1, 1)
    # 1) sklearn's optimum is a stationary point of the book's J
    at_sklearn = Network.from_params({"W1": w, "b1": b})
    grads = at_sklearn.gradients(X, Y, lam)
    assert max(np.abs(grads["W1"]).max(), np.abs(grads["b1"]).max()) < 1e-9
    # 2) gradient descent (with momentum, to converge in few steps) on J from zero weights reaches
    #    the same point
    net = Network.from_params({"W1": np.zeros((1, 3)), "b1": np.zeros((1, 1))})
    fit(net, X, Y, lam=lam, optimizer=Momentum(3.0, beta=0.8), epochs=500, record_every=500)
    np.testing.assert_allclose(net.params["W1"], w, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(net.params["b1"], b, rtol=1e-6, atol=1e-9)
