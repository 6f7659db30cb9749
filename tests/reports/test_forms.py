"""Every field of the volunteer's form: what it accepts, and the message when it refuses."""

import pytest

from reports.forms import ReportForm
from reports.models import Category
from tests.factories import report_form_data

pytestmark = pytest.mark.django_db


def test_valid_report_is_accepted():
    form = ReportForm(data=report_form_data())
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("post_url", "not a link", "That is not a web link."),
        ("post_url", "javascript:alert(1)", "That is not a web link."),
        ("post_url", "data:text/html,<script>alert(1)</script>", "That is not a web link."),
        ("post_url", "file:///etc/passwd", "That is not a web link."),
        ("post_url", "ftp://example.com/post", "That is not a web link."),
        ("post_url", "https://" + "a" * 2050 + ".com/", "at most 2048 characters"),
        ("platform", "myspace", "Select a valid choice."),
        ("captured_text", "", "Copy the text of the post here."),
        ("captured_text", "   \u200b\n", "Copy the text of the post here"),
        ("captured_text", "x" * 20_001, "The text is too long: keep it under 20,000 characters"),
        ("author_handle", "@" + "a" * 200, "at most 200 characters"),
        ("categories", [], "Tick at least one group the post targets."),
        ("categories", ["999999"], "Select a valid choice."),
        ("notes", "n" * 5001, "at most 5000 characters"),
    ],
)
def test_bad_input_gets_a_clear_message_beside_its_field(field, value, message):
    form = ReportForm(data=report_form_data(**{field: value}))
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])


def test_a_retired_category_is_not_offered():
    retired = Category.objects.create(slug="retired", name="Retired", is_active=False)
    form = ReportForm(data=report_form_data(categories=[retired.pk]))
    assert not form.is_valid()
    assert "categories" in form.errors
    assert retired not in form.fields["categories"].queryset


def test_a_category_added_by_an_admin_is_offered_without_a_code_change():
    added = Category.objects.create(slug="age", name="Age", position=5)
    form = ReportForm(data=report_form_data(categories=[added.pk]))
    assert form.is_valid(), form.errors


def test_url_without_scheme_is_taken_as_https():
    form = ReportForm(data=report_form_data(post_url="x.com/someone/status/1"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["post_url"] == "https://x.com/someone/status/1"


def test_handle_is_trimmed_and_optional_fields_may_be_empty():
    form = ReportForm(data=report_form_data(author_handle="  @someone  ", notes=""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["author_handle"] == "@someone"
    form = ReportForm(data=report_form_data(author_handle=""))
    assert form.is_valid(), form.errors


def test_without_a_link_the_platform_and_author_are_needed():
    form = ReportForm(data=report_form_data(post_url="", platform="", author_handle="@someone"))
    assert not form.is_valid()
    assert "If it has no link, choose the platform and say who posted it." in form.errors["post_url"][0]
    form = ReportForm(data=report_form_data(post_url="", platform="telegram", author_handle="@someone"))
    assert form.is_valid(), form.errors


def test_severity_flags_and_force_areas_are_accepted():
    from triage.models import Force

    force = Force.objects.get(slug="west-yorkshire-police")
    form = ReportForm(
        data=report_form_data(
            threat_of_violence="on", target_is_child="on", target_force=force.pk, poster_location="Leeds"
        )
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["threat_of_violence"] is True
    assert form.cleaned_data["incitement"] is False
    assert form.cleaned_data["target_force"] == force


def test_a_missing_submission_key_is_refused():
    form = ReportForm(data=report_form_data(submission_key=""))
    assert not form.is_valid()
    assert "submission_key" in form.errors
