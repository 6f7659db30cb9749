"""The scoring pipeline: text features and a linear model.

Imported only by the worker and by management commands: scikit-learn never
loads on a web request path.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


def build_pipeline(*, seed: int = 0) -> Pipeline:
    """Word and character n-grams feeding a logistic regression.

    Character n-grams (within word boundaries) keep some signal when a word is
    misspelt on purpose; word bigrams let negation ("not vermin") count.
    """
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    lowercase=True, strip_accents="unicode", ngram_range=(1, 2), min_df=1, sublinear_tf=True
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    lowercase=True,
                    strip_accents="unicode",
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=2,
                    sublinear_tf=True,
                ),
            ),
        ]
    )
    model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=seed)
    return Pipeline([("features", features), ("model", model)])
