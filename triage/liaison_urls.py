from django.urls import path

from triage import liaison_views
from triage.views import ReferralBundleView, ReferralPackageView, ReferralScreenshotView

app_name = "liaison"
urlpatterns = [
    path("", liaison_views.ReferralListView.as_view(), name="referrals"),
    path("referrals/<int:pk>/", liaison_views.ReferralDetailView.as_view(), name="referral"),
    path("referrals/<int:pk>/package.json", ReferralPackageView.as_view(as_json=True), name="package-json"),
    path("referrals/<int:pk>/bundle.zip", ReferralBundleView.as_view(), name="package-bundle"),
    path("referrals/<int:pk>/screenshots/<int:report_pk>/", ReferralScreenshotView.as_view(), name="screenshot"),
    path("referrals/<int:pk>/<slug:action>/", liaison_views.ReferralDetailView.as_view(), name="referral-action"),
]
