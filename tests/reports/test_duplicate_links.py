"""Two links to one post open one case, whatever the handle in the link or its case."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from reports.links import post_key, recognise
from reports.models import Category, CounterSpeech, Report
from tests.factories import UserFactory, report_form_data
from triage.intake import counter_speech_log, report_submit
from triage.models import Case


def key_of(url: str) -> str:
    normalised, platform = recognise(url)
    return post_key(normalised_url=normalised, platform=platform, author_handle="", captured_text="")


# Links that point at one post. The post id alone identifies it on X, YouTube, TikTok, Facebook (where the link
# carries one), Instagram and Reddit; elsewhere only the parts the platform reads without regard to case differ.
SAME_POST = {
    "x status, handle in another case": [
        "https://x.com/HatefulHandle99/status/1790000000000000001",
        "https://x.com/hatefulhandle99/status/1790000000000000001",
        "https://twitter.com/HATEFULHANDLE99/status/1790000000000000001?s=20",
        "https://x.com/i/web/status/1790000000000000001",
        "https://x.com/renamed_since/status/1790000000000000001/photo/1",
    ],
    "youtube video": [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share&t=42",
        "https://www.youtube.com/live/dQw4w9WgXcQ",
    ],
    "tiktok video": [
        "https://www.tiktok.com/@SomePoster/video/7301234567890123456",
        "https://www.tiktok.com/@someposter/video/7301234567890123456?is_from_webapp=1",
        "https://m.tiktok.com/v/7301234567890123456.html",
        "https://www.tiktok.com/embed/v2/7301234567890123456",
    ],
    "facebook post": [
        "https://www.facebook.com/permalink.php?story_fbid=123456789012345&id=100000000000001",
        "https://m.facebook.com/story.php?story_fbid=123456789012345&id=100000000000001",
        "https://www.facebook.com/SomePage/posts/123456789012345",
        "https://www.facebook.com/somepage/posts/123456789012345/?fbclid=x",
    ],
    "facebook group post": [
        "https://www.facebook.com/groups/Brumlocals/posts/555666777888999",
        "https://www.facebook.com/groups/123/permalink/555666777888999/",
    ],
    "instagram post": [
        "https://www.instagram.com/p/CxYzAbC123/",
        "https://instagram.com/reel/CxYzAbC123",
        "https://www.instagram.com/SomeUser/p/CxYzAbC123/?igsh=z",
    ],
    "reddit post": [
        "https://www.reddit.com/r/unitedkingdom/comments/1abcd2/some_title/",
        "https://old.reddit.com/r/UnitedKingdom/comments/1abcd2/",
        "https://redd.it/1abcd2",
    ],
    "reddit comment": [
        "https://www.reddit.com/r/unitedkingdom/comments/1abcd2/some_title/kx9z1y0/",
        "https://www.reddit.com/r/UnitedKingdom/comments/1abcd2/comment/kx9z1y0/",
    ],
    "x profile": ["https://x.com/HatefulHandle99", "https://twitter.com/hatefulhandle99/"],
    "instagram profile": ["https://www.instagram.com/SomeUser/", "https://instagram.com/someuser"],
    "telegram message": ["https://t.me/SomeChannel/123", "https://telegram.me/somechannel/123"],
    "youtube channel handle": ["https://www.youtube.com/@SomeChannel", "https://youtube.com/@somechannel"],
    "host case elsewhere": ["https://Forum.Example.ORG/thread/Ab12", "https://forum.example.org/thread/Ab12"],
}

DIFFERENT_POSTS = [
    # Ids are compared exactly: YouTube ids and Instagram shortcodes are case-sensitive.
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dqw4w9wgxcq"),
    ("https://www.instagram.com/p/CxYzAbC123/", "https://www.instagram.com/p/cxyzabc123/"),
    ("https://x.com/a/status/1", "https://x.com/a/status/2"),
    # A reply on Reddit is not the post it replies to.
    ("https://www.reddit.com/r/uk/comments/1abcd2/t/", "https://www.reddit.com/r/uk/comments/1abcd2/t/kx9z1y0/"),
    # The same number on two platforms is two posts.
    ("https://x.com/a/status/7301234567890123456", "https://www.tiktok.com/@a/video/7301234567890123456"),
    # Elsewhere the path is kept as it is: a site may well tell the two apart.
    ("https://forum.example.org/thread/Ab12", "https://forum.example.org/thread/ab12"),
    # Invitation codes and channel ids are case-sensitive.
    ("https://t.me/+AbCdEf", "https://t.me/+abcdef"),
    ("https://www.youtube.com/channel/UCabcDEF", "https://www.youtube.com/channel/ucabcdef"),
]


@pytest.mark.parametrize("links", SAME_POST.values(), ids=SAME_POST.keys())
def test_links_to_one_post_have_one_key(links):
    assert len({key_of(link) for link in links}) == 1, links


@pytest.mark.parametrize(("first", "second"), DIFFERENT_POSTS)
def test_links_to_different_posts_have_different_keys(first, second):
    assert key_of(first) != key_of(second)


def test_keys_of_links_the_new_rule_leaves_alone_are_unchanged():
    """Cases already open for such links keep their keys, so nothing needs migrating for them."""
    import hashlib

    for url in ["https://forum.example.org/thread/Ab12", "https://vm.tiktok.com/ZMabcDEF/"]:
        normalised, _ = recognise(url)
        assert key_of(url) == hashlib.sha256(f"url\n{normalised}".encode()).hexdigest()


@pytest.mark.django_db
@pytest.mark.parametrize("links", SAME_POST.values(), ids=SAME_POST.keys())
def test_reports_of_one_post_through_different_links_join_one_case(links):
    race = Category.objects.get(slug="race")
    for link in links:
        report_submit(
            reporter=UserFactory(role=Role.VOLUNTEER), post_url=link, captured_text="the post", categories=[race]
        )
    case = Case.objects.get()
    assert case.reporter_count == len(links)
    assert sorted(Report.objects.values_list("post_url", flat=True)) == sorted(links), "links are kept as given"


@pytest.mark.django_db
def test_the_same_volunteer_sending_the_other_spelling_is_told_they_already_reported_it():
    from triage.intake import DuplicateReport

    volunteer, race = UserFactory(role=Role.VOLUNTEER), Category.objects.get(slug="race")
    report_submit(reporter=volunteer, post_url="https://x.com/HatefulHandle99/status/42", captured_text="t",
                  categories=[race])  # fmt: skip
    with pytest.raises(DuplicateReport):
        report_submit(reporter=volunteer, post_url="https://x.com/hatefulhandle99/status/42", captured_text="t",
                      categories=[race])  # fmt: skip


@pytest.mark.django_db
def test_counter_speech_finds_the_case_through_another_spelling_of_the_link():
    volunteer, race = UserFactory(role=Role.VOLUNTEER), Category.objects.get(slug="race")
    report = report_submit(
        reporter=volunteer, post_url="https://x.com/HatefulHandle99/status/43", captured_text="t", categories=[race]
    ).report
    reply = counter_speech_log(
        volunteer=volunteer,
        post_url="https://twitter.com/hatefulhandle99/status/43",
        reply_url="https://x.com/me/status/44",
        replied_at=report.created_at,
    )
    assert reply.case == report.case


@pytest.mark.django_db
def test_a_reply_logged_before_the_report_joins_the_case_through_another_spelling():
    volunteer, race = UserFactory(role=Role.VOLUNTEER), Category.objects.get(slug="race")
    reply = counter_speech_log(
        volunteer=volunteer,
        post_url="https://x.com/hatefulhandle99/status/45",
        reply_url="https://x.com/me/status/46",
        replied_at="2026-01-02T10:30Z",
    )
    other = counter_speech_log(
        volunteer=volunteer,
        post_url="https://x.com/hatefulhandle99/status/450",
        reply_url="https://x.com/me/status/47",
        replied_at="2026-01-02T10:30Z",
    )
    report = report_submit(
        reporter=volunteer, post_url="https://x.com/HatefulHandle99/status/45", captured_text="t", categories=[race]
    ).report
    assert CounterSpeech.objects.get(pk=reply.pk).case == report.case
    assert CounterSpeech.objects.get(pk=other.pk).case is None


@pytest.mark.django_db
def test_the_two_x_links_join_one_case_through_the_form(client, sign_in):
    def send(link):
        sign_in(Role.VOLUNTEER)
        response = client.post(
            reverse("reports:new"),
            report_form_data(
                post_url=link, captured_text="They should all be thrown out.", author_handle="@HatefulHandle99"
            ),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        client.logout()

    send("https://x.com/HatefulHandle99/status/1790000000000000001")
    send("https://x.com/hatefulhandle99/status/1790000000000000001")
    case = Case.objects.get()
    assert case.reporter_count == 2
    assert set(Report.objects.values_list("post_url", flat=True)) == {
        "https://x.com/HatefulHandle99/status/1790000000000000001",
        "https://x.com/hatefulhandle99/status/1790000000000000001",
    }
