"""What a volunteer's training lets them do, and what they need to do next.

Reporting needs a current pass of a module that unlocks reporting (the
induction); tagging a category that asks for training needs a current pass of
that category's module. Expired training counts as none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from volunteers.models import TrainingModule, TrainingRecord

HOW_TO_TRAIN = "Ask your volunteer coordinator to book you onto it; it is recorded here once you pass."


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


def refusal(user, activity: str, *, on: date | None = None) -> str | None:
    """Why this volunteer may not do ``activity`` yet, in words with what to do; None when they may.

    An activity no active module unlocks is open to everyone who has the permission for it."""
    flag, doing = GATES[activity]
    needed = list(TrainingModule.objects.filter(**{flag: True, "is_active": True}))
    if not needed:
        return None
    held = standing(user, on=on)
    if any(held.holds(module) for module in needed):
        return None
    module = needed[0]
    if module.pk in held.lapsed:
        return (
            f"Your {module.title.lower()} training expired on {held.lapsed[module.pk]:%-d %B %Y}, so you cannot "
            f"{doing} until you renew it. {HOW_TO_TRAIN}"
        )
    return f"You need to complete the {module.title.lower()} training before you can {doing}. {HOW_TO_TRAIN}"


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
