"""Directory models → HSDS 3.0 objects (the compiled ``organization`` and ``service`` shapes,
and the ``_list`` shapes of the API's pages). See docs/hsds.md for the table.

Lists are ordered by id and empty optional fields are left out, so the same directory always
gives the same JSON. Labels (sectors, kinds, needs) are the Ukrainian ones: the data is
published in the language it is kept in.
"""

from collections.abc import Iterable
from datetime import time

from django.utils import translation

from .. import vocabularies
from ..models import (
    Contact,
    Location,
    Organisation,
    OrganisationKind,
    Schedule,
    ScheduleException,
    Sector,
    Service,
)
from . import taxonomies as tx
from .taxonomies import stable_id

COUNTRY = "UA"

# Names of the languages services are given in (ISO 639 codes, as Prostir stores them).
LANGUAGE_NAMES = {
    "uk": "українська",
    "en": "англійська",
    "crh": "кримськотатарська",
    "ukl": "українська жестова",
    "ru": "російська",
    "pl": "польська",
    "ro": "румунська",
    "hu": "угорська",
    "bg": "болгарська",
    "de": "німецька",
}

ORGANIZATION_LIST_FIELDS = (
    "id",
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "tax_status",
    "tax_id",
    "year_incorporated",
    "legal_status",
    "logo",
    "uri",
    "parent_organization_id",
)
SERVICE_NESTED_FIELDS = (
    "phones",
    "schedules",
    "service_areas",
    "service_at_locations",
    "languages",
    "funding",
    "cost_options",
    "required_documents",
    "contacts",
    "attributes",
    "metadata",
)


def _clean(obj: dict) -> dict:
    """Without the optional fields that hold nothing."""
    return {key: value for key, value in obj.items() if value not in ("", None, [])}


def _by_id(items: Iterable[dict]) -> list[dict]:
    return sorted(items, key=lambda item: item["id"])


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def _phone(owner_id: str, owner_field: str, number: str) -> list[dict]:
    if not number:
        return []
    return [{"id": stable_id(owner_id, "phone"), owner_field: owner_id, "number": number}]


def _languages(owner_id: str, owner_field: str, codes: Iterable[str]) -> list[dict]:
    return _by_id(
        _clean(
            {
                "id": stable_id(owner_id, "language", code),
                owner_field: owner_id,
                "name": LANGUAGE_NAMES.get(code, code),
                "code": code,
            }
        )
        for code in codes
    )


def _katottg(link_id: str, entity: str, unit) -> dict:
    return tx.attribute(link_id, entity, tx.KATOTTG, unit.code, unit.name)


def contact(obj: Contact) -> dict:
    uid = str(obj.uuid)
    return _clean(
        {
            "id": uid,
            "organization_id": str(obj.organisation.uuid),
            "service_id": str(obj.service.uuid) if obj.service_id else None,
            "name": obj.name,
            "title": obj.title,
            "email": obj.email,
            "phones": _phone(uid, "contact_id", obj.phone),
        }
    )


def address(obj: Location) -> dict:
    settlement = obj.settlement
    oblast = settlement.oblast or (settlement if settlement.level == 1 else None)
    return _clean(
        {
            "id": stable_id(obj.uuid, "address"),
            "location_id": str(obj.uuid),
            "address_1": obj.address,
            "city": settlement.name,
            "region": settlement.raion.name if settlement.raion_id else None,
            "state_province": oblast.name if oblast else settlement.name,
            "postal_code": obj.postal_code,
            "country": COUNTRY,
            "address_type": obj.location_type,
        }
    ) | {"postal_code": obj.postal_code}  # required, even when unknown


def location(obj: Location) -> dict:
    uid = str(obj.uuid)
    attributes = [_katottg(uid, "location", obj.settlement)]
    attributes.append(tx.property_attribute(uid, "location", "step_free", obj.step_free))
    if obj.name_en:
        attributes.append(tx.property_attribute(uid, "location", "name_en", obj.name_en))
    accessibility = []
    if obj.accessibility:
        accessibility.append(
            {
                "id": stable_id(uid, "accessibility"),
                "location_id": uid,
                "description": obj.accessibility,
            }
        )
    return _clean(
        {
            "id": uid,
            "location_type": obj.location_type,
            "organization_id": str(obj.organisation.uuid),
            "name": obj.name,
            "description": obj.description,
            "transportation": obj.transportation,
            "latitude": float(obj.latitude) if obj.latitude is not None else None,
            "longitude": float(obj.longitude) if obj.longitude is not None else None,
            "languages": _languages(uid, "location_id", obj.languages),
            "addresses": [address(obj)],
            "accessibility": accessibility,
            "attributes": _by_id(attributes),
        }
    )


def schedule(obj: Schedule) -> dict:
    return _clean(
        {
            "id": str(obj.uuid),
            "service_id": str(obj.service.uuid),
            "location_id": str(obj.location.uuid) if obj.location_id else None,
            "valid_from": obj.valid_from.isoformat() if obj.valid_from else None,
            "valid_to": obj.valid_to.isoformat() if obj.valid_to else None,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": obj.byday,
            "opens_at": _time(obj.opens_at),
            "closes_at": _time(obj.closes_at),
            "description": obj.description,
        }
    )


CLOSED_PREFIX = "Зачинено"
OTHER_HOURS_PREFIX = "Інші години"


def exception(obj: ScheduleException) -> dict:
    """A dated exception is a schedule valid on that one day: no ``byday``, no ``freq``;
    closed when it has no hours. ``description`` says so for people, ``notes`` keeps the
    reason, a ``prostir``/``schedule_exception`` attribute marks it for machines."""
    uid = stable_id(obj.service.uuid, "exception", obj.date.isoformat())
    day = obj.date.isoformat()
    prefix = CLOSED_PREFIX if obj.closed else OTHER_HOURS_PREFIX
    kind = "closed" if obj.closed else "hours"
    return _clean(
        {
            "id": uid,
            "service_id": str(obj.service.uuid),
            "valid_from": day,
            "valid_to": day,
            "dtstart": day,
            "opens_at": None if obj.closed else _time(obj.opens_at),
            "closes_at": None if obj.closed else _time(obj.closes_at),
            "description": f"{prefix}: {obj.reason}" if obj.reason else prefix,
            "notes": obj.reason,
            "attributes": [tx.property_attribute(uid, "schedule", "schedule_exception", kind)],
        }
    )


def service_area(service_id: str, unit) -> dict:
    uid = stable_id(service_id, "area", unit.code)
    return {
        "id": uid,
        "service_id": service_id,
        "name": unit.name,
        "description": f"{unit.get_category_display()} {unit.name} ({unit.code})",
        "attributes": [_katottg(uid, "service_area", unit)],
    }


def organization_brief(obj: Organisation) -> dict:
    """The one-to-one fields of an organization (the ``organization_list`` shape)."""
    return _clean(
        {
            "id": str(obj.uuid),
            "name": obj.name,
            "alternate_name": obj.alternate_name,
            "email": obj.email,
            "website": obj.website,
            "year_incorporated": obj.year_incorporated,
            "legal_status": obj.legal_status,
            "parent_organization_id": str(obj.parent.uuid) if obj.parent_id else None,
        }
    ) | {"description": obj.description}  # required, even when empty


def _service_attributes(obj: Service) -> list[dict]:
    uid = str(obj.uuid)
    attrs = [
        tx.attribute(uid, "service", tx.SECTOR, obj.sector, str(Sector(obj.sector).label)),
        tx.property_attribute(uid, "service", "visibility", obj.visibility),
        tx.property_attribute(uid, "service", "basic_service", obj.is_basic),
        tx.property_attribute(uid, "service", "is_free", obj.is_free),
        tx.property_attribute(uid, "service", "accepting_referrals", obj.accepting_referrals),
        tx.property_attribute(uid, "service", "response_days", obj.response_days),
        tx.property_attribute(uid, "service", "completion_days", obj.completion_days),
    ]
    if obj.classifier_code:
        attrs.append(
            tx.attribute(uid, "service", tx.CLASSIFIER, obj.classifier_code, obj.classifier_code)
        )
    if obj.capacity is not None:
        attrs.append(tx.property_attribute(uid, "service", "capacity", obj.capacity))
    if obj.name_en:
        attrs.append(tx.property_attribute(uid, "service", "name_en", obj.name_en))
    for need in obj.needs.all():
        label = vocabularies.label(vocabularies.NEEDS, need.need_code)
        attrs.append(tx.attribute(uid, "service", tx.NEED, need.need_code, str(label)))
    for code in obj.eligible_categories:
        label = vocabularies.label(vocabularies.CATEGORIES, code)
        attrs.append(tx.attribute(uid, "service", tx.CATEGORY, code, str(label)))
    return _by_id(attrs)


def service_brief(obj: Service, *, with_organization: bool = True) -> dict:
    """The one-to-one fields of a service (the ``service_list`` shape)."""
    out = _clean(
        {
            "id": str(obj.uuid),
            "organization_id": str(obj.organisation.uuid),
            "name": obj.name,
            "alternate_name": obj.alternate_name,
            "description": obj.description,
            "url": obj.url,
            "email": obj.email,
            "status": obj.status,
            "application_process": obj.application_process,
            "fees_description": obj.fees_description,
            "eligibility_description": obj.eligibility_description,
            "minimum_age": obj.minimum_age,
            "maximum_age": obj.maximum_age,
            "last_modified": obj.last_modified.isoformat() if obj.last_modified else None,
        }
    )
    if with_organization:
        out["organization"] = organization_brief(obj.organisation)
    return out


def service_minimal(obj: Service) -> dict:
    """The API's ``minimal`` item: the service's id and when it was last changed (the spec's
    text says "modified_date"; the service's field is ``last_modified``)."""
    return _clean(
        {
            "id": str(obj.uuid),
            "last_modified": obj.last_modified.isoformat() if obj.last_modified else None,
        }
    )


def service(obj: Service, *, staff: bool = False) -> dict:
    """The compiled ``service`` shape: the service with everything that hangs on it. Named
    contact persons only with ``staff`` (``export_hsds --include-staff``): the directory never
    shows them to the public."""
    with translation.override("uk"):
        uid = str(obj.uuid)
        out = service_brief(obj)
        schedules = [schedule(s) for s in obj.schedules.all()]
        schedules += [exception(e) for e in obj.exceptions.all()]
        at_locations = [
            _clean(
                {
                    "id": str(sal.uuid),
                    "service_id": uid,
                    "location_id": str(sal.location.uuid),
                    "description": sal.description,
                    "location": location(sal.location),
                }
            )
            for sal in obj.at_locations.all()
        ]
        nested = {
            "phones": _phone(uid, "service_id", obj.phone),
            "schedules": _by_id(schedules),
            "service_areas": _by_id(service_area(uid, unit) for unit in obj.areas.all()),
            "service_at_locations": _by_id(at_locations),
            "languages": _languages(uid, "service_id", obj.languages),
            "contacts": _by_id(contact(c) for c in obj.contacts.all()) if staff else [],
            "attributes": _service_attributes(obj),
        }
        return out | _clean(nested)


def organization(
    obj: Organisation, services: Iterable[Service] = (), *, full_services=False, staff=False
):
    """The compiled ``organization`` shape; ``services`` as their one-to-one fields, or in full
    with ``full_services``. Published (without ``staff``) it names no contact persons and lists
    only the locations where the given services are offered."""
    services = list(services)
    with translation.override("uk"):
        uid = str(obj.uuid)
        attributes = [
            tx.attribute(
                uid,
                "organization",
                tx.ORGANISATION_KIND,
                obj.kind,
                str(OrganisationKind(obj.kind).label),
            ),
            _katottg(uid, "organization", obj.community),
        ]
        if obj.name_en:
            attributes.append(tx.property_attribute(uid, "organization", "name_en", obj.name_en))
        identifiers = []
        if obj.edrpou:
            identifiers.append(
                {
                    "id": stable_id(uid, "edrpou"),
                    "organization_id": uid,
                    "identifier_scheme": "UA-EDR",
                    "identifier_type": "ЄДРПОУ",
                    "identifier": obj.edrpou,
                }
            )
        if full_services:
            shaped = [service(s, staff=staff) for s in services]
        else:
            shaped = [service_brief(s, with_organization=False) for s in services]
        contacts = [contact(c) for c in obj.contacts.all() if c.service_id is None] if staff else []
        places = {sal.location_id for s in services for sal in s.at_locations.all()}
        places |= {
            sch.location_id for s in services for sch in s.schedules.all() if sch.location_id
        }
        locations = [loc for loc in obj.locations.all() if staff or loc.pk in places]
        nested = {
            "contacts": _by_id(contacts),
            "phones": _phone(uid, "organization_id", obj.phone),
            "locations": _by_id(location(loc) for loc in locations),
            "organization_identifiers": identifiers,
            "attributes": _by_id(attributes),
            "services": _by_id(shaped),
        }
        return organization_brief(obj) | _clean(nested)


def taxonomy_terms_used(objects: Iterable[dict]) -> dict[str, dict]:
    """Every ``taxonomy_term`` the attributes of ``objects`` (nested anywhere) point at, by id."""
    found: dict[str, dict] = {}

    def walk(value):
        if isinstance(value, dict):
            term = value.get("taxonomy_term")
            if isinstance(term, dict) and "id" in term:
                found[term["id"]] = {k: v for k, v in term.items() if k != "taxonomy_detail"}
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for obj in objects:
        walk(obj)
    return found
