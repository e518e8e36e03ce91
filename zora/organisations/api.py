from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from zora.core.api import AUTH, PUBLIC_AUTH, ErrorOut, api_user
from zora.organisations import selectors
from zora.organisations.models import Membership, Organisation
from zora.organisations.tenancy import organisation_for_user_or_404

router = Router(tags=["organisations"])


class LocalizedText(Schema):
    bg: str
    en: str


class OrganisationOut(Schema):
    slug: str
    kind: str
    name: LocalizedText
    description: LocalizedText
    country: str
    region_code: str
    website: str
    is_public: bool
    logo_url: str | None

    @staticmethod
    def resolve_name(obj: Organisation) -> dict[str, str]:
        return {"bg": obj.name_bg, "en": obj.name_en}

    @staticmethod
    def resolve_description(obj: Organisation) -> dict[str, str]:
        return {"bg": obj.description_bg, "en": obj.description_en}

    @staticmethod
    def resolve_logo_url(obj: Organisation) -> str | None:
        return obj.logo.url if obj.logo else None


class MemberOut(Schema):
    email: str
    name: str
    role: str
    since: str

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.user.get_full_name()

    @staticmethod
    def resolve_since(obj: Membership) -> str:
        return obj.created_at.isoformat()


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    auth=PUBLIC_AUTH,
    summary="Organisations the caller may see (public ones and their own)",
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def organisation_list(request: HttpRequest) -> list[OrganisationOut]:
    qs = selectors.organisation_list_visible_to(user=api_user(request))
    return qs  # type: ignore[return-value]


@router.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, 401: ErrorOut, 404: ErrorOut},
    auth=PUBLIC_AUTH,
)
def organisation_detail(request: HttpRequest, slug: str) -> OrganisationOut:
    organisation = organisation_for_user_or_404(
        api_user(request), slug, "organisation.view_profile"
    )
    return organisation  # type: ignore[return-value]


@router.get(
    "/organisations/{slug}/members",
    response={200: list[MemberOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="Members of an organisation (members only)",
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def organisation_members(request: HttpRequest, slug: str) -> list[MemberOut]:
    organisation = organisation_for_user_or_404(
        api_user(request), slug, "organisation.view_members"
    )
    return selectors.membership_list(organisation=organisation)  # type: ignore[return-value]
