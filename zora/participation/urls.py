from django.urls import path

from zora.participation import views

public_patterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path(
        "consultations/<int:consultation_id>/",
        views.consultation_detail,
        name="consultation_detail",
    ),
    path("consultations/<int:consultation_id>/new/", views.proposal_create, name="proposal_create"),
    path("consultations/<int:consultation_id>/similar/", views.similar, name="proposal_similar"),
    path(
        "consultations/<int:consultation_id>/open-data.zip",
        views.open_data,
        name="consultation_open_data",
    ),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/support/", views.support, name="proposal_support"),
    path("proposals/<int:proposal_id>/comment/", views.comment, name="proposal_comment"),
    path("proposals/<int:proposal_id>/report/", views.report, name="proposal_report"),
    path("proposals/<int:proposal_id>/follow/", views.follow, name="proposal_follow"),
    path("proposals/<int:proposal_id>/withdraw/", views.withdraw, name="proposal_withdraw"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:proposal_id>/answer/", views.answer, name="proposal_answer"),
    path("comments/<int:comment_id>/vote/", views.comment_vote, name="comment_vote"),
]

organisation_patterns = [
    path("", views.engage_home, name="engage_home"),
    path(
        "<int:consultation_id>/settings/",
        views.consultation_settings,
        name="consultation_settings",
    ),
    path("<int:consultation_id>/moderation/", views.moderation, name="moderation"),
    path("<int:consultation_id>/topics/", views.topics, name="topics"),
]
