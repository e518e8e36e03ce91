"""Organisation pages: public profile, dashboard, members and invitations, settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zora.core.forms import add_errors
from zora.organisations import selectors, services
from zora.organisations.forms import InvitationForm, OrganisationForm, RoleForm
from zora.organisations.models import Invitation, Membership, Organisation, OrganisationKind
from zora.organisations.permissions import can, role_of
from zora.organisations.tenancy import get_for_org_or_404, organisation_for_user_or_404

PAGE_SIZE = 50

# The capabilities in the navigation; each has an open issue and a "coming soon" page until built.
CAPABILITIES = {
    "assess": (
        gettext_lazy("Assess"),
        gettext_lazy("Digital-maturity assessments of companies, public bodies and city services."),
    ),
    "benchmark": (
        gettext_lazy("Benchmark"),
        gettext_lazy(
            "Official regional indicators compared with peer regions and EU 2030 targets."
        ),
    ),
    "engage": (
        gettext_lazy("Engage"),
        gettext_lazy("Stakeholders, interviews, workshops and public consultations."),
    ),
    "plan": (
        gettext_lazy("Plan"),
        gettext_lazy(
            "SWOT, vision, priorities, action plan with KPIs and public progress tracking."
        ),
    ),
    "report": (
        gettext_lazy("Report"),
        gettext_lazy("Assessment, benchmark and strategy reports as PDF and DOCX."),
    ),
}


# Capabilities that are built have their own pages; the others show "coming soon".
BUILT_CAPABILITIES = {
    "assess": "campaign_list",
    "benchmark": "benchmark_home",
    "engage": "engage_home",
    "plan": "strategy_list",
    "report": "report_list",
}


def capability_url(organisation: Organisation, code: str) -> str:
    if code in BUILT_CAPABILITIES:
        return reverse(BUILT_CAPABILITIES[code], args=[organisation.slug])
    return reverse("capability", args=[organisation.slug, code])


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):  # type: ignore[no-untyped-def]
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def organisation_list(request: HttpRequest) -> HttpResponse:
    """Directory of the organisations the visitor may see, filterable by kind."""
    qs = selectors.organisation_list_visible_to(user=request.user)
    kind = request.GET.get("kind", "")
    if kind in OrganisationKind.values:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "organisations/list.html",
        {"page": _page(request, qs), "kinds": OrganisationKind.choices, "kind": kind},
    )


def organisation_profile(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for_user_or_404(request.user, slug, "organisation.view_profile")
    request.organisation = organisation  # type: ignore[attr-defined]
    return render(
        request,
        "organisations/profile.html",
        {
            "organisation": organisation,
            "is_member": role_of(request.user, organisation) is not None,
        },
    )


def organisation_redirect(request: HttpRequest, slug: str) -> HttpResponse:
    """/o/<slug>/ without a language prefix: the organisation's own language (bg for BG)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    from django.utils import translation

    with translation.override(organisation.default_language):
        return redirect(reverse("organisation_profile", args=[organisation.slug]))


@login_required
def organisation_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for_user_or_404(request.user, slug, "organisation.view")
    request.organisation = organisation  # type: ignore[attr-defined]
    return render(
        request,
        "organisations/dashboard.html",
        {
            "organisation": organisation,
            "role": role_of(request.user, organisation),
            "member_count": selectors.organisation_member_count(organisation=organisation),
            "pending_invitations": selectors.invitation_list_pending(
                organisation=organisation
            ).count(),
            "capabilities": [
                {
                    "code": code,
                    "title": title,
                    "text": text,
                    "url": capability_url(organisation, code),
                }
                for code, (title, text) in CAPABILITIES.items()
            ],
            "can_manage": can(request.user, "organisation.manage_members", organisation),
            "can_change": can(request.user, "organisation.change", organisation),
        },
    )


@login_required
def capability(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    organisation = organisation_for_user_or_404(request.user, slug, "organisation.view")
    if code not in CAPABILITIES:
        raise Http404
    request.organisation = organisation  # type: ignore[attr-defined]
    title, text = CAPABILITIES[code]
    return render(
        request,
        "organisations/capability.html",
        {"organisation": organisation, "code": code, "title": title, "text": text},
    )


def _members_context(request: HttpRequest, organisation: Organisation, form=None):  # type: ignore[no-untyped-def]
    can_manage = can(request.user, "organisation.manage_members", organisation)
    return {
        "organisation": organisation,
        "page": _page(request, selectors.membership_list(organisation=organisation)),
        "invitations": list(selectors.invitation_list_pending(organisation=organisation))
        if can_manage
        else [],
        "can_manage": can_manage,
        "form": form or InvitationForm(),
        "role_form": RoleForm(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Members list; owners invite from here (htmx swaps the invitations panel in place)."""
    if request.method == "POST":
        organisation = organisation_for_user_or_404(
            request.user, slug, "organisation.manage_members"
        )
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                created = services.invitation_create(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": created.invitation.email},
                )
                if not request.htmx:  # type: ignore[attr-defined]
                    return redirect("organisation_members", slug=organisation.slug)
                form = InvitationForm()
        request.organisation = organisation  # type: ignore[attr-defined]
        context = _members_context(request, organisation, form)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "organisations/members.html#invite-panel", context)
        return render(request, "organisations/members.html", context, status=400)

    organisation = organisation_for_user_or_404(request.user, slug, "organisation.view_members")
    request.organisation = organisation  # type: ignore[attr-defined]
    return render(request, "organisations/members.html", _members_context(request, organisation))


@login_required
@require_POST
def membership_update(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organisation = organisation_for_user_or_404(request.user, slug, "organisation.manage_members")
    membership = get_for_org_or_404(Membership, organisation, pk=membership_id)
    action = request.POST.get("action", "role")
    try:
        if action == "remove":
            services.membership_remove(membership=membership)
            messages.success(
                request, _("%(email)s was removed.") % {"email": membership.user.email}
            )
        else:
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose one of the roles."))
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
            messages.success(
                request,
                _("%(email)s is now %(role)s.")
                % {"email": membership.user.email, "role": membership.get_role_display()},
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("organisation_members", slug=organisation.slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    organisation = organisation_for_user_or_404(request.user, slug, "organisation.manage_members")
    invitation = get_for_org_or_404(Invitation, organisation, pk=invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("organisation_members", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for_user_or_404(request.user, slug, "organisation.change")
    request.organisation = organisation  # type: ignore[attr-defined]
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES, instance=organisation)
        if form.is_valid():
            form.save()
            messages.success(request, _("The organisation's details were saved."))
            return redirect("organisation_dashboard", slug=form.instance.slug)
        organisation.refresh_from_db()
        status = 400
    else:
        form = OrganisationForm(instance=organisation)
        status = 200
    return render(
        request,
        "organisations/form.html",
        {"form": form, "organisation": organisation, "creating": False},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            organisation = services.organisation_create(creator=request.user, **data)
            messages.success(
                request, _("%(name)s was created. You are its owner.") % {"name": organisation.name}
            )
            return redirect("organisation_dashboard", slug=organisation.slug)
        status = 400
    else:
        form = OrganisationForm()
        status = 200
    return render(
        request, "organisations/form.html", {"form": form, "creating": True}, status=status
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_get_by_token(raw_token=token)
    if invitation is None:
        raise Http404
    error = None
    if request.user.is_authenticated:
        try:
            services.check_invitation_acceptable(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        if request.method == "POST" and error is None:
            services.invitation_accept(invitation=invitation, user=request.user)
            messages.success(
                request,
                _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation.name},
            )
            return redirect("organisation_dashboard", slug=invitation.organisation.slug)
    elif request.method == "POST":
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation, "error": error, "next": request.get_full_path()},
        status=400 if error else 200,
    )
