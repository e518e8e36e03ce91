from django.urls import path

from zora.reports import views

# Mounted under /<lang>/o/<slug>/report/ by zora/urls.py.
organisation_patterns = [
    path("", views.report_list, name="report_list"),
]

# Public pages, mounted under /<lang>/.
public_patterns: list = []
