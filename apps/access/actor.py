"""The acting user, built once per request (by ``ActorMiddleware`` or the API's auth)."""

from dataclasses import dataclass, field

from .roles import ROLE_PERMISSIONS, Role, role_requires_two_factor


@dataclass(frozen=True)
class Grant:
    """One membership reduced to what the policy needs."""

    role: str
    community_code: str | None = None
    community_level: int | None = None
    organisation_id: int | None = None

    @property
    def permissions(self) -> frozenset[str]:
        return ROLE_PERMISSIONS.get(self.role, frozenset())

    @property
    def is_global(self) -> bool:
        return self.role == Role.ADMIN and not self.community_code and not self.organisation_id


@dataclass(frozen=True)
class Actor:
    user: object | None
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user is not None and getattr(self.user, "is_authenticated", False))

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    @property
    def permissions(self) -> frozenset[str]:
        return frozenset().union(*(g.permissions for g in self.grants))

    def has_perm(self, perm: str) -> bool:
        return any(perm in g.permissions for g in self.grants)

    def grants_for(self, perm: str) -> tuple[Grant, ...]:
        return tuple(g for g in self.grants if perm in g.permissions)

    @property
    def requires_two_factor(self) -> bool:
        return any(role_requires_two_factor(g.role) for g in self.grants)

    @property
    def is_administrator(self) -> bool:
        return Role.ADMIN in self.roles


ANONYMOUS = Actor(user=None)


def actor_for(user) -> Actor:
    """Reads the user's memberships (one query) and freezes them into an ``Actor``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    rows = user.memberships.order_by("pk").values_list(  # the same order as the audit's
        "role", "community_id", "community__level", "organisation_id"
    )
    grants = tuple(
        Grant(role=role, community_code=code, community_level=level, organisation_id=org)
        for role, code, level, org in rows
    )
    return Actor(user=user, grants=grants)
