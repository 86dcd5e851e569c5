"""The access context's API: who the acting user is, and their personal access tokens. Thin:
parse, call a selector or a service, return. Mounted on the one API in ``apps.api.api``, whose
auth has put the acting user on ``request.actor``."""

from ninja import Router, Status

from . import policies, selectors, services
from .models import PersonalAccessToken
from .roles import Perm
from .schemas import MeOut, TokenCreatedOut, TokenIn, TokenOut

router = Router(tags=["access"])


@router.get("/me", response=MeOut, summary="The acting user, their roles, scopes and permissions")
def me(request):
    actor = request.actor
    return {
        "user": actor.user,
        "memberships": selectors.membership_list(actor=actor),
        "roles": sorted(actor.roles),
        "permissions": sorted(actor.permissions),
    }


@router.get("/tokens", response=list[TokenOut], summary="My personal access tokens")
def token_list(request):
    policies.require(request.actor, Perm.TOKENS_MANAGE)
    return selectors.token_list(actor=request.actor)


@router.post(
    "/tokens", response={201: TokenCreatedOut}, summary="Create a token (its value shown once)"
)
def token_create(request, payload: TokenIn):
    policies.require(request.actor, Perm.TOKENS_MANAGE)
    if isinstance(request.auth, PersonalAccessToken):
        # A token must not mint tokens: a leaked one would outlive its own revocation.
        policies.deny(request.actor, reason="tokens:create-with-token")
    token, raw = services.token_create(
        actor=request.actor, name=payload.name, expires_in_days=payload.expires_in_days
    )
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": raw})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my tokens")
def token_revoke(request, token_id: int):
    token = selectors.token_get(actor=request.actor, token_id=token_id)
    services.token_revoke(actor=request.actor, token=token)
    return Status(204, None)
