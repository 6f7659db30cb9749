"""The canonical form of a post's URL, so the same post reported twice is recognised.

Two links to one post differ in many harmless ways: scheme and host case, a
mobile or alias host, tracking parameters, a fragment. ``normalise_post_url``
removes those differences and nothing else: the path and the parameters that
identify the post are kept as they were.
"""

from __future__ import annotations

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
