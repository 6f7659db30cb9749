"""The admin's one screen to add a volunteer: account, role, profile, first training record and invitation.

The pseudonym is drawn when the form is first shown and travels with it signed, so the one the admin reads is
the one saved, and no other can be slipped in; ``volunteers.services.volunteer_add`` does the writing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from hubsite.models import User
from volunteers.models import TrainingModule, VolunteerProfile
from volunteers.services import PseudonymTaken, TrainingDone, VolunteerAddError, volunteer_add

# Adding a volunteer makes an account and a profile: an admin needs both permissions.
PERMISSIONS = ("hubsite.add_user", "volunteers.add_volunteerprofile")
# A first training record is optional, and lets the volunteer report once active: it needs its own permission.
TRAINING_PERMISSION = "volunteers.add_trainingrecord"
TRAINING_REFUSED = (
    "You may not record training, so no training record can be saved with this volunteer: clear the module, "
    "date and score, and ask someone who keeps training records to add it."
)
_PSEUDONYM_SALT = "volunteers.add-volunteer.pseudonym"
_new_pseudonym = VolunteerProfile._meta.get_field("pseudonym").default
_profile_field = VolunteerProfile._meta.get_field


class VolunteerAddForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        validators=[User.username_validator],
        help_text="What they sign in with: letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="E-mail address", help_text="The invitation to set a password goes here; admins only see it."
    )
    pseudonym_token = forms.CharField(widget=forms.HiddenInput)
    languages = forms.CharField(required=False, max_length=200, help_text=_profile_field("languages").help_text)
    platforms = forms.CharField(required=False, max_length=200, help_text=_profile_field("platforms").help_text)
    training_module = forms.ModelChoiceField(
        label="Training module",
        queryset=TrainingModule.objects.filter(is_active=True),
        required=False,
        empty_label="None yet",
        help_text="Optional: a module they have already completed, such as the induction.",
    )
    training_completed_on = forms.DateField(
        label="Completed on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    training_score = forms.IntegerField(
        label="Score", required=False, min_value=0, max_value=100, help_text="Out of 100; leave empty if not scored."
    )
    send_invitation = forms.BooleanField(
        label="Send an invitation e-mail",
        required=False,
        initial=True,
        help_text="A link to set their password, sent as soon as the volunteer is saved. Until they set one, "
        "they cannot sign in.",
    )

    FIELDSETS = (
        ("Account", ("username", "email")),
        ("What they do", ("languages", "platforms")),
        ("First training record (optional)", ("training_module", "training_completed_on", "training_score")),
        ("Invitation", ("send_invitation",)),
    )

    def __init__(self, *args, may_record_training: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_record_training = may_record_training
        if not may_record_training:
            self.fields["training_module"].help_text = (
                "Recording training needs the permission to add training records, which you do not have: leave "
                "this part empty."
            )
        self.pseudonym = self._pseudonym_sent() if self.is_bound else None
        # Sent but unreadable (tampered with, or from another server's key): refused, and a new one shown.
        self.pseudonym_lost = self.is_bound and self.pseudonym is None
        if self.pseudonym is None:
            self.redraw_pseudonym()

    def _pseudonym_sent(self) -> str | None:
        try:
            return signing.loads(self.data.get("pseudonym_token", ""), salt=_PSEUDONYM_SALT)
        except signing.BadSignature:
            return None

    def redraw_pseudonym(self) -> None:
        """Draw a new pseudonym, shown and sent with the form from now on."""
        self.pseudonym = _new_pseudonym()
        token = signing.dumps(self.pseudonym, salt=_PSEUDONYM_SALT)
        self.initial["pseudonym_token"] = token
        if self.is_bound:
            self.data = self.data.copy()
            self.data["pseudonym_token"] = token

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]

    def clean_pseudonym_token(self) -> str:
        if self.pseudonym_lost:
            raise forms.ValidationError(
                "The pseudonym shown could not be read back, so nothing was saved. This volunteer has a new one, "
                "shown above: check it and save again."
            )
        return self.cleaned_data["pseudonym_token"]

    def clean(self):
        cleaned = super().clean()
        module, completed_on = cleaned.get("training_module"), cleaned.get("training_completed_on")
        score = cleaned.get("training_score")
        if module is not None and not self.may_record_training:
            self.add_error("training_module", TRAINING_REFUSED)
            return cleaned
        if module is None and "training_module" not in self.errors and (completed_on or score is not None):
            self.add_error("training_module", "Choose the module they completed, or clear its date and score.")
        if module is not None and completed_on is None and "training_completed_on" not in self.errors:
            self.add_error("training_completed_on", "Give the day they completed the module.")
        if completed_on and completed_on > timezone.localdate():
            self.add_error("training_completed_on", "That day is in the future: give the day they completed it.")
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        training = (
            TrainingDone(
                module=data["training_module"], completed_on=data["training_completed_on"], score=data["training_score"]
            )
            if data["training_module"]
            else None
        )
        return {
            "username": data["username"],
            "email": data["email"],
            "pseudonym": self.pseudonym,
            "languages": data["languages"].strip(),
            "platforms": data["platforms"].strip(),
            "first_training": training,
            "send_invitation": data["send_invitation"],
        }


def volunteer_add_view(model_admin, request):
    """The page: the admin site's own sign-in and staff check come first (``admin_view``), then the permissions."""
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied
    form = VolunteerAddForm(
        request.POST if request.method == "POST" else None,
        may_record_training=request.user.has_perm(TRAINING_PERMISSION),
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            profile = volunteer_add(**arguments, added_by=request.user)
        except PseudonymTaken as taken:
            form.redraw_pseudonym()
            form.add_error(None, taken.message)
        except VolunteerAddError as refused:
            form.add_error(refused.field if refused.field in ("username", "email") else None, refused.message)
        else:
            model_admin.log_addition(request, profile, [{"added": {}}])
            then = (
                f"An invitation to set a password is on its way to {arguments['email']}."
                if arguments["send_invitation"]
                else "They cannot sign in until they set a password: send them an invitation from the volunteer "
                "list when ready."
            )
            messages.success(
                request,
                f"Added {profile.pseudonym} ({profile.user.get_username()}) as an applicant. {then} Make them "
                "active from the volunteer list once they may report.",
            )
            return redirect("admin:volunteers_volunteerprofile_change", profile.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Add a volunteer",
        "opts": model_admin.model._meta,
        "form": form,
    }
    return TemplateResponse(request, "admin/volunteers/add_volunteer.html", context)
