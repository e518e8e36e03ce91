from django.urls import path

from zora.reports import views

# Mounted under /<lang>/o/<slug>/report/ by zora/urls.py.
organisation_patterns = [
    path("", views.report_list, name="report_list"),
    path("new/<str:kind>/", views.report_new, name="report_new"),
    path("preview/<str:kind>/", views.report_preview, name="report_preview"),
    path("layout/<str:kind>/", views.layout_edit, name="report_layout"),
    path("sections/<int:section_id>/", views.custom_section_edit, name="report_section"),
    path("branding/", views.branding_edit, name="report_branding"),
    path("branding.css", views.branding_css, name="report_branding_css"),
    path("<int:report_id>/", views.report_detail, name="report_detail"),
    path("<int:report_id>/download/", views.report_download, name="report_download"),
    path("<int:report_id>/publish/", views.report_publish, name="report_publish"),
    path("<int:report_id>/delete/", views.report_delete, name="report_delete"),
]

# Public pages, mounted under /<lang>/.
public_patterns = [
    path("reports/<slug:slug>/", views.public_report_list, name="public_report_list"),
    path(
        "reports/<slug:slug>/<int:report_id>/download/",
        views.public_report_download,
        name="public_report_download",
    ),
]
