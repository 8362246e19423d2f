"""l2book: the numerical companion of a book on L2 regularization.

Notation, used throughout the package:

* ``X`` has shape ``(n_x, m)``: one **column** per example, ``n_x`` features, ``m`` examples.
* ``Y`` has shape ``(1, m)``: one label (or target) per example.
* ``W[l]`` has shape ``(n[l], n[l-1])``: rows are the units of layer ``l``, columns the inputs from
  layer ``l-1``; ``b[l]`` has shape ``(n[l], 1)``.
* ``lam`` is λ in the cost  J = (1/m) Σ_i L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2m) Σ_l ‖W[l]‖_F².

scikit-learn lays data out the other way, as ``(m, n_x)``: convert with ``X.T`` (and ``y.reshape(1, -1)``).
Its ``coefs_[l-1]`` is our ``W[l].T``. The book's λ equals scikit-learn's ``alpha`` in ``Ridge`` and, for
full-batch training, in ``MLPClassifier``/``MLPRegressor``; ``LogisticRegression(C=1/λ)``.
"""

from __future__ import annotations

from l2book.bayes import GaussianPosterior, lambda_from_prior, linear_posterior
from l2book.data import (
    Prostate,
    Split,
    Standardizer,
    load_prostate,
    make_circles,
    make_moons,
    make_polynomial_data,
    polynomial_features,
    train_dev_test_split,
)
from l2book.dropout import dropout_masks
from l2book.figures import (
    decision_boundaries,
    decision_boundary,
    history_curves,
    probability_grid,
    train_dev_curves,
)
from l2book.gradcheck import GradientCheck, gradient_check
from l2book.lasso import LassoFit, LassoPath, lasso, lasso_lambda_max, lasso_path
from l2book.network import Network, cross_entropy, l2_penalty, regularized_cost
from l2book.normalization import LayerNormNetwork
from l2book.optim import GD, SGD, SGDW, Adam, AdamW, Momentum, Optimizer, get_optimizer
from l2book.publish import claim, figure, glue
from l2book.ridge import (
    RidgeFit,
    RidgePath,
    effective_df,
    lambda_for_df,
    ridge,
    ridge_path,
    shrinkage_factors,
)
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
from l2book.sweep import SweepResult, sweep_lambda
from l2book.train import DivergenceError, History, fit

__all__ = [
    "Adam",
    "AdamW",
    "CVResult",
    "DevSweepResult",
    "DivergenceError",
    "GD",
    "GaussianPosterior",
    "GradientCheck",
    "History",
    "LassoFit",
    "LayerNormNetwork",
    "LassoPath",
    "Momentum",
    "Network",
    "OneStandardError",
    "Optimizer",
    "Prostate",
    "RidgeFit",
    "RidgePath",
    "SGD",
    "SGDW",
    "Split",
    "Standardizer",
    "SweepResult",
    "best_lambda_index",
    "claim",
    "cross_entropy",
    "decision_boundaries",
    "decision_boundary",
    "dev_sweep",
    "dropout_masks",
    "effective_df",
    "figure",
    "fit",
    "get_optimizer",
    "glue",
    "gradient_check",
    "history_curves",
    "kfold_cv",
    "kfold_indices",
    "l2_penalty",
    "lambda_for_df",
    "lambda_from_prior",
    "lasso",
    "lasso_lambda_max",
    "lasso_path",
    "linear_posterior",
    "load_prostate",
    "make_circles",
    "make_moons",
    "make_polynomial_data",
    "one_standard_error",
    "polynomial_features",
    "probability_grid",
    "regularized_cost",
    "ridge",
    "ridge_path",
    "ridge_scorer",
    "shrinkage_factors",
    "sweep_lambda",
    "train_dev_curves",
    "train_dev_test_split",
]
__version__ = "0.1.0"
