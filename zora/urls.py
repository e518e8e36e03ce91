from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from zora.accounts import views as account_views
from zora.api import api
from zora.assessments import urls as assessment_urls
from zora.core import views as core_views
from zora.indicators import urls as indicator_urls
from zora.organisations import views as org_views
from zora.participation import urls as participation_urls
from zora.reports import urls as report_urls
from zora.stakeholders import urls as stakeholder_urls
from zora.strategy import urls as strategy_urls

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("o/<slug:slug>/", org_views.organisation_redirect, name="organisation_redirect"),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/profile/", account_views.profile, name="account_profile"),
    path("accounts/tokens/", account_views.tokens, name="account_tokens"),
    path(
        "accounts/tokens/<int:token_id>/revoke/",
        account_views.token_revoke,
        name="account_token_revoke",
    ),
    path("accounts/", include("allauth.urls")),
    path("organisations/", org_views.organisation_list, name="organisation_list"),
    path("organisations/new/", org_views.organisation_create, name="organisation_create"),
    path("invitations/<str:token>/", org_views.invitation_accept, name="invitation_accept"),
    path("jobs/<int:job_id>/", core_views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/retry/", core_views.job_retry, name="job_retry"),
    path("o/<slug:slug>/", org_views.organisation_profile, name="organisation_profile"),
    path(
        "o/<slug:slug>/dashboard/", org_views.organisation_dashboard, name="organisation_dashboard"
    ),
    path("o/<slug:slug>/members/", org_views.organisation_members, name="organisation_members"),
    path(
        "o/<slug:slug>/members/<int:membership_id>/",
        org_views.membership_update,
        name="membership_update",
    ),
    path(
        "o/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        org_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("o/<slug:slug>/settings/", org_views.organisation_settings, name="organisation_settings"),
    path("o/<slug:slug>/assess/", include(assessment_urls.organisation_patterns)),
    path("assess/", include(assessment_urls.respondent_patterns)),
    path("o/<slug:slug>/benchmark/", include(indicator_urls.organisation_patterns)),
    path("", include(indicator_urls.public_patterns)),
    path("o/<slug:slug>/engage/", include(stakeholder_urls.organisation_patterns)),
    path("", include(stakeholder_urls.public_patterns)),
    path("o/<slug:slug>/engage/", include(participation_urls.organisation_patterns)),
    path("", include(participation_urls.public_patterns)),
    path("o/<slug:slug>/plan/", include(strategy_urls.organisation_patterns)),
    path("", include(strategy_urls.public_patterns)),
    path("o/<slug:slug>/report/", include(report_urls.organisation_patterns)),
    path("", include(report_urls.public_patterns)),
    path("o/<slug:slug>/<str:code>/", org_views.capability, name="capability"),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
