from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from two_factor import views as two_factor_views

from hubsite import roles

# The libraries call every code a "token"; people know it as the code their app shows, or a backup code.
APP_CODE = "Six-digit code from your authenticator app"
WAIT = "Codes are paused for a short while after wrong tries: wait a minute, then enter the code your app shows."
SIGN_IN_MESSAGES = {
    "token_required": "Enter the six-digit code your authenticator app shows for the Hub.",
    "invalid_token": "That code is not right, or has run out. Enter the code your app shows now.",
    "n_failed_attempts": WAIT,
    "verification_not_allowed": WAIT,
}
BACKUP_WAIT = "Codes are paused for a short while after wrong tries: wait a minute, then try again."
BACKUP_MESSAGES = {
    "token_required": "Enter one of your backup codes.",
    "invalid_token": "That backup code is not right, or was used before: each works once.",
    "n_failed_attempts": BACKUP_WAIT,
    "verification_not_allowed": BACKUP_WAIT,
}
SETUP_MESSAGES = {
    "invalid_token": "That code is not right. Check the app added the Hub, then enter the code it shows now."
}
# Per wizard step: the code field, its label, and which of the form's messages to replace.
PLAIN_WORDS = {
    "token": ("otp_token", APP_CODE, "otp_error_messages", SIGN_IN_MESSAGES),
    "backup": ("otp_token", "Backup code", "otp_error_messages", BACKUP_MESSAGES),
    "generator": ("token", APP_CODE, "error_messages", SETUP_MESSAGES),
}


class PlainWordsMixin:
    """Names each wizard step's code field, and its errors, in the words a person knows."""

    def get_form(self, step=None, **kwargs):
        form = super().get_form(step=step, **kwargs)
        words = PLAIN_WORDS.get(step or self.steps.current)
        if words and words[0] in form.fields:
            field, label, messages, ours = words
            form.fields[field].label = label
            setattr(form, messages, {**getattr(form, messages), **ours})
        return form


class LoginView(PlainWordsMixin, two_factor_views.LoginView):
    pass


class SetupView(PlainWordsMixin, two_factor_views.SetupView):
    pass


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is."""
    user = request.user
    if user.has_perm(roles.WORK_QUEUE):
        return redirect("triage:queue")
    if user.has_perm(roles.SUBMIT_REPORT):
        return redirect("volunteers:dashboard")
    if user.has_perm(roles.LIAISE_FOR_FORCE):
        return redirect("liaison:referrals")
    return render(request, "hubsite/home.html")
