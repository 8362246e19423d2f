from __future__ import annotations

import numpy as np
import pytest

from l2book.data import (
    Split,
    Standardizer,
    load_prostate,
    make_circles,
    make_moons,
    make_polynomial_data,
    polynomial_features,
    train_dev_test_split,
)

# --------------------------------------------------------------------------- classification sets


@pytest.mark.parametrize("make", [make_moons, make_circles])
def test_classification_shapes_labels_and_balance(make):
    X, Y = make(m=101, noise=0.1, seed=3)
    assert X.shape == (2, 101)
    assert Y.shape == (1, 101)
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert Y.sum() == 50  # ⌊m/2⌋ of class 1 without flips
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make", [make_moons, make_circles])
def test_classification_is_deterministic_per_seed(make):
    a, b, c = make(m=50, seed=7), make(m=50, seed=7), make(m=50, seed=8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_moons_geometry_without_noise():
    X, Y = make_moons(m=200, noise=0.0, seed=0)
    outer, inner = X[:, Y[0] == 0], X[:, Y[0] == 1]
    np.testing.assert_allclose(np.hypot(*outer), 1.0)
    assert (outer[1] >= 0).all()
    np.testing.assert_allclose(np.hypot(inner[0] - 1.0, inner[1] - 0.5), 1.0)
    assert (inner[1] <= 0.5).all()


def test_circles_geometry_without_noise():
    X, Y = make_circles(m=200, noise=0.0, factor=0.3, seed=0)
    r = np.hypot(*X)
    np.testing.assert_allclose(r[Y[0] == 0], 1.0)
    np.testing.assert_allclose(r[Y[0] == 1], 0.3)


@pytest.mark.parametrize("make", [make_moons, make_circles])
def test_label_flip_changes_about_the_requested_fraction(make):
    X0, Y0 = make(m=4000, noise=0.0, seed=1)
    X1, Y1 = make(m=4000, noise=0.0, seed=1, flip=0.1)
    np.testing.assert_array_equal(X0, X1)  # same points, only labels differ
    assert 0.08 < np.mean(Y0 != Y1) < 0.12
    _, Y_all = make(m=100, noise=0.0, seed=1, flip=1.0)
    np.testing.assert_array_equal(Y_all, 1 - make(m=100, noise=0.0, seed=1)[1])


def test_classification_bad_input():
    with pytest.raises(ValueError, match=r"m must be an integer in \[2, inf\], got m=1"):
        make_moons(m=1)
    with pytest.raises(TypeError, match=r"m must be an integer, got float 10\.0"):
        make_moons(m=10.0)
    with pytest.raises(ValueError, match=r"noise must be finite and >= 0, got noise=-0\.1"):
        make_circles(noise=-0.1)
    with pytest.raises(ValueError, match=r"flip must lie in \[0, 1\], got flip=2"):
        make_moons(flip=2)
    with pytest.raises(ValueError, match=r"factor .* must lie in \(0, 1\), got factor=1\.5"):
        make_circles(factor=1.5)
    with pytest.raises(ValueError, match=r"seed must be an integer in \[0, inf\], got seed=-1"):
        make_moons(seed=-1)


# --------------------------------------------------------------------------- polynomial data


def test_polynomial_data_shapes_and_truth():
    x, y = make_polynomial_data(m=30, noise=0.0, seed=2)
    assert x.shape == y.shape == (1, 30)
    assert np.all(np.diff(x[0]) >= 0)
    np.testing.assert_allclose(y, np.sin(np.pi * x))
    x2, y2 = make_polynomial_data(m=30, noise=0.0, seed=2, true_fn=np.square, x_range=(0, 3))
    assert x2.min() >= 0 and x2.max() <= 3
    np.testing.assert_allclose(y2, x2**2)


def test_polynomial_data_noise_and_determinism():
    a = make_polynomial_data(m=2000, noise=0.5, seed=4)
    b = make_polynomial_data(m=2000, noise=0.5, seed=4)
    np.testing.assert_array_equal(a[1], b[1])
    residual = a[1] - np.sin(np.pi * a[0])
    assert 0.45 < residual.std() < 0.55


def test_polynomial_data_bad_input():
    with pytest.raises(TypeError, match=r"true_fn must be a function of x, got int"):
        make_polynomial_data(true_fn=3)
    with pytest.raises(ValueError, match=r"true_fn must map x of shape \(20,\) .* elementwise"):
        make_polynomial_data(true_fn=lambda x: 1.0)
    with pytest.raises(ValueError, match=r"x_range must be \(low, high\) with low < high"):
        make_polynomial_data(x_range=(1, 1))


def test_polynomial_features():
    x = np.array([[1.0, 2.0, -3.0]])
    F = polynomial_features(x, 3)
    assert F.shape == (3, 3)
    np.testing.assert_array_equal(F, [[1, 2, -3], [1, 4, 9], [1, 8, -27]])
    np.testing.assert_array_equal(polynomial_features(x[0], 2), F[:2])
    with pytest.raises(ValueError, match=r"degree must be an integer in \[1, inf\], got degree=0"):
        polynomial_features(x, 0)
    with pytest.raises(
        ValueError, match=r"x must have shape \(1, m\) or \(m,\), got shape \(3, 1\); did you mean x\.T\?"
    ):
        polynomial_features(x.T, 2)
    with pytest.raises(ValueError, match=r"x is empty"):
        polynomial_features([], 2)
    with pytest.raises(ValueError, match=r"x contains 1 NaN"):
        polynomial_features([np.nan], 2)


# --------------------------------------------------------------------------- split


def test_split_sizes_partition_and_determinism():
    X = np.arange(30.0).reshape(3, 10)
    Y = np.arange(10.0).reshape(1, 10)
    s = train_dev_test_split(X, Y, fractions=(0.6, 0.2, 0.2), seed=5)
    assert isinstance(s, Split)
    assert [a.shape[1] for a in s] == [6, 6, 2, 2, 2, 2]
    ids = np.concatenate([s.Y_train[0], s.Y_dev[0], s.Y_test[0]])
    assert sorted(ids) == list(range(10))
    for Xp, Yp in ((s.X_train, s.Y_train), (s.X_dev, s.Y_dev), (s.X_test, s.Y_test)):
        np.testing.assert_array_equal(Xp[0], Yp[0])  # columns stay paired
    again = train_dev_test_split(X, Y, seed=5)
    np.testing.assert_array_equal(again.Y_train, s.Y_train)
    assert not np.array_equal(train_dev_test_split(X, Y, seed=6).Y_train, s.Y_train)


def test_split_one_dimensional_targets_and_zero_fraction():
    X = np.zeros((2, 9))
    s = train_dev_test_split(X, np.arange(9.0), fractions=(2 / 3, 1 / 3, 0.0))
    assert s.Y_train.shape == (1, 6) and s.Y_dev.shape == (1, 3) and s.Y_test.shape == (1, 0)


def test_split_bad_input():
    X, Y = np.zeros((2, 10)), np.zeros((1, 10))
    with pytest.raises(ValueError, match=r"X has shape \(10, 2\) .* did you mean X\.T\?"):
        train_dev_test_split(X.T, Y)
    with pytest.raises(ValueError, match=r"Y has shape \(10, 1\) .* did you mean Y\.T\?"):
        train_dev_test_split(X, Y.T)
    with pytest.raises(ValueError, match=r"fractions must sum to 1, got \(0\.5, 0\.2, 0\.2\)"):
        train_dev_test_split(X, Y, fractions=(0.5, 0.2, 0.2))
    with pytest.raises(ValueError, match=r"fractions must be three non-negative numbers"):
        train_dev_test_split(X, Y, fractions=(1.2, -0.2, 0.0))
    with pytest.raises(ValueError, match=r"fractions must be three non-negative numbers"):
        train_dev_test_split(X, Y, fractions=(0.5, 0.5))
    with pytest.raises(ValueError, match=r"the training part would be empty \(m=1"):
        train_dev_test_split(np.zeros((2, 1)), [1.0], fractions=(0.1, 0.9, 0.0))
    with pytest.raises(ValueError, match=r"X is empty"):
        train_dev_test_split(np.zeros((2, 0)), np.zeros((1, 0)))


# --------------------------------------------------------------------------- standardizer


def test_standardizer_train_mean_zero_std_one_and_reuse():
    rng = np.random.default_rng(0)
    X_train = rng.normal(loc=[[5.0], [-2.0], [0.0]], scale=[[3.0], [0.1], [1.0]], size=(3, 50))
    X_dev = rng.normal(size=(3, 7))
    sc = Standardizer.fit(X_train)
    assert sc.mean.shape == sc.std.shape == (3, 1)
    Z = sc.transform(X_train)
    np.testing.assert_allclose(Z.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=1), 1.0)
    np.testing.assert_allclose(sc.transform(X_dev), (X_dev - sc.mean) / sc.std)
    np.testing.assert_allclose(sc.inverse_transform(sc.transform(X_dev)), X_dev)
    np.testing.assert_allclose(Standardizer.fit(X_train, ddof=1).transform(X_train).std(axis=1, ddof=1), 1.0)


def test_standardizer_constant_feature_guard():
    X = np.vstack([np.full(5, 7.0), np.arange(5.0)])
    sc = Standardizer.fit(X)
    np.testing.assert_array_equal(sc.constant, [True, False])
    Z = sc.transform(X)
    assert np.isfinite(Z).all()
    np.testing.assert_array_equal(Z[0], 0.0)


def test_standardizer_bad_input():
    sc = Standardizer.fit(np.zeros((2, 5)) + np.arange(5.0))
    with pytest.raises(ValueError, match=r"X has shape \(5, 2\) but \(n_x=2, m\) .* did you mean X\.T\?"):
        sc.transform(np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"X contains 1 NaN"):
        Standardizer.fit([[np.nan, 1.0]])
    with pytest.raises(ValueError, match=r"ddof must be an integer in \[0, 0\], got ddof=1"):
        Standardizer.fit([[1.0]], ddof=1)


# --------------------------------------------------------------------------- prostate


def test_prostate():
    p = load_prostate()
    assert p.X.shape == (8, 97)
    assert p.y.shape == (1, 97)
    assert p.feature_names == (
        "lcavol",
        "lweight",
        "age",
        "lbph",
        "svi",
        "lcp",
        "gleason",
        "pgg45",
    )
    assert p.train.dtype == bool and p.train.sum() == 67 and (~p.train).sum() == 30
    assert p.X[p.feature_names.index("lweight"), 31] == pytest.approx(3.804438)  # row 32
    assert p.X[0, 0] == pytest.approx(-0.579818495)
    assert p.y[0, -1] == pytest.approx(5.5829322)
    assert set(np.unique(p.X[4])) == {0.0, 1.0}  # svi is binary
