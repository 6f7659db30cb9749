"""Charts drawn on the server as SVG: no script, nothing fetched, readable without colour.

Each chart carries a title and a description for screen readers, and every
bar its own tooltip; pages show the same figures in a table beside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_COLOUR = "#0a58ca"
AXIS_COLOUR = "#495057"


def bar_chart(
    values: Sequence[float | int],
    labels: Sequence[str],
    *,
    title: str,
    description: str = "",
    width: int = 320,
    height: int = 140,
    value_format: str = "{}",
) -> SafeString:
    """A vertical bar chart of ``values``, one bar per label, scaled to the largest value."""
    if len(values) != len(labels):
        raise ValueError("values and labels must be the same length")
    top = max(values, default=0) or 1
    plot_height = height - 20
    slot = width / max(len(values), 1)
    bar_width = max(slot - 4, 1)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
        (
            (
                _coordinate(index * slot + 2),
                _coordinate(plot_height - plot_height * value / top),
                _coordinate(bar_width),
                _coordinate(plot_height * value / top),
                BAR_COLOUR,
                label,
                value_format.format(value),
            )
            for index, (value, label) in enumerate(zip(values, labels, strict=True))
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{}">{}</text>',
        (
            (_coordinate(index * slot + slot / 2), height - 6, AXIS_COLOUR, label)
            for index, label in enumerate(labels)
            if len(labels) <= 12 or index % max(len(labels) // 6, 1) == 0
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="0" y1="{base}" x2="{w}" y2="{base}" stroke="{axis}" stroke-width="1"/>{bars}{ticks}</svg>',
        id=_chart_id(title),
        w=width,
        h=height,
        title=title,
        desc=description or title,
        base=plot_height,
        axis=AXIS_COLOUR,
        bars=bars,
        ticks=ticks,
    )


def _coordinate(value: float) -> str:
    # format_html escapes its arguments into strings, so numbers are formatted first.
    return f"{value:.1f}"


def _chart_id(title: str) -> str:
    return "chart-" + hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:10]
