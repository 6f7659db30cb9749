from __future__ import annotations

import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, URLValidator

from reports.models import Category
from reports.platforms import Platform


class WebLinkField(forms.URLField):
    """A URL a browser opens as a web page: http or https only (never javascript:, data:, ftp:)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class ReportForm(forms.Form):
    post_url = WebLinkField(
        label="Link to the post",
        max_length=2048,
        assume_scheme="https",
        help_text="Copy the address of the post itself, e.g. https://x.com/someone/status/123.",
        error_messages={
            "required": "Paste the link to the post.",
            "invalid": "That is not a web link. Copy the address that starts with https:// from the post.",
        },
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
    )
    platform = forms.ChoiceField(
        label="Platform",
        required=False,
        choices=[("", "Work it out from the link")] + Platform.choices,
        help_text="Worked out from the link; change it if it is wrong.",
    )
    captured_text = forms.CharField(
        label="The post's text",
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
    categories = forms.ModelMultipleChoiceField(
        label="Who does it target?",
        queryset=Category.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every group the post attacks.",
        error_messages={"required": "Tick at least one group the post targets."},
    )
    notes = forms.CharField(
        label="Notes for the officers",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything that helps: context, replies, whether it is still up.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.REPORT_TEXT_MAX_LENGTH
        text = self.fields["captured_text"]
        text.validators.append(MaxLengthValidator(limit))
        text.error_messages["max_length"] = (
            f"The text is too long: keep it under {limit:,} characters "
            "(it has %(show_value)s). Take the part that matters most."
        )
        self.helper = FormHelper()
        self.helper.form_id = "report-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", "Send report", css_class="btn-primary btn-lg w-100 w-sm-auto"))

    def clean_captured_text(self) -> str:
        text = self.cleaned_data["captured_text"]
        if not any(not unicodedata.category(char).startswith(("Z", "C")) for char in text):
            raise forms.ValidationError("Copy the text of the post here: it is empty.")
        return text

    def clean_author_handle(self) -> str:
        return self.cleaned_data["author_handle"].strip()
