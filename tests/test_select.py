from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold

from l2book.ridge import ridge
from l2book.select import (
    CVResult,
    DevSweepResult,
    OneStandardError,
    best_lambda_index,
    dev_sweep,
    kfold_cv,
    kfold_indices,
    one_standard_error,
    ridge_scorer,
)

LAMS = np.array([0.0, 0.1, 1.0, 10.0, 100.0])


def make_data(n_x: int = 5, m: int = 37, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m))
    y = rng.normal(size=n_x) @ X + 0.5 + rng.normal(size=m)
    return X, y.reshape(1, -1)


# --------------------------------------------------------------------------- folds


@pytest.mark.parametrize(("m", "k"), [(10, 2), (37, 5), (12, 12)])
def test_folds_partition_the_data(m, k):
    folds = kfold_indices(m, k, seed=1)
    assert len(folds) == k
    val = np.concatenate([va for _, va in folds])
    assert sorted(val) == list(range(m))
    sizes = sorted(len(va) for _, va in folds)
    assert sizes[-1] - sizes[0] <= 1
    for tr, va in folds:
        assert sorted(np.concatenate([tr, va])) == list(range(m))
        assert np.intersect1d(tr, va).size == 0


def test_folds_deterministic_per_seed_and_like_sklearn_kfold():
    a, b = kfold_indices(20, 4, seed=3), kfold_indices(20, 4, seed=3)
    for (tr1, va1), (tr2, va2) in zip(a, b, strict=True):
        np.testing.assert_array_equal(tr1, tr2)
        np.testing.assert_array_equal(va1, va2)
    other = kfold_indices(20, 4, seed=4)
    assert any(not np.array_equal(x[1], y[1]) for x, y in zip(a, other, strict=True))
    # seed=None: the unshuffled blocks of scikit-learn's KFold
    for (tr, va), (sk_tr, sk_va) in zip(
        kfold_indices(23, 5, seed=None), KFold(5).split(np.zeros(23)), strict=True
    ):
        np.testing.assert_array_equal(np.sort(tr), sk_tr)
        np.testing.assert_array_equal(va, sk_va)


def test_fold_errors():
    with pytest.raises(ValueError, match=r"k=1 folds is impossible with m=10 .* choose k in \[2, 10\]"):
        kfold_indices(10, 1)
    with pytest.raises(ValueError, match=r"k=11 folds is impossible with m=10 .*2 <= k <= m"):
        kfold_indices(10, 11)
    with pytest.raises(TypeError, match=r"k must be an integer number of folds, got float"):
        kfold_indices(10, 2.0)


# --------------------------------------------------------------------------- k-fold CV


def reference_cv(X, y, lams, k, seed):
    """A straightforward loop: scikit-learn KFold on the permuted order, Ridge per fold and λ."""
    order = np.random.default_rng(seed).permutation(X.shape[1])
    errors = np.empty((k, len(lams)))
    for f, (tr, va) in enumerate(KFold(k).split(order)):
        tr, va = order[tr], order[va]
        for j, lam in enumerate(lams):
            model = Ridge(alpha=lam).fit(X[:, tr].T, y[0, tr])
            errors[f, j] = np.mean((model.predict(X[:, va].T) - y[0, va]) ** 2)
    return errors


def test_kfold_ridge_matches_straightforward_loop():
    X, y = make_data()
    res = kfold_cv(X, y, LAMS, k=5, seed=2)
    assert isinstance(res, CVResult)
    ref = reference_cv(X, y, LAMS, 5, 2)
    np.testing.assert_allclose(res.fold_errors, ref, rtol=1e-9)
    np.testing.assert_allclose(res.mean, ref.mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(res.se, ref.std(axis=0, ddof=1) / np.sqrt(5), rtol=1e-9)
    assert res.best_lam == LAMS[np.argmin(res.mean)]
    assert res.one_se_lam == one_standard_error(LAMS, res.mean, res.se).lam
    assert res.one_se_lam >= res.best_lam


def test_kfold_with_callable_model_matches_builtin_ridge():
    X, y = make_data()
    calls = []

    def fit_and_error(X_tr, y_tr, X_va, y_va, lam):
        calls.append((X_tr.shape, y_tr.shape, X_va.shape, y_va.shape, lam))
        fit = ridge(X_tr, y_tr, lam)
        return float(np.mean((fit.predict(X_va) - y_va) ** 2))

    res = kfold_cv(X, y, LAMS, k=4, seed=0, model=fit_and_error)
    builtin = kfold_cv(X, y, LAMS, k=4, seed=0)
    np.testing.assert_allclose(res.fold_errors, builtin.fold_errors, rtol=1e-9)
    assert len(calls) == 4 * len(LAMS)
    assert calls[0][0][0] == 5 and calls[0][1][0] == 1  # (n_x, m_train), (1, m_train)
    assert sum(c[2][1] for c in calls[:: len(LAMS)]) == X.shape[1]


def test_kfold_deterministic_and_1d_targets():
    X, y = make_data()
    a = kfold_cv(X, y, LAMS, seed=9)
    b = kfold_cv(X, y.ravel(), LAMS, seed=9)
    np.testing.assert_array_equal(a.fold_errors, b.fold_errors)


def test_kfold_bad_input():
    X, y = make_data(m=8)
    with pytest.raises(ValueError, match=r"k=1 folds is impossible with m=8"):
        kfold_cv(X, y, LAMS, k=1)
    with pytest.raises(ValueError, match=r"k=9 folds is impossible with m=8"):
        kfold_cv(X, y, LAMS, k=9)
    with pytest.raises(ValueError, match=r"X has shape \(8, 5\) .* did you mean X\.T\?"):
        kfold_cv(X.T, y, LAMS)
    with pytest.raises(ValueError, match=r"X has m=8 examples .* but y has m=7"):
        kfold_cv(X, y[:, :7], LAMS)
    with pytest.raises(ValueError, match=r"lams\[0\]=-1\.0: every λ must be finite and >= 0"):
        kfold_cv(X, y, [-1.0])
    with pytest.raises(ValueError, match=r"X contains 1 NaN"):
        kfold_cv(np.where(X == X[0, 0], np.nan, X), y, LAMS, k=2)
    with pytest.raises(ValueError, match=r"model must be one of 'ridge'; got model='lasso'"):
        kfold_cv(X, y, LAMS, model="lasso")
    with pytest.raises(TypeError, match=r"model must be a function fit_and_error"):
        kfold_cv(X, y, LAMS, model=3)
    with pytest.raises(ValueError, match=r"model returned NaN for lam=0\.0"):
        kfold_cv(X, y, LAMS, k=2, model=lambda *args: float("nan"))
    with pytest.raises(TypeError, match=r"model must return a number \(an error\), got str"):
        kfold_cv(X, y, LAMS, k=2, model=lambda *args: "bad")
    with pytest.raises(ValueError, match=r"model='ridge' needs one target row, y has shape \(2, 8\)"):
        kfold_cv(X, np.vstack([y, y]), LAMS, k=2)


# --------------------------------------------------------------------------- one-SE rule


def test_one_standard_error_hand_built():
    lams = np.array([0.01, 0.1, 1.0, 10.0, 100.0])
    mean = np.array([1.00, 0.90, 0.80, 0.86, 1.20])
    se = np.array([0.05, 0.05, 0.07, 0.05, 0.05])
    r = one_standard_error(lams, mean, se)
    assert isinstance(r, OneStandardError)
    assert r.best_index == 2 and r.best_lam == 1.0
    assert r.threshold == pytest.approx(0.87)
    assert r.lam == 10.0 and r.index == 3  # 0.86 <= 0.87; 100 is too bad
    # A smaller SE at the minimum makes the rule keep the minimum itself.
    assert one_standard_error(lams, mean, [0.05, 0.05, 0.01, 0.05, 0.05]).lam == 1.0
    # Order of lams does not matter: the largest λ within the band is chosen.
    perm = [4, 2, 0, 3, 1]
    assert one_standard_error(lams[perm], mean[perm], se[perm]).lam == 10.0
    # The threshold itself counts as "within one SE".
    assert one_standard_error([1.0, 2.0], [1.0, 1.5], [0.5, 0.0]).lam == 2.0


def test_best_lambda_index_breaks_ties_toward_the_larger_lambda():
    assert best_lambda_index([0.0, 0.5, 1.0, 2.0], [0.3, 0.1, 0.2, 0.4]) == 1  # no tie: the argmin
    assert best_lambda_index([0.0, 0.5, 1.0, 2.0], [0.3, 0.1, 0.1, 0.4]) == 2  # tie: the larger λ
    # The rule is about λ, not about position: an unsorted grid gives the same λ.
    lams, errors = np.array([1.0, 0.0, 2.0, 0.5]), np.array([0.1, 0.3, 0.4, 0.1])
    assert lams[best_lambda_index(lams, errors)] == 1.0
    # Counts over the same dev set tie exactly; a float that is only close is not a tie.
    assert best_lambda_index([0.1, 1.0], [41 / 480, 41 / 480]) == 1
    assert best_lambda_index([0.1, 1.0], [0.1, np.nextafter(0.1, 1.0)]) == 0


def test_best_lambda_index_bad_input():
    with pytest.raises(ValueError, match=r"errors has shape \(2,\) but lams has shape \(3,\)"):
        best_lambda_index([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"errors contains 1 NaN"):
        best_lambda_index([1, 2], [np.nan, 2])
    with pytest.raises(ValueError, match=r"lams\[0\]=-1.0: every λ must be finite and >= 0"):
        best_lambda_index([-1, 2], [1, 2])


def test_ties_in_one_standard_error_and_kfold_follow_the_same_rule():
    r = one_standard_error([0.1, 1.0, 10.0], [0.5, 0.2, 0.2], [0.0, 0.0, 0.0])
    assert r.best_lam == 10.0 and r.best_index == 2


def test_one_standard_error_bad_input():
    with pytest.raises(ValueError, match=r"mean has shape \(2,\) but lams has shape \(3,\)"):
        one_standard_error([1, 2, 3], [1, 2], [0, 0, 0])
    with pytest.raises(ValueError, match=r"se must be >= 0, got se="):
        one_standard_error([1, 2], [1, 2], [0.1, -0.1])
    with pytest.raises(ValueError, match=r"mean contains 1 NaN"):
        one_standard_error([1, 2], [np.nan, 2], [0, 0])
    with pytest.raises(ValueError, match=r"lams is empty"):
        one_standard_error([], [], [])


# --------------------------------------------------------------------------- dev sweep


def test_dev_sweep_with_ridge_scorer_matches_sklearn():
    X, y = make_data(m=60)
    Xtr, ytr, Xdv, ydv = X[:, :40], y[:, :40], X[:, 40:], y[:, 40:]
    res = dev_sweep(ridge_scorer(Xtr, ytr, Xdv, ydv), LAMS)
    assert isinstance(res, DevSweepResult)
    for j, lam in enumerate(LAMS):
        sk = Ridge(alpha=lam).fit(Xtr.T, ytr[0])
        assert res.dev_errors[j] == pytest.approx(np.mean((sk.predict(Xdv.T) - ydv[0]) ** 2))
        assert res.train_errors[j] == pytest.approx(np.mean((sk.predict(Xtr.T) - ytr[0]) ** 2))
    assert res.best_index == int(np.argmin(res.dev_errors))
    assert res.best_lam == LAMS[res.best_index]
    assert np.all(np.diff(res.train_errors) >= -1e-12)  # more λ never fits train better


def test_dev_sweep_with_plain_callable():
    seen = []

    def dev_error(lam):
        seen.append(lam)
        return (np.log10(lam) - 0.5) ** 2

    res = dev_sweep(dev_error, [0.1, 1.0, 10.0, 100.0])
    assert seen == [0.1, 1.0, 10.0, 100.0]
    assert res.train_errors is None
    assert res.best_lam == 10.0  # tied with 1.0 exactly: the larger λ, the simpler model
    np.testing.assert_allclose(res.dev_errors, [2.25, 0.25, 0.25, 2.25])


def test_dev_sweep_bad_input():
    with pytest.raises(TypeError, match=r"fit_score must be a function lam -> dev_error"):
        dev_sweep(None, [1.0])
    with pytest.raises(ValueError, match=r"lams is empty"):
        dev_sweep(lambda lam: 0.0, [])
    with pytest.raises(ValueError, match=r"fit_score returned NaN for lam=1\.0; .* learning rate"):
        dev_sweep(lambda lam: np.nan, [1.0])
    with pytest.raises(ValueError, match=r"fit_score returned a tuple of length 3"):
        dev_sweep(lambda lam: (1.0, 2.0, 3.0), [1.0])
    with pytest.raises(ValueError, match=r"a pair for some λ and a single number for others"):
        dev_sweep(lambda lam: (1.0, 2.0) if lam > 1 else 1.0, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"a pair for some λ and a single number for others"):
        dev_sweep(lambda lam: (1.0, 2.0) if lam < 2 else 1.0, [1.0, 2.0])
    X, y = make_data()
    with pytest.raises(ValueError, match=r"X_dev has shape \(37, 5\) .* did you mean X_dev\.T\?"):
        ridge_scorer(X, y, X.T, y)
    with pytest.raises(ValueError, match=r"X_train has m=37 examples .* but y_train has m=3"):
        ridge_scorer(X, y[:, :3], X, y)
