"""REST API of the strategy app (mounted at /api/v1/ by zora/api.py)."""

from ninja import Router

router = Router(tags=["strategy"])
