from django import forms

from notifications.models import Delivery, kinds_for


class PreferencesForm(forms.Form):
    """One choice per kind of notification the person's role can receive."""

    def __init__(self, *args, user, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds_for(user):
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind),
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={
                    "required": "Choose how you want to hear about this.",
                    "invalid_choice": "Choose one of the three ways shown.",
                },
            )
