"""The functional test suite file and report, and the seed corpus it must stay apart from."""

import csv
from collections import Counter

import pytest

from triage.classifier.functional import (
    HATEFUL_PHENOMENA,
    PHENOMENA,
    FunctionalCase,
    format_report,
    load_suite,
    suite_report,
)
from triage.classifier.seed_corpus import CATEGORY_SLUGS, GROUP_TERMS, seed_examples

NO_GROUP_PHENOMENA = {"profanity_not_hate", "abuse_at_things", "abuse_at_unprotected"}


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def test_the_suite_loads_and_uses_every_phenomenon():
    cases = load_suite()
    assert 500 <= len(cases) <= 650
    assert {case.phenomenon for case in cases} == set(PHENOMENA)
    assert len({_normalised(case.text) for case in cases}) == len(cases)
    assert load_suite() == cases


def test_every_group_phenomenon_covers_all_eight_groups():
    counts = Counter((case.phenomenon, case.group) for case in load_suite())
    for phenomenon in set(PHENOMENA) - NO_GROUP_PHENOMENA:
        for slug in CATEGORY_SLUGS:
            assert counts[phenomenon, slug] >= 4, (phenomenon, slug)
        assert counts[phenomenon, "none"] == 0, phenomenon
    for phenomenon in NO_GROUP_PHENOMENA:
        assert sum(counts[phenomenon, slug] for slug in CATEGORY_SLUGS) == 0, phenomenon
        assert counts[phenomenon, "none"] >= 25, phenomenon


def test_labels_agree_with_phenomena():
    for case in load_suite():
        assert case.label == int(case.phenomenon in HATEFUL_PHENOMENA), case


def test_hateful_phenomena_come_first():
    order = list(PHENOMENA)
    assert set(order[: len(HATEFUL_PHENOMENA)]) == HATEFUL_PHENOMENA


def test_no_suite_case_is_in_the_seed_corpus():
    seed = {_normalised(example.text) for example in seed_examples()}
    overlap = [case.text for case in load_suite() if _normalised(case.text) in seed]
    assert overlap == []


def test_report_on_perfect_and_inverted_scorers():
    cases = load_suite()
    perfect = suite_report(cases, [float(case.label) for case in cases])
    assert perfect["cases"] == len(cases)
    assert perfect["accuracy"] == 1.0
    assert perfect["macro_f1"] == 1.0
    assert perfect["worst_phenomena"] == []
    assert set(perfect["by_phenomenon"]) == set(PHENOMENA)
    assert set(perfect["by_group"]) == {*CATEGORY_SLUGS, "none"}
    assert all(row["accuracy"] == 1.0 for row in perfect["by_group"].values())

    inverted = suite_report(cases, [1.0 - case.label for case in cases])
    assert inverted["accuracy"] == 0.0
    assert inverted["macro_f1"] == 0.0
    assert len(inverted["worst_phenomena"]) == 3

    table = format_report(inverted)
    assert "dehumanising" in table and "misogyny" in table
    assert table.index("dehumanising") < table.index("misogyny")


def test_report_by_phenomenon_and_threshold():
    cases = [
        FunctionalCase("a", 1, "dehumanising", "race"),
        FunctionalCase("b", 1, "dehumanising", "race"),
        FunctionalCase("c", 0, "negated_hate", "race"),
        FunctionalCase("d", 0, "abuse_at_things", "none"),
    ]
    report = suite_report(cases, [0.9, 0.3, 0.6, 0.1])
    assert report["accuracy"] == 0.5
    assert report["by_phenomenon"]["dehumanising"] == {"cases": 2, "accuracy": 0.5}
    assert report["by_group"]["none"] == {"cases": 1, "accuracy": 1.0}
    assert report["worst_phenomena"] == ["negated_hate", "dehumanising"]
    assert suite_report(cases, [0.9, 0.3, 0.6, 0.1], threshold=0.2)["accuracy"] == 0.75
    with pytest.raises(ValueError):
        suite_report(cases, [0.5])


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["some text", "2", "dehumanising", "race"], "label"),
        (["some text", "1", "sarcasm", "race"], "phenomenon"),
        (["some text", "1", "dehumanising", "left-handed"], "group"),
    ],
)
def test_a_bad_file_is_refused_with_its_line(tmp_path, row, message):
    path = tmp_path / "suite.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label", "phenomenon", "group"])
        writer.writerow(["fine, really", "0", "neutral_mention", "none"])
        writer.writerow(row)
    with pytest.raises(ValueError, match=rf"line 3: .*{message}"):
        load_suite(path)


def test_seed_corpus_is_deterministic_and_sized():
    first, second = seed_examples(), seed_examples()
    assert first == second
    assert 3500 <= len(first) <= 5000
    assert len({example.text for example in first}) == len(first)


def test_every_group_term_appears_in_both_labels():
    examples = [(example.text.lower(), example.label) for example in seed_examples()]
    for slug in CATEGORY_SLUGS:
        for term in GROUP_TERMS[slug]:
            labels = {label for text, label in examples if term.lower() in text}
            assert labels == {0, 1}, (slug, term)
