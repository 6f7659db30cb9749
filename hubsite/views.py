from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hubsite import roles


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
