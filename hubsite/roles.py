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
    PARTNER = "partner", "Partner organisation"


# Permission strings ("app_label.codename") used at the edges.
SUBMIT_REPORT = "reports.submit_report"
SUBMIT_REPORT_VIA_API = "reports.submit_report_via_api"
LOG_COUNTER_SPEECH = "reports.log_counter_speech"
WORK_QUEUE = "triage.work_queue"
LIAISE_FOR_FORCE = "triage.liaise_for_force"
VIEW_STATISTICS = "triage.view_statistics"
