"""The directory's readers. Every query starts from the access policy:

* staff with ``DIRECTORY_READ`` see the services and organisations of the communities (or the
  organisation) their grants cover, of any visibility, and the published services of anyone;
* everyone else, signed in or not, sees published services only: visibility public, of an
  active organisation;
* inactive organisations are hidden from browsing; those who may edit one still open it;
* writers get an object only inside their ``DIRECTORY_WRITE`` scope (``Http404`` otherwise).

A grant naming a community and an organisation covers that organisation's rows only (the
policy's rule), so a partner's staff never see another organisation's staff-only services or
contact persons. A hub keeps its hromada's directory: a grant naming a hub reaches every
organisation of the hub's community (``directory_actor``).
"""

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import policies
from apps.access.actor import ANONYMOUS, Actor
from apps.access.roles import Perm
from apps.geo.models import Unit

from . import schedules, vocabularies
from .models import (
    Contact,
    Location,
    Organisation,
    OrganisationKind,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Visibility,
)


@dataclass(frozen=True)
class ServiceFilters:
    q: str = ""
    need: str = ""
    community: str = ""  # КАТОТТГ code of a hromada
    sector: str = ""
    classifier: str = ""
    category: str = ""  # a category of persons served (eligibility)
    age: int | None = None  # the person's age (eligibility)
    basic: bool = False
    open_now: bool = False
    accepting: bool = False


def directory_actor(actor: Actor) -> Actor:
    """``actor`` as the directory scopes it: a grant naming a hub together with its community
    reaches the whole community (the hub keeps the hromada's directory); every other grant is
    used as it is."""
    named = {g.organisation_id for g in actor.grants if g.organisation_id and g.community_code}
    if not named:
        return actor
    hubs = set(
        Organisation.objects.filter(pk__in=named, kind=OrganisationKind.HUB).values_list(
            "pk", flat=True
        )
    )
    grants = tuple(
        replace(g, organisation_id=None) if g.community_code and g.organisation_id in hubs else g
        for g in actor.grants
    )
    return Actor(user=actor.user, grants=grants)


def _is_staff_reader(actor: Actor) -> bool:
    return actor.is_authenticated and actor.has_perm(Perm.DIRECTORY_READ)


PUBLISHED = Q(visibility=Visibility.PUBLIC, organisation__is_active=True)


def services_published() -> QuerySet[Service]:
    """What anyone may see, signed in or not: public services of active organisations."""
    return Service.objects.filter(PUBLISHED)


def services_visible(*, actor: Actor) -> QuerySet[Service]:
    """The services ``actor`` may see (any status): see the module's note."""
    if not _is_staff_reader(actor):
        return services_published()
    scope = directory_actor(actor)
    mine = policies.scoped(Service.objects.all(), scope, Perm.DIRECTORY_READ)
    return Service.objects.filter(
        Q(pk__in=mine.filter(organisation__is_active=True).values("pk"))
        | Q(pk__in=_writable(scope, Service).values("pk"))
        | PUBLISHED
    )


def _writable(scope: Actor, model) -> QuerySet:
    """What ``scope`` (an actor as ``directory_actor`` gives it) may edit of ``model``."""
    if not scope.is_authenticated:
        return model.objects.none()
    return policies.scoped(model.objects.all(), scope, Perm.DIRECTORY_WRITE)


def organisations_visible(*, actor: Actor) -> QuerySet[Organisation]:
    """Active organisations in the actor's scope, those with a published service, and the
    ones the actor may edit (active or not)."""
    with_published = Service.objects.filter(PUBLISHED).values("organisation_id")
    q = Q(pk__in=with_published)
    if _is_staff_reader(actor):
        scope = directory_actor(actor)
        mine = policies.scoped(Organisation.objects.all(), scope, Perm.DIRECTORY_READ)
        q |= Q(pk__in=mine.filter(is_active=True).values("pk"))
        q |= Q(pk__in=_writable(scope, Organisation).values("pk"))
    return Organisation.objects.filter(q)


def _with_details(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organisation", "organisation__community").prefetch_related(
        "schedules",
        "exceptions",
        "needs",
        "areas",
        Prefetch(
            "at_locations",
            queryset=ServiceAtLocation.objects.select_related("location", "location__settlement"),
        ),
    )


def community_q(code: str) -> Q:
    """Services for a hromada: of an organisation of it, given at a location in it, or with a
    service area covering it (the hromada itself, its raion or its oblast)."""
    unit = Unit.objects.filter(code=code).first()
    covering = [c for c in (code, unit and unit.raion_id, unit and unit.oblast_id) if c]
    return (
        Q(organisation__community=code)
        | Q(
            pk__in=ServiceAtLocation.objects.filter(
                Q(location__settlement=code) | Q(location__settlement__hromada=code)
            ).values("service_id")
        )
        | Q(pk__in=Service.areas.through.objects.filter(unit__in=covering).values("service_id"))
    )


def text_matches(texts: list[str], q: str) -> bool:
    """Every word of ``q`` in ``texts``, case-insensitive for Cyrillic too (SQLite's LIKE folds
    ASCII only)."""
    haystack = " ".join(texts).casefold()
    return all(word in haystack for word in q.casefold().split())


def service_texts(service: Service) -> list[str]:
    """What a text search looks at: the service's names and its organisation's."""
    return [
        service.name,
        service.name_en,
        service.alternate_name,
        service.organisation.name,
        service.organisation.name_en,
        service.organisation.alternate_name,
    ]


def organisation_texts(organisation: Organisation) -> list[str]:
    return [organisation.name, organisation.name_en, organisation.alternate_name]


def _matches_text(service: Service, q: str) -> bool:
    return text_matches(service_texts(service), q)


def service_search(
    *,
    actor: Actor,
    filters: ServiceFilters,
    at: datetime | None = None,
    base: QuerySet[Service] | None = None,
) -> list[Service]:
    """The services ``actor`` may see that match ``filters``, by organisation and name.
    ``open_now`` is judged at ``at`` (default: now), in Kyiv time. Inactive, defunct and
    temporarily closed services are left out."""
    qs = base if base is not None else services_visible(actor=actor)
    qs = qs.filter(organisation__is_active=True, status=ServiceStatus.ACTIVE)
    if filters.need:
        qs = qs.filter(needs__need_code=filters.need)
    if filters.community:
        qs = qs.filter(community_q(filters.community))
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.classifier:
        qs = qs.filter(classifier_code=filters.classifier)
    if filters.basic:
        qs = qs.filter(is_basic=True)
    if filters.accepting:
        qs = qs.filter(accepting_referrals=True)
    results = list(_with_details(qs.distinct()).order_by("organisation__name", "name", "pk"))
    if filters.q.strip():
        results = [s for s in results if _matches_text(s, filters.q)]
    if filters.category or filters.age is not None:
        categories = [filters.category] if filters.category else None
        results = [s for s in results if eligible(s, categories, filters.age)]
    if filters.open_now:
        moment = at or timezone.now()
        results = [s for s in results if schedules.is_open(s, moment)]
    return results


def eligible(service: Service, categories=None, age: int | None = None) -> bool:
    """Whether a person of ``categories`` (``None``: whoever) aged ``age`` (``None``: any age)
    may get ``service``: a service naming no categories or ages is for everyone; one naming
    categories is for a person in at least one of them."""
    named = set(service.eligible_categories or ())
    if categories is not None and named and not named & set(categories):
        return False
    if age is None:
        return True
    return (service.minimum_age is None or service.minimum_age <= age) and (
        service.maximum_age is None or age <= service.maximum_age
    )


def published_search(*, filters: ServiceFilters, at: datetime | None = None) -> list[Service]:
    """The public listing: published services only, whoever asks."""
    return service_search(actor=ANONYMOUS, filters=filters, at=at, base=services_published())


def service_get(*, actor: Actor, service_id: UUID | str) -> Service:
    """One service the actor may see, with everything its page shows, or ``Http404``."""
    service = (
        _with_details(services_visible(actor=actor))
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name")),
        )
        .filter(uuid=service_id)
        .first()
    )
    if service is None:
        raise Http404(_("Не знайдено."))
    return service


def organisation_get(*, actor: Actor, organisation_id: UUID | str) -> Organisation:
    organisation = (
        organisations_visible(actor=actor)
        .select_related("community", "parent")
        .filter(uuid=organisation_id)
        .first()
    )
    if organisation is None:
        raise Http404(_("Не знайдено."))
    return organisation


def services_of(*, actor: Actor, organisation: Organisation) -> list[Service]:
    """The services of ``organisation`` the actor may see, any status."""
    qs = services_visible(actor=actor).filter(organisation=organisation)
    return list(_with_details(qs).order_by("name", "pk"))


def _sees_own_data(actor: Actor, organisation: Organisation) -> bool:
    """Whether the actor's directory scope covers the organisation itself (not only its
    published services)."""
    if not _is_staff_reader(actor):
        return False
    mine = policies.scoped(Organisation.objects.all(), directory_actor(actor), Perm.DIRECTORY_READ)
    return mine.filter(pk=organisation.pk).exists()


def locations_of(*, actor: Actor, organisation: Organisation) -> QuerySet[Location]:
    """The organisation's places: all of them within the actor's scope; elsewhere only those
    where a service the actor may see is given (a staff-only shelter's address stays with the
    organisation's own community)."""
    qs = organisation.locations.select_related("settlement").order_by("name", "pk")
    if _sees_own_data(actor, organisation):
        return qs
    return qs.filter(pk__in=public_location_ids(actor=actor, organisation=organisation))


def public_location_ids(*, actor: Actor = ANONYMOUS, organisation: Organisation) -> QuerySet:
    """Ids of the organisation's locations where a service ``actor`` may see is given."""
    seen = services_visible(actor=actor).filter(organisation=organisation)
    return ServiceAtLocation.objects.filter(service__in=seen.values("pk")).values("location_id")


def contacts_of(*, actor: Actor, organisation: Organisation) -> QuerySet[Contact]:
    """Named contact persons: for staff who see the organisation's own data (its scope),
    never for the public or for staff of elsewhere who see only its published services."""
    if not _sees_own_data(actor, organisation):
        return Contact.objects.none()
    return organisation.contacts.select_related("service").order_by("name", "pk")


def may_edit(*, actor: Actor, organisation: Organisation) -> bool:
    """Whether the page offers editing: the same scope the edit pages open with."""
    return actor.is_authenticated and policies.covers(
        directory_actor(actor),
        Perm.DIRECTORY_WRITE,
        community=organisation.community,
        organisation=organisation,
    )


# --- for writers ----------------------------------------------------------------------------


def organisation_for_write(*, actor: Actor, organisation_id: UUID | str) -> Organisation:
    return policies.get_for(
        directory_actor(actor),
        Perm.DIRECTORY_WRITE,
        Organisation.objects.select_related("community"),
        uuid=organisation_id,
    )


def service_for_write(*, actor: Actor, service_id: UUID | str) -> Service:
    return policies.get_for(
        directory_actor(actor),
        Perm.DIRECTORY_WRITE,
        Service.objects.select_related("organisation", "organisation__community"),
        uuid=service_id,
    )


def location_for_write(*, actor: Actor, location_id: UUID | str) -> Location:
    return policies.get_for(
        directory_actor(actor),
        Perm.DIRECTORY_WRITE,
        Location.objects.select_related("organisation", "organisation__community", "settlement"),
        uuid=location_id,
    )


def writable_communities(*, actor: Actor) -> list[Unit]:
    """The hromadas in which ``actor`` may create organisations."""
    grants = actor.grants_for(Perm.DIRECTORY_WRITE) if actor.is_authenticated else ()
    if not grants:
        return []
    hromadas = Unit.objects.filter(level=3, is_active=True).select_related("raion", "oblast")
    if not any(g.is_global for g in grants):
        codes = {g.community_code for g in grants if g.community_code}
        organisations = {g.organisation_id for g in grants if g.organisation_id}
        hromadas = hromadas.filter(
            Q(code__in=codes)
            | Q(raion__in=codes)
            | Q(oblast__in=codes)
            | Q(code__in=Organisation.objects.filter(pk__in=organisations).values("community"))
        )
    return [
        u
        for u in hromadas.order_by("name")
        if policies.covers(actor, Perm.DIRECTORY_WRITE, community=u)
    ]


def settlements_of(*, community: Unit) -> QuerySet[Unit]:
    """The hromada and the settlements in it: where its organisations' locations are."""
    return Unit.objects.filter(Q(code=community.code) | Q(hromada=community.code)).order_by(
        "level", "name"
    )


def communities_for_filter(*, actor: Actor) -> QuerySet[Unit]:
    """Hromadas with an organisation the actor sees, and the actor's own."""
    own = {g.community_code for g in actor.grants if g.community_code}
    orgs = organisations_visible(actor=actor).filter(is_active=True).values("community")
    return Unit.objects.filter(Q(code__in=orgs) | Q(code__in=own, level=3)).order_by("name")


def need_choices() -> list[tuple[str, str]]:
    return vocabularies.choices(vocabularies.NEEDS)


def category_choices() -> list[tuple[str, str]]:
    return vocabularies.choices(vocabularies.CATEGORIES)
