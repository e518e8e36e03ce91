"""REST API of the stakeholders app (mounted at /api/v1/ by zora/api.py)."""

from ninja import Router

router = Router(tags=["stakeholders"])
