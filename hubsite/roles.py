"""The Hub's roles and the permissions pages check.

Roles are Django groups created, with their permissions, by a data migration
(hubsite 0002). A page or endpoint checks a *permission*, never a group name,
so an admin can widen or narrow a role without a code change.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    OFFICER = "officer", "Officer"
    LIAISON = "liaison", "Force liaison"
    ADMIN = "admin", "Admin"


# Permission strings ("app_label.codename") used at the edges.
SUBMIT_REPORT = "reports.submit_report"
WORK_QUEUE = "triage.work_queue"
LIAISE_FOR_FORCE = "triage.liaise_for_force"
