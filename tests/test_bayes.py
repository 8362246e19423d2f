"""Bayesian linear regression against independent references.

References: scikit-learn's BayesianRidge with its precisions pinned by very strong Gamma
hyperpriors, Gaussian conditioning in the m×m ("kernel") form, a proper but very wide prior on the
intercept, brute-force integration on a grid, and scikit-learn's Ridge for the MAP = ridge claim.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import BayesianRidge, Ridge

from l2book.bayes import lambda_from_prior, linear_posterior


def _data(m: int = 30, n_x: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m)) * np.arange(1, n_x + 1)[:, None] + 2.0
    y = rng.normal(size=n_x) @ X + 1.5 + 0.7 * rng.normal(size=m)
    return X, y


def test_lambda_is_noise_variance_over_prior_variance() -> None:
    assert lambda_from_prior(2.0, 0.5) == pytest.approx(16.0)
    assert lambda_from_prior(1.0, 1.0) == 1.0


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_map_equals_sklearn_ridge_with_lambda_sigma2_over_tau2(fit_intercept: bool) -> None:
    X, y = _data()
    sigma, tau = 0.7, 0.3
    post = linear_posterior(X, y, sigma, tau, fit_intercept=fit_intercept)
    ref = Ridge(alpha=sigma**2 / tau**2, fit_intercept=fit_intercept, solver="cholesky").fit(X.T, y)
    np.testing.assert_allclose(post.mean, ref.coef_, rtol=1e-10, atol=1e-12)
    assert post.b == pytest.approx(ref.intercept_, abs=1e-10)
    assert post.lam == pytest.approx(sigma**2 / tau**2)


def test_matches_sklearn_bayesian_ridge_with_pinned_precisions() -> None:
    X, y = _data(m=40, n_x=4, seed=1)
    sigma, tau = 0.8, 1.3
    # Gamma(shape=k·a, rate=k) hyperpriors with huge k pin a precision at a: alpha_ = 1/σ², lambda_ = 1/τ².
    k = 1e13
    ref = BayesianRidge(
        alpha_1=k / sigma**2, alpha_2=k, lambda_1=k / tau**2, lambda_2=k, max_iter=5, tol=1e-300
    ).fit(X.T, y)
    assert ref.alpha_ == pytest.approx(1 / sigma**2, rel=1e-9)
    assert ref.lambda_ == pytest.approx(1 / tau**2, rel=1e-9)
    post = linear_posterior(X, y, sigma, tau)
    np.testing.assert_allclose(post.mean, ref.coef_, rtol=1e-7)
    np.testing.assert_allclose(post.cov, ref.sigma_, rtol=1e-7)
    assert post.b == pytest.approx(ref.intercept_, rel=1e-7)
    # scikit-learn's predictive std leaves out the intercept's uncertainty σ²/m; add it back.
    Xt = _data(m=7, n_x=4, seed=2)[0]
    mean, var = post.predictive(Xt)
    ref_mean, ref_std = ref.predict(Xt.T, return_std=True)
    np.testing.assert_allclose(mean[0], ref_mean, rtol=1e-7)
    np.testing.assert_allclose(var[0], ref_std**2 + sigma**2 / X.shape[1], rtol=1e-7)


def test_matches_gaussian_conditioning_in_kernel_form() -> None:
    # (w, ỹ) jointly Gaussian: E[w|ỹ] = τ²X̃(τ²X̃ᵀX̃ + σ²I)⁻¹ỹ, Cov = τ²I − τ⁴X̃(τ²X̃ᵀX̃ + σ²I)⁻¹X̃ᵀ.
    X, y = _data(m=12, n_x=5, seed=3)
    sigma, tau = 0.4, 0.9
    Xc = X - X.mean(axis=1, keepdims=True)
    yc = y - y.mean()
    K = tau**2 * Xc.T @ Xc + sigma**2 * np.eye(X.shape[1])
    mean = tau**2 * Xc @ np.linalg.solve(K, yc)
    cov = tau**2 * np.eye(5) - tau**4 * Xc @ np.linalg.solve(K, Xc.T)
    post = linear_posterior(X, y, sigma, tau)
    np.testing.assert_allclose(post.mean, mean, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(post.cov, cov, rtol=1e-8, atol=1e-12)


def test_flat_intercept_prior_is_the_limit_of_a_wide_gaussian_prior() -> None:
    # Proper prior b ~ N(0, κ²) on an augmented design [X; 1]; κ → ∞ recovers the flat prior.
    X, y = _data(m=25, n_x=2, seed=4)
    sigma, tau, kappa = 0.5, 0.8, 1e5
    Xa = np.vstack([X, np.ones(X.shape[1])])
    prior_prec = np.diag([1 / tau**2, 1 / tau**2, 1 / kappa**2])
    prec = Xa @ Xa.T / sigma**2 + prior_prec
    cov = np.linalg.inv(prec)
    mean = cov @ (Xa @ y) / sigma**2
    post = linear_posterior(X, y, sigma, tau)
    np.testing.assert_allclose(post.mean, mean[:2], rtol=1e-6)
    np.testing.assert_allclose(post.cov, cov[:2, :2], rtol=1e-6)
    assert post.b == pytest.approx(mean[2], rel=1e-6)
    Xt = np.array([[0.3, -2.0, 4.0], [1.0, 0.0, 5.0]])
    Xta = np.vstack([Xt, np.ones(3)])
    m_ref = mean @ Xta
    v_ref = np.einsum("im,ij,jm->m", Xta, cov, Xta)
    p_mean, p_var = post.predictive(Xt, noise=False)
    np.testing.assert_allclose(p_mean[0], m_ref, rtol=1e-6)
    np.testing.assert_allclose(p_var[0], v_ref, rtol=1e-5)
    assert post.predictive(Xt)[1] == pytest.approx(p_var + sigma**2)


def test_moments_by_brute_force_integration_on_a_grid() -> None:
    # One weight, no intercept: posterior ∝ likelihood × prior evaluated pointwise on a fine grid.
    rng = np.random.default_rng(5)
    x = rng.normal(size=(1, 8))
    y = 0.8 * x[0] + 0.6 * rng.normal(size=8)
    sigma, tau = 0.6, 0.5
    w = np.linspace(-4, 4, 400_001)
    log_post = -((w[:, None] * x[0] - y) ** 2).sum(axis=1) / (2 * sigma**2) - w**2 / (2 * tau**2)
    dens = np.exp(log_post - log_post.max())
    dens /= np.trapezoid(dens, w)
    mean = np.trapezoid(w * dens, w)
    var = np.trapezoid((w - mean) ** 2 * dens, w)
    post = linear_posterior(x, y, sigma, tau, fit_intercept=False)
    assert post.mean[0] == pytest.approx(mean, rel=1e-8)
    assert post.cov[0, 0] == pytest.approx(var, rel=1e-6)
    # logpdf is the normalized log density.
    np.testing.assert_allclose(
        post.logpdf(w[::10000, None]), np.log(dens[::10000]), rtol=1e-6, atol=1e-6
    )


def test_posterior_narrows_with_more_data_and_prior_dominates_with_none() -> None:
    X, y = _data(m=200, n_x=2, seed=6)
    few = linear_posterior(X[:, :5], y[:5], 1.0, 1.0)
    many = linear_posterior(X, y, 1.0, 1.0)
    assert np.all(np.diag(many.cov) < np.diag(few.cov))
    # Tiny τ: the prior wins, the mean goes to 0 and the covariance to τ²I.
    tight = linear_posterior(X, y, 1.0, 1e-6)
    np.testing.assert_allclose(tight.mean, 0.0, atol=1e-6)
    np.testing.assert_allclose(tight.cov, 1e-12 * np.eye(2), rtol=1e-3, atol=1e-18)


def test_bad_inputs_have_helpful_messages() -> None:
    X, y = _data()
    with pytest.raises(ValueError, match="sigma must be finite and > 0, got sigma=0"):
        linear_posterior(X, y, 0.0, 1.0)
    with pytest.raises(ValueError, match="tau must be finite and > 0, got tau=-1"):
        lambda_from_prior(1.0, -1.0)
    with pytest.raises(TypeError, match="fit_intercept must be True or False, got str"):
        linear_posterior(X, y, 1.0, 1.0, fit_intercept="no")
    with pytest.raises(ValueError, match=r"did you mean X\.T\?"):
        linear_posterior(X.T, y, 1.0, 1.0)
    post = linear_posterior(X, y, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"W must have shape \(K, n_x=3\).*got \(3,\)"):
        post.logpdf(np.zeros(3))
    with pytest.raises(ValueError, match=r"X has shape \(2, 4\) but \(n_x=3, m\) is expected"):
        post.predictive(np.zeros((2, 4)))
