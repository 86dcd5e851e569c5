"""What the directory publishes in HSDS: public services of active organisations, and the
active organisations that have at least one. Directory data is not personal data (services,
places, the contacts organisations publish), so these reads are not audited; staff-only
services leave the system only through ``export_hsds --include-staff``."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from ..models import Contact, Organisation, Service, ServiceAtLocation, Visibility


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
