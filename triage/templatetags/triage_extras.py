from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from hubsite.templatetags.hub_text import shown_safely
from triage.priority import level_of, score_band

register = template.Library()
register.filter("score_band", score_band)


@register.filter
def priority_level(points: float) -> str:
    return level_of(points)


@register.filter
def partners_among(reports) -> str:
    """The organisations among a case's reporters, as officers name them ("Partner: Tell Them"), or "". Reads
    the ``partner_name`` the queue's selector joins onto each report."""
    names = sorted({report.partner_name for report in reports if getattr(report, "partner_name", None)})
    return "; ".join(f"Partner: {name}" for name in names)


@register.simple_tag
def explained_text(report) -> SafeString:
    """The captured text, with the spans that raised the score marked one way and those that lowered it another.

    Offsets index the text as captured; each piece is shown safely (escaped, hidden
    characters made visible), and each mark says in words which way it pushed.
    """
    text = report.captured_text or ""
    spans = sorted(
        (span for span in report.explanation or [] if 0 <= span["start"] < span["end"] <= len(text)),
        key=lambda span: span["start"],
    )
    out, position = [], 0
    for span in spans:
        if span["start"] < position:
            continue  # overlapping spans are not produced; skip rather than garble the text
        out.append(shown_safely(text[position : span["start"]]))
        raised = span["weight"] > 0
        out.append(
            format_html(
                '<mark class="{}">{}<span class="visually-hidden"> ({})</span></mark>',
                "pushed-up" if raised else "pushed-down",
                shown_safely(text[span["start"] : span["end"]]),
                "raised the score" if raised else "lowered the score",
            )
        )
        position = span["end"]
    out.append(shown_safely(text[position:]))
    return mark_safe("".join(str(piece) for piece in out))  # noqa: S308 (each piece is escaped above)


@register.simple_tag
def explanation_phrases(report, direction: str) -> list[str]:
    """The phrases that pushed the score ``up`` or ``down``, strongest first."""
    text = report.captured_text or ""
    sign = 1 if direction == "up" else -1
    spans = [span for span in report.explanation or [] if span["weight"] * sign > 0]
    spans.sort(key=lambda span: -abs(span["weight"]))
    return [text[span["start"] : span["end"]] for span in spans]


@register.simple_tag
def likely_targets(report, category_names: dict[str, str], floor: float = 0.35) -> list[tuple[str, str]]:
    """The groups the post seems to target, as (name, band), most likely first, from medium upwards."""
    ranked = sorted((report.category_scores or {}).items(), key=lambda item: -item[1])
    return [(category_names.get(slug, slug), score_band(score)) for slug, score in ranked if score >= floor]
