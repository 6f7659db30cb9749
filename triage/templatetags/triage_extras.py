from django import template

register = template.Library()

# Lower bounds of each band, highest first. Officers see a band, not a bare number.
SCORE_BANDS = ((0.85, "Very high"), (0.6, "High"), (0.35, "Medium"), (0.0, "Low"))


@register.filter
def score_band(score: float | None) -> str:
    if score is None:
        return "Not scored yet"
    return next(label for floor, label in SCORE_BANDS if score >= floor)
