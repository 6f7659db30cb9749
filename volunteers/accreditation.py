"""What a volunteer's standing and training let them do, and what they need to do next.

Only an active volunteer reports or logs counter-speech: an applicant waits for an admin to make them active
(after their training), and a suspended volunteer, or one who left, cannot. Reporting also needs a current pass
of a module that unlocks reporting (the induction); tagging a category that asks for training needs a current
pass of that category's module. Expired training counts as none.

The pages ask ``refusal`` to show the reason instead of a form; ``triage.intake`` calls ``standing_check``
before it stores anything, so no other way in (the API, a script) skips the rule about standing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from volunteers.models import TrainingModule, TrainingRecord, VolunteerProfile

HOW_TO_TRAIN = "Ask your volunteer coordinator to book you onto it; it is recorded here once you pass."


class StandingRefused(PermissionError):
    """A volunteer whose standing (applicant, suspended, left) does not let them do this; ``message`` says why
    and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Standing:
    """A volunteer's current training, read once per request."""

    current_module_ids: frozenset[int]
    lapsed: dict[int, date]  # module id -> when its latest pass expired

    def holds(self, module: TrainingModule) -> bool:
        return module.pk in self.current_module_ids


def standing(user, *, on: date | None = None) -> Standing:
    on = on or timezone.localdate()
    records = TrainingRecord.objects.filter(volunteer=user, passed=True).values_list("module_id", "expires_on")
    current, lapsed = set(), {}
    for module_id, expires_on in records:
        if expires_on is None or expires_on >= on:
            current.add(module_id)
        else:
            lapsed[module_id] = max(lapsed.get(module_id, expires_on), expires_on)
    return Standing(frozenset(current), {k: v for k, v in lapsed.items() if k not in current})


# What a gated activity needs: the module flag that unlocks it, and the words for it.
GATES = {
    "reporting": ("unlocks_reporting", "report posts"),
    "counter_speech": ("unlocks_counter_speech", "log counter-speech"),
}


def standing_refusal(user, activity: str, *, on: date | None = None) -> str | None:
    """Why this person's standing as a volunteer keeps them from ``activity``; None for an active volunteer and
    for someone who is no volunteer (a partner organisation reports through the API under its own rules).

    An applicant is told what stands between them and being made active: the training still missing, if any,
    then an admin's decision."""
    status = VolunteerProfile.objects.filter(user=user).values_list("status", flat=True).first()
    if status is None or status == VolunteerProfile.Status.ACTIVE:
        return None
    doing = GATES[activity][1]
    if status != VolunteerProfile.Status.APPLICANT:
        return (
            f"Your volunteer account is {VolunteerProfile.Status(status).label.lower()}, so you cannot {doing}. "
            "Ask your volunteer coordinator if you think this is a mistake."
        )
    missing = _training_refusal(user, activity, on=on)
    then = (
        "An admin makes you an active volunteer once your training is done: first, complete the "
        f"{missing[1]} training. {HOW_TO_TRAIN}"
        if missing
        else "Your training is done: an admin now needs to make you an active volunteer. "
        "Ask your volunteer coordinator if it is taking long."
    )
    return f"Your application to volunteer has not been approved yet, so you cannot {doing}. {then}"


def standing_check(user, activity: str) -> None:
    """Raise ``StandingRefused`` when this person's standing keeps them from ``activity``."""
    reason = standing_refusal(user, activity)
    if reason:
        raise StandingRefused(reason)


def refusal(user, activity: str, *, on: date | None = None) -> str | None:
    """Why this volunteer may not do ``activity`` yet, in words with what to do; None when they may.

    Their standing comes first (an applicant is told about their training too); then their training. An
    activity no active module unlocks is open to every active volunteer who has the permission for it."""
    standing_reason = standing_refusal(user, activity, on=on)
    if standing_reason:
        return standing_reason
    missing = _training_refusal(user, activity, on=on)
    return missing[0] if missing else None


def _training_refusal(user, activity: str, *, on: date | None = None) -> tuple[str, str] | None:
    """The reason the volunteer's training keeps them from ``activity``, with the module's name in lower
    case; None when it does not."""
    flag, doing = GATES[activity]
    needed = list(TrainingModule.objects.filter(**{flag: True, "is_active": True}))
    if not needed:
        return None
    held = standing(user, on=on)
    if any(held.holds(module) for module in needed):
        return None
    module = needed[0]
    title = module.title.lower()
    if module.pk in held.lapsed:
        return (
            f"Your {title} training expired on {held.lapsed[module.pk]:%-d %B %Y}, so you cannot "
            f"{doing} until you renew it. {HOW_TO_TRAIN}",
            title,
        )
    return f"You need to complete the {title} training before you can {doing}. {HOW_TO_TRAIN}", title


def reporting_refusal(user, *, on: date | None = None) -> str | None:
    return refusal(user, "reporting", on=on)


def counter_speech_refusal(user, *, on: date | None = None) -> str | None:
    return refusal(user, "counter_speech", on=on)


def untaggable_categories(user, categories, *, on: date | None = None) -> list:
    """Of ``categories``, those this volunteer may not tag for want of current training."""
    gated = [category for category in categories if category.requires_training]
    if not gated:
        return []
    held = standing(user, on=on)
    modules = TrainingModule.objects.filter(unlocks_category__in=gated, is_active=True)
    unlocked = {module.unlocks_category_id for module in modules if held.holds(module)}
    return [category for category in gated if category.pk not in unlocked]


# A volunteer is warned this many days before a module's pass expires.
WARN_DAYS = 30


@dataclass(frozen=True)
class ModuleState:
    module: TrainingModule
    expires_on: date | None  # of the latest pass; None when it never expires or was never passed
    state: str  # "current", "expiring", "expired", "not taken"

    @property
    def unlocks(self) -> str:
        parts = []
        if self.module.unlocks_reporting:
            parts.append("reporting posts")
        if self.module.unlocks_counter_speech:
            parts.append("logging counter-speech")
        if self.module.unlocks_category_id:
            parts.append(f"tagging {self.module.unlocks_category.name}")
        return ", ".join(parts)


def training_overview(user, *, on: date | None = None) -> list[ModuleState]:
    """Every active module with where this volunteer stands on it, the ones needing attention first."""
    on = on or timezone.localdate()
    latest: dict[int, TrainingRecord] = {}
    for record in TrainingRecord.objects.filter(volunteer=user, passed=True).order_by("completed_on"):
        latest[record.module_id] = record
    states = []
    for module in TrainingModule.objects.filter(is_active=True).select_related("unlocks_category"):
        record = latest.get(module.pk)
        if record is None:
            states.append(ModuleState(module, None, "not taken"))
        elif record.expires_on is not None and record.expires_on < on:
            states.append(ModuleState(module, record.expires_on, "expired"))
        elif record.expires_on is not None and (record.expires_on - on).days <= WARN_DAYS:
            states.append(ModuleState(module, record.expires_on, "expiring"))
        else:
            states.append(ModuleState(module, record.expires_on, "current"))
    order = {"expired": 0, "expiring": 1, "current": 2, "not taken": 3}
    return sorted(states, key=lambda state: (order[state.state], state.module.position))
