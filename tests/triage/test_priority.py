"""The priority formula: points from each fact, and reasons in words."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from triage.priority import FLAG_REASONS, CaseFacts, assess, describe, level_of, score_band, score_words
from triage.templatetags.triage_extras import priority_level

NOW = timezone.now()


def facts(**overrides) -> CaseFacts:
    values = {
        "score": 0.5,
        "flags": frozenset(),
        "reporter_count": 1,
        "agreement": None,
        "created_at": NOW - timedelta(minutes=5),
    }
    return CaseFacts(**{**values, **overrides})


def test_each_fact_raises_the_priority():
    base = assess(facts(), now=NOW).points
    assert assess(facts(score=0.95), now=NOW).points > base
    assert assess(facts(flags=frozenset({"threat_of_violence"})), now=NOW).points > base
    assert assess(facts(reporter_count=4), now=NOW).points > base
    assert assess(facts(agreement=0.9), now=NOW).points > base
    assert assess(facts(created_at=NOW - timedelta(hours=10)), now=NOW).points > base


def test_reporters_who_are_often_wrong_lower_it_and_newcomers_are_neutral():
    base = assess(facts(), now=NOW)
    assert assess(facts(agreement=0.1), now=NOW).points < base.points
    assert assess(facts(agreement=0.5), now=NOW).points == base.points
    assert "reporters often wrong" in assess(facts(agreement=0.1), now=NOW).reasons


def test_old_cases_rise_past_newer_ones_and_the_clock_adds_a_step():
    fresh_and_worse = assess(facts(score=0.9), now=NOW)
    waited_a_day = assess(facts(score=0.4, created_at=NOW - timedelta(hours=25)), now=NOW)
    assert waited_a_day.points > fresh_and_worse.points
    assert "past the 24-hour clock" in waited_a_day.reasons[-1]
    just_before = assess(facts(created_at=NOW - timedelta(hours=23.9)), now=NOW).points
    just_after = assess(facts(created_at=NOW - timedelta(hours=24.1)), now=NOW).points
    assert just_after - just_before > 20


def test_reasons_read_as_the_officer_sees_them():
    assessed = assess(
        facts(
            score=0.9,
            flags=frozenset({"threat_of_violence"}),
            reporter_count=4,
            created_at=NOW - timedelta(hours=19, minutes=10),
        ),
        now=NOW,
    )
    assert assessed.reasons == ["threat of violence", "score very high", "4 reporters", "19 h old"]
    assert describe(assessed.points, assessed.reasons) == (
        f"{assessed.level}: threat of violence; score very high; 4 reporters; 19 h old"
    )


def test_an_unscored_case_neither_jumps_nor_sinks():
    assessed = assess(facts(score=None), now=NOW)
    assert "not scored yet" in assessed.reasons
    assert assess(facts(score=0.2), now=NOW).points < assessed.points < assess(facts(score=0.8), now=NOW).points


def test_weights_are_settings(settings):
    settings.PRIORITY_WEIGHTS = {**settings.PRIORITY_WEIGHTS, "threat_of_violence": 0.0}
    assert assess(facts(flags=frozenset({"threat_of_violence"})), now=NOW).points == assess(facts(), now=NOW).points


@pytest.mark.django_db
def test_track_record_counts_agreement_with_final_decisions_and_newcomers_are_neutral():
    from tests.factories import ReportFactory, UserFactory
    from triage.models import Case
    from triage.track_record import agreement_by_reporter

    reliable, unreliable, newcomer = UserFactory(), UserFactory(), UserFactory()
    for status in ("referred", "reported_to_platform", "referred", "dismissed"):
        Case.objects.filter(pk=ReportFactory(reporter=reliable).case_id).update(status=status)
    for status in ("dismissed", "dismissed", "dismissed", "referred"):
        Case.objects.filter(pk=ReportFactory(reporter=unreliable).case_id).update(status=status)
    ReportFactory(reporter=newcomer)  # still waiting: not counted
    found = agreement_by_reporter([reliable.pk, unreliable.pk, newcomer.pk])
    assert found == {reliable.pk: 0.75, unreliable.pk: 0.25, newcomer.pk: None}


def test_the_open_case_indexes_cover_exactly_the_open_statuses():
    from triage import models

    assert tuple(models.Case.OPEN_STATUSES) == models._OPEN


# Every fact the formula reads, at its edges and in between: newcomers and reporters always wrong or always
# right, unscored and every score band's edges, every combination of flags, no reporter to a crowd, a case
# from the future (clock skew) to one a year old.
AGREEMENTS = (None, 0.0, 0.05, 0.25, 0.4, 0.5, 0.6, 0.75, 0.95, 1.0)
SCORES = (None, 0.0, 0.01, 0.349, 0.35, 0.6, 0.85, 0.999, 1.0)
REPORTERS = (0, 1, 2, 5, 6, 1000)
AGES_HOURS = (-1.0, 0.0, 0.5, 1.0, 23.9, 24.0, 24.1, 48.0, 100.0, 8760.0)
FLAG_SETS = [
    frozenset(flag for bit, flag in enumerate(FLAG_REASONS) if mask & (1 << bit))
    for mask in range(2 ** len(FLAG_REASONS))
]


def test_every_priority_the_formula_gives_has_a_level_and_reads_as_words(settings):
    weights = settings.PRIORITY_WEIGHTS
    lowest = -weights["track_record"]
    highest = (
        weights["score"]
        + sum(weights[flag] for flag in FLAG_REASONS)
        + weights["max_reporters"]
        + weights["track_record"]
        + weights["per_hour"] * 2 * settings.PLATFORM_CLOCK_HOURS
        + weights["clock_breached"]
    )
    seen_levels, seen_points = set(), []
    for agreement, score, flags, reporters, hours in itertools.product(
        AGREEMENTS, SCORES, FLAG_SETS, REPORTERS, AGES_HOURS
    ):
        assessed = assess(
            CaseFacts(score, flags, reporters, agreement, NOW - timedelta(hours=hours)), now=NOW, weights=weights
        )
        assert lowest - 0.01 <= assessed.points <= highest + 0.01
        level = assessed.level
        assert level in {"urgent", "high", "medium", "low"}
        assert describe(assessed.points, assessed.reasons).startswith(f"{level}: ")
        assert priority_level(assessed.points) == level
        seen_levels.add(level)
        seen_points.append(assessed.points)
    assert seen_levels == {"urgent", "high", "medium", "low"}
    assert min(seen_points) < 0, "reporters often wrong with a low score give a priority below 0"


@pytest.mark.parametrize("points", [-1e9, -10.0, -0.01, 0.0, 29.99, 30.0, 59.99, 60.0, 100.0, 1e9])
def test_any_number_of_points_has_a_level(points):
    assert level_of(points) in {"urgent", "high", "medium", "low"}
    assert level_of(float("nan")) == "low"
    assert level_of(float("-inf")) == "low"


def test_levels_by_points():
    assert [level_of(points) for points in (-10.0, 0.0, 30.0, 60.0, 100.0)] == [
        "low",
        "low",
        "medium",
        "high",
        "urgent",
    ]


@pytest.mark.parametrize("score", [-0.1, 0.0, 0.5, 1.0, 1.1])
def test_any_score_has_a_band_and_words(score):
    assert score_band(score) in {"Very high", "High", "Medium", "Low"}
    assert score_words(score).startswith("score ")


def test_score_bands_start_at_their_lower_bound_and_the_reasons_name_the_same_band():
    scores = [None, 0.0, 0.3499, 0.35, 0.5999, 0.6, 0.8499, 0.85, 1.0]
    bands = ["Not scored yet", "Low", "Low", "Medium", "Medium", "High", "High", "Very high", "Very high"]
    assert [score_band(score) for score in scores] == bands
    assert [score_words(score) for score in scores[1:]] == [f"score {band.lower()}" for band in bands[1:]]
