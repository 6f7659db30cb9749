"""Which social-media platform a post's URL belongs to."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import models


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    REDDIT = "reddit", "Reddit"
    TELEGRAM = "telegram", "Telegram"
    OTHER = "other", "Other"


# Registered domains (without subdomains) and the platform each belongs to.
PLATFORM_DOMAINS: dict[str, Platform] = {
    "x.com": Platform.X,
    "twitter.com": Platform.X,
    "t.co": Platform.X,
    "facebook.com": Platform.FACEBOOK,
    "fb.com": Platform.FACEBOOK,
    "fb.watch": Platform.FACEBOOK,
    "instagram.com": Platform.INSTAGRAM,
    "instagr.am": Platform.INSTAGRAM,
    "tiktok.com": Platform.TIKTOK,
    "youtube.com": Platform.YOUTUBE,
    "youtu.be": Platform.YOUTUBE,
    "reddit.com": Platform.REDDIT,
    "redd.it": Platform.REDDIT,
    "t.me": Platform.TELEGRAM,
    "telegram.me": Platform.TELEGRAM,
    "telegram.org": Platform.TELEGRAM,
}


def platform_for_url(url: str) -> Platform:
    """The platform a URL points at; ``Platform.OTHER`` when it is none we know.

    Subdomains count as their parent (``m.facebook.com``, ``old.reddit.com``).
    """
    host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    labels = host.split(".")
    for start in range(len(labels) - 1):
        platform = PLATFORM_DOMAINS.get(".".join(labels[start:]))
        if platform is not None:
            return platform
    return Platform.OTHER
