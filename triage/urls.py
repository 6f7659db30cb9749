from django.urls import path

from triage import stats_views, views

app_name = "triage"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("filters/<int:pk>/delete/", views.SavedFilterDeleteView.as_view(), name="saved-filter-delete"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("cases/<int:pk>/claim/", views.ClaimView.as_view(), name="claim"),
    path("cases/<int:pk>/release/", views.ClaimView.as_view(release=True), name="release"),
    path("cases/<int:pk>/merge/", views.CaseMergeView.as_view(), name="case-merge"),
    path("cases/<int:pk>/<slug:action>/", views.CaseActionView.as_view(), name="case-action"),
    path("referrals/", views.ReferralListView.as_view(), name="referrals"),
    path("referrals/<int:pk>/", views.ReferralPackageView.as_view(), name="referral"),
    path("referrals/<int:pk>/package.json", views.ReferralPackageView.as_view(as_json=True), name="referral-json"),
    path("referrals/<int:pk>/bundle.zip", views.ReferralBundleView.as_view(), name="referral-bundle"),
    path(
        "referrals/<int:pk>/screenshots/<int:report_pk>/",
        views.ReferralScreenshotView.as_view(),
        name="referral-screenshot",
    ),
    path("stats/", stats_views.StatsView.as_view(), name="stats"),
    path("stats/<slug:chart>.csv", stats_views.StatsCsvView.as_view(), name="stats-csv"),
]
