from django.urls import path

from zora.strategy import views

# Mounted under /<lang>/o/<slug>/plan/ by zora/urls.py.
organisation_patterns = [
    path("", views.strategy_list, name="strategy_list"),
    path("template/", views.strategy_template_import, name="strategy_template_import"),
    path("funding-sources/", views.funding_sources, name="strategy_funding_sources"),
    path("<int:strategy_id>/", views.strategy_detail, name="strategy_detail"),
    path("<int:strategy_id>/edit/", views.strategy_edit, name="strategy_edit"),
    path(
        "<int:strategy_id>/<str:kind>/<int:node_id>/edit/",
        views.node_edit,
        name="strategy_node_edit",
    ),
    path("<int:strategy_id>/statuses/", views.statuses, name="strategy_statuses"),
    path("<int:strategy_id>/swot/", views.swot, name="strategy_swot"),
    path("<int:strategy_id>/swot/reorder/", views.swot_reorder, name="strategy_swot_reorder"),
    path("<int:strategy_id>/swot/<int:item_id>/", views.swot_item, name="strategy_swot_item"),
    path("<int:strategy_id>/vision/", views.vision, name="strategy_vision"),
    path("<int:strategy_id>/actions/new/", views.action_form, name="strategy_action_new"),
    path("<int:strategy_id>/actions/<int:action_id>/", views.action_form, name="strategy_action"),
    path("<int:strategy_id>/actions/import/", views.actions_import, name="strategy_import"),
    path(
        "<int:strategy_id>/actions.<str:fmt>", views.actions_export, name="strategy_actions_export"
    ),
    path("<int:strategy_id>/kpis/", views.kpis, name="strategy_kpis"),
    path("<int:strategy_id>/kpis/new/", views.kpi_form, name="strategy_kpi_new"),
    path("<int:strategy_id>/kpis/<int:kpi_id>/", views.kpi_form, name="strategy_kpi"),
    path("<int:strategy_id>/roadmap/", views.roadmap, name="strategy_roadmap"),
    path("<int:strategy_id>/history/", views.history, name="strategy_history"),
    path("<int:strategy_id>/export.json", views.strategy_export, name="strategy_export"),
]

# Public pages, mounted under /<lang>/.
public_patterns = [
    path("strategies/", views.public_list, name="strategy_public_list"),
    path("strategies/<int:strategy_id>/", views.public_detail, name="strategy_public"),
]
