"""The officers' desk: the queue, a case and the decisions taken on it, referral packages, statistics."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.timesince import timesince
from django.views import View
from django.views.generic import DetailView, ListView

from hubsite import roles
from hubsite.audit import audit_record, record_referral_list_read
from hubsite.models import AuditEvent
from reports.models import Category, Report
from reports.views import screenshot_response
from triage import casework, merging, selectors
from triage.bundles import referral_bundle
from triage.forms import (
    BulkCloseForm,
    MergeForm,
    QueueFilterForm,
    ReferralFilterForm,
    SavedFilterForm,
)
from triage.models import Case, Referral, SavedFilter
from triage.operations import CASE_OPERATIONS
from triage.packages import package_json, referral_package
from triage.priority import describe
from triage.saved_filters import SavedFilterError, saved_filter_delete, saved_filter_save


class OfficerMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = roles.WORK_QUEUE


def _back(request, fallback: str) -> str:
    """Where to go after a POST: the page's own ``next`` when it is ours, else ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def status_counts(user) -> dict[str, int]:
    """Cases per status. Counting every case takes tens of milliseconds on a large desk, so the figures are
    kept for a few seconds; a decision clears them, so an officer sees their own change at once."""
    if not user.has_perm(roles.WORK_QUEUE):
        return {}
    return cache.get_or_set(
        casework.STATUS_COUNTS_CACHE_KEY,
        lambda: dict(Case.objects.values_list("status").annotate(n=Count("*"))),
        timeout=settings.QUEUE_COUNTS_SECONDS,
    )


class QueueView(OfficerMixin, ListView):
    """Cases to work on, filtered and sorted, with bulk closing of the selected ones."""

    template_name = "triage/queue.html"
    context_object_name = "cases"
    paginate_by = 25

    bulk_form = None
    saved_filter_form = None

    # The queue's two forms post to the queue itself, so that a mistake comes back at the queue's own address,
    # where the page's relative links, its bulk form and its ``next`` fields lead where they say.
    SAVE_FILTERS = "save-filters"

    def post(self, request, *args, **kwargs):
        if request.POST.get("op") == self.SAVE_FILTERS:
            return self.save_filters(request, *args, **kwargs)
        return self.close_ticked(request, *args, **kwargs)

    def close_ticked(self, request, *args, **kwargs):
        """Close the ticked cases; on a mistake the queue comes back with the ticks and the reason kept."""
        form = BulkCloseForm(request.POST, case_ids=request.POST.getlist("cases"))
        if form.is_valid():
            visible = Case.objects.visible_to(request.user).filter(pk__in=form.cleaned_data["cases"])
            closed, refused = casework.cases_bulk_close(
                case_ids=visible.values_list("pk", flat=True),
                officer=request.user,
                status=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
            if closed:
                messages.success(request, f"Closed {closed} case{'s' if closed != 1 else ''}.")
            for problem in refused:
                messages.error(request, problem)
            return HttpResponseRedirect(_back(request, reverse("triage:queue")))
        self.bulk_form = form
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Every filter is optional: a mistaken one shows its error and the others still apply.
        self.filters = QueueFilterForm(self.request.GET)
        self.filters.is_valid()
        return selectors.case_list_for_queue_page(viewer=self.request.user, **self.filters.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        counts = status_counts(self.request.user)
        context.update(
            filters=self.filters,
            query=query.urlencode(),
            status_counts=[(status, label, counts.get(status, 0)) for status, label in Case.Status.choices],
            open_count=sum(counts.get(status, 0) for status in Case.OPEN_STATUSES),
            bulk_form=self.bulk_form or BulkCloseForm(),
            saved_filters=list(SavedFilter.objects.filter(owner=self.request.user)),
            saved_filter_form=self.saved_filter_form or SavedFilterForm(),
            selected={int(pk) for pk in self.request.POST.getlist("cases") if pk.isdigit()},
            now=timezone.now(),
        )
        return context

    def save_filters(self, request, *args, **kwargs):
        """Save the queue's current filters (the page's query string) under a name. A mistake shows the queue
        again with the name kept and the error beside it."""
        form = SavedFilterForm(request.POST)
        filters = QueueFilterForm(request.GET)
        if form.is_valid():
            if not filters.is_valid():
                form.add_error(None, "The filters have a mistake (shown beside them): correct it before saving.")
            else:
                try:
                    saved, created = saved_filter_save(
                        owner=request.user, name=form.cleaned_data["name"], query=_filter_query(filters)
                    )
                except SavedFilterError as error:
                    form.add_error(None, str(error))
                else:
                    said = "saved" if created else "updated"
                    messages.success(request, f"Filters “{saved.name}” {said}.")
                    return HttpResponseRedirect(f"{reverse('triage:queue')}?{saved.query}")
        self.saved_filter_form = form
        return super().get(request, *args, **kwargs)


def _filter_query(filters: QueueFilterForm) -> str:
    """The queue's filters as given, in a stable order, without the empty ones: what a saved filter keeps."""
    given = {name: str(filters.data.get(name, "")).strip() for name in filters.fields}
    return urlencode({name: value for name, value in given.items() if value})


class SavedFilterDeleteView(OfficerMixin, View):
    def post(self, request, pk: int):
        # Another officer's saved filter does not exist as far as this one knows.
        saved = get_object_or_404(SavedFilter.objects.filter(owner=request.user), pk=pk)
        saved_filter_delete(saved_filter=saved, owner=request.user)
        messages.success(request, f"Saved filters “{saved.name}” deleted.")
        return HttpResponseRedirect(_back(request, reverse("triage:queue")))


class CaseDetailView(OfficerMixin, DetailView):
    template_name = "triage/case_detail.html"
    context_object_name = "case"
    bound_forms: dict = {}

    def get_queryset(self):
        return selectors.case_detail_for_page(viewer=self.request.user)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        audit_record(AuditEvent.Action.CASE_VIEWED, target=self.object, request=request)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        # Each form is prefixed with its action, so fields of the same name never share an id.
        forms = {name: operation.form(prefix=name) for name, operation in CASE_OPERATIONS.items()}
        forms["merge"] = MergeForm(prefix="merge")
        forms.update(self.bound_forms)
        forms = {name.replace("-", "_"): form for name, form in forms.items()}
        context.update(
            category_names=dict(Category.objects.values_list("slug", "name")),
            forms=forms,
            priority_text=describe(case.priority, case.priority_reasons),
            mine=case.claimed_by_id == self.request.user.pk,
            now=timezone.now(),
        )
        return context


def case_page_again(request, *, pk: int, name: str, form) -> HttpResponse:
    """The case page shown again like any Django form with mistakes: the page, its messages and what was typed
    in the form ``name``."""
    page = CaseDetailView(bound_forms={name: form})
    page.setup(request, pk=pk)
    page.object = page.get_object()
    return render(request, page.template_name, page.get_context_data(object=page.object))


class CaseActionView(OfficerMixin, View):
    """One decision or note on a case. A mistake shows the case page again with the form and its text kept."""

    def post(self, request, pk: int, action: str):
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
        operation = CASE_OPERATIONS.get(action)
        if operation is None:
            return HttpResponseRedirect(reverse("triage:case", args=[pk]))
        if not request.user.has_perm(operation.permission):
            raise PermissionDenied
        form = operation.form(request.POST, prefix=action)
        if form.is_valid():
            try:
                done = operation.carry_out(case, request.user, form.cleaned_data)
            except casework.CaseWorkError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, operation.done(done))
                return HttpResponseRedirect(reverse("triage:case", args=[pk]))
        return case_page_again(request, pk=pk, name=action, form=form)


class CaseMergeView(OfficerMixin, View):
    """Merge this case into another (triage/merging.py), in two steps: the officer gives the other case's number
    and a reason, sees both cases side by side, and confirms. A refusal shows the case page again with the form
    and what was typed kept."""

    template_name = "triage/case_merge_confirm.html"

    def post(self, request, pk: int):
        cases = Case.objects.visible_to(request.user)
        case = get_object_or_404(cases, pk=pk)
        form = MergeForm(request.POST, prefix="merge")
        step = request.POST.get("step", "")
        if form.is_valid() and step != "change":
            into = cases.filter(pk=form.cleaned_data["into"]).first()
            try:
                if into is None:
                    form.add_error("into", f"There is no case {form.cleaned_data['into']}.")
                elif step == "merge":
                    merging.case_merge(case=case, into=into, officer=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, f"Case {case.pk} is merged into case {into.pk}.")
                    return HttpResponseRedirect(reverse("triage:case", args=[into.pk]))
                else:
                    merging.case_merge_check(case=case, into=into, officer=request.user)
                    both = {found.pk: found for found in cases.with_reports().filter(pk__in=[case.pk, into.pk])}
                    # The other case's reports are shown here too: a read of that case, like opening its page.
                    audit_record(AuditEvent.Action.CASE_VIEWED, target=into, request=request, summary="Merge check")
                    context = {"case": both[case.pk], "into": both[into.pk], "form": form}
                    return render(request, self.template_name, context)
            except casework.CaseWorkError as error:
                form.add_error(None, str(error))
        return case_page_again(request, pk=pk, name="merge", form=form)


class ClaimView(OfficerMixin, View):
    """Claim a case, or release it (``release``). Of two officers claiming at once, one wins; the other is told."""

    release = False

    def post(self, request, pk: int):
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
        try:
            if self.release:
                casework.case_release(case=case, officer=request.user)
                messages.success(request, f"Case {pk} is back in the queue for anyone to take.")
            else:
                casework.case_claim(case=case, officer=request.user)
                messages.success(request, f"Case {pk} is yours.")
        except casework.CaseWorkError as error:
            messages.error(request, f"Case {pk}: {error}")
        return HttpResponseRedirect(_back(request, reverse("triage:case", args=[pk])))


class ReferralListView(OfficerMixin, ListView):
    """Every referral the Hub has made, newest first, with its force, its state and whether it is overdue."""

    template_name = "triage/referral_list.html"
    context_object_name = "referrals"
    paginate_by = 25

    def get_queryset(self):
        self.filters = ReferralFilterForm(self.request.GET or None)
        # Filters that do not validate narrow nothing; the form says what was wrong.
        chosen = self.filters.cleaned_data if self.filters.is_valid() else {}
        return selectors.referrals(viewer=self.request.user, **chosen).order_by("-sent_at", "-pk")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        page = response.context_data["page_obj"]
        # The rows the page shows, read once here; the template shows them without a second query.
        record_referral_list_read(request=request, referrals=page.object_list, how="By an officer", page=page.number)
        return response

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filters=self.filters,
            query=query.urlencode(),
            acknowledge_within=timesince(timezone.now() - settings.REFERRAL_ACKNOWLEDGE_WITHIN),
            **kwargs,
        )


class ReferralPackageMixin:
    """A referral's package, as a printable page or as JSON, for whoever may see the referral."""

    def get_referral(self) -> Referral:
        return get_object_or_404(selectors.referrals(viewer=self.request.user), pk=self.kwargs["pk"])


class ReferralPackageView(ReferralPackageMixin, LoginRequiredMixin, View):
    template_name = "triage/referral_package.html"
    as_json = False

    def get(self, request, pk: int):
        referral = self.get_referral()
        package = referral_package(referral, viewer=request.user)
        if self.as_json:
            audit_record(
                AuditEvent.Action.EXPORTED, target=referral, request=request, summary="Referral package as JSON"
            )
            response = HttpResponse(package_json(package), content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="referral-{referral.pk}.json"'
            return response
        audit_record(AuditEvent.Action.REFERRAL_VIEWED, target=referral, request=request, summary="Printable package")
        return render(request, self.template_name, {"referral": referral, "package": package})


class ReferralBundleView(ReferralPackageMixin, LoginRequiredMixin, View):
    """The evidence bundle: the package as JSON and as a page, its screenshots and their SHA256SUMS, in one zip,
    written as it is sent. Audited as an export of the referral, and as a read of each screenshot in it, so a
    report's audit trail names every way its screenshot left the Hub."""

    def get(self, request, pk: int):
        referral = self.get_referral()
        bundle = referral_bundle(referral, viewer=request.user)
        filed = [report.pk for report in bundle.reports]
        audit_record(
            AuditEvent.Action.EXPORTED, target=referral, request=request,
            summary=f"Evidence bundle (zip) with {len(filed)} screenshot{'' if len(filed) == 1 else 's'}",
            bundle=True, screenshots=filed,
        )  # fmt: skip
        for report in bundle.reports:
            audit_record(
                AuditEvent.Action.SCREENSHOT_VIEWED, target=report, request=request,
                summary=f"Screenshot of report {report.pk} (case {report.case_id}), in an evidence bundle",
                case=report.case_id, referral=referral.pk, bundle=True,
            )  # fmt: skip
        response = StreamingHttpResponse(bundle.chunks(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{bundle.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ReferralScreenshotView(ReferralPackageMixin, LoginRequiredMixin, View):
    """A screenshot in a referral package: for officers, and for the liaison of the force the case went to,
    only of that case's reports. Each read is audited, naming the referral."""

    def get(self, request, pk: int, report_pk: int):
        referral = self.get_referral()
        report = get_object_or_404(Report.objects.filter(case_id=referral.case_id), pk=report_pk)
        return screenshot_response(report, referral=referral.pk)
