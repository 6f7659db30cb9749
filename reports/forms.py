from __future__ import annotations

import uuid
from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from reports.evidence import clean_screenshot
from reports.models import Category
from reports.platforms import Platform
from reports.rules import (
    NOT_A_WEB_LINK,
    ReportRuleError,
    captured_text_check,
    post_identity_check,
    post_url_check,
)
from reports.sharing import shared_picture_find
from triage.models import Force
from volunteers.accreditation import HOW_TO_TRAIN, untaggable_categories


def _web_link(url: str) -> None:
    try:
        post_url_check(url)
    except ReportRuleError as error:
        raise forms.ValidationError(error.message, code="invalid") from None


class WebLinkField(forms.URLField):
    """A URL a browser opens as a web page (``reports.rules.post_url_check``)."""

    default_validators = [_web_link]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2048)
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault(
            "widget", forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"})
        )
        super().__init__(**kwargs)
        self.error_messages["invalid"] = NOT_A_WEB_LINK


class ForceAreaField(forms.ModelChoiceField):
    """An optional choice of police force area, "Not known" by default."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "Not known")
        super().__init__(queryset=Force.objects.filter(is_active=True), **kwargs)


class ReportForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    post_url = WebLinkField(
        label="Link to the post",
        required=False,
        help_text="Copy the address of the post itself, e.g. https://x.com/someone/status/123.",
    )
    platform = forms.ChoiceField(
        label="Platform",
        required=False,
        choices=[("", "Work it out from the link")] + Platform.choices,
        help_text="Worked out from the link; change it if it is wrong.",
    )
    captured_text = forms.CharField(
        label="The post's text",
        strip=False,  # evidence is kept exactly as captured
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Copy the words exactly as they appear, including spelling and emoji.",
        error_messages={"required": "Copy the text of the post here."},
    )
    author_handle = forms.CharField(
        label="Who posted it",
        required=False,
        max_length=200,
        help_text="Their handle or name as shown, e.g. @someone.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # The token of a picture shared from a phone's share sheet, held until the report is sent (reports.sharing).
    shared_picture = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    screenshot = forms.FileField(
        label="Screenshot",
        required=False,
        help_text="Optional. A PNG, JPEG or WebP picture of the post, up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    categories = forms.ModelMultipleChoiceField(
        label="Who does it target?",
        queryset=Category.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every group the post attacks.",
        error_messages={"required": "Tick at least one group the post targets."},
    )
    threat_of_violence = forms.BooleanField(label="It threatens violence", required=False)
    incitement = forms.BooleanField(label="It urges others to act against someone", required=False)
    doxxing = forms.BooleanField(label="It publishes someone's personal information", required=False)
    targets_individual = forms.BooleanField(label="It is aimed at one person, not a group", required=False)
    target_is_child = forms.BooleanField(label="The person targeted appears to be a child", required=False)
    target_location = forms.CharField(label="Where the person targeted is", required=False, max_length=200)
    target_force = ForceAreaField(label="Police force area of the person targeted")
    poster_location = forms.CharField(label="Where the poster is", required=False, max_length=200)
    poster_force = ForceAreaField(label="Police force area of the poster")
    notes = forms.CharField(
        label="Notes for the officers",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything that helps: context, replies, whether it is still up.",
    )

    def __init__(self, *args, reporter=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.reporter = reporter
        self.helper = FormHelper()
        self.helper.form_id = "report-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "submission_key",
            Fieldset(
                "The post", "post_url", "platform", "captured_text", "author_handle", "shared_picture", "screenshot"
            ),
            Fieldset("Who it targets", "categories"),
            Fieldset(
                "How serious it is",
                Div(
                    "threat_of_violence",
                    "incitement",
                    "doxxing",
                    "targets_individual",
                    "target_is_child",
                    css_class="mb-2",
                ),
            ),
            Fieldset(
                "Where they are (optional)",
                "target_location",
                "target_force",
                "poster_location",
                "poster_force",
            ),
            "notes",
        )
        self.helper.add_input(Submit("submit", "Send report", css_class="btn-primary btn-lg w-100 w-sm-auto"))

    # The report's own rules (reports.rules) are the service's; here they only put each message by its field.
    def clean_captured_text(self) -> str:
        text = self.cleaned_data["captured_text"]
        try:
            captured_text_check(text)
        except ReportRuleError as error:
            raise forms.ValidationError(error.message) from None
        return text

    def clean_author_handle(self) -> str:
        return self.cleaned_data["author_handle"].strip()

    def clean_categories(self):
        categories = self.cleaned_data["categories"]
        if self.reporter is not None:
            locked = untaggable_categories(self.reporter, categories)
            if locked:
                names = ", ".join(category.name for category in locked)
                raise forms.ValidationError(
                    f"Tagging {names} needs its training module, which you have not passed or which has expired. "
                    f"Untick it (an officer will judge the target), or take the training. {HOW_TO_TRAIN}"
                )
        return categories

    def clean_screenshot(self):
        upload = self.cleaned_data.get("screenshot")
        if upload:
            return clean_screenshot(upload)  # a picture chosen here replaces one that was shared
        token = self.cleaned_data.get("shared_picture", "")
        if not token or self.reporter is None:
            return None
        shared = shared_picture_find(user_pk=self.reporter.pk, token=token)
        if shared is None:
            self.data = self.data.copy()
            self.data["shared_picture"] = ""  # shown again without it, so the report can be sent as it stands
            raise forms.ValidationError(
                "The picture you shared is no longer held (we keep it for an hour). Choose it again here, "
                "or send the report without it."
            )
        return shared

    def clean(self):
        cleaned = super().clean()
        if "post_url" not in self.errors:
            try:
                post_identity_check(
                    post_url=cleaned.get("post_url"),
                    platform=cleaned.get("platform"),
                    author_handle=cleaned.get("author_handle"),
                )
            except ReportRuleError as error:
                self.add_error(error.field, error.message)
        return cleaned


class CounterSpeechForm(forms.Form):
    post_url = WebLinkField(label="Link to the hateful post", help_text="The post you answered.")
    reply_url = WebLinkField(label="Link to your reply")
    replied_at = forms.DateTimeField(
        label="When you replied",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "Give the date and time you replied, e.g. 2026-11-28 14:30."},
    )
    reply_text = forms.CharField(
        label="What you wrote", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "counter-speech-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", "Log my reply", css_class="btn-primary w-100 w-sm-auto"))

    def clean_replied_at(self):
        replied_at = self.cleaned_data["replied_at"]
        if replied_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError("That time is in the future: give the time you replied.")
        return replied_at
