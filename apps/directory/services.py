"""The directory's writers: organisations, their locations and contacts, services with their
needs, hours and exceptions. Each is one transaction that checks the actor's
``DIRECTORY_WRITE`` scope (the organisation's community) first and audits inside.

Optimistic locking: organisations and services carry ``version``. A change names the version
it was made on; when the row moved on meanwhile nothing is written and ``EditConflict`` says,
for each field the caller sent that differs from the current value, both values. Locations and
contacts have no version of their own: they are locked with their organisation's, hours and
exceptions with their service's, and a change to them moves that version on.
"""

import uuid as uuid_module
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm
from apps.audit import services as audit
from apps.geo.models import Unit

from . import selectors, validation
from .models import (
    Contact,
    Location,
    Organisation,
    Schedule,
    ScheduleException,
    Service,
    ServiceAtLocation,
    ServiceNeed,
)

ORGANISATION_FIELDS = (
    "name",
    "name_en",
    "alternate_name",
    "kind",
    "legal_status",
    "year_incorporated",
    "edrpou",
    "email",
    "phone",
    "website",
    "description",
    "is_active",
)
LOCATION_FIELDS = (
    "name",
    "name_en",
    "location_type",
    "settlement",
    "address",
    "postal_code",
    "description",
    "transportation",
    "latitude",
    "longitude",
    "step_free",
    "accessibility",
    "languages",
)
SERVICE_FIELDS = (
    "name",
    "name_en",
    "alternate_name",
    "description",
    "sector",
    "classifier_code",
    "is_basic",
    "status",
    "visibility",
    "url",
    "email",
    "phone",
    "eligibility_description",
    "eligible_categories",
    "minimum_age",
    "maximum_age",
    "application_process",
    "is_free",
    "fees_description",
    "languages",
    "capacity",
    "accepting_referrals",
    "response_days",
    "completion_days",
)
SERVICE_RELATED = ("needs", "locations", "areas")


class EditConflict(Exception):
    """The row changed since the caller's ``version``: ``conflicts`` lists ``{"field",
    "yours", "theirs"}`` for each field sent whose current value differs; nothing written."""

    def __init__(self, *, version: int, conflicts: list[dict]) -> None:
        super().__init__("edit_conflict")
        self.version = version
        self.conflicts = conflicts


@dataclass
class Saved:
    obj: Any
    changed: list[str] = field(default_factory=list)


# --- checking -------------------------------------------------------------------------------


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError({k: v for k, v in errors.items() if v})


def _add(errors: dict, more: dict) -> None:
    for key, messages in more.items():
        errors.setdefault(key, []).extend(messages)


def _model_errors(instance, names) -> dict:
    """The model's own field checks (lengths, choices, ranges), for ``names`` only."""
    exclude = [f.name for f in instance._meta.fields if f.name not in names]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return {k: list(v) for k, v in exc.message_dict.items()}
    return {}


def _text(row: dict, key: str, label: str, errors: dict, limit: int = 255) -> str:
    """``row[key]`` stripped; longer than ``limit`` is an error naming the field, never cut."""
    value = (row.get(key) or "").strip()
    if len(value) > limit:
        errors.setdefault(key, []).append(
            _("«%(field)s»: не довше %(limit)d символів (зараз %(length)d).")
            % {"field": label, "limit": limit, "length": len(value)}
        )
    return value


def _cleaned(fn, value, key: str, errors: dict):
    try:
        return fn(value)
    except ValidationError as exc:
        errors.setdefault(key, []).extend(exc.messages)
        return value


def _codes(value, allowed: list[tuple[str, str]], key: str, errors: dict, label: str) -> list:
    codes = sorted(dict.fromkeys(value or []))
    known = {code for code, _label in allowed}
    unknown = [c for c in codes if c not in known]
    if unknown and known:
        errors.setdefault(key, []).append(
            _("Невідомі коди (%(what)s): %(codes)s.") % {"what": label, "codes": ", ".join(unknown)}
        )
    return codes


def _organisation_values(data: dict) -> dict:
    values = {k: data[k] for k in ORGANISATION_FIELDS if k in data}
    for key in ("name", "name_en", "alternate_name", "legal_status", "edrpou", "description"):
        if key in values:
            values[key] = (values[key] or "").strip()
    errors: dict = {}
    if "phone" in values:
        values["phone"] = _cleaned(validation.phone, values["phone"] or "", "phone", errors)
    if values.get("edrpou") and not (values["edrpou"].isdigit() and len(values["edrpou"]) == 8):
        errors.setdefault("edrpou", []).append(_("Код ЄДРПОУ — це 8 цифр."))
    _add(errors, _model_errors(Organisation(**values), values))
    _raise(errors)
    return values


def _location_values(data: dict, organisation: Organisation) -> dict:
    values = {k: data[k] for k in LOCATION_FIELDS if k in data}
    errors: dict = {}
    settlement = values.get("settlement")
    if "settlement" in values:
        if isinstance(settlement, str):
            settlement = Unit.objects.filter(code=settlement).first()
        allowed = selectors.settlements_of(community=organisation.community)
        if settlement is None or not allowed.filter(code=settlement.code).exists():
            errors["settlement"] = [_("Оберіть населений пункт громади організації.")]
        values["settlement"] = settlement
    if values.get("postal_code") and not (
        values["postal_code"].isdigit() and len(values["postal_code"]) == 5
    ):
        errors["postal_code"] = [_("Поштовий індекс — це 5 цифр.")]
    _add(errors, validation.check_coordinates(values.get("latitude"), values.get("longitude")))
    if "languages" in values:
        values["languages"] = _codes(
            values["languages"], list(validation.LANGUAGES), "languages", errors, _("мови")
        )
    checked = {k: v for k, v in values.items() if k != "settlement"}
    model_errors = _model_errors(Location(**checked), checked)
    for key in ("latitude", "longitude"):
        if key in errors:
            model_errors.pop(key, None)
    _add(errors, model_errors)
    _raise(errors)
    return values


def _service_values(data: dict, organisation: Organisation) -> dict:
    values = {k: data[k] for k in (*SERVICE_FIELDS, *SERVICE_RELATED) if k in data}
    errors: dict = {}
    if "phone" in values:
        values["phone"] = _cleaned(validation.phone, values["phone"] or "", "phone", errors)
    if "classifier_code" in values:
        values["classifier_code"] = _cleaned(
            validation.classifier_code, values["classifier_code"], "classifier_code", errors
        )
    _add(errors, validation.check_ages(values.get("minimum_age"), values.get("maximum_age")))
    if "eligible_categories" in values:
        values["eligible_categories"] = _codes(
            values["eligible_categories"],
            selectors.category_choices(),
            "eligible_categories",
            errors,
            _("категорії"),
        )
    if "languages" in values:
        values["languages"] = _codes(
            values["languages"], list(validation.LANGUAGES), "languages", errors, _("мови")
        )
    if "needs" in values:
        values["needs"] = _codes(
            values["needs"], selectors.need_choices(), "needs", errors, _("потреби")
        )
    if "locations" in values:
        wanted = {str(getattr(x, "uuid", x)) for x in values["locations"] or []}
        found = {
            str(u)
            for u in organisation.locations.filter(uuid__in=wanted).values_list("uuid", flat=True)
        }
        if wanted - found:
            errors.setdefault("locations", []).append(_("Оберіть локації цієї організації."))
        values["locations"] = sorted(found)
    if "areas" in values:
        allowed = area_choices(organisation)
        wanted = {getattr(x, "code", x) for x in values["areas"] or []}
        if wanted - {u.code for u in allowed}:
            errors.setdefault("areas", []).append(
                _("Територія обслуговування — громада організації, її район або область.")
            )
        values["areas"] = sorted(wanted)
    plain = {k: v for k, v in values.items() if k in SERVICE_FIELDS}
    model_errors = _model_errors(Service(**plain), plain)
    for key in ("phone", "classifier_code"):
        if key in errors:
            model_errors.pop(key, None)
    _add(errors, model_errors)
    _raise(errors)
    return values


def area_choices(organisation: Organisation) -> list[Unit]:
    community = organisation.community
    units = [community, community.raion, community.oblast]
    return [u for u in units if u is not None]


# --- comparing and locking ------------------------------------------------------------------


def _current(obj, name: str):
    if name == "needs":
        return sorted(obj.needs.values_list("need_code", flat=True))
    if name == "locations":
        return sorted(str(u) for u in obj.locations.values_list("uuid", flat=True))
    if name == "areas":
        return sorted(obj.areas.values_list("code", flat=True))
    return getattr(obj, name)


def _comparable(value):
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    if hasattr(value, "pk"):
        return value.pk
    if value is None:
        return ""
    return value


def _differences(obj, values: dict) -> list[str]:
    return sorted(n for n, v in values.items() if _comparable(v) != _comparable(_current(obj, n)))


def _edit_conflict(version: int, yours: dict, theirs: dict) -> EditConflict:
    """The conflict with the row now at ``version``: each field sent whose value differs, in
    the order sent."""
    conflicts = [
        {"field": n, "yours": yours[n], "theirs": theirs[n]}
        for n in yours
        if _comparable(yours[n]) != _comparable(theirs[n])
    ]
    return EditConflict(version=version, conflicts=conflicts)


def _conflict(model, pk, values: dict) -> EditConflict:
    current = model.objects.get(pk=pk)
    return _edit_conflict(current.version, values, {n: _current(current, n) for n in values})


def _bump(model, pk, version: int, columns: dict | None = None) -> bool:
    """Writes ``columns`` and the next version if the row is still at ``version``. A change of
    an organisation (its details, locations or contacts) is a change of every service it
    gives as published: their ``last_modified`` moves too (HSDS ``modified_after``)."""
    now = timezone.now()
    bumped = model.objects.filter(pk=pk, version=version).update(
        **(columns or {}), version=version + 1, last_modified=now
    )
    if bumped and model is Organisation:
        services_changed_with(pk, now)
    return bool(bumped)


def services_changed_with(organisation_id, at=None) -> None:
    """The organisation's details, places or contacts changed at ``at`` (default: now): so did
    every service it gives, as HSDS shows them (``last_modified``; admin edits call this too)."""
    Service.objects.filter(organisation_id=organisation_id).update(
        last_modified=at or timezone.now()
    )


def _record(actor, action, event, target, organisation, changed=()) -> None:
    audit.record(
        actor=actor,
        action=action,
        event=event,
        target=target,
        community=organisation.community,
        organisation=organisation,
        changed_fields=changed,
    )


# --- organisations --------------------------------------------------------------------------


def _slug_for(organisation_uuid: UUID) -> str:
    return f"org-{organisation_uuid.hex[:16]}"


def organisation_create(*, actor: Actor, community: Unit, data: dict) -> Organisation:
    """A new organisation of ``community`` (a hromada the actor may write in)."""
    policies.require(actor, Perm.DIRECTORY_WRITE)
    if community is None or not policies.covers(actor, Perm.DIRECTORY_WRITE, community=community):
        policies.deny(actor, reason=Perm.DIRECTORY_WRITE, event="directory.organisation.denied")
    values = _organisation_values(data)
    with transaction.atomic():
        new_uuid = uuid_module.uuid4()
        organisation = Organisation.objects.create(
            uuid=new_uuid, slug=_slug_for(new_uuid), community=community, **values
        )
        _record(
            actor,
            audit.Action.CREATE,
            "directory.organisation.created",
            organisation,
            organisation,
            [*values, "community"],
        )
    return organisation


def organisation_update(
    *, actor: Actor, organisation_id: UUID | str, version: int, data: dict
) -> Saved:
    organisation = selectors.organisation_for_write(actor=actor, organisation_id=organisation_id)
    values = _organisation_values(data)
    if version != organisation.version:
        raise _conflict(Organisation, organisation.pk, values)
    changed = _differences(organisation, values)
    if not changed:
        return Saved(organisation)
    with transaction.atomic():
        if not _bump(Organisation, organisation.pk, version, {n: values[n] for n in changed}):
            raise _conflict(Organisation, organisation.pk, values)
        organisation.refresh_from_db()
        _record(
            actor,
            audit.Action.UPDATE,
            "directory.organisation.updated",
            organisation,
            organisation,
            changed,
        )
    return Saved(organisation, changed)


# --- locations ------------------------------------------------------------------------------


def location_create(
    *, actor: Actor, organisation_id: UUID | str, version: int, data: dict
) -> Location:
    organisation = selectors.organisation_for_write(actor=actor, organisation_id=organisation_id)
    values = _location_values(data, organisation)
    with transaction.atomic():
        if not _bump(Organisation, organisation.pk, version):
            raise _conflict(Organisation, organisation.pk, {})
        location = Location.objects.create(organisation=organisation, **values)
        _record(
            actor,
            audit.Action.CREATE,
            "directory.location.created",
            location,
            organisation,
            list(values),
        )
    return location


def location_update(*, actor: Actor, location_id: UUID | str, version: int, data: dict) -> Saved:
    """``version`` is the organisation's."""
    location = selectors.location_for_write(actor=actor, location_id=location_id)
    organisation = location.organisation
    values = _location_values(data, organisation)
    if version != organisation.version:
        raise _location_conflict(location, values)
    changed = _differences(location, values)
    if not changed:
        return Saved(location)
    with transaction.atomic():
        if not _bump(Organisation, organisation.pk, version):
            raise _location_conflict(location, values)
        for name in changed:
            setattr(location, name, values[name])
        location.save()
        _record(
            actor,
            audit.Action.UPDATE,
            "directory.location.updated",
            location,
            organisation,
            changed,
        )
    return Saved(location, changed)


def _location_conflict(location: Location, values: dict) -> EditConflict:
    current = Location.objects.get(pk=location.pk)
    version = Organisation.objects.values_list("version", flat=True).get(
        pk=location.organisation_id
    )
    return _edit_conflict(version, values, {n: _current(current, n) for n in values})


# --- services -------------------------------------------------------------------------------


def _set_related(service: Service, values: dict, changed: list[str]) -> None:
    if "needs" in changed:
        service.needs.all().delete()
        ServiceNeed.objects.bulk_create(
            ServiceNeed(service=service, need_code=code) for code in values["needs"]
        )
    if "locations" in changed:
        keep = set(values["locations"])
        ServiceAtLocation.objects.filter(service=service).exclude(location__uuid__in=keep).delete()
        present = {
            str(u)
            for u in ServiceAtLocation.objects.filter(service=service).values_list(
                "location__uuid", flat=True
            )
        }
        for location in Location.objects.filter(
            organisation=service.organisation, uuid__in=keep - present
        ):
            ServiceAtLocation.objects.create(service=service, location=location)
    if "areas" in changed:
        service.areas.set(values["areas"])


def service_create(*, actor: Actor, organisation_id: UUID | str, data: dict) -> Service:
    organisation = selectors.organisation_for_write(actor=actor, organisation_id=organisation_id)
    values = _service_values(data, organisation)
    plain = {k: v for k, v in values.items() if k in SERVICE_FIELDS}
    with transaction.atomic():
        service = Service.objects.create(organisation=organisation, **plain)
        related = [n for n in SERVICE_RELATED if n in values]
        _set_related(service, values, related)
        _record(
            actor,
            audit.Action.CREATE,
            "directory.service.created",
            service,
            organisation,
            list(values),
        )
    return service


def service_update(*, actor: Actor, service_id: UUID | str, version: int, data: dict) -> Saved:
    service = selectors.service_for_write(actor=actor, service_id=service_id)
    organisation = service.organisation
    values = _service_values(data, organisation)
    if version != service.version:
        raise _conflict(Service, service.pk, values)
    changed = _differences(service, values)
    if not changed:
        return Saved(service)
    columns = {n: values[n] for n in changed if n in SERVICE_FIELDS}
    with transaction.atomic():
        if not _bump(Service, service.pk, version, columns):
            raise _conflict(Service, service.pk, values)
        service.refresh_from_db()
        _set_related(service, values, changed)
        _record(
            actor,
            audit.Action.UPDATE,
            "directory.service.updated",
            service,
            organisation,
            changed,
        )
    return Saved(service, changed)


# --- hours ----------------------------------------------------------------------------------


def _schedule_rows(rows: list[dict]) -> list[dict]:
    """Checked weekly rows; errors keyed ``schedules[i].field``."""
    errors: dict = {}
    clean = []
    for i, row in enumerate(rows):
        row_errors: dict = {}
        days = _cleaned(validation.byday, row.get("byday") or "", "byday", row_errors)
        description = _text(row, "description", _("Примітка"), row_errors)
        _add(row_errors, validation.check_hours(row.get("opens_at"), row.get("closes_at")))
        _add(row_errors, validation.check_period(row.get("valid_from"), row.get("valid_to")))
        for key, messages in row_errors.items():
            errors[f"schedules[{i}].{key}"] = messages
        clean.append(
            {
                "uuid": row.get("uuid") or None,
                "byday": days,
                "opens_at": row.get("opens_at"),
                "closes_at": row.get("closes_at"),
                "valid_from": row.get("valid_from"),
                "valid_to": row.get("valid_to"),
                "description": description,
            }
        )
    _raise(errors)
    return clean


def _exception_rows(rows: list[dict]) -> list[dict]:
    errors: dict = {}
    clean, seen = [], set()
    for i, row in enumerate(rows):
        row_errors: dict = {}
        day = row.get("date")
        if day is None:
            row_errors["date"] = [_("Вкажіть дату.")]
        elif day in seen:
            row_errors["date"] = [_("На цю дату виняток уже є.")]
        seen.add(day)
        # No hours given: closed that day (a holiday).
        closed = bool(row.get("closed")) or (
            row.get("opens_at") is None and row.get("closes_at") is None
        )
        if not closed:
            _add(row_errors, validation.check_hours(row.get("opens_at"), row.get("closes_at")))
        reason = _text(row, "reason", _("Причина"), row_errors)
        for key, messages in row_errors.items():
            errors[f"exceptions[{i}].{key}"] = messages
        clean.append(
            {
                "date": day,
                "closed": closed,
                "opens_at": None if closed else row.get("opens_at"),
                "closes_at": None if closed else row.get("closes_at"),
                "reason": reason,
            }
        )
    _raise(errors)
    return clean


def _row_text(byday, opens, closes, valid_from, valid_to) -> str:
    text = f"{byday} {opens:%H:%M}–{closes:%H:%M}"
    if valid_from or valid_to:
        text += f" ({valid_from or '…'} – {valid_to or '…'})"
    return text


def _exception_text(day, closed, opens, closes) -> str:
    return f"{day} " + ("—" if closed else f"{opens:%H:%M}–{closes:%H:%M}")


def _hours_summary(service: Service) -> dict:
    return {
        "schedules": sorted(
            _row_text(s.byday, s.opens_at, s.closes_at, s.valid_from, s.valid_to)
            for s in service.schedules.all()
        ),
        "exceptions": sorted(
            _exception_text(e.date, e.closed, e.opens_at, e.closes_at)
            for e in service.exceptions.all()
        ),
    }


def _rows_summary(schedules: list[dict], exceptions: list[dict]) -> dict:
    return {
        "schedules": sorted(
            _row_text(s["byday"], s["opens_at"], s["closes_at"], s["valid_from"], s["valid_to"])
            for s in schedules
        ),
        "exceptions": sorted(
            _exception_text(e["date"], e["closed"], e["opens_at"], e["closes_at"])
            for e in exceptions
        ),
    }


def service_hours_update(
    *,
    actor: Actor,
    service_id: UUID | str,
    version: int,
    schedules: list[dict],
    exceptions: list[dict],
) -> Saved:
    """Replaces the weekly rows (a row sent with its ``uuid`` keeps it) and the dated
    exceptions of a service; ``version`` is the service's."""
    service = selectors.service_for_write(actor=actor, service_id=service_id)
    errors: dict = {}
    rows = dated = []
    try:
        rows = _schedule_rows(schedules)
    except ValidationError as exc:
        _add(errors, exc.message_dict)
    try:
        dated = _exception_rows(exceptions)
    except ValidationError as exc:
        _add(errors, exc.message_dict)
    _raise(errors)
    mine = _rows_summary(rows, dated)
    before = _hours_summary(service)
    if version != service.version:
        raise _hours_conflict(service, mine)
    changed = [k for k in ("schedules", "exceptions") if mine[k] != before[k]]
    if not changed:
        return Saved(service)
    with transaction.atomic():
        if not _bump(Service, service.pk, version):
            raise _hours_conflict(service, mine)
        if "schedules" in changed:
            keep = {str(r["uuid"]) for r in rows if r["uuid"]}
            existing = {str(s.uuid): s for s in service.schedules.all()}
            Schedule.objects.filter(service=service).exclude(
                uuid__in=[u for u in keep if u in existing]
            ).delete()
            for row in rows:
                fields = {k: v for k, v in row.items() if k != "uuid"}
                if row["uuid"] and str(row["uuid"]) in existing:
                    Schedule.objects.filter(uuid=row["uuid"], service=service).update(**fields)
                else:
                    Schedule.objects.create(service=service, **fields)
        if "exceptions" in changed:
            ScheduleException.objects.filter(service=service).delete()
            ScheduleException.objects.bulk_create(
                ScheduleException(service=service, **row) for row in dated
            )
        service.refresh_from_db()
        _record(
            actor,
            audit.Action.UPDATE,
            "directory.service.hours_updated",
            service,
            service.organisation,
            changed,
        )
    return Saved(service, changed)


def _hours_conflict(service: Service, mine: dict) -> EditConflict:
    current = Service.objects.get(pk=service.pk)
    return _edit_conflict(current.version, mine, _hours_summary(current))


# --- contacts -------------------------------------------------------------------------------


def _contact_rows(rows: list[dict], organisation: Organisation) -> list[dict]:
    errors: dict = {}
    clean = []
    services = {str(u): pk for pk, u in organisation.services.values_list("pk", "uuid")}
    for i, row in enumerate(rows):
        row_errors: dict = {}
        name = _text(row, "name", _("Ім'я"), row_errors)
        title = _text(row, "title", _("Посада"), row_errors)
        if not name:
            row_errors["name"] = [_("Вкажіть ім'я контактної особи.")]
        phone = _cleaned(validation.phone, row.get("phone") or "", "phone", row_errors)
        service = row.get("service") or None
        service_id = None
        if service:
            service_id = services.get(str(getattr(service, "uuid", service)))
            if service_id is None:
                row_errors["service"] = [_("Оберіть послугу цієї організації.")]
        values = {
            "name": name,
            "title": title,
            "email": (row.get("email") or "").strip(),
            "phone": phone,
        }
        _add(row_errors, _model_errors(Contact(**values), ["email"]))
        for key, messages in row_errors.items():
            errors[f"contacts[{i}].{key}"] = messages
        clean.append({**values, "uuid": row.get("uuid") or None, "service_id": service_id})
    _raise(errors)
    return clean


def _contacts_summary(rows) -> list[str]:
    return sorted(f"{r['name']} ({r['title']}) {r['email']} {r['phone']}".strip() for r in rows)


def contacts_update(
    *, actor: Actor, organisation_id: UUID | str, version: int, contacts: list[dict]
) -> Saved:
    """Replaces the contact persons of an organisation (a row sent with its ``uuid`` keeps
    it); ``version`` is the organisation's."""
    organisation = selectors.organisation_for_write(actor=actor, organisation_id=organisation_id)
    rows = _contact_rows(contacts, organisation)
    current_rows = list(
        organisation.contacts.values("name", "title", "email", "phone", "service_id", "uuid")
    )
    mine = sorted(f"{_contacts_summary([r])[0]} {r['service_id']}" for r in rows)
    before = sorted(f"{_contacts_summary([r])[0]} {r['service_id']}" for r in current_rows)
    if version != organisation.version:
        raise _contacts_conflict(organisation, rows)
    if mine == before:
        return Saved(organisation)
    with transaction.atomic():
        if not _bump(Organisation, organisation.pk, version):
            raise _contacts_conflict(organisation, rows)
        existing = {str(r["uuid"]) for r in current_rows}
        keep = [str(r["uuid"]) for r in rows if r["uuid"] and str(r["uuid"]) in existing]
        organisation.contacts.exclude(uuid__in=keep).delete()
        for row in rows:
            fields = {k: v for k, v in row.items() if k != "uuid"}
            if row["uuid"] and str(row["uuid"]) in keep:
                Contact.objects.filter(uuid=row["uuid"], organisation=organisation).update(**fields)
            else:
                Contact.objects.create(organisation=organisation, **fields)
        organisation.refresh_from_db()
        _record(
            actor,
            audit.Action.UPDATE,
            "directory.organisation.contacts_updated",
            organisation,
            organisation,
            ["contacts"],
        )
    return Saved(organisation, ["contacts"])


def _contacts_conflict(organisation: Organisation, rows: list[dict]) -> EditConflict:
    current = Organisation.objects.get(pk=organisation.pk)
    theirs = _contacts_summary(current.contacts.values("name", "title", "email", "phone"))
    return _edit_conflict(
        current.version, {"contacts": _contacts_summary(rows)}, {"contacts": theirs}
    )
