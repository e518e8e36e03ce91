from django.urls import path

from zora.indicators import views

# Public: /<lang>/regions/…, /<lang>/indicators/
public_patterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/<str:code>/", views.region_profile, name="region_profile"),
    path(
        "regions/<str:code>/indicators/<slug:indicator>/",
        views.indicator_detail,
        name="indicator_detail",
    ),
    path("indicators/", views.catalogue, name="indicator_catalogue"),
]

# Under /<lang>/o/<slug>/benchmark/ (members).
organisation_patterns = [
    path("", views.benchmark_home, name="benchmark_home"),
    path("peers/", views.peer_groups, name="peer_groups"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:batch_id>/", views.import_detail, name="import_detail"),
    path("imports/map/<int:job_id>/", views.import_mapping, name="import_mapping"),
    path("imports/retry/<int:job_id>/", views.import_retry, name="import_retry"),
]
