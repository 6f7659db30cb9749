import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, ListView

from hubsite import roles
from hubsite.audit import audit_record
from hubsite.models import AuditEvent
from hubsite.partner_tokens import partner_tokens_for
from reports.evidence import clean_screenshot
from reports.forms import CounterSpeechForm, ReportForm
from reports.models import CounterSpeech, Report
from reports.platforms import PLATFORM_DOMAINS
from reports.rules import ReportRuleError
from reports.selectors import reports_sent_in_last_hour
from reports.sharing import shared_picture_discard, shared_picture_hold, shared_post
from reports.wellbeing import exposure
from triage.casework import CaseWorkError, info_answer
from triage.forms import AnswerForm
from triage.intake import DuplicateReport, SubmissionKeyReused, counter_speech_log, report_submit
from triage.models import InfoAnswer, InfoRequest, Referral
from triage.selectors import partner_progress, partner_reports
from volunteers.accreditation import StandingRefused, refusal


class VolunteerMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = roles.SUBMIT_REPORT


class TrainingGateMixin:
    """Training gates the activity: without it the page says why and what to do, and nothing is sent."""

    gate: str  # an activity of volunteers.accreditation.GATES; list this mixin after the sign-in and permission ones

    def dispatch(self, request, *args, **kwargs):
        self.refusal = refusal(request.user, self.gate)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(refusal=self.refusal, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.refusal:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        form.is_valid()  # what they typed comes back, with its own faults, under the reason nothing was sent
        form.helper.inputs = []  # and no button: sending it again cannot succeed until the training is done
        return self.form_invalid(form)


class ReportCreateView(VolunteerMixin, TrainingGateMixin, FormView):
    template_name = "reports/report_form.html"
    form_class = ReportForm
    success_url = reverse_lazy("reports:mine")
    extra_context = {"platform_domains": {domain: platform.value for domain, platform in PLATFORM_DOMAINS.items()}}
    gate = "reporting"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reporter": self.request.user}

    def get_initial(self):
        # A link or text in the address (a bookmarklet, a link from elsewhere) fills in the form; nothing is saved.
        return {**super().get_initial(), **self.shared(self.request.GET)}

    @staticmethod
    def shared(values) -> dict[str, str]:
        return shared_post(url=values.get("url", ""), text=values.get("text", ""), title=values.get("title", ""))

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.helper.form_action = reverse("reports:new")  # wherever the form was opened, it is sent here
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(exposure=exposure(self.request.user), **kwargs)
        form = context["form"]
        context["prefilled"] = not form.is_bound and bool({"post_url", "captured_text"} & set(form.initial))
        return context

    def form_valid(self, form: ReportForm):
        user = self.request.user
        data = dict(form.cleaned_data)
        shared_picture = data.pop("shared_picture")  # already in data["screenshot"], unless one was chosen instead
        repeat = Report.objects.filter(reporter=user, submission_key=data["submission_key"]).exists()
        if not repeat and reports_sent_in_last_hour(user) >= settings.REPORTS_PER_HOUR:
            form.add_error(
                None,
                f"You have sent {settings.REPORTS_PER_HOUR} reports in the last hour, the most we accept. "
                "Please try again later: everything you have sent is safe.",
            )
            return self.form_invalid(form)
        try:
            submission = report_submit(reporter=user, **data)
        except DuplicateReport as duplicate:
            earlier = duplicate.existing
            form.add_error(
                None,
                f"You have already reported this post (report {earlier.pk}, sent "
                f"{date_format(earlier.created_at, 'j M Y, H:i')}). It is on your list; "
                "there is no need to send it again.",
            )
            return self.form_invalid(form)
        except ReportRuleError as broken:
            # The form checks the same rules first; should the two ever differ, the service's word is shown.
            form.add_error(broken.field if broken.field in form.fields else None, broken.message)
            return self.form_invalid(form)
        except StandingRefused as refused:  # their standing changed since the page was opened
            self.refusal = refused.message
            form.helper.inputs = []
            return self.form_invalid(form)
        except SubmissionKeyReused:
            # An old copy of the form (the browser's Back button) sent again with another post.
            form.data = form.data.copy()
            form.data["submission_key"] = str(uuid.uuid4())
            form.add_error(
                None,
                "This form was already used to send a report. Check the details below and press "
                "“Send report” again to send this one as a new report.",
            )
            return self.form_invalid(form)
        shared_picture_discard(user_pk=user.pk, token=shared_picture)
        messages.success(
            self.request,
            f"Thank you. Report {submission.report.pk} is saved and will be scored and reviewed by an officer.",
        )
        if advice := exposure(user).advice:
            messages.info(self.request, advice)
        return super().form_valid(form)


@method_decorator(csrf_exempt, name="dispatch")
class ShareTargetView(ReportCreateView):
    """Where a phone's share sheet sends a post (the web app manifest's ``share_target``): the report form,
    filled in with what was shared.

    The operating system posts here without the Hub's CSRF token, so this view is exempt; it is safe because it
    stores nothing. It only shows the form (a shared picture is held in the cache for an hour, not kept), whose
    own submission goes to ``reports:new`` with its token like any other, so a forged post here can do no more
    than a link to ``/reports/new/?url=...`` already can: fill in a form the volunteer must still check and send.
    """

    http_method_names = ["get", "post"]
    picture_token = picture_refused = ""

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(reverse("reports:new"))

    def post(self, request, *args, **kwargs):
        picture = request.FILES.get("screenshot")
        if picture is not None and not self.refusal:
            # Cleaned as any upload is, then held (not stored) until the report is sent: see reports.sharing.
            try:
                self.picture_token = shared_picture_hold(user_pk=request.user.pk, screenshot=clean_screenshot(picture))
            except ValidationError as error:
                self.picture_refused = " ".join(error.messages)
        return self.render_to_response(self.get_context_data())

    def get_initial(self):
        initial = {**super().get_initial(), **self.shared(self.request.POST)}
        return {**initial, "shared_picture": self.picture_token} if self.picture_token else initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # Shown as a fresh form, not as one sent and refused.
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(picture_refused=self.picture_refused, **kwargs)


class MyReportsView(VolunteerMixin, ListView):
    template_name = "reports/my_reports.html"
    context_object_name = "reports"
    paginate_by = 25

    def get_queryset(self):
        return (
            Report.objects.filter(reporter=self.request.user)
            .select_related("case")
            .prefetch_related("categories")
            .order_by("-created_at", "-pk")
        )

    answer_form = None
    answering = None

    def post(self, request, *args, **kwargs):
        """Answer an officer's question about a post this volunteer reported."""
        question = get_object_or_404(
            InfoRequest.objects.filter(case__reports__reporter=request.user).distinct(),
            pk=request.POST.get("question", "0") if request.POST.get("question", "").isdigit() else 0,
        )
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                info_answer(info_request=question, volunteer=request.user, answer=form.cleaned_data["answer"])
            except CaseWorkError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Thank you: your answer is with the officers.")
                return HttpResponseRedirect(reverse("reports:mine"))
        self.answer_form, self.answering = form, question.pk
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["counter_speech"] = CounterSpeech.objects.filter(volunteer=user)[:50]
        case_ids = [report.case_id for report in context["reports"]]
        questions: dict[int, list] = {}
        for question in InfoRequest.objects.filter(case_id__in=case_ids).prefetch_related(
            Prefetch("answers", queryset=InfoAnswer.objects.filter(volunteer=user), to_attr="my_answers")
        ):
            question.form = self.answer_form if question.pk == self.answering else AnswerForm()
            questions.setdefault(question.case_id, []).append(question)
        # What the police did, when a force has said: every reporter of the case reads it, in plain words.
        police = Referral.objects.outcomes_for_reporter(user, case_ids)
        for report in context["reports"]:
            report.questions = questions.get(report.case_id, [])
            report.police_outcome = police.get(report.case_id, "")
        return context


class CounterSpeechCreateView(LoginRequiredMixin, PermissionRequiredMixin, TrainingGateMixin, FormView):
    permission_required = roles.LOG_COUNTER_SPEECH
    gate = "counter_speech"
    template_name = "reports/counter_speech_form.html"
    form_class = CounterSpeechForm
    success_url = reverse_lazy("reports:mine")

    def get_initial(self):
        initial = super().get_initial()
        report_id = self.request.GET.get("report", "")
        report = (
            Report.objects.filter(reporter=self.request.user, pk=report_id).first() if report_id.isdigit() else None
        )
        if report is not None:
            initial["post_url"] = report.post_url
        return initial

    def form_valid(self, form: CounterSpeechForm):
        try:
            counter_speech_log(volunteer=self.request.user, **form.cleaned_data)
        except StandingRefused as refused:  # their standing changed since the page was opened
            self.refusal = refused.message
            form.helper.inputs = []
            return self.form_invalid(form)
        messages.success(self.request, "Thank you for challenging it. Your reply is logged.")
        return super().form_valid(form)


class ScreenshotView(LoginRequiredMixin, View):
    """A report's screenshot, for the people who may read the report; never from a path the user chose."""

    def get(self, request, pk: int):
        report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
        return screenshot_response(report)


def screenshot_response(report: Report, **detail) -> FileResponse:
    """The stored screenshot of ``report`` (which the caller has checked the reader may see), shown inline;
    ``detail`` goes into the audit entry (such as the referral package it was read through)."""
    if not report.screenshot:
        raise Http404("This report has no screenshot.")
    # Every way a screenshot is served comes through here; who and from where come from the request.
    audit_record(
        AuditEvent.Action.SCREENSHOT_VIEWED, target=report,
        summary=f"Screenshot of report {report.pk} (case {report.case_id})", case=report.case_id, **detail,
    )  # fmt: skip
    response = FileResponse(
        report.screenshot.open("rb"), content_type="image/png", filename=f"report-{report.pk}-screenshot.png"
    )
    response["Content-Disposition"] = f'inline; filename="report-{report.pk}-screenshot.png"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class PartnerHomeView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """A partner's page: what their organisation sent and what became of each report, as the API reads it,
    with the organisation's tokens (names and dates; the tokens themselves are shown only when issued)."""

    permission_required = roles.SUBMIT_REPORT_VIA_API
    template_name = "reports/partner_home.html"
    context_object_name = "reports"
    paginate_by = 25

    def get_queryset(self):
        return partner_reports(viewer=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for report in context["reports"]:
            report.progress = partner_progress(report)
        context["organisation"] = self.request.user.partner_organisation
        context["tokens"] = partner_tokens_for(self.request.user)
        return context
