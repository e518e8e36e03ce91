from django.urls import path

from zora.stakeholders import views

# Mounted under /<lang>/o/<slug>/engage/ by zora/urls.py (before the consultations' patterns).
organisation_patterns = [
    path("stakeholders/", views.stakeholders_home, name="stakeholders_home"),
    path("stakeholders/new/", views.stakeholder_create, name="stakeholder_create"),
    path("stakeholders/import/", views.stakeholder_import, name="stakeholder_import"),
    path(
        "stakeholders/export.<str:format>",
        views.stakeholder_export,
        name="stakeholder_export",
    ),
    path(
        "stakeholders/<int:stakeholder_id>/",
        views.stakeholder_detail,
        name="stakeholder_detail",
    ),
    path(
        "stakeholders/<int:stakeholder_id>/edit/",
        views.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path(
        "stakeholders/<int:stakeholder_id>/erase/",
        views.stakeholder_erase,
        name="stakeholder_erase",
    ),
    path("interviews/", views.interview_list, name="interview_list"),
    path("interviews/new/", views.interview_create, name="interview_create"),
    path("interviews/<int:interview_id>/", views.interview_detail, name="interview_detail"),
    path(
        "interviews/<int:interview_id>/notes/<int:note_id>/code/",
        views.finding_create,
        name="finding_create",
    ),
    path("findings/", views.findings_by_code, name="findings_by_code"),
    path("findings/code/<int:code_id>/", views.findings_for_code, name="findings_for_code"),
    path("findings/<int:finding_id>/delete/", views.finding_delete, name="finding_delete"),
    path("guides/", views.guide_list, name="guide_list"),
    path("guides/<int:guide_id>/", views.guide_edit, name="guide_edit"),
    path("codebook/", views.codebook, name="codebook"),
    path("codebook/<int:code_id>/", views.code_edit, name="code_edit"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:event_id>/", views.event_detail, name="event_detail"),
    path("events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path(
        "events/<int:event_id>/registrations/",
        views.event_register_add,
        name="event_register_add",
    ),
    path("events/<int:event_id>/attendance/", views.event_attendance, name="event_attendance"),
    path(
        "events/<int:event_id>/attendees.<str:format>",
        views.event_attendees,
        name="event_attendees",
    ),
    path("events/<int:event_id>/materials/", views.material_add, name="material_add"),
    path("events/<int:event_id>/slots/", views.slots_create, name="slots_create"),
    path("events/<int:event_id>/meetings/", views.meeting_book, name="meeting_book"),
    path(
        "registrations/<int:registration_id>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("materials/<int:material_id>/delete/", views.material_delete, name="material_delete"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
]

# Public pages, mounted under /<lang>/.
public_patterns = [
    path("events/", views.event_public_list, name="event_public_list"),
    path("events/<int:event_id>/", views.event_public, name="event_public"),
    path("events/<int:event_id>/book/", views.event_public_book, name="event_public_book"),
]
