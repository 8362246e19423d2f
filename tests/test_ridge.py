from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from l2book.data import load_prostate
from l2book.ridge import (
    RidgeFit,
    effective_df,
    lambda_for_df,
    ridge,
    ridge_path,
    shrinkage_factors,
)

LAMS = [0.0, 1e-3, 0.1, 1.0, 10.0, 1e3]


def make_data(n_x: int = 6, m: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m)) * np.linspace(0.5, 3.0, n_x)[:, None] + 1.5
    w_true = rng.normal(size=n_x)
    y = w_true @ X + 0.7 + 0.3 * rng.normal(size=m)
    return X, y.reshape(1, -1)


def gradient(X, y, w, b, lam):
    """∂J/∂w = (1/m) X(ŷ − y)ᵀ + (λ/m) w,  ∂J/∂b = (1/m) Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)."""
    m = X.shape[1]
    r = w @ X + b - y[0]
    return X @ r / m + lam / m * w, r.mean()


# --------------------------------------------------------------------------- ridge


@pytest.mark.parametrize("lam", LAMS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_matches_sklearn(lam, fit_intercept):
    X, y = make_data()
    fit = ridge(X, y, lam, fit_intercept=fit_intercept)
    sk = Ridge(alpha=lam, fit_intercept=fit_intercept).fit(X.T, y.ravel())
    assert isinstance(fit, RidgeFit)
    assert fit.w.shape == (X.shape[0],)
    np.testing.assert_allclose(fit.w, sk.coef_, rtol=0, atol=1e-8)
    assert fit.b == pytest.approx(float(sk.intercept_), abs=1e-8)
    assert fit.lam == lam


def test_ridge_accepts_1d_targets_and_predicts():
    X, y = make_data()
    a, b = ridge(X, y, 2.0), ridge(X, y.ravel(), 2.0)
    np.testing.assert_array_equal(a.w, b.w)
    pred = a.predict(X[:, :5])
    assert pred.shape == (1, 5)
    np.testing.assert_allclose(pred[0], a.w @ X[:, :5] + a.b)


@pytest.mark.parametrize("lam", [0.0, 0.5, 20.0])
def test_gradient_is_zero_at_the_solution(lam):
    X, y = make_data(seed=3)
    fit = ridge(X, y, lam)
    gw, gb = gradient(X, y, fit.w, fit.b, lam)
    assert np.abs(gw).max() < 1e-10
    assert abs(gb) < 1e-12
    # and not zero a little away from it, so the check has teeth
    gw2, _ = gradient(X, y, fit.w + 1e-3, fit.b, lam)
    assert np.abs(gw2).max() > 1e-4


def test_intercept_is_not_penalized():
    # Shifting y by c moves b by c and leaves w alone, whatever λ is.
    X, y = make_data()
    a, b = ridge(X, y, 50.0), ridge(X, y + 100.0, 50.0)
    np.testing.assert_allclose(a.w, b.w, atol=1e-10)
    assert b.b - a.b == pytest.approx(100.0)


def test_large_lambda_shrinks_w_to_zero_and_b_to_mean():
    X, y = make_data()
    norms = [np.linalg.norm(ridge(X, y, lam).w) for lam in [0.0, 1.0, 1e2, 1e4, 1e12]]
    assert all(a > b for a, b in zip(norms, norms[1:], strict=False))
    assert norms[-1] < 1e-8
    assert ridge(X, y, 1e12).b == pytest.approx(y.mean(), abs=1e-6)


def test_lambda_zero_rank_deficient_gives_minimum_norm_least_squares():
    X, y = make_data(n_x=30, m=10)
    fit = ridge(X, y, 0.0)
    Xc = X - X.mean(axis=1, keepdims=True)
    expected = np.linalg.pinv(Xc.T) @ (y[0] - y.mean())
    np.testing.assert_allclose(fit.w, expected, atol=1e-8)
    np.testing.assert_allclose(ridge_path(X, y, [0.0]).coefs[0], expected, atol=1e-8)


# --------------------------------------------------------------------------- path


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_path_equals_per_lambda_closed_form(fit_intercept):
    X, y = make_data()
    lams = np.array([5.0, 0.0, 0.3, 1e4])  # any order
    path = ridge_path(X, y, lams, fit_intercept=fit_intercept)
    assert path.coefs.shape == (4, X.shape[0])
    assert path.intercepts.shape == (4,)
    np.testing.assert_array_equal(path.lams, lams)
    for k, lam in enumerate(lams):
        fit = ridge(X, y, lam, fit_intercept=fit_intercept)
        np.testing.assert_allclose(path.coefs[k], fit.w, atol=1e-10)
        assert path.intercepts[k] == pytest.approx(fit.b, abs=1e-10)
    np.testing.assert_allclose(path.predict(X), path.coefs @ X + path.intercepts[:, None])


def test_ridge_path_wide_data_matches_sklearn():
    X, y = make_data(n_x=50, m=20)
    lams = [0.1, 1.0, 10.0]
    path = ridge_path(X, y, lams)
    for k, lam in enumerate(lams):
        sk = Ridge(alpha=lam).fit(X.T, y.ravel())
        np.testing.assert_allclose(path.coefs[k], sk.coef_, atol=1e-8)
    assert path.singular_values.shape == (19,)  # centering removes one dimension


# --------------------------------------------------------------------------- shrinkage, df


def test_shrinkage_factors_from_the_svd_of_centered_x():
    X, _ = make_data()
    d = np.linalg.svd(X - X.mean(axis=1, keepdims=True), compute_uv=False)
    np.testing.assert_allclose(shrinkage_factors(X, 3.0), d**2 / (d**2 + 3.0))
    d_raw = np.linalg.svd(X, compute_uv=False)
    np.testing.assert_allclose(shrinkage_factors(X, 3.0, fit_intercept=False), d_raw**2 / (d_raw**2 + 3.0))
    s = shrinkage_factors(X, [0.0, 3.0])
    assert s.shape == (2, X.shape[0])
    np.testing.assert_allclose(s[0], 1.0)


def test_effective_df_is_trace_of_hat_matrix():
    X, _ = make_data()
    Xc = X - X.mean(axis=1, keepdims=True)
    for lam in [0.0, 0.7, 30.0]:
        H = Xc.T @ np.linalg.solve(Xc @ Xc.T + lam * np.eye(X.shape[0]), Xc)
        assert effective_df(X, lam) == pytest.approx(np.trace(H), rel=1e-12)


def test_effective_df_full_rank_decreasing_and_vectorized():
    X, _ = make_data(n_x=6)
    assert effective_df(X, 0.0) == pytest.approx(6.0, abs=1e-12)
    lams = np.logspace(-3, 7, 50)
    df = effective_df(X, lams)
    assert df.shape == (50,)
    assert np.all(np.diff(df) < 0)
    assert df[-1] < 1e-3
    np.testing.assert_allclose(df, [effective_df(X, lam) for lam in lams], rtol=1e-14)


def test_effective_df_rank_deficient_is_rank():
    X, _ = make_data(n_x=30, m=10)
    assert effective_df(X, 0.0) == pytest.approx(9.0)
    assert effective_df(X, 0.0, fit_intercept=False) == pytest.approx(10.0)


def test_lambda_for_df_inverts_effective_df():
    X, _ = make_data()
    lams = np.array([1e-4, 0.05, 1.0, 40.0, 1e5])
    np.testing.assert_allclose(lambda_for_df(X, effective_df(X, lams)), lams, rtol=1e-8)
    dfs = np.array([0.01, 0.5, 2.0, 5.99])
    np.testing.assert_allclose(effective_df(X, lambda_for_df(X, dfs)), dfs, atol=1e-9)
    lam3 = lambda_for_df(X, 3.0)
    assert isinstance(lam3, float)
    assert effective_df(X, lam3) == pytest.approx(3.0, abs=1e-9)


def test_lambda_for_df_endpoints():
    X, _ = make_data()
    np.testing.assert_array_equal(lambda_for_df(X, [0.0, 6.0]), [np.inf, 0.0])


# --------------------------------------------------------------------------- ESL Table 3.3


def esl_standardized():
    """Inputs standardized as in ESL: mean and sample sd (ddof=1) of ALL 97 rows (R's scale()).

    Standardizing with the 67 training rows instead gives lcavol 0.711/0.716 (ddof 0/1), not the
    printed 0.680, and intercept 2.452; ddof=0 on all rows gives 0.676. Only this choice reproduces
    every printed digit of the least-squares column.
    """
    p = load_prostate()
    Z = (p.X - p.X.mean(axis=1, keepdims=True)) / p.X.std(axis=1, ddof=1, keepdims=True)
    return Z, p.y, p.train, p.feature_names


def test_esl_table_3_3_least_squares():
    Z, y, train, names = esl_standardized()
    fit = ridge(Z[:, train], y[:, train], 0.0)
    published = {
        "lcavol": 0.680,
        "lweight": 0.263,
        "age": -0.141,
        "lbph": 0.210,
        "svi": 0.305,
        "lcp": -0.288,
        "gleason": -0.021,
        "pgg45": 0.267,
    }
    assert round(fit.b, 3) == 2.465
    for name, w in zip(names, fit.w, strict=True):
        assert round(float(w), 3) == published[name], name
    sq = (fit.predict(Z[:, ~train]) - y[:, ~train])[0] ** 2
    assert round(sq.mean(), 3) == 0.521
    assert round(sq.std(ddof=1) / np.sqrt(sq.size), 3) == 0.179


def test_esl_table_3_3_ridge_near_df_5():
    # ESL picks ridge by 10-fold CV at df ≈ 5 but does not print λ; at df = 5 exactly the
    # coefficients agree with the printed column to 0.002 and the test error (0.490 here)
    # with the printed 0.492 to 0.002. The printed ridge intercept 2.452 is the training mean of
    # lpsa, i.e. a different centering from the least-squares column, so it is not compared.
    Z, y, train, _ = esl_standardized()
    lam = lambda_for_df(Z[:, train], 5.0)
    fit = ridge(Z[:, train], y[:, train], lam)
    published = np.array([0.420, 0.238, -0.046, 0.162, 0.227, 0.000, 0.040, 0.133])
    assert np.abs(fit.w - published).max() < 0.0025
    sq = (fit.predict(Z[:, ~train]) - y[:, ~train])[0] ** 2
    assert abs(sq.mean() - 0.492) < 0.0025


# --------------------------------------------------------------------------- bad input


def test_x_in_sklearn_layout_is_flagged():
    X, y = make_data(n_x=3, m=20)
    for call in (
        lambda: ridge(X.T, y, 1.0),
        lambda: ridge_path(X.T, y, [1.0]),
    ):
        with pytest.raises(ValueError, match=r"X has shape \(20, 3\) .* did you mean X\.T\?"):
            call()


def test_mismatched_m():
    X, y = make_data(n_x=3, m=20)
    with pytest.raises(ValueError, match=r"X has m=20 examples .* but y has m=19"):
        ridge(X, y[:, :19], 1.0)
    with pytest.raises(ValueError, match=r"y has shape \(20, 1\) .* did you mean y\.T\?"):
        ridge(X, y.T, 1.0)


def test_non_finite_and_empty_data():
    X, y = make_data(n_x=3, m=20)
    X_bad = X.copy()
    X_bad[1, 4] = np.nan
    with pytest.raises(ValueError, match=r"X contains 1 NaN .* \(first at index \(1, 4\)"):
        ridge(X_bad, y, 1.0)
    y_bad = y.copy()
    y_bad[0, 2] = np.inf
    with pytest.raises(ValueError, match=r"y contains 0 NaN and 1 inf"):
        ridge_path(X, y_bad, [1.0])
    with pytest.raises(ValueError, match=r"X is empty \(shape \(3, 0\)\)"):
        ridge(np.zeros((3, 0)), np.zeros(0), 1.0)
    with pytest.raises(ValueError, match=r"X is empty"):
        effective_df(np.zeros((3, 0)), 1.0)


@pytest.mark.parametrize("lam", [-1.0, np.inf, np.nan])
def test_bad_lambda(lam):
    X, y = make_data(n_x=3, m=20)
    with pytest.raises(ValueError, match=r"lam \(λ\) must be finite and >= 0"):
        ridge(X, y, lam)
    with pytest.raises(ValueError, match=r"lams\[1\]=.*every λ must be finite and >= 0"):
        ridge_path(X, y, [1.0, lam])
    with pytest.raises(ValueError, match=r"lam \(λ\) must be finite and >= 0"):
        shrinkage_factors(X, lam)
    with pytest.raises(ValueError, match=r"lam\[0\]=.*every λ must be finite"):
        effective_df(X, [lam])


def test_bad_lams_and_flags():
    X, y = make_data(n_x=3, m=20)
    with pytest.raises(ValueError, match=r"lams is empty; pass at least one λ"):
        ridge_path(X, y, [])
    with pytest.raises(TypeError, match=r"fit_intercept must be True or False, got str"):
        ridge(X, y, 1.0, fit_intercept="yes")


def test_lambda_for_df_out_of_range():
    X, _ = make_data(n_x=3, m=20)
    with pytest.raises(ValueError, match=r"df=3\.5 is outside \[0, rank=3\]"):
        lambda_for_df(X, 3.5)
    with pytest.raises(ValueError, match=r"df=-0\.1 is outside \[0, rank=3\].*choose df"):
        lambda_for_df(X, [1.0, -0.1])
    with pytest.raises(ValueError, match=r"df contains 1 NaN"):
        lambda_for_df(X, np.nan)
    with pytest.raises(ValueError, match=r"df is empty"):
        lambda_for_df(X, [])
    with pytest.raises(ValueError, match=r"tol must be finite and > 0"):
        lambda_for_df(X, 1.0, tol=0.0)
    with pytest.raises(RuntimeError, match=r"did not reach tol=1e-15 in max_iter=2"):
        lambda_for_df(X, 1.0, tol=1e-15, max_iter=2)


def test_predict_checks_the_layout():
    X, y = make_data(n_x=3, m=20)
    fit, path = ridge(X, y, 1.0), ridge_path(X, y, [1.0, 2.0])
    for predict in (fit.predict, path.predict):
        with pytest.raises(ValueError, match=r"X has shape \(20, 3\) but \(n_x=3, m\) .* X\.T\?"):
            predict(X.T)
        with pytest.raises(ValueError, match=r"X has shape \(4, 20\) but \(n_x=3, m\) is expected"):
            predict(np.zeros((4, 20)))
