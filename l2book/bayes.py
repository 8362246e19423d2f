"""Bayesian linear regression with a Gaussian prior on the weights: ridge is its posterior mode.

Model (examples are the columns of ``X``, shape ``(n_x, m)``)::

    y⁽ⁱ⁾ = wᵀx⁽ⁱ⁾ + b + ε⁽ⁱ⁾,   ε⁽ⁱ⁾ ~ N(0, σ²) independent,   w ~ N(0, τ² I),   b flat (no prior).

The negative log posterior of (w, b), up to a constant, is

    1/(2σ²) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² + 1/(2τ²) ‖w‖²
        = (m/σ²) · [ 1/(2m) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² + (σ²/τ²)/(2m) ‖w‖² ],

and the bracket is the book's ridge cost with λ = σ²/τ². A positive factor does not move the
minimizer, so the MAP estimate is :func:`l2book.ridge` with ``lam = sigma**2 / tau**2`` (the 1/(2m)
factors cancel because both terms of the book's cost carry 1/m). Because the posterior is Gaussian,
its mode is also its mean.

The flat prior on b mirrors the unpenalized intercept: with x̄, ȳ the means and X̃ = X − x̄,
ỹ = y − ȳ, the posterior factorizes into

    w | y ~ N(μ, Σ),   Σ = σ² (X̃X̃ᵀ + λI)⁻¹,   μ = (X̃X̃ᵀ + λI)⁻¹ X̃ỹᵀ,
    b + wᵀx̄ | y ~ N(ȳ, σ²/m)   (independent of w).

Reference: Bishop, *Pattern Recognition and Machine Learning* (2006), §3.3; Murphy, *Machine
Learning: A Probabilistic Perspective* (2012), §7.5–7.6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from l2book import _validate as v

__all__ = ["GaussianPosterior", "lambda_from_prior", "linear_posterior"]


def lambda_from_prior(sigma: float, tau: float) -> float:
    """The book's λ of the MAP estimate: λ = σ²/τ² (noise variance over prior variance).

    A vaguer prior (larger τ) or less noise (smaller σ) means a smaller λ: the data are trusted more.

    Parameters
    ----------
    sigma : float
        Standard deviation σ > 0 of the observation noise.
    tau : float
        Standard deviation τ > 0 of the Gaussian prior on each weight.

    Returns
    -------
    float
    """
    sigma = v.check_positive("sigma", sigma)
    tau = v.check_positive("tau", tau)
    return sigma**2 / tau**2


@dataclass(frozen=True)
class GaussianPosterior:
    """The posterior of Bayesian linear regression (see the module docstring).

    Attributes
    ----------
    mean : ndarray of shape (n_x,)
        μ, the posterior mean of w; equal to the posterior mode (MAP) and to ridge's ŵ with λ = σ²/τ².
    cov : ndarray of shape (n_x, n_x)
        Σ = σ²(X̃X̃ᵀ + λI)⁻¹, the posterior covariance of w.
    b : float
        Posterior mean of the intercept, ȳ − μᵀx̄ (ridge's b̂).
    x_mean : ndarray of shape (n_x,)
        x̄ (zeros when ``fit_intercept=False``).
    m : int
        Number of examples.
    sigma, tau : float
        Noise and prior standard deviations.
    fit_intercept : bool
        Whether b was part of the model (else b = 0 exactly).
    """

    mean: np.ndarray
    cov: np.ndarray
    b: float
    x_mean: np.ndarray
    m: int
    sigma: float
    tau: float
    fit_intercept: bool

    @property
    def lam(self) -> float:
        """λ = σ²/τ², the ridge penalty whose solution is the posterior mean."""
        return self.sigma**2 / self.tau**2

    def predictive(self, X: np.ndarray, noise: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance of the prediction at each column of ``X``.

        f(x) = wᵀ(x − x̄) + (b + wᵀx̄) has mean μᵀx + b and variance (x − x̄)ᵀΣ(x − x̄) + σ²/m
        (the second term from the intercept; absent when ``fit_intercept=False``). With
        ``noise=True`` the variance of a new observation y = f(x) + ε adds σ².

        Parameters
        ----------
        X : array of shape (n_x, m_new)
            Inputs, one column per point.
        noise : bool, default True
            Include the observation noise σ².

        Returns
        -------
        mean, var : ndarrays of shape (1, m_new)
        """
        X = v.check_matrix("X", X, n_rows=self.mean.shape[0])
        Xc = X - self.x_mean[:, None]
        mean = self.mean @ X + self.b
        var = np.einsum("im,ij,jm->m", Xc, self.cov, Xc)  # (x − x̄)ᵀ Σ (x − x̄) per column
        if self.fit_intercept:
            var = var + self.sigma**2 / self.m
        if noise:
            var = var + self.sigma**2
        return mean.reshape(1, -1), var.reshape(1, -1)

    def logpdf(self, W: np.ndarray) -> np.ndarray:
        """Log posterior density of w at each row of ``W`` (shape (K, n_x)); returns shape (K,)."""
        W = v.as_float_array("W", W)
        n_x = self.mean.shape[0]
        if W.ndim != 2 or W.shape[1] != n_x:
            raise ValueError(f"W must have shape (K, n_x={n_x}), one weight vector per row; got {W.shape}")
        L = np.linalg.cholesky(self.cov)
        z = np.linalg.solve(L, (W - self.mean).T)  # Σ = LLᵀ, so (w−μ)ᵀΣ⁻¹(w−μ) = ‖L⁻¹(w−μ)‖²
        log_det = 2.0 * np.log(np.diag(L)).sum()
        return -0.5 * (np.sum(z * z, axis=0) + log_det + n_x * np.log(2 * np.pi))


def linear_posterior(
    X: np.ndarray, y: np.ndarray, sigma: float, tau: float, fit_intercept: bool = True
) -> GaussianPosterior:
    """Posterior of w under y ~ N(wᵀx + b, σ²), w ~ N(0, τ²I): N(μ, Σ) with λ = σ²/τ²,

    Σ = σ²(X̃X̃ᵀ + λI)⁻¹ and μ = (X̃X̃ᵀ + λI)⁻¹X̃ỹᵀ, the ridge solution of the book's cost
    1/(2m) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² + λ/(2m)‖w‖².

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example.
    y : array of shape (1, m) or (m,)
        Targets.
    sigma : float
        Noise standard deviation σ > 0 (assumed known).
    tau : float
        Prior standard deviation τ > 0 of each weight.
    fit_intercept : bool, default True
        Include an intercept b with a flat prior (the unpenalized intercept of ridge). If False,
        b = 0 and X, y are not centered.

    Returns
    -------
    GaussianPosterior
    """
    lam = lambda_from_prior(sigma, tau)
    if not isinstance(fit_intercept, (bool, np.bool_)):
        raise TypeError(f"fit_intercept must be True or False, got {type(fit_intercept).__name__}")
    X = v.as_float_matrix("X", X)
    y = v.check_targets("y", y, X, n_outputs=1)[0]
    n_x, m = X.shape
    x_mean = X.mean(axis=1) if fit_intercept else np.zeros(n_x)
    y_mean = float(y.mean()) if fit_intercept else 0.0
    Xc = X - x_mean[:, None]
    A = Xc @ Xc.T + lam * np.eye(n_x)  # posterior precision times σ²
    L = np.linalg.cholesky(A)
    A_inv = np.linalg.solve(L.T, np.linalg.solve(L, np.eye(n_x)))
    mean = A_inv @ (Xc @ (y - y_mean))
    cov = sigma**2 * A_inv
    cov = 0.5 * (cov + cov.T)  # exact symmetry, so Cholesky of cov never fails on rounding
    b = y_mean - float(mean @ x_mean)
    return GaussianPosterior(
        mean=mean,
        cov=cov,
        b=b,
        x_mean=x_mean,
        m=m,
        sigma=float(sigma),
        tau=float(tau),
        fit_intercept=bool(fit_intercept),
    )
