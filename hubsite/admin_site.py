"""The Hub's admin site: Django's, signing in through the Hub's two steps, and refusing the wrong role plainly.

With ``TWO_FACTOR_PATCH_ADMIN`` the admin's sign-in sends people to the Hub's own sign-in page, which sends
anyone already signed in straight back: for a signed-in volunteer that was admin -> sign-in -> admin, round and
round (ERR_TOO_MANY_REDIRECTS). Someone already signed in who may not use the admin site does not need to sign
in: they need to be told so, with the way back.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.http import url_has_allowed_host_and_scheme

from hubsite.errors import admin_refused


class HubAdminSite(admin.AdminSite):
    # Django's index, with shortcuts to the screens admins use most above the list of models.
    index_template = "admin/hub_index.html"

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            asked_for = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(asked_for, allowed_hosts={request.get_host()}):
                asked_for = request.path.removesuffix("login/")
            return admin_refused(request, return_to=asked_for)
        return super().login(request, extra_context)
