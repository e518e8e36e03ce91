from django.urls import path  # noqa: F401

from zora.stakeholders import views  # noqa: F401

# Mounted under /<lang>/o/<slug>/engage/ by zora/urls.py (before the consultations' patterns):
# stakeholders/, interviews/, findings/, codebook/, events/ …
organisation_patterns: list = []

# Public pages (e.g. an event's registration page), mounted under /<lang>/.
public_patterns: list = []
