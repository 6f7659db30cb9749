"""The classifier's n-gram features: the same numbers as scikit-learn's vectorisers, stored compactly."""

import numpy as np
import pytest
import skops.io
from sklearn.feature_extraction.text import TfidfVectorizer

from triage.classifier.model import CharTfidf, WordTfidf

TEXTS = [
    "they should all go back",
    "go back home now",
    "i love my home town",
    "a bb ccc dddd eeeee",
    "they are vermin and should go",
    "vermin vermin everywhere",
] * 2
UNSEEN = ["go home vermin", "nothing known here zzz", ""]
WORDS = r"\S+"


def _same_features(ours, theirs):
    ours.fit(TEXTS)
    theirs.fit(TEXTS)
    by_term = theirs.vocabulary_
    order = [by_term[term] for term in sorted(ours.vocabulary(), key=ours.vocabulary().get)]
    assert len(order) == len(by_term)
    expected = theirs.transform(TEXTS + UNSEEN)[:, order].toarray()
    np.testing.assert_allclose(ours.transform(TEXTS + UNSEEN).toarray(), expected)


def test_character_ngrams_match_scikit_learns_char_wb():
    _same_features(
        CharTfidf(min_df=2),
        TfidfVectorizer(lowercase=False, analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
    )


def test_word_ngrams_match_scikit_learns_words_and_pairs():
    _same_features(
        WordTfidf(min_df=2),
        TfidfVectorizer(lowercase=False, token_pattern=WORDS, ngram_range=(1, 2), min_df=2, sublinear_tf=True),
    )


@pytest.mark.parametrize("features", [CharTfidf, WordTfidf])
def test_the_vocabulary_survives_saving_and_loading(tmp_path, features):
    fitted = features(min_df=2).fit(TEXTS)
    before = fitted.transform(UNSEEN).toarray()
    path = tmp_path / "features.skops"
    skops.io.dump(fitted, path)
    loaded = skops.io.load(path, trusted=skops.io.get_untrusted_types(file=path))
    assert "_vocabulary" not in loaded.__dict__, "the look-up table is rebuilt, not stored"
    np.testing.assert_allclose(loaded.transform(UNSEEN).toarray(), before)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("yids are the lowest of the low", {"c_group", "c_group_slur"}, {"c_group_slur_distanced"}),
        ("he called my neighbours pakis and got charged", {"c_group_slur_distanced"}, set()),
        ("our street is lucky to have the muslim families in it", {"c_group_praise"}, {"c_group_praise_negated"}),
        ("muslims are not welcome here", {"c_group_praise_negated", "c_group_removal"}, {"c_group_praise"}),
        ("what a lovely day", {"c_praise"}, {"c_group", "c_group_praise"}),
    ],
)
def test_slurs_name_a_group_and_praise_of_a_group_is_tagged(text, present, absent):
    from triage.classifier.concepts import concept_tags
    from triage.classifier.normalise import normalise

    tags = set(concept_tags(normalise(text)))
    assert present <= tags and not absent & tags, tags
