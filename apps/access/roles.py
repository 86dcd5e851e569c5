"""Roles and what each may do. Permissions are strings ``<app>.<resource>:<verb>``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("Реєстратор")
    SPECIALIST = "specialist", _("Фахівець із соціальної роботи")
    PSYCHOLOGIST = "psychologist", _("Психолог")
    FACILITATOR = "facilitator", _("Ведучий груп")
    PARTNER = "partner", _("Працівник партнерської організації")
    COORDINATOR = "coordinator", _("Координатор хабу")
    ANALYST = "analyst", _("Аналітик")
    ADMIN = "admin", _("Адміністратор")


class Perm:
    HOME_VIEW = "access.home:view"
    STAFF_READ = "access.staff:read"
    TOKENS_MANAGE = "access.tokens:manage"
    AUDIT_READ = "audit.events:read"
    DIRECTORY_READ = "directory.organisations:read"
    DIRECTORY_WRITE = "directory.organisations:write"
    PERSONS_READ = "registry.persons:read"
    PERSONS_WRITE = "registry.persons:write"
    PERSONS_MERGE = "registry.persons:merge"
    TRANSFERS_DECIDE = "registry.transfers:decide"
    REQUESTS_READ = "intake.requests:read"
    REQUESTS_WRITE = "intake.requests:write"
    APPOINTMENTS_READ = "intake.appointments:read"
    APPOINTMENTS_WRITE = "intake.appointments:write"
    REFERRALS_READ = "referrals:read"
    REFERRALS_SEND = "referrals:send"
    REFERRALS_RESPOND = "referrals:respond"
    INSIGHTS_READ = "insights:read"
    ADMIN_SITE = "access.admin:site"


_STAFF = {Perm.HOME_VIEW, Perm.TOKENS_MANAGE, Perm.DIRECTORY_READ}
_CASEWORK = _STAFF | {
    Perm.PERSONS_READ,
    Perm.PERSONS_WRITE,
    Perm.REQUESTS_READ,
    Perm.REQUESTS_WRITE,
    Perm.APPOINTMENTS_READ,
    Perm.APPOINTMENTS_WRITE,
    Perm.REFERRALS_READ,
    Perm.REFERRALS_SEND,
    # Referrals to the hub's own services are answered by its staff.
    Perm.REFERRALS_RESPOND,
}
# Merging two records and handing a person over to another hub are a coordinator's decisions.
_COORDINATION = {Perm.PERSONS_MERGE, Perm.TRANSFERS_DECIDE, Perm.DIRECTORY_WRITE}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.REGISTRAR: frozenset(_CASEWORK),
    Role.SPECIALIST: frozenset(_CASEWORK),
    Role.PSYCHOLOGIST: frozenset(_CASEWORK),
    Role.FACILITATOR: frozenset(_STAFF | {Perm.PERSONS_READ}),
    # Partner staff see referrals addressed to their organisation, and only what they share.
    Role.PARTNER: frozenset(_STAFF | {Perm.REFERRALS_READ, Perm.REFERRALS_RESPOND}),
    Role.COORDINATOR: frozenset(
        _CASEWORK | _COORDINATION | {Perm.STAFF_READ, Perm.AUDIT_READ, Perm.INSIGHTS_READ}
    ),
    Role.ANALYST: frozenset(_STAFF | {Perm.INSIGHTS_READ}),
    Role.ADMIN: frozenset(
        _CASEWORK
        | _COORDINATION
        | {Perm.STAFF_READ, Perm.AUDIT_READ, Perm.INSIGHTS_READ, Perm.ADMIN_SITE}
    ),
}

# Analysts see aggregates only; every other role sees personal or case data and must sign in
# with a second factor.
ROLES_WITHOUT_CASE_DATA = frozenset({Role.ANALYST})


def role_requires_two_factor(role: str) -> bool:
    return role not in ROLES_WITHOUT_CASE_DATA
