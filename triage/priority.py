"""A case's priority: one number to sort the queue by, and its reasons in words.

The formula lives here and nowhere else; its weights are the ``PRIORITY_WEIGHTS``
setting. Points add up from:

- the classifier's score (the highest of the case's reports), times ``score``;
- each severity flag any reporter ticked, its own weight;
- each distinct reporter after the first, up to ``max_reporters`` points;
- the reporters' track record: their average agreement with officers' past
  decisions, from -``track_record`` (always wrong) to +``track_record`` (always
  right), 0 for newcomers;
- the case's age: ``per_hour`` for each hour waited, up to two clocks' worth,
  and ``clock_breached`` once it has waited longer than the platform clock,
  so that old cases rise instead of sinking.

The bands of the classifier's score (``score_band``) are here too: the queue,
the case page, the API and the reasons above name a score by its band.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

# Levels by points, highest first. "low" has no floor: reporters often wrong and a low score take a case
# below 0 points, and every number the formula can give (or the weights make it give) must have a level.
LEVELS = ((100.0, "urgent"), (60.0, "high"), (30.0, "medium"), (float("-inf"), "low"))
FLAG_REASONS = {
    "threat_of_violence": "threat of violence",
    "target_is_child": "a child targeted",
    "doxxing": "personal details published",
    "incitement": "incites others",
    "targets_individual": "aimed at an individual",
}
# The classifier's score in bands, highest first: (key, label, lower bound). Officers see a band, not a bare
# number; the queue filters by the key.
SCORE_BANDS = (
    ("very_high", "Very high", 0.85),
    ("high", "High", 0.6),
    ("medium", "Medium", 0.35),
    ("low", "Low", 0.0),
)
NOT_SCORED = "Not scored yet"
# An unscored case counts as if scored in the middle, so that it neither jumps nor sinks.
UNSCORED = 0.5


@dataclass(frozen=True)
class CaseFacts:
    score: float | None
    flags: frozenset[str]
    reporter_count: int
    agreement: float | None  # the reporters' average agreement with officers, None if all are newcomers
    created_at: datetime


@dataclass(frozen=True)
class Priority:
    points: float
    reasons: list[str]

    @property
    def level(self) -> str:
        return level_of(self.points)


def level_of(points: float) -> str:
    """The level of any number of points; one that compares with nothing (NaN) counts as the lowest."""
    return next((name for floor, name in LEVELS if points >= floor), LEVELS[-1][1])


def assess(facts: CaseFacts, *, now: datetime, weights: dict | None = None) -> Priority:
    """The priority of a case with these facts at ``now``; reasons strongest first."""
    weights = weights or settings.PRIORITY_WEIGHTS
    flags = [(weights[flag], words) for flag, words in FLAG_REASONS.items() if flag in facts.flags]

    others: list[tuple[float, str]] = []
    reporters = max(facts.reporter_count, 1)
    others.append(
        (min(weights["per_extra_reporter"] * (reporters - 1), weights["max_reporters"]), _reporters(reporters))
    )
    if facts.score is None:
        others.append((weights["score"] * UNSCORED, "not scored yet"))
    else:
        others.append((weights["score"] * facts.score, score_words(facts.score)))
    if facts.agreement is not None:
        lean = (facts.agreement - 0.5) * 2
        if abs(lean) >= 0.2:
            words = "reporters usually right" if lean > 0 else "reporters often wrong"
            others.append((weights["track_record"] * lean, words))

    clock = settings.PLATFORM_CLOCK_HOURS
    hours = max((now - facts.created_at).total_seconds() / 3600, 0.0)
    age_words = f"{hours:.0f} h old" if hours >= 1 else "new"
    age_points = weights["per_hour"] * min(hours, 2 * clock)
    if hours > clock:
        age_words = f"{hours:.0f} h old, past the {clock}-hour clock"
        age_points += weights["clock_breached"]

    points = round(sum(value for value, _ in flags + others) + age_points, 2)
    # Flags lead, then the rest by weight, then the age.
    others.sort(key=lambda part: -abs(part[0]))
    return Priority(points=points, reasons=[words for _, words in flags + others] + [age_words])


def score_band(score: float | None) -> str:
    """ "High", for a score of 0.7; "Not scored yet" for none."""
    if score is None:
        return NOT_SCORED
    return next((label for _, label, floor in SCORE_BANDS if score >= floor), SCORE_BANDS[-1][1])


def score_words(score: float) -> str:
    """ "score high", for a score of 0.7."""
    return f"score {score_band(score).lower()}"


def _reporters(count: int) -> str:
    return "1 reporter" if count == 1 else f"{count} reporters"


def describe(points: float, reasons: list[str]) -> str:
    """ "high: threat of violence; 4 reporters; score very high; 19 h old"."""
    return f"{level_of(points)}: {'; '.join(reasons)}" if reasons else level_of(points)
