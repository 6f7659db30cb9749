"""A post shared to the Hub (from a phone's share sheet, a bookmarklet or a link) as the report form's first values.

Apps share in different ways: some send the link as ``url``, many put it inside ``text`` after the post's
words, a few send only a ``title``. Whatever arrives only fills in the form; the volunteer reads it, completes
it and sends it, and nothing is stored before that.

A shared picture cannot ride in the form as a file (a browser only sends a file the person chose on the page),
and as text in the form it would exceed the size a form field may have. So, once cleaned like any upload, it is
held in the cache, under its volunteer and a random token that the form carries, for ``SHARED_PICTURE_SECONDS``:
sending the report takes it, and otherwise it expires. It never reaches the database or the disk unless sent.
"""

from __future__ import annotations

import re
import secrets

from django.core.cache import cache

from reports.evidence import Screenshot
from reports.links import recognise
from reports.rules import ReportRuleError, post_url_check

# A web link inside shared text; the punctuation that usually closes a sentence is not part of it.
_LINK_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»”’"
_MAX_TEXT = 20_000
_MAX_URL = 2048


def _first_link(text: str) -> str:
    found = _LINK_IN_TEXT.search(text)
    return found.group(0).rstrip(_TRAILING) if found else ""


def shared_post(*, url: str = "", text: str = "", title: str = "") -> dict[str, str]:
    """The report form's initial values for what was shared: ``post_url``, ``captured_text`` and ``platform``
    where each is known. A link found in the text is taken out of it, so the text is the post's words."""
    url, text, title = url.strip()[:_MAX_URL], text.strip()[:_MAX_TEXT], title.strip()[:_MAX_TEXT]
    if not url:
        url = _first_link(text) or _first_link(title)
    if url:
        text = text.replace(url, "").strip()
        title = title.replace(url, "").strip()
    initial: dict[str, str] = {}
    words = text or title
    if words:
        initial["captured_text"] = words
    if url:
        initial["post_url"] = url
        try:
            post_url_check(url)
        except ReportRuleError:
            return initial  # shown as shared, so the volunteer can see and mend it; no platform guessed
        initial["platform"] = recognise(url)[1].value
    return initial


SHARED_PICTURE_SECONDS = 60 * 60
# At most this many pictures wait for one volunteer: sharing more lets the oldest go, so nobody can fill the
# cache by sharing picture after picture without sending.
SHARED_PICTURES_HELD = 3


def _picture_key(user_pk: int, token: str) -> str:
    return f"shared-picture:{user_pk}:{token}"


def _held_key(user_pk: int) -> str:
    return f"shared-pictures:{user_pk}"


def shared_picture_hold(*, user_pk: int, screenshot: Screenshot) -> str:
    """Hold a cleaned picture for the volunteer's report; the token the form carries to find it again. Beyond
    ``SHARED_PICTURES_HELD`` waiting for this volunteer, the oldest is let go."""
    token = secrets.token_urlsafe(24)
    cache.set(
        _picture_key(user_pk, token), (screenshot.png, screenshot.width, screenshot.height), SHARED_PICTURE_SECONDS
    )
    held = [*cache.get(_held_key(user_pk), []), token]
    for older in held[:-SHARED_PICTURES_HELD]:
        cache.delete(_picture_key(user_pk, older))
    cache.set(_held_key(user_pk), held[-SHARED_PICTURES_HELD:], SHARED_PICTURE_SECONDS)
    return token


def shared_picture_find(*, user_pk: int, token: str) -> Screenshot | None:
    """The picture held under ``token`` for this volunteer (another's token finds nothing), if not yet expired."""
    held = cache.get(_picture_key(user_pk, token)) if token else None
    return Screenshot(png=held[0], width=held[1], height=held[2]) if held else None


def shared_picture_discard(*, user_pk: int, token: str) -> None:
    if token:
        cache.delete(_picture_key(user_pk, token))
