"""The functional test suite file and report, and the seed corpus it must stay apart from."""

import csv
import re
from collections import Counter

import pytest

from triage.classifier.functional import (
    HATEFUL_PHENOMENA,
    PHENOMENA,
    FunctionalCase,
    format_report,
    load_suite,
    suite_report,
    suite_targets,
)
from triage.classifier.seed_corpus import CATEGORY_SLUGS, GROUP_TERMS, seed_examples

NO_GROUP_PHENOMENA = {"profanity_not_hate", "abuse_at_things", "abuse_at_unprotected"}


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def test_the_suite_loads_and_uses_every_phenomenon():
    cases = load_suite()
    assert len(cases) == 658
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


def test_every_group_has_at_least_six_slur_cases():
    counts = Counter(case.group for case in load_suite() if case.phenomenon == "slur")
    assert set(counts) == set(CATEGORY_SLUGS)
    assert min(counts.values()) >= 6, counts


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
    assert set(perfect["by_phenomenon_group"]) == set(PHENOMENA)
    assert set(perfect["by_phenomenon_group"]["slur"]) == set(CATEGORY_SLUGS)
    assert perfect["targets"]["met"] is True
    assert perfect["targets"]["mentions_flagged_by_group"] == dict.fromkeys(CATEGORY_SLUGS, 0.0)
    assert perfect["targets"]["slur_caught_by_group"] == dict.fromkeys(CATEGORY_SLUGS, 1.0)

    inverted = suite_report(cases, [1.0 - case.label for case in cases])
    assert inverted["accuracy"] == 0.0
    assert inverted["macro_f1"] == 0.0
    assert len(inverted["worst_phenomena"]) == 3
    # Every mention is flagged, so the groups are treated alike: only the gap is met.
    assert [entry["name"] for entry in inverted["targets"]["targets"] if entry["met"]] == ["mentions_flagged_gap"]

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
    assert report["by_phenomenon_group"] == {
        "dehumanising": {"race": {"cases": 2, "accuracy": 0.5, "flagged": 1}},
        "negated_hate": {"race": {"cases": 1, "accuracy": 0.0, "flagged": 1}},
        "abuse_at_things": {"none": {"cases": 1, "accuracy": 1.0, "flagged": 0}},
    }
    assert report["worst_phenomena"] == ["negated_hate", "dehumanising"]
    assert suite_report(cases, [0.9, 0.3, 0.6, 0.1], threshold=0.2)["accuracy"] == 0.75
    with pytest.raises(ValueError):
        suite_report(cases, [0.5])


def _scored(rows: list[tuple[str, str, int, int]]) -> tuple[list[FunctionalCase], list[float]]:
    """Cases and scores from (phenomenon, group, cases, how many of them are scored hateful)."""
    cases, scores = [], []
    for phenomenon, group, total, flagged in rows:
        label = int(phenomenon in HATEFUL_PHENOMENA)
        for index in range(total):
            cases.append(FunctionalCase(f"{phenomenon} {group} {index}", label, phenomenon, group))
            # Exactly at the threshold counts as hateful.
            scores.append(0.5 if index < flagged else 0.49)
    return cases, scores


def _targets_suite(*, race_mentions: int, counter_quotes: int, race_slurs: int, spelling: int) -> dict:
    cases, scores = _scored(
        [
            ("positive_mention", "race", 5, 0),
            ("neutral_mention", "race", 5, race_mentions),
            ("positive_mention", "disability", 4, 1),
            ("neutral_mention", "disability", 3, 0),
            ("positive_mention", "misogyny", 20, 1),
            # A mention with no group is not a group's false alarm.
            ("neutral_mention", "none", 2, 2),
            ("counter_quote", "race", 3, counter_quotes),
            ("counter_reference", "misogyny", 3, 0),
            ("slur", "race", 5, race_slurs),
            ("slur", "misogyny", 3, 3),
            ("spelling_tricks", "disability", 10, spelling),
            ("dehumanising", "race", 4, 0),
        ]
    )
    return suite_report(cases, scores)


def _figures(targets: dict) -> list[tuple[str, float | None, float, str, bool]]:
    return [
        (entry["name"], entry["measured"], entry["target"], entry["direction"], entry["met"])
        for entry in targets["targets"]
    ]


def test_suite_targets_when_every_target_is_met():
    report = _targets_suite(race_mentions=1, counter_quotes=1, race_slurs=4, spelling=7)
    targets = report["targets"]
    assert suite_targets(report) == targets
    assert targets["met"] is True
    assert _figures(targets) == [
        ("mentions_flagged.race", 0.1, 0.15, "at most", True),
        ("mentions_flagged.disability", 0.1429, 0.15, "at most", True),
        ("mentions_flagged.misogyny", 0.05, 0.15, "at most", True),
        ("mentions_flagged_gap", 0.0929, 0.1, "at most", True),
        ("counter_speech_flagged", 0.1667, 0.2, "at most", True),
        ("slur_caught", 0.875, 0.8, "at least", True),
        ("slur_caught.race", 0.8, 0.8, "at least", True),
        ("slur_caught.misogyny", 1.0, 0.8, "at least", True),
        ("spelling_tricks_caught", 0.7, 0.7, "at least", True),
    ]
    assert targets["mentions_flagged_by_group"] == {"race": 0.1, "disability": 0.1429, "misogyny": 0.05}
    assert targets["slur_caught_by_group"] == {"race": 0.8, "misogyny": 1.0}


def test_suite_targets_when_targets_are_missed():
    report = _targets_suite(race_mentions=2, counter_quotes=2, race_slurs=3, spelling=6)
    targets = report["targets"]
    assert targets["met"] is False
    assert _figures(targets) == [
        ("mentions_flagged.race", 0.2, 0.15, "at most", False),
        ("mentions_flagged.disability", 0.1429, 0.15, "at most", True),
        ("mentions_flagged.misogyny", 0.05, 0.15, "at most", True),
        ("mentions_flagged_gap", 0.15, 0.1, "at most", False),
        ("counter_speech_flagged", 0.3333, 0.2, "at most", False),
        ("slur_caught", 0.75, 0.8, "at least", False),
        ("slur_caught.race", 0.6, 0.8, "at least", False),
        ("slur_caught.misogyny", 1.0, 0.8, "at least", True),
        ("spelling_tricks_caught", 0.6, 0.7, "at least", False),
    ]
    assert targets["mentions_flagged_by_group"] == {"race": 0.2, "disability": 0.1429, "misogyny": 0.05}
    assert targets["slur_caught_by_group"] == {"race": 0.6, "misogyny": 1.0}

    table = format_report(report)
    assert "Targets at threshold 0.5: 3 of 9 met" in table
    assert table.index("Weakest") < table.index("Targets")
    lines = {line.split()[0]: line.split() for line in table.splitlines() if line.strip()}
    assert lines["mentions_flagged.race"] == ["mentions_flagged.race", "0.2000", "at", "most", "0.15", "NOT", "MET"]
    assert lines["slur_caught.misogyny"] == ["slur_caught.misogyny", "1.0000", "at", "least", "0.80", "met"]


def test_a_target_with_nothing_to_measure_is_not_met():
    cases, scores = _scored([("dehumanising", "race", 2, 2), ("neutral_mention", "race", 2, 0)])
    targets = suite_report(cases, scores)["targets"]
    assert _figures(targets) == [
        ("mentions_flagged.race", 0.0, 0.15, "at most", True),
        ("mentions_flagged_gap", 0.0, 0.1, "at most", True),
        ("counter_speech_flagged", None, 0.2, "at most", False),
        ("slur_caught", None, 0.8, "at least", False),
        ("spelling_tricks_caught", None, 0.7, "at least", False),
    ]
    assert targets["slur_caught_by_group"] == {}
    rows = [line.split() for line in format_report(suite_report(cases, scores)).splitlines()]
    assert ["counter_speech_flagged", "n/a", "at", "most", "0.20", "NOT", "MET"] in rows


def test_a_report_recorded_before_targets_still_prints():
    cases, scores = _scored([("dehumanising", "race", 2, 1)])
    report = suite_report(cases, scores)
    del report["targets"], report["by_phenomenon_group"], report["threshold"]
    table = format_report(report)
    assert "dehumanising" in table and "Targets" not in table


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
    assert 3500 <= len(first) <= 6000
    assert len({example.text for example in first}) == len(first)


def test_every_slur_appears_in_both_labels():
    """A slur aimed at a group is hate; the same word quoted in counter-speech is not: the model must see both."""
    from triage.classifier.seed_corpus import SLUR_TERMS

    examples = [(example.text.lower(), example.label) for example in seed_examples()]
    for slug in CATEGORY_SLUGS:
        for term in SLUR_TERMS[slug]:
            labels = {label for text, label in examples if re.search(rf"\b{re.escape(term)}\b", text)}
            assert labels == {0, 1}, (slug, term)


def test_every_group_term_appears_in_both_labels():
    examples = [(example.text.lower(), example.label) for example in seed_examples()]
    for slug in CATEGORY_SLUGS:
        for term in GROUP_TERMS[slug]:
            labels = {label for text, label in examples if term.lower() in text}
            assert labels == {0, 1}, (slug, term)
