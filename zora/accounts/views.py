"""Profile and personal API tokens (log-in, sign-up and passwords are django-allauth's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import translate_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zora.accounts import selectors, services
from zora.accounts.forms import ProfileForm, TokenForm
from zora.accounts.models import ApiToken


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.user_update_profile(user=user, **form.cleaned_data)  # type: ignore[arg-type]
            language = form.cleaned_data["preferred_language"]
            messages.success(request, _("Your profile was saved."))
            response = redirect(translate_url(request.path, language))
            from django.conf import settings

            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
            return response
        status = 400
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,  # type: ignore[union-attr]
                "last_name": user.last_name,  # type: ignore[union-attr]
                "preferred_language": user.preferred_language,  # type: ignore[union-attr]
                "notifications": user.notifications,  # type: ignore[union-attr]
            }
        )
        status = 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    created = None
    status = 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            created = services.api_token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
            form = TokenForm()
        else:
            status = 400
    else:
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": selectors.api_token_list(user=request.user),  # type: ignore[arg-type]
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("account_tokens")
