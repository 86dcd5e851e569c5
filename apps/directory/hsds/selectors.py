"""What the directory publishes in HSDS: public services of active organisations, and the
active organisations that have at least one. Directory data is not personal data (services,
places, the contacts organisations publish), so these reads are not audited; staff-only
services leave the system only through ``export_hsds --include-staff``."""

from collections.abc import Iterable, Iterator
from datetime import datetime
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from apps.geo.clock import KYIV

from ..models import (
    Contact,
    Organisation,
    Sector,
    Service,
    ServiceAtLocation,
    ServiceNeed,
    Visibility,
)
from ..selectors import service_texts, text_matches
from . import taxonomies as tx
from .taxonomies import Taxonomy


def _service_related(qs: QuerySet) -> QuerySet:
    return qs.select_related("organisation", "organisation__parent").prefetch_related(
        "needs",
        "areas",
        "schedules__location",
        "exceptions",
        Prefetch("contacts", queryset=Contact.objects.select_related("organisation", "service")),
        Prefetch(
            "at_locations",
            queryset=ServiceAtLocation.objects.select_related(
                "location__organisation",
                "location__settlement__oblast",
                "location__settlement__raion",
            ),
        ),
    )


def _services(include_staff: bool) -> QuerySet:
    qs = Service.objects.filter(organisation__is_active=True)
    if not include_staff:
        qs = qs.filter(visibility=Visibility.PUBLIC)
    return qs


def services(*, include_staff: bool = False) -> QuerySet:
    """Services in full (everything the compiled ``service`` shape needs, prefetched)."""
    return _service_related(_services(include_staff)).order_by("uuid")


def service_briefs(*, include_staff: bool = False) -> QuerySet:
    """Services for the ``service_list`` shape (one-to-one fields and the organisation)."""
    return (
        _services(include_staff)
        .select_related("organisation", "organisation__parent")
        .order_by("uuid")
    )


def organisations(*, include_staff: bool = False) -> QuerySet:
    """Active organisations with a published service; with ``include_staff``, every active
    organisation."""
    qs = Organisation.objects.filter(is_active=True)
    if not include_staff:
        published = _services(False).filter(organisation=OuterRef("pk"))
        qs = qs.filter(Exists(published))
    return (
        qs.select_related("parent", "community")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.select_related("organisation", "service"),
            ),
            "locations__settlement__oblast",
            "locations__settlement__raion",
            "locations__organisation",
        )
        .order_by("uuid")
    )


# --- the services list's filters ---------------------------------------------------------------
#
# A service carries the terms of its own ``attributes`` (``mapping._service_attributes``): its
# sector, its classifier code, its needs, the categories of persons it serves, and Prostir's
# properties. КАТОТТГ terms hang on its service areas and organisation kinds on organisations,
# not on the service: those taxonomies match no service.

# Properties every service carries (with its value in ``value``); ``capacity`` and ``name_en``
# only when it has one.
_PROPERTIES_OF_EVERY_SERVICE = (
    "visibility",
    "basic_service",
    "is_free",
    "accepting_referrals",
    "response_days",
    "completion_days",
)


def _codes_in_use(qs: QuerySet, taxonomy: Taxonomy) -> Iterable[str]:
    """The codes of ``taxonomy`` the services of ``qs`` may carry as terms."""
    qs = qs.order_by()
    if taxonomy is tx.SECTOR:
        return Sector.values
    if taxonomy is tx.PROSTIR:
        return (*_PROPERTIES_OF_EVERY_SERVICE, "capacity", "name_en")
    if taxonomy is tx.CLASSIFIER:
        codes = qs.exclude(classifier_code="").values_list("classifier_code", flat=True)
        return codes.distinct()
    if taxonomy is tx.NEED:
        needs = ServiceNeed.objects.filter(service__in=qs.values("pk"))
        return needs.values_list("need_code", flat=True).distinct()
    if taxonomy is tx.CATEGORY:
        return {
            code for codes in qs.values_list("eligible_categories", flat=True) for code in codes
        }
    return ()


def _term(qs: QuerySet, term_id: UUID) -> tuple[Taxonomy, str] | None:
    """The taxonomy and code of the term ``term_id`` (ids are derived from the code, so the
    codes in use are tried), or None when no service of ``qs`` can carry it."""
    wanted = str(term_id)
    for taxonomy in (tx.SECTOR, tx.PROSTIR, tx.CLASSIFIER, tx.NEED, tx.CATEGORY):
        for code in _codes_in_use(qs, taxonomy):
            if taxonomy.term_id(code) == wanted:
                return taxonomy, code
    return None


def with_taxonomy_term(qs: QuerySet, term_id: UUID) -> QuerySet:
    """The services of ``qs`` tagged with the taxonomy term ``term_id``; none for a term no
    service carries."""
    found = _term(qs, term_id)
    if found is None:
        return qs.none()
    taxonomy, code = found
    if taxonomy is tx.SECTOR:
        return qs.filter(sector=code)
    if taxonomy is tx.CLASSIFIER:
        return qs.filter(classifier_code=code)
    if taxonomy is tx.NEED:
        return qs.filter(needs__need_code=code)
    if taxonomy is tx.CATEGORY:
        # A JSON list: ``contains`` is not available on SQLite, so the ids are picked here.
        pks = [pk for pk, codes in qs.values_list("pk", "eligible_categories") if code in codes]
        return qs.filter(pk__in=pks)
    if code == "capacity":
        return qs.filter(capacity__isnull=False)
    if code == "name_en":
        return qs.exclude(name_en="")
    return qs  # a property every service carries


def with_taxonomy(qs: QuerySet, taxonomy_id: UUID) -> QuerySet:
    """The services of ``qs`` that carry any term of the taxonomy ``taxonomy_id``; none for a
    taxonomy that is not Prostir's or that services do not carry."""
    taxonomy = tx.BY_ID.get(str(taxonomy_id))
    if taxonomy in (tx.SECTOR, tx.PROSTIR):
        return qs  # every service has a sector and the properties
    if taxonomy is tx.CLASSIFIER:
        return qs.exclude(classifier_code="")
    if taxonomy is tx.NEED:
        return qs.filter(Exists(ServiceNeed.objects.filter(service=OuterRef("pk"))))
    if taxonomy is tx.CATEGORY:
        return qs.exclude(eligible_categories=[])
    return qs.none()


def service_list(
    *,
    search: str = "",
    organization_id: UUID | None = None,
    modified_after: datetime | None = None,
    taxonomy_term_id: UUID | None = None,
    taxonomy_id: UUID | None = None,
) -> QuerySet | list[Service]:
    """Published services (``service_briefs``) matching every filter given, ordered by id: a
    list when ``search`` is given (the words are matched here, as the directory's pages do),
    else a queryset. ``modified_after`` keeps the services changed on or after that moment
    (Kyiv time when it has no offset)."""
    qs = service_briefs()
    if organization_id:
        qs = qs.filter(organisation__uuid=organization_id)
    if modified_after:
        if timezone.is_naive(modified_after):
            modified_after = timezone.make_aware(modified_after, KYIV)
        qs = qs.filter(last_modified__gte=modified_after)
    if taxonomy_term_id:
        qs = with_taxonomy_term(qs, taxonomy_term_id)
    if taxonomy_id:
        qs = with_taxonomy(qs, taxonomy_id)
    if search.strip():
        return [s for s in qs if text_matches(service_texts(s), search)]
    return qs


def in_full(briefs: Iterable[Service]) -> Iterator[Service]:
    """The same services in full (``services``), in the same order."""
    briefs = list(briefs)
    full = {s.pk: s for s in services().filter(pk__in=[s.pk for s in briefs])}
    return (full[s.pk] for s in briefs)
