"""Ninja schemas of the access context: who the acting user is, and their tokens. Thin: fields
and the few resolvers that turn a model into them."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    preferred_language: str

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.get_full_name()


class CommunityOut(Schema):
    code: str
    name: str
    category: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str


class MembershipOut(Schema):
    role: str
    role_label: str
    community: CommunityOut | None
    organisation: OrganisationOut | None

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())


class MeOut(Schema):
    user: UserOut
    memberships: list[MembershipOut]
    roles: list[str]
    permissions: list[str]


class TokenOut(Schema):
    """A token as its owner sees it later: never its value, nor its digest."""

    id: int
    name: str
    hint: str = Field(description="The first characters of the token, to tell tokens apart.")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    is_usable: bool


class TokenIn(Schema):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(
        None, ge=1, le=730, description="Empty: valid until revoked."
    )


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. Shown this once; only its digest is kept.")
