"""A volunteer's own page: what their training lets them do, what they sent and what became of it."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Count
from django.urls import reverse
from django.views.generic import TemplateView

from hubsite import roles
from reports.models import Category, CounterSpeech, Report
from reports.wellbeing import WEEK_DAYS, daily_counts, exposure, week_start
from triage.models import Case
from volunteers.accreditation import refusal, training_overview, untaggable_categories
from volunteers.models import VolunteerProfile


class DashboardView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = roles.SUBMIT_REPORT
    template_name = "volunteers/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        exposed = exposure(user)
        mine = Report.objects.filter(reporter=user)
        by_status = dict(mine.values_list("case__status").annotate(n=Count("pk")).values_list("case__status", "n"))
        replies = CounterSpeech.objects.filter(volunteer=user)
        context.update(
            profile=VolunteerProfile.objects.filter(user=user).first(),
            abilities=self.abilities(user),
            training=training_overview(user),
            exposure=exposed,
            days=daily_counts(user),
            week_days=WEEK_DAYS,
            reports_total=sum(by_status.values()),
            reports_this_week=exposed.this_week,
            outcomes=[(label, by_status[status]) for status, label in Case.Status.choices if by_status.get(status)],
            replies_total=replies.count(),
            replies_this_week=replies.filter(created_at__gte=week_start()).count(),
            bookmarklet=self.bookmarklet(),
        )
        return context

    def bookmarklet(self) -> str:
        """A bookmark that opens the report form with the page being read and any words selected on it."""
        form = self.request.build_absolute_uri(reverse("reports:new"))
        return (
            "javascript:(function(){window.open('" + form + "?url='+encodeURIComponent(location.href)"
            "+'&text='+encodeURIComponent(String(window.getSelection())),'_blank');})();"
        )

    def abilities(self, user) -> list[tuple[str, str | None]]:
        """What the volunteer may do, each with the reason they may not yet (None when they may)."""
        found = [("Report posts", refusal(user, "reporting"))]
        if user.has_perm(roles.LOG_COUNTER_SPEECH):
            found.append(("Log counter-speech", refusal(user, "counter_speech")))
        gated = list(Category.objects.filter(is_active=True, requires_training=True))
        blocked = {category.pk for category in untaggable_categories(user, gated)}
        for category in gated:
            reason = f"Needs the training for {category.name.lower()} hate." if category.pk in blocked else None
            found.append((f"Tag reports {category.name}", reason))
        return found
