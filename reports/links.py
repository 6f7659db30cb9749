"""The canonical form of a post's URL, so the same post reported twice is recognised.

Two links to one post differ in many harmless ways: scheme and host case, a
mobile or alias host, tracking parameters, a fragment. ``normalise_post_url``
removes those differences and nothing else: the path and the parameters that
identify the post are kept as they were, and that is the link the Hub stores
and shows. ``post_identity`` then says which links are the same post, for the
case's duplicate key: the platform and post id where the link carries one,
whatever handle it names, and handles compared without regard to case.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from reports.platforms import Platform, platform_for_url

# Hosts that serve the same posts as a canonical host.
_HOST_ALIASES = {
    "twitter.com": "x.com",
    "www.twitter.com": "x.com",
    "mobile.twitter.com": "x.com",
    "www.x.com": "x.com",
    "mobile.x.com": "x.com",
    "m.facebook.com": "www.facebook.com",
    "mobile.facebook.com": "www.facebook.com",
    "web.facebook.com": "www.facebook.com",
    "facebook.com": "www.facebook.com",
    "m.youtube.com": "www.youtube.com",
    "youtube.com": "www.youtube.com",
    "old.reddit.com": "www.reddit.com",
    "new.reddit.com": "www.reddit.com",
    "np.reddit.com": "www.reddit.com",
    "m.reddit.com": "www.reddit.com",
    "reddit.com": "www.reddit.com",
    "instagram.com": "www.instagram.com",
    "m.instagram.com": "www.instagram.com",
    "m.tiktok.com": "www.tiktok.com",
    "tiktok.com": "www.tiktok.com",
    "telegram.me": "t.me",
}

# Parameters added for tracking, never to identify a post, wherever they appear.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_EVERYWHERE = {"fbclid", "gclid", "dclid", "msclkid", "igshid", "igsh", "mibextid", "__cft__[0]", "__tn__"}
# Short sharing parameters, removed only on the platforms that add them (elsewhere
# ``t`` or ``s`` may well identify a page, as in a forum's ``viewtopic.php?t=12``).
_TRACKING_ON_PLATFORMS = {"si", "s", "t", "ref", "ref_src", "ref_url", "share_id", "_rdt", "rdt", "feature", "context"}

# Parameters that *do* identify a post on these hosts, and are always kept.
_IDENTIFYING = {
    "www.youtube.com": {"v"},
    "www.facebook.com": {"story_fbid", "id", "fbid", "v", "set"},
}


def normalise_post_url(url: str) -> str:
    """The canonical URL of a post; the input must already be a valid http(s) URL."""
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme.lower() in {"http", "https"} else parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    host = _HOST_ALIASES.get(host, host)
    port = parts.port  # raises ValueError for a port out of range: see valid_post_url
    path = parts.path or "/"
    tracking = _TRACKING_EVERYWHERE | (
        _TRACKING_ON_PLATFORMS if platform_for_url(f"https://{host}/") != "other" else set()
    )

    if host == "youtu.be" and path.strip("/"):
        host, query = "www.youtube.com", [("v", path.strip("/").split("/")[0])]
        path = "/watch"
    else:
        keep = _IDENTIFYING.get(host, set())
        query = [
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if name in keep or not (name.lower() in tracking or name.lower().startswith(_TRACKING_PREFIXES))
        ]
    if len(path) > 1:
        path = path.rstrip("/")
    netloc = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    if port and port not in (80, 443):
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def valid_post_url(url: str) -> bool:
    """Whether ``normalise_post_url`` can read the URL (a port out of range cannot be)."""
    try:
        return urlsplit(url).port is None or True
    except ValueError:
        return False


def recognise(url: str) -> tuple[str, Platform]:
    """The normalised URL and its platform."""
    normalised = normalise_post_url(url)
    return normalised, platform_for_url(normalised)


# What makes two links the same post --------------------------------------------------------------------
#
# A normalised link still carries what the platform ignores: the poster's handle in an X status link (any
# handle, in any case, opens the status), the title slug of a Reddit post, the username before an Instagram
# shortcode. Where the link carries an id that alone identifies the post, two links are the same post when
# platform and id agree. Elsewhere the handles and names the platform reads without regard to case are
# compared in lower case; ids, short-link codes and every other path are compared exactly, since a site may
# well tell ``/Ab12`` from ``/ab12``.

_BASE36 = re.compile(r"[0-9a-z]+")
_DIGITS = re.compile(r"[0-9]+")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]+")
_WORD_ID = re.compile(r"[A-Za-z0-9_-]+")


def _after(segments: list[str], names: tuple[str, ...], *, within: int) -> str:
    """The segment after the first of ``names`` found among the first ``within`` segments, or ""."""
    for index, segment in enumerate(segments[:within]):
        if segment in names and index + 1 < len(segments):
            return segments[index + 1]
    return ""


def _x_status(host: str, segments: list[str], query: dict[str, str]) -> str:
    if host != "x.com":
        return ""
    # /<handle>/status/<id>, /i/web/status/<id>, and the old /<handle>/statuses/<id>
    found = _after(segments, ("status", "statuses"), within=3)
    return found if _DIGITS.fullmatch(found) else ""


def _youtube_video(host: str, segments: list[str], query: dict[str, str]) -> str:
    if not segments:
        return ""
    if segments[0] == "watch":
        found = query.get("v", "")
    else:
        found = _after(segments, ("shorts", "embed", "live", "v", "e"), within=1)
    return found if _YOUTUBE_ID.fullmatch(found) else ""


def _tiktok_video(host: str, segments: list[str], query: dict[str, str]) -> str:
    if host != "www.tiktok.com" or not segments:
        return ""
    if segments[0].startswith("@"):
        found = _after(segments, ("video", "photo"), within=2)
    elif segments[0] == "embed":
        found = segments[2] if segments[1:2] == ["v2"] and len(segments) > 2 else "".join(segments[1:2])
    else:
        found = _after(segments, ("v",), within=1).removesuffix(".html")
    return found if _DIGITS.fullmatch(found) else ""


def _facebook_post(host: str, segments: list[str], query: dict[str, str]) -> str:
    if host != "www.facebook.com" or not segments:
        return ""
    if segments[0] in ("permalink.php", "story.php"):
        found = query.get("story_fbid", "")
    elif segments[0] in ("photo.php", "photo"):
        found = query.get("fbid", "")
    elif segments[0] == "watch":
        found = query.get("v", "")
    elif segments[0] == "reel":
        found = _after(segments, ("reel",), within=1)
    else:
        # /<page>/posts/<id>, /groups/<group>/posts/<id>, /groups/<group>/permalink/<id>, /<page>/videos/<id>
        found = _after(segments[1:], ("posts", "permalink", "videos"), within=2)
    return found if _WORD_ID.fullmatch(found) else ""


def _instagram_post(host: str, segments: list[str], query: dict[str, str]) -> str:
    # /p/<code>, /reel/<code>, /tv/<code>, also after the poster's username
    found = _after(segments, ("p", "reel", "reels", "tv"), within=2)
    return found if _WORD_ID.fullmatch(found) else ""


def _reddit_post(host: str, segments: list[str], query: dict[str, str]) -> str:
    if host == "redd.it":
        found = segments[0].lower() if len(segments) == 1 else ""
        return f"t3_{found}" if _BASE36.fullmatch(found) else ""
    if "comments" not in segments[:3]:
        return ""
    rest = [segment.lower() for segment in segments[segments.index("comments") + 1 :]]
    # /comments/<post>/<title slug>/<comment> or /comments/<post>/comment/<comment>: a comment is its own item
    found = f"t1_{rest[2]}" if len(rest) >= 3 else f"t3_{rest[0]}" if rest else ""
    return found if found and _BASE36.fullmatch(found[3:]) else ""


_POST_IDS = {
    Platform.X: _x_status,
    Platform.YOUTUBE: _youtube_video,
    Platform.TIKTOK: _tiktok_video,
    Platform.FACEBOOK: _facebook_post,
    Platform.INSTAGRAM: _instagram_post,
    Platform.REDDIT: _reddit_post,
}


def _lower_at(segments: list[str], *indexes: int) -> None:
    for index in indexes:
        if index < len(segments):
            segments[index] = segments[index].lower()


def _x_handles(segments: list[str]) -> None:
    if segments[0] != "i":  # /i/... holds ids, some of them case-sensitive
        _lower_at(segments, 0)


def _instagram_handles(segments: list[str]) -> None:
    _lower_at(segments, 0, 1) if segments[0].lower() == "stories" else _lower_at(segments, 0)


def _reddit_handles(segments: list[str]) -> None:
    if segments[0].lower() in ("r", "u", "user"):  # subreddits and usernames
        _lower_at(segments, 0, 1)


def _tiktok_handles(segments: list[str]) -> None:
    _lower_at(segments, *(index for index, segment in enumerate(segments) if segment.startswith("@")))


def _youtube_handles(segments: list[str]) -> None:
    _lower_at(segments, *(index for index, segment in enumerate(segments) if segment.startswith("@")))
    if segments[0].lower() in ("c", "user"):  # legacy channel names; /channel/<id> is case-sensitive
        _lower_at(segments, 0, 1)


def _facebook_handles(segments: list[str]) -> None:
    _lower_at(segments, 0)  # a page or profile username


def _telegram_handles(segments: list[str]) -> None:
    if segments[0].startswith("+") or segments[0] in ("joinchat", "c"):  # invitation codes, private channel ids
        return
    _lower_at(segments, 0, 1) if segments[0].lower() == "s" else _lower_at(segments, 0)


# Handles on these hosts only: short-link hosts of the same platforms (t.co, vm.tiktok.com, fb.watch) carry
# case-sensitive codes.
_HANDLES = {
    "x.com": _x_handles,
    "www.instagram.com": _instagram_handles,
    "www.reddit.com": _reddit_handles,
    "www.tiktok.com": _tiktok_handles,
    "www.youtube.com": _youtube_handles,
    "www.facebook.com": _facebook_handles,
    "t.me": _telegram_handles,
}


def post_id(normalised_url: str) -> tuple[str, str] | None:
    """The platform and the id that alone identifies the post, when the link carries one."""
    parts = urlsplit(normalised_url)
    host = parts.hostname or ""
    reader = _POST_IDS.get(platform_for_url(normalised_url))
    if reader is None:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    found = reader(host, segments, dict(parse_qsl(parts.query, keep_blank_values=True)))
    return (platform_for_url(normalised_url).value, found) if found else None


def comparable_url(normalised_url: str) -> str:
    """The normalised link with the handles its platform reads without regard to case in lower case."""
    parts = urlsplit(normalised_url)
    lower_handles = _HANDLES.get(parts.hostname or "")
    segments = parts.path.split("/")[1:]
    if lower_handles is None or not segments or not segments[0]:
        return normalised_url
    lower_handles(segments)
    return urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(segments), parts.query, parts.fragment))


def post_identity(normalised_url: str) -> str:
    """What every link to one post has in common, and links to other posts do not: the platform and the post's
    id where the link carries one, otherwise the comparable link."""
    found = post_id(normalised_url)
    if found is not None:
        return f"post\n{found[0]}\n{found[1]}"
    return f"url\n{comparable_url(normalised_url)}"


def post_key(*, normalised_url: str, platform: str, author_handle: str, captured_text: str) -> str:
    """What identifies a post: its link (see ``post_identity``: the platform and post id where the link carries
    one) or, without one, where it was, who wrote it and what it said."""
    if normalised_url:
        basis = post_identity(normalised_url)
    else:
        basis = f"text\n{platform}\n{author_handle.strip().lower()}\n{captured_text.strip()}"
    return hashlib.sha256(basis.encode()).hexdigest()
