"""The Hub's roles and the permissions pages check.

Roles are Django groups created, with their permissions, by a data migration
(hubsite 0002). A page or endpoint checks a *permission*, never a group name,
so an admin can widen or narrow a role without a code change.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import models


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    OFFICER = "officer", "Officer"
    LIAISON = "liaison", "Force liaison"
    ADMIN = "admin", "Admin"
    PARTNER = "partner", "Partner organisation"


# Permission strings ("app_label.codename") used at the edges.
SUBMIT_REPORT = "reports.submit_report"
SUBMIT_REPORT_VIA_API = "reports.submit_report_via_api"
LOG_COUNTER_SPEECH = "reports.log_counter_speech"
WORK_QUEUE = "triage.work_queue"
LIAISE_FOR_FORCE = "triage.liaise_for_force"
VIEW_STATISTICS = "triage.view_statistics"


# The backend whose permissions roles grant (settings.AUTHENTICATION_BACKENDS names more than one).
ROLE_PERMISSION_BACKEND = "hubsite.sign_in.HubModelBackend"


def people_with(permission: str, *, include_superusers: bool = False):
    """Active accounts whose role grants ``permission``: who to tell of something, or offer a choice of.
    Superusers only if asked for: they hold every permission but work no queue."""
    return get_user_model().objects.with_perm(
        permission, is_active=True, include_superusers=include_superusers, backend=ROLE_PERMISSION_BACKEND
    )
