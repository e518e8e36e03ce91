from django.urls import path

from zora.strategy import views

# Mounted under /<lang>/o/<slug>/plan/ by zora/urls.py.
organisation_patterns = [
    path("", views.strategy_list, name="strategy_list"),
]

# Public pages, mounted under /<lang>/.
public_patterns: list = []
