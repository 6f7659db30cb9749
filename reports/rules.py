"""What a report must hold to be stored, whichever way it arrives.

``triage.intake.report_submit`` enforces these before it writes anything. The volunteer's form and the partner
API call the same checks to put each message beside its field, so a volunteer and a partner read the same words
for the same fault, and nothing that skips the form (a command, a script, a test) stores a report that breaks
them.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from reports.links import valid_post_url

NOT_A_WEB_LINK = "That is not a web link. Copy the address that starts with https:// from the post."
TEXT_EMPTY = "Copy the text of the post here: it is empty."
POST_NOT_IDENTIFIED = "Paste the link to the post. If it has no link, choose the platform and say who posted it."

# A browser opens it as a web page: http or https only (never javascript:, data:, file:).
_web_address = URLValidator(schemes=["http", "https"])


class ReportRuleError(ValueError):
    """A report breaks one of its rules: ``field`` is the input at fault, ``message`` says what to do about it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def has_visible_text(text: str) -> bool:
    """Whether the text holds anything but spaces, line breaks and invisible characters (zero-width spaces,
    direction marks)."""
    return any(not unicodedata.category(char).startswith(("Z", "C")) for char in text)


def post_url_check(url: str) -> None:
    """A link, when there is one, is a web address the Hub can read to the end (a port out of range cannot be)."""
    if not url:
        return
    try:
        _web_address(url)
    except ValidationError:
        raise ReportRuleError("post_url", NOT_A_WEB_LINK) from None
    if not valid_post_url(url):
        raise ReportRuleError("post_url", NOT_A_WEB_LINK)


def captured_text_check(text: str) -> None:
    """The post's text is there, with something visible in it, and within ``REPORT_TEXT_MAX_LENGTH``."""
    limit = settings.REPORT_TEXT_MAX_LENGTH
    if len(text) > limit:
        raise ReportRuleError(
            "captured_text",
            f"The text is too long: keep it under {limit:,} characters (it has {len(text):,}). "
            "Take the part that matters most.",
        )
    if not has_visible_text(text):
        raise ReportRuleError("captured_text", TEXT_EMPTY)


def post_identity_check(*, post_url: str | None, platform: str | None, author_handle: str | None) -> None:
    """The report can be matched to its post: by its link, or, when the post has none, by platform, author and
    text (``reports.links.post_key``; the text has its own check)."""
    if post_url or (platform and author_handle):
        return
    raise ReportRuleError("post_url", POST_NOT_IDENTIFIED)


def report_check(*, post_url: str, platform: str, author_handle: str, captured_text: str) -> None:
    """Every rule above, in the order the form shows them; raises ``ReportRuleError`` for the first one broken."""
    post_url_check(post_url)
    captured_text_check(captured_text)
    post_identity_check(post_url=post_url, platform=platform, author_handle=author_handle)
