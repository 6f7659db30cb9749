import pytest

from reports.links import normalise_post_url, recognise


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("HTTPS://X.COM/someone/status/1", "https://x.com/someone/status/1"),
        ("http://twitter.com/someone/status/1?s=20&t=abc", "https://x.com/someone/status/1"),
        ("https://mobile.twitter.com/someone/status/1/", "https://x.com/someone/status/1"),
        (
            "https://m.facebook.com/groups/1/posts/2/?fbclid=IwAR0&mibextid=x",
            "https://www.facebook.com/groups/1/posts/2",
        ),
        (
            "https://facebook.com/permalink.php?story_fbid=5&id=7&__tn__=K",
            "https://www.facebook.com/permalink.php?id=7&story_fbid=5",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?si=share", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=abc&feature=share&utm_source=x", "https://www.youtube.com/watch?v=abc"),
        ("https://old.reddit.com/r/uk/comments/abc/title/", "https://www.reddit.com/r/uk/comments/abc/title"),
        ("https://www.instagram.com/p/Cxyz/?igsh=abc", "https://www.instagram.com/p/Cxyz"),
        ("https://www.tiktok.com/@a/video/1?is_from_webapp=1", "https://www.tiktok.com/@a/video/1?is_from_webapp=1"),
        ("https://t.me/channel/123#comments", "https://t.me/channel/123"),
        ("https://example.org/forum?thread=5&utm_campaign=z", "https://example.org/forum?thread=5"),
    ],
)
def test_urls_are_normalised(url, normalised):
    assert normalise_post_url(url) == normalised


def test_the_same_post_through_different_links_normalises_to_one_url():
    links = [
        "https://twitter.com/a/status/9?utm_source=share",
        "https://mobile.twitter.com/a/status/9",
        "https://x.com/a/status/9/",
        "http://X.com/a/status/9#reply",
    ]
    assert len({normalise_post_url(link) for link in links}) == 1


def test_recognise_gives_the_platform_of_the_normalised_url():
    assert recognise("https://youtu.be/abc") == ("https://www.youtube.com/watch?v=abc", "youtube")
    assert recognise("https://example.org/x")[1] == "other"


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://forum.example/viewtopic.php?t=12", "https://forum.example/viewtopic.php?t=12"),
        ("https://www.twitter.com/a/status/1", "https://x.com/a/status/1"),
        ("https://web.facebook.com/a/posts/1", "https://www.facebook.com/a/posts/1"),
        ("https://np.reddit.com/r/a/comments/b", "https://www.reddit.com/r/a/comments/b"),
        ("https://m.instagram.com/p/abc", "https://www.instagram.com/p/abc"),
        ("http://[2001:db8::1]:8080/post/1", "https://[2001:db8::1]:8080/post/1"),
    ],
)
def test_short_parameters_are_kept_off_the_platforms_and_aliases_are_mapped(url, normalised):
    assert normalise_post_url(url) == normalised
