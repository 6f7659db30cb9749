"""Showing text people captured from social media, safely.

Captured text is evidence and is stored exactly as captured. On display, HTML
is escaped as always, and invisible characters that can disguise text are made
visible instead of acting: bidirectional overrides and isolates (which can make
"gnp.exe" read as "exe.png") and zero-width characters (which hide words from
searches and filters).
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

INVISIBLE = {
    **{chr(code): f"U+{code:04X}" for code in range(0x202A, 0x202F)},  # embeddings and overrides
    **{chr(code): f"U+{code:04X}" for code in range(0x2066, 0x206A)},  # isolates
    **{chr(code): f"U+{code:04X}" for code in range(0x2060, 0x2065)},  # word joiner, invisible operators
    "\u00ad": "U+00AD",  # soft hyphen
    "\u061c": "U+061C",  # Arabic letter mark, a direction mark
    "\u180e": "U+180E",  # Mongolian vowel separator, zero width
    "\u200b": "U+200B",
    "\u200c": "U+200C",
    "\u200d": "U+200D",
    "\u200e": "U+200E",
    "\u200f": "U+200F",
    "\ufeff": "U+FEFF",
}


@register.filter
def shown_safely(value) -> SafeString:
    """Escape ``value`` and replace each invisible control character with a visible marker."""
    out = []
    for char in str(value if value is not None else ""):
        marker = INVISIBLE.get(char)
        if marker is None:
            out.append(escape(char))
        else:
            out.append(f'<span class="invisible-char" title="Hidden character {marker}">[{marker}]</span>')
    return mark_safe("".join(out))  # noqa: S308 (every character was escaped above)
