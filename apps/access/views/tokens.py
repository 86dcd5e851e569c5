"""Personal access tokens: created and revoked by their owner, the value shown once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policies, selectors, services
from ..forms import TokenCreateForm
from ..roles import Perm


@login_required
def token_list_view(request):
    policies.require(request.actor, Perm.TOKENS_MANAGE)
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(
            actor=request.actor,
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        form = TokenCreateForm()
    return render(
        request,
        "access/tokens.html",
        {"form": form, "tokens": selectors.token_list(actor=request.actor), "new_token": new_token},
    )


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    token = selectors.token_get(actor=request.actor, token_id=token_id)
    services.token_revoke(actor=request.actor, token=token)
    messages.success(request, _("Токен «%(name)s» відкликано.") % {"name": token.name})
    return redirect("access:tokens")
