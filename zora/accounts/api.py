from django.http import HttpRequest
from ninja import Router, Schema

from zora.core.api import AUTH, ErrorOut, api_user
from zora.organisations.selectors import membership_list_for_user

router = Router(tags=["accounts"])


class MyMembershipOut(Schema):
    organisation: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    preferred_language: str
    memberships: list[MyMembershipOut]


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=AUTH, summary="The caller")
def me(request: HttpRequest) -> MeOut:
    user = api_user(request)
    return MeOut(
        id=user.pk,
        email=user.email,
        name=user.get_full_name(),
        preferred_language=user.preferred_language,
        memberships=[
            MyMembershipOut(organisation=m.organisation.slug, role=m.role)
            for m in membership_list_for_user(user=user)
        ],
    )
