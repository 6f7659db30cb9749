from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from two_factor import views as two_factor_views

from hubsite import account_views, api_docs, health, views, webapp_views
from reports.api import ReportDetailApi, ReportsApi
from reports.views import PartnerHomeView
from triage import api as triage_api

# Sign-in and the second step (django-two-factor-auth's views, at our addresses).
two_factor_urls = (
    [
        path("accounts/login/", views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
        path("accounts/two-step/", two_factor_views.ProfileView.as_view(), name="profile"),
        path("accounts/two-step/setup/", views.SetupView.as_view(), name="setup"),
        path("accounts/two-step/setup/qrcode/", two_factor_views.QRGeneratorView.as_view(), name="qr"),
        path("accounts/two-step/setup/done/", views.SetupCompleteView.as_view(), name="setup_complete"),
        path("accounts/two-step/backup-codes/", views.BackupTokensView.as_view(), name="backup_tokens"),
        path("accounts/two-step/turn-off/", two_factor_views.DisableView.as_view(), name="disable"),
    ],
    "two_factor",
)

# A forgotten password reset by e-mail, a first one set from an invitation, and where one is signed in.
account_urls = [
    path("accounts/password-reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        account_views.InvitationConfirmView.as_view(),
        name="invitation_confirm",
    ),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/sessions/", account_views.signed_in_devices, name="signed_in_devices"),
    path("accounts/sessions/sign-out-others/", account_views.sign_out_other_devices, name="sign_out_other_devices"),
    path("accounts/sessions/<int:pk>/sign-out/", account_views.sign_out_device, name="sign_out_device"),
]

api_v1 = [
    path("queue/", triage_api.QueueListApi.as_view(), name="queue"),
    path("cases/", triage_api.CaseListApi.as_view(), name="cases"),
    path("cases/<int:pk>/", triage_api.CaseDetailApi.as_view(), name="case"),
    path("cases/<int:pk>/claim/", triage_api.CaseClaimApi.as_view(), name="case-claim"),
    # One endpoint per operation (triage/operations.py): /cases/{id}/dismiss/, /cases/{id}/refer/, ...
    *(
        path(f"cases/<int:pk>/{name}/", view.as_view(), name=f"case-{name}")
        for name, view in triage_api.CASE_OPERATION_APIS.items()
    ),
    # Deprecated for the endpoints above; kept for one release.
    path("cases/<int:pk>/decisions/", triage_api.CaseDecisionApi.as_view(), name="case-decisions"),
    path("cases/<int:pk>/merge/", triage_api.CaseMergeApi.as_view(), name="case-merge"),
    path("referrals/", triage_api.ReferralListApi.as_view(), name="referrals"),
    path("referrals/<int:pk>/", triage_api.ReferralDetailApi.as_view(), name="referral"),
    *(
        path(f"referrals/<int:pk>/{name}/", view.as_view(), name=f"referral-{name}")
        for name, view in triage_api.REFERRAL_OPERATION_APIS.items()
    ),
    # Deprecated for the endpoints above; kept for one release.
    path("referrals/<int:pk>/answer/", triage_api.ReferralAnswerApi.as_view(), name="referral-answer"),
    # Partners: POST sends a report, GET lists what their organisation sent.
    path("reports/", ReportsApi.as_view(), name="reports"),
    path("reports/<int:pk>/", ReportDetailApi.as_view(), name="report"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include(two_factor_urls)),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *account_urls,
    path("reports/", include("reports.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("notifications/", include("notifications.urls")),
    path("triage/", include("triage.urls")),
    path("liaison/", include("triage.liaison_urls")),
    path("partners/", include(([path("", PartnerHomeView.as_view(), name="home")], "partners"))),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", api_docs.SchemaView.as_view(), name="schema"),
    path("api/docs/", api_docs.DocsView.as_view(url_name="schema"), name="api-docs"),
    # The installable web app: served from the root, so the service worker's scope is the whole site.
    path("manifest.webmanifest", webapp_views.manifest, name="manifest"),
    path("service-worker.js", webapp_views.service_worker, name="service-worker"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# Error pages in the site's layout, with the way back; JSON under /api/ (hubsite/errors.py).
handler400 = "hubsite.errors.bad_request"
handler403 = "hubsite.errors.permission_denied"
handler404 = "hubsite.errors.page_not_found"
handler500 = "hubsite.errors.server_error"
