import pytest

from reports.platforms import Platform, platform_for_url


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://x.com/a/status/1", Platform.X),
        ("https://mobile.twitter.com/a/status/1", Platform.X),
        ("https://WWW.Facebook.com/a/posts/1", Platform.FACEBOOK),
        ("https://m.facebook.com/story.php?id=1", Platform.FACEBOOK),
        ("https://www.instagram.com/p/abc/", Platform.INSTAGRAM),
        ("https://www.tiktok.com/@a/video/1", Platform.TIKTOK),
        ("https://youtu.be/abc", Platform.YOUTUBE),
        ("https://m.youtube.com/watch?v=abc", Platform.YOUTUBE),
        ("https://old.reddit.com/r/a/comments/b/", Platform.REDDIT),
        ("https://t.me/channel/123", Platform.TELEGRAM),
        ("https://example.org/forum/1", Platform.OTHER),
        ("https://notx.com/a", Platform.OTHER),
        ("https://x.com.evil.example/a", Platform.OTHER),
    ],
)
def test_platform_is_recognised_from_the_url(url, platform):
    assert platform_for_url(url) == platform
