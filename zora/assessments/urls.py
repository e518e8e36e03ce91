from django.urls import path

from zora.assessments import views

# Under /<lang>/o/<slug>/assess/ (members of the organisation).
organisation_patterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/results/", views.campaign_results, name="campaign_results"),
    path("<int:campaign_id>/export/<str:kind>/", views.campaign_export, name="campaign_export"),
    path("<int:campaign_id>/responses/", views.campaign_responses, name="campaign_responses"),
    path("<int:campaign_id>/status/", views.campaign_status, name="campaign_status"),
    path("responses/<int:response_id>/", views.response_detail, name="response_detail"),
    path("subjects/<slug:subject_slug>/", views.subject_history, name="subject_history"),
]

# Under /<lang>/assess/ (respondents, by link).
respondent_patterns = [
    path("i/<str:token>/", views.invitation, name="assessment_invitation"),
    path("open/<str:token>/", views.open_link, name="assessment_open"),
    path("r/<str:token>/", views.answer, name="assessment_answer"),
    path("r/<str:token>/review/", views.review, name="assessment_review"),
    path("r/<str:token>/result/", views.result, name="assessment_result"),
    path("r/<str:token>/revise/", views.revise, name="assessment_revise"),
]
