"""Forms of the account pages: asking for a password reset link."""

from django import forms


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": "Enter the e-mail address you use for the Hub.",
            "invalid": "Enter an e-mail address like name@example.org.",
        },
    )
