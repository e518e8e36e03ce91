"""The REST API at /api/v1/: each app's router mounted on one NinjaAPI."""

from ninja import NinjaAPI

from zora.accounts.api import router as accounts_router
from zora.assessments.api import router as assessments_router
from zora.core.api import install_error_handlers
from zora.indicators.api import router as indicators_router
from zora.organisations.api import router as organisations_router
from zora.participation.api import router as participation_router
from zora.reports.api import router as reports_router
from zora.stakeholders.api import router as stakeholders_router
from zora.strategy.api import router as strategy_router

api = NinjaAPI(
    title="Zora API",
    version="1",
    description=(
        "Zora's REST API. Authenticate with a personal API token: "
        "`Authorization: Bearer <token>` (create one on your profile's API tokens page or with "
        '`zora create_token EMAIL`). Errors are `{"detail", "code"}`; lists are paginated as '
        '`{"count", "items"}` with `?page=N`.'
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", organisations_router)
api.add_router("/", assessments_router)
api.add_router("/", indicators_router)
api.add_router("/", participation_router)
api.add_router("/", stakeholders_router)
api.add_router("/", strategy_router)
api.add_router("/", reports_router)
