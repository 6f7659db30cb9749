"""triage/migrations/0010_case_merge.py: existing cases get the duplicate key by post id, and never fail it."""

import hashlib
from importlib import import_module

import pytest
from django.apps import apps

from reports.links import normalise_post_url, post_key
from tests.factories import ReportFactory
from tests.reports.test_duplicate_links import DIFFERENT_POSTS, SAME_POST
from triage.models import Case, CaseEvent

migration = import_module("triage.migrations.0010_case_merge")


def old_key(url: str) -> str:
    return hashlib.sha256(f"url\n{normalise_post_url(url)}".encode()).hexdigest()


def new_key(url: str) -> str:
    return post_key(normalised_url=normalise_post_url(url), platform="", author_handle="", captured_text="")


def case_under_old_key(url: str) -> Case:
    """A case as report_submit opened it before: keyed by the whole normalised link."""
    return ReportFactory(post_url=url, normalised_url=normalise_post_url(url), case__post_key=old_key(url)).case


@pytest.mark.parametrize("links", SAME_POST.values(), ids=SAME_POST.keys())
def test_the_migrations_copy_of_the_rule_finds_the_same_posts(links):
    assert len({migration.post_identity(normalise_post_url(link)) for link in links}) == 1


@pytest.mark.parametrize(("first", "second"), DIFFERENT_POSTS)
def test_the_migrations_copy_of_the_rule_keeps_different_posts_apart(first, second):
    assert migration.post_identity(normalise_post_url(first)) != migration.post_identity(normalise_post_url(second))


@pytest.mark.django_db
def test_existing_cases_get_the_new_key_and_colliding_ones_are_pointed_at_each_other():
    earlier_x = case_under_old_key("https://x.com/HatefulHandle99/status/5")
    later_x = case_under_old_key("https://x.com/hatefulhandle99/status/5")
    video = case_under_old_key("https://youtu.be/dQw4w9WgXcQ")
    mixed_case_profile = case_under_old_key("https://www.instagram.com/SomeUser")
    lower_case_profile = case_under_old_key("https://www.instagram.com/someuser")  # already holds the new key
    unchanged = case_under_old_key("https://forum.example.org/thread/Ab12")
    no_link = ReportFactory(post_url="", normalised_url="").case
    keys_before = dict(Case.objects.values_list("pk", "post_key"))
    events_before = CaseEvent.objects.count()

    migration.rekey_cases(apps, None)

    keys = dict(Case.objects.values_list("pk", "post_key"))
    assert keys[earlier_x.pk] == new_key("https://x.com/hatefulhandle99/status/5")
    assert keys[later_x.pk] == keys_before[later_x.pk], "the later of two colliding cases keeps its key"
    assert keys[video.pk] == new_key("https://www.youtube.com/shorts/dQw4w9WgXcQ")
    assert (
        keys[lower_case_profile.pk] == keys_before[lower_case_profile.pk] == new_key("https://instagram.com/SomeUser")
    )
    assert keys[mixed_case_profile.pk] == keys_before[mixed_case_profile.pk]
    assert keys[unchanged.pk] == keys_before[unchanged.pk] and keys[no_link.pk] == keys_before[no_link.pk]

    notes = dict(CaseEvent.objects.filter(kind="note").values_list("case_id", "note"))
    assert set(notes) == {earlier_x.pk, later_x.pk, mixed_case_profile.pk, lower_case_profile.pk}
    assert f"The same post as case {later_x.pk}" in notes[earlier_x.pk]
    assert f"The same post as case {earlier_x.pk}" in notes[later_x.pk]
    assert CaseEvent.objects.count() == events_before + 4

    migration.rekey_cases(apps, None)
    assert dict(Case.objects.values_list("pk", "post_key")) == keys, "running it again changes nothing more"


@pytest.mark.django_db
def test_a_key_already_taken_is_left_as_it_was_and_the_migration_goes_on():
    wanted = new_key("https://x.com/Someone/status/9")
    taker = ReportFactory(post_url="", normalised_url="", case__post_key=wanted).case  # keyed some other way
    blocked = case_under_old_key("https://x.com/Someone/status/9")
    video = case_under_old_key("https://youtu.be/abcdefghijk")

    migration.rekey_cases(apps, None)

    assert Case.objects.get(pk=blocked.pk).post_key == old_key("https://x.com/Someone/status/9")
    assert Case.objects.get(pk=taker.pk).post_key == wanted
    assert Case.objects.get(pk=video.pk).post_key == new_key("https://youtu.be/abcdefghijk")
