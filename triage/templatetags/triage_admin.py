from django import template

from reports.models import Report
from triage.classifier.registry import scoring_problem as problem

register = template.Library()


@register.simple_tag
def scoring_problem() -> str | None:
    """Why scoring has stopped, for the alert at the top of every admin page; None when it has not."""
    found = problem()
    if found is None:
        return None
    waiting = Report.objects.filter(score_status=Report.ScoreStatus.PENDING).count()
    return f"{found} {waiting} report{'s' if waiting != 1 else ''} waiting now."
