"""REST API of the reports app (mounted at /api/v1/ by zora/api.py)."""

from ninja import Router

router = Router(tags=["reports"])
