from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hubsite import health, views
from reports.api import ReportCreateApi
from triage import api as triage_api

api_v1 = [
    path("queue/", triage_api.QueueListApi.as_view(), name="queue"),
    path("cases/", triage_api.CaseListApi.as_view(), name="cases"),
    path("cases/<int:pk>/", triage_api.CaseDetailApi.as_view(), name="case"),
    path("cases/<int:pk>/claim/", triage_api.CaseClaimApi.as_view(), name="case-claim"),
    path("cases/<int:pk>/decisions/", triage_api.CaseDecisionApi.as_view(), name="case-decisions"),
    path("referrals/", triage_api.ReferralListApi.as_view(), name="referrals"),
    path("referrals/<int:pk>/", triage_api.ReferralDetailApi.as_view(), name="referral"),
    path("referrals/<int:pk>/answer/", triage_api.ReferralAnswerApi.as_view(), name="referral-answer"),
    path("reports/", ReportCreateApi.as_view(), name="reports"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("reports/", include("reports.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("triage/", include("triage.urls")),
    path("liaison/", include("triage.liaison_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
