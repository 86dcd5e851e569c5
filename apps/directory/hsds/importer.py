"""``import_hsds``: another publisher's HSDS 3.0 data (or our own export) into the directory.

Reading. PATH is a file or a folder (every ``*.json`` below it). A file holds one object, a
list of objects, or a page of the API (``{"total_items", …, "contents": [...]}``). The kind of
an object comes from its folder (``organizations/``, ``services/``, …) or else from its
fields. A file that is not JSON is reported with its name and the position of the error.

Checking. Every object is validated against its official schema (strictly: unknown fields are
problems), and every problem is reported with the object's id, where it is in the object and
the rule of the schema it breaks. References are checked too: a service must belong to an
organization found in the data or already in the directory, its locations and schedules must
point at known locations.

Importing. The valid objects are imported: each organization with its locations, contacts and
services in one transaction (a service that cannot be imported is left out whole, an
organization that cannot be imported takes its services with it: nothing is half-linked). HSDS
ids become our ``uuid``\\s, so importing again updates instead of duplicating; nothing is
deleted except what belongs to a service being replaced (its schedules, exceptions, needs,
areas, places and contacts). What has no column here is reported as not mapped.

An organization needs its community (a КАТОТТГ hromada): from its КАТОТТГ attribute, else from
the addresses of its locations (city and region matched by name), else ``community`` (the
``--community`` option); without any of them it is reported and not imported.
"""

import json
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.audit import services as audit
from apps.geo.models import Category, Unit

from .. import validation, vocabularies
from ..models import (
    MIDNIGHT,
    WEEKDAYS,
    Contact,
    Location,
    LocationType,
    Organisation,
    OrganisationKind,
    Schedule,
    ScheduleException,
    Sector,
    Service,
    ServiceAtLocation,
    ServiceNeed,
    ServiceStatus,
    Visibility,
)
from . import spec
from . import taxonomies as tx
from .mapping import CLOSED_PREFIX, LANGUAGE_NAMES, OTHER_HOURS_PREFIX

SCHEMAS = {
    "organization": "compiled/organization.json",
    "service": "compiled/service.json",
    "service_at_location": "compiled/service_at_location.json",
    "location": "location.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
}
FOLDER_KINDS = {
    "organizations": "organization",
    "services": "service",
    "service_at_locations": "service_at_location",
    "locations": "location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "contents"}

# The fields each kind of object maps to a column; the rest is reported as not mapped.
MAPPED = {
    "organization": {
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "year_incorporated",
        "legal_status",
        "parent_organization_id",
        "contacts",
        "phones",
        "locations",
        "organization_identifiers",
        "attributes",
        "services",
    },
    "service": {
        "id",
        "organization_id",
        "organization",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "application_process",
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "last_modified",
        "phones",
        "schedules",
        "service_areas",
        "service_at_locations",
        "languages",
        "contacts",
        "attributes",
    },
    "location": {
        "id",
        "location_type",
        "organization_id",
        "name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "languages",
        "addresses",
        "accessibility",
        "attributes",
    },
    "address": {
        "id",
        "location_id",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    },
    "service_at_location": {
        "id",
        "service_id",
        "location_id",
        "description",
        "location",
        "schedules",
        "contacts",
    },
    "schedule": {
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "valid_from",
        "valid_to",
        "dtstart",
        "freq",
        "wkst",
        "byday",
        "opens_at",
        "closes_at",
        "description",
        "notes",
        "attributes",
    },
    "contact": {
        "id",
        "organization_id",
        "service_id",
        "service_at_location_id",
        "location_id",
        "name",
        "title",
        "email",
        "phones",
    },
    "phone": {
        "id",
        "number",
        "organization_id",
        "service_id",
        "contact_id",
        "location_id",
        "service_at_location_id",
    },
    "language": {"id", "name", "code", "service_id", "location_id", "phone_id"},
    "accessibility": {"id", "location_id", "description", "details"},
    "service_area": {"id", "service_id", "name", "description", "attributes"},
    "organization_identifier": {
        "id",
        "organization_id",
        "identifier_scheme",
        "identifier_type",
        "identifier",
    },
    "attribute": {
        "id",
        "link_id",
        "link_type",
        "link_entity",
        "value",
        "taxonomy_term_id",
        "taxonomy_term",
    },
}
# Nested lists and objects: field → the kind of its items.
NESTED = {
    "organization": {
        "contacts": "contact",
        "phones": "phone",
        "locations": "location",
        "organization_identifiers": "organization_identifier",
        "attributes": "attribute",
    },
    "service": {
        "phones": "phone",
        "schedules": "schedule",
        "service_areas": "service_area",
        "service_at_locations": "service_at_location",
        "languages": "language",
        "contacts": "contact",
        "attributes": "attribute",
    },
    "location": {
        "languages": "language",
        "addresses": "address",
        "accessibility": "accessibility",
        "attributes": "attribute",
    },
    "service_at_location": {"location": "location", "schedules": "schedule", "contacts": "contact"},
    "contact": {"phones": "phone"},
    "phone": {},
    "schedule": {"attributes": "attribute"},
    "service_area": {"attributes": "attribute"},
}


@dataclass
class ObjectReport:
    """What happened to one object: ``imported``, ``updated``, ``invalid`` (not imported, see
    ``problems``) or ``skipped`` (a kind that is not imported on its own); ``notes`` name what
    was not mapped."""

    kind: str
    id: str
    source: str
    status: str = "invalid"
    problems: list[spec.Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, where: str, schema_path: str, message: str) -> None:
        self.problems.append(spec.Problem(where, schema_path, str(message)))


@dataclass
class ImportReport:
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    objects: list[ObjectReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unreadable and all(o.status != "invalid" for o in self.objects)

    def of(self, kind: str, id: str) -> ObjectReport | None:
        return next((o for o in self.objects if o.kind == kind and o.id == id), None)

    def count(self, status: str) -> int:
        return sum(1 for o in self.objects if o.status == status)


@dataclass
class Entry:
    kind: str
    data: dict
    source: str
    report: ObjectReport
    nested: bool = False


class Refused(Exception):
    """An object cannot be imported; its report says why."""


# --- reading ---------------------------------------------------------------------------------


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.json") if p.is_file())
    return [path]


def _kind_of(obj: dict, hint: str | None) -> str:
    if hint:
        return hint
    if "openapi_url" in obj:
        return "api_information"
    if "status" in obj:
        return "service"
    if "location_type" in obj:
        return "location"
    if "organization_id" in obj or "service_at_locations" in obj:
        return "service"  # the only top-level kind besides location that names its organization
    if {"taxonomy_detail", "taxonomy_id", "parent_id", "term_uri", "code"} & set(obj):
        return "taxonomy_term"
    if "service" in obj or "location" in obj or {"service_id", "location_id"} <= set(obj):
        return "service_at_location"
    if "version" in obj and set(obj) <= {"id", "name", "description", "uri", "version", "metadata"}:
        return "taxonomy"
    return "organization"


def read(path: Path, report: ImportReport) -> list[Entry]:
    """Every object under ``path``, each with its report (added to ``report``)."""
    path = Path(path)
    entries: list[Entry] = []
    if not path.exists():
        report.unreadable.append((str(path), _("Немає такого файлу або теки.")))
        return entries
    files = _files(path)
    if not files:
        report.unreadable.append((str(path), _("Тут немає файлів *.json.")))
    for file in files:
        name = str(file)
        try:
            content = json.loads(file.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            report.unreadable.append((name, _("Не текст UTF-8: %(error)s") % {"error": exc}))
            continue
        except json.JSONDecodeError as exc:
            report.unreadable.append(
                (
                    name,
                    _("Не JSON: %(error)s (рядок %(line)s, позиція %(column)s)")
                    % {"error": exc.msg, "line": exc.lineno, "column": exc.colno},
                )
            )
            continue
        hint = FOLDER_KINDS.get(file.parent.name) if path.is_dir() else None
        if isinstance(content, dict) and set(content) >= PAGE_KEYS:
            items = [(f"{name}#$.contents[{i}]", o) for i, o in enumerate(content["contents"])]
        elif isinstance(content, list):
            items = [(f"{name}#$[{i}]", o) for i, o in enumerate(content)]
        elif isinstance(content, dict) and any(key.endswith(".csv") for key in content):
            rep = ObjectReport("tabular", "—", name, status="skipped")
            rep.notes.append(
                _("Табличну форму HSDS (tabular.json) не імпортуємо: дайте JSON-об'єкти.")
            )
            report.objects.append(rep)
            continue
        else:
            items = [(name, content)]
        for source, obj in items:
            if not isinstance(obj, dict):
                rep = ObjectReport("?", "?", source)
                rep.problem("$", "type", _("Очікували JSON-об'єкт."))
                report.objects.append(rep)
                continue
            kind = _kind_of(obj, hint)
            rep = ObjectReport(kind, str(obj.get("id", "?")), source)
            report.objects.append(rep)
            entries.append(Entry(kind, obj, source, rep))
    return entries


# --- notes on what is not mapped ------------------------------------------------------------


def _unmapped(kind: str, obj: Any, where: str, notes: list[str]) -> None:
    if not isinstance(obj, dict):
        return
    mapped = MAPPED.get(kind, set())
    for key, value in obj.items():
        if value in (None, "", [], {}):
            continue
        if key not in mapped:
            notes.append(f"{where}.{key}")
            continue
        child = NESTED.get(kind, {}).get(key)
        if child and isinstance(value, list):
            for i, item in enumerate(value):
                _unmapped(child, item, f"{where}.{key}[{i}]", notes)
        elif child and isinstance(value, dict):
            _unmapped(child, value, f"{where}.{key}", notes)
    if kind == "attribute" and tx.taxonomy_of(obj) is None:
        term = obj.get("taxonomy_term") or {}
        notes.append(
            _("%(where)s: ознака таксономії «%(taxonomy)s» (немає відповідника)")
            % {"where": where, "taxonomy": term.get("taxonomy") or obj.get("taxonomy_term_id")}
        )


# --- helpers ---------------------------------------------------------------------------------


def _attributes(obj: dict) -> dict[str, list[tuple[str, str, str]]]:
    """The attributes of ``obj`` by Prostir taxonomy key: ``(code, name, value)``."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for attribute in obj.get("attributes") or []:
        taxonomy = tx.taxonomy_of(attribute)
        if taxonomy is None:
            continue
        term = attribute.get("taxonomy_term") or {}
        out.setdefault(taxonomy.key, []).append(
            (term.get("code") or "", term.get("name") or "", attribute.get("value") or "")
        )
    return out


def _property(attrs: dict, code: str) -> str | None:
    for term_code, _name, value in attrs.get(tx.PROSTIR.key, []):
        if term_code == code:
            return value
    return None


def _flag(value: str | None, default: bool) -> bool:
    return default if value is None else value.strip().lower() == "true"


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _uuid(value: Any) -> uuidlib.UUID | None:
    try:
        return uuidlib.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _short(obj: Any, name: str, value: Any, where: str, rep: ObjectReport) -> Any:
    """``value`` if it fits the column ``name``; an optional field too long for it is left out
    (noted), a required one is a problem."""
    model_field = type(obj)._meta.get_field(name)
    limit = getattr(model_field, "max_length", None)
    if isinstance(value, str) and limit and len(value) > limit:
        message = _("довше за %(limit)s символів") % {"limit": limit}
        if model_field.blank:
            rep.notes.append(f"{where}: {message}")
            return ""
        rep.problem(where, "maxLength", message)
        return value[:limit]
    return value


def _valid(check, value: Any, where: str, rep: ObjectReport) -> Any:
    """``value`` through one of the directory's own checks (``apps.directory.validation``, as
    its pages use them): the clean value, or a problem at ``where`` with the check's message."""
    try:
        return check(value)
    except ValidationError as exc:
        for error in exc.error_list:
            rep.problem(where, f"prostir/{error.code or 'invalid'}", " ".join(error.messages))
        return value


def _known_codes(codes, allowed, where: str, rep: ObjectReport) -> list[str]:
    """The codes the directory knows (as its forms offer them); the others are not saved and
    are named in the object's notes."""
    known = {code for code, _label in allowed}
    unknown = sorted({code for code in codes if code not in known})
    if unknown:
        rep.notes.append(
            _("%(where)s: невідомі коди не збережено: %(codes)s")
            % {"where": where, "codes": ", ".join(unknown)}
        )
    return sorted({code for code in codes if code in known})


FIELD_PATHS = {"address": "addresses[0].address_1", "settlement": "addresses[0].city"}


def _check(obj: Any, rep: ObjectReport, prefix: str, exclude: tuple[str, ...] = ()) -> None:
    """The model's own rules (lengths, formats, ranges, constraints) as problems."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            where = (
                prefix if name == NON_FIELD_ERRORS else f"{prefix}.{FIELD_PATHS.get(name, name)}"
            )
            for message in messages:
                rep.problem(where, "prostir", message)


def _units_named(name: str) -> list[Unit]:
    name = re.sub(r"^(м\.|місто|с\.|село|смт|селище)\s+", "", (name or "").strip(), flags=re.I)
    if not name:
        return []
    return list(Unit.objects.filter(name__iexact=name, is_active=True).select_related("hromada"))


def _oblast_named(name: str) -> Unit | None:
    name = re.sub(r"\s+(область|обл\.?)$", "", (name or "").strip(), flags=re.I)
    found = [u for u in _units_named(name) if u.level == 1]
    return found[0] if len(found) == 1 else None


def _settlement_from(address: dict) -> Unit | None:
    """The settlement (or special city) an address names, if exactly one matches."""
    candidates = [u for u in _units_named(address.get("city", "")) if u.level in (1, 4)]
    candidates = [u for u in candidates if u.level == 4 or u.category == Category.SPECIAL_CITY]
    oblast = _oblast_named(address.get("state_province", ""))
    if oblast is not None:
        candidates = [u for u in candidates if u.oblast_id == oblast.pk or u.pk == oblast.pk]
    return candidates[0] if len(candidates) == 1 else None


def _community_of(unit: Unit) -> Unit | None:
    if unit.is_community:
        return unit
    return unit.hromada


def _katottg_unit(obj: dict) -> Unit | None:
    for code, _name, _value in _attributes(obj).get(tx.KATOTTG.key, []):
        unit = Unit.objects.filter(pk=code).select_related("hromada").first()
        if unit is not None:
            return unit
    return None


def _time(value: Any) -> time | None:
    try:
        return time.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# The end of the day as some publishers write a closing time (ISO 8601 allows it).
END_OF_DAY = re.compile(r"^24:00(:00)?$")
# A whole day as some publishers write it: a minute (or a second) short.
ALMOST_MIDNIGHT = (time(23, 59), time(23, 59, 59))


def _hours(item: dict, where: str, rep: ObjectReport) -> tuple[time | None, time | None]:
    """An HSDS schedule's opening and closing times. A closing at or before the opening is on
    the next day (20:00–08:00), 00:00–00:00 is the whole day; a closing of 24:00 is midnight and
    00:00–23:59 is read as the whole day (noted)."""
    opens, closes = _time(item.get("opens_at")), _time(item.get("closes_at"))
    if END_OF_DAY.match(str(item.get("closes_at") or "")):
        closes = MIDNIGHT
    if opens == MIDNIGHT and closes in ALMOST_MIDNIGHT:
        rep.notes.append(
            _("%(where)s: %(hours)s прочитано як цілодобово (00:00–00:00)")
            % {"where": where, "hours": f"{item.get('opens_at')}–{item.get('closes_at')}"}
        )
        closes = MIDNIGHT
    return opens, closes


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _audit(obj: Organisation | Service, updated: bool, event: str) -> None:
    """The change on the audit trail, in the import's transaction (rolled back with it)."""
    audit.record(
        actor=None,
        actor_label="import_hsds",
        action=audit.Action.UPDATE if updated else audit.Action.CREATE,
        event=f"{event}.{'updated' if updated else 'imported'}.hsds",
        target=obj,
        community=obj.community if isinstance(obj, Organisation) else obj.organisation.community,
    )


# --- the importer ----------------------------------------------------------------------------


class Importer:
    def __init__(self, *, community: Unit | None = None) -> None:
        self.community = community
        self.report = ImportReport()

    # validation and grouping

    def run(self, path: Path) -> ImportReport:
        spec.schema_dir()  # fails early, with the reason, when the schemas are missing
        entries = read(path, self.report)
        organisations: dict[str, Entry] = {}
        services: dict[str, Entry] = {}
        for entry in entries:
            schema = SCHEMAS.get(entry.kind)
            if schema is None:
                entry.report.status = "skipped"
                entry.report.notes.append(_("Інформація про API: імпортувати нічого."))
                continue
            entry.report.problems.extend(spec.problems(schema, entry.data))
            if entry.report.problems:
                continue
            if entry.kind in {"organization", "service"}:
                _unmapped(entry.kind, entry.data, "$", entry.report.notes)
            if entry.kind == "organization":
                self._take(organisations, entry)
                for i, nested in enumerate(entry.data.get("services") or []):
                    data = {"organization_id": entry.data["id"], **nested}
                    rep = ObjectReport(
                        "service", str(nested["id"]), f"{entry.source}#$.services[{i}]"
                    )
                    _unmapped("service", data, "$", rep.notes)
                    self._take(services, Entry("service", data, rep.source, rep), nested=True)
            elif entry.kind == "service":
                self._take(services, entry)
            else:
                entry.report.status = "skipped"
                entry.report.notes.append(
                    _(
                        "Об'єкти виду «%(kind)s» окремо не імпортуємо: їх беремо з організацій "
                        "і послуг, до яких вони належать."
                    )
                    % {"kind": entry.kind}
                )
        # A service's nested organization stands for an organization the data lacks.
        for entry in list(services.values()):
            organisation = entry.data.get("organization")
            org_id = str(entry.data.get("organization_id") or (organisation or {}).get("id", ""))
            if organisation and org_id not in organisations and not self._known_org(org_id):
                rep = ObjectReport("organization", org_id, f"{entry.source}#$.organization")
                _unmapped("organization", organisation, "$", rep.notes)
                self.report.objects.append(rep)
                self._take(organisations, Entry("organization", organisation, rep.source, rep))
        groups: dict[str, list[Entry]] = {}
        for entry in services.values():
            org_id = str(
                entry.data.get("organization_id")
                or (entry.data.get("organization") or {}).get("id", "")
            )
            if not org_id:
                entry.report.problem(
                    "$.organization_id",
                    "required",
                    _("Послуга не називає організацію (organization_id або organization)."),
                )
            elif org_id not in organisations and not self._known_org(org_id):
                entry.report.problem(
                    "$.organization_id",
                    "properties/organization_id",
                    _("Організації %(id)s немає ні в даних, ні в довіднику.") % {"id": org_id},
                )
            else:
                groups.setdefault(org_id, []).append(entry)
        for org_id in sorted(set(organisations) | set(groups)):
            self._import_group(organisations.get(org_id), org_id, groups.get(org_id, []))
        self._link_parents(organisations.values())
        return self.report

    def _take(self, bucket: dict[str, Entry], entry: Entry, nested: bool = False) -> None:
        """One entry per id. A standalone object wins over a copy nested in an organization;
        of two standalone copies (a page and a full file, say) the fuller one is used."""
        entry.nested = nested
        key = str(entry.data["id"])
        previous = bucket.get(key)
        if previous is None:
            if nested:
                self.report.objects.append(entry.report)
            bucket[key] = entry
            return
        if nested:
            return
        if previous.nested or len(json.dumps(entry.data)) > len(json.dumps(previous.data)):
            kept, dropped = entry, previous
        else:
            kept, dropped = previous, entry
        if dropped.nested:
            self.report.objects.remove(dropped.report)
        else:
            dropped.report.status = "skipped"
            dropped.report.notes.append(
                _("Той самий об'єкт є повніше в %(source)s: імпортовано звідти.")
                % {"source": kept.source}
            )
        bucket[key] = kept

    @staticmethod
    def _known_org(org_id: str) -> bool:
        value = _uuid(org_id)
        return value is not None and Organisation.objects.filter(uuid=value).exists()

    # one organization with its services, atomically

    def _import_group(self, org_entry: Entry | None, org_id: str, services: list[Entry]) -> None:
        try:
            with transaction.atomic():
                if org_entry is not None:
                    organisation = self._organisation(org_entry)
                else:
                    organisation = Organisation.objects.get(uuid=org_id)
                for entry in services:
                    if (
                        entry.nested
                        and Service.objects.filter(uuid=_uuid(entry.data["id"])).exists()
                    ):
                        entry.report.status = "skipped"
                        entry.report.notes.append(
                            _(
                                "Послугу в організації подано коротко: наявну послугу не "
                                "змінено (повні дані — у файлі послуги)."
                            )
                        )
                        continue
                    try:
                        with transaction.atomic():
                            self._service(entry, organisation)
                    except Refused:
                        entry.report.status = "invalid"
                    except IntegrityError as exc:  # an id another object of ours already has
                        entry.report.status = "invalid"
                        entry.report.problem("$", "prostir/integrity", str(exc))
        except (Refused, IntegrityError) as exc:
            if org_entry is not None:
                org_entry.report.status = "invalid"
                if isinstance(exc, IntegrityError):
                    org_entry.report.problem("$", "prostir/integrity", str(exc))
            for entry in services:
                entry.report.status = "invalid"
                entry.report.problem(
                    "$.organization_id",
                    "properties/organization_id",
                    _("Організацію %(id)s не імпортовано, тож і послугу теж.") % {"id": org_id},
                )

    def _organisation(self, entry: Entry) -> Organisation:
        data, rep = entry.data, entry.report
        attrs = _attributes(data)
        existing = Organisation.objects.filter(uuid=_uuid(data["id"])).first()
        obj = existing or Organisation(uuid=_uuid(data["id"]))
        # Only what the object carries is written: a page or a summary leaves the rest alone.
        obj.name = _short(obj, "name", data["name"], "$.name", rep)
        if "alternate_name" in data or not existing:
            obj.alternate_name = _short(
                obj, "alternate_name", data.get("alternate_name") or "", "$.alternate_name", rep
            )
        for name in ("description", "email", "website"):
            if name in data or not existing:
                setattr(obj, name, data.get(name) or "")
        if "legal_status" in data or not existing:
            obj.legal_status = _short(
                obj, "legal_status", data.get("legal_status") or "", "$.legal_status", rep
            )
        if "year_incorporated" in data or not existing:
            year = data.get("year_incorporated")
            obj.year_incorporated = int(year) if year is not None else None
        if _property(attrs, "name_en") is not None or not existing:
            obj.name_en = _short(
                obj, "name_en", _property(attrs, "name_en") or "", "$.attributes", rep
            )
        if "phones" in data or not existing:
            phones = data.get("phones") or []
            number = _valid(
                validation.phone, phones[0]["number"] if phones else "", "$.phones[0].number", rep
            )
            obj.phone = _short(obj, "phone", number, "$.phones[0].number", rep)
            if len(phones) > 1:
                rep.notes.append(_("$.phones: зберігаємо лише перший номер"))
        if "organization_identifiers" in data or not existing:
            obj.edrpou = ""
        for i, identifier in enumerate(data.get("organization_identifiers") or []):
            scheme = (identifier.get("identifier_scheme") or "").upper()
            if scheme == "UA-EDR" or identifier.get("identifier_type") == "ЄДРПОУ":
                where = f"$.organization_identifiers[{i}].identifier"
                code = _valid(validation.edrpou, identifier["identifier"], where, rep)
                obj.edrpou = _short(obj, "edrpou", code, where, rep)
            else:
                rep.notes.append(f"$.organization_identifiers[{i}]")
        kinds = [code for code, _n, _v in attrs.get(tx.ORGANISATION_KIND.key, [])]
        if kinds and kinds[0] in OrganisationKind.values:
            obj.kind = kinds[0]
        elif not existing:
            obj.kind = OrganisationKind.NGO
            rep.notes.append(_("вид організації не вказано: записано «громадська організація»"))
        community = self._community(data, rep, existing)
        if community is None:
            rep.problem(
                "$.attributes",
                "prostir/community",
                _(
                    "Не вдалося визначити громаду: немає ознаки КАТОТТГ, а адреси локацій не "
                    "збігаються з жодною одиницею КАТОТТГ. Вкажіть --community <код КАТОТТГ>."
                ),
            )
            raise Refused
        obj.community = community
        if not existing:
            base = slugify(data["name"])[:40].strip("-")
            obj.slug = f"{base}-{obj.uuid.hex[:8]}" if base else f"org-{obj.uuid.hex[:12]}"
        _check(obj, rep, "$", exclude=("parent",))
        if rep.problems:
            raise Refused
        if existing:
            obj.version += 1
        obj.save()
        rep.status = "updated" if existing else "imported"
        _audit(obj, existing is not None, "directory.organisation")
        for i, loc in enumerate(data.get("locations") or []):
            self._location(loc, obj, rep, f"$.locations[{i}]")
        if "contacts" in data:
            self._contacts(data["contacts"] or [], obj, None, rep, "$.contacts")
        if rep.problems:
            raise Refused
        return obj

    def _community(
        self, data: dict, rep: ObjectReport, existing: Organisation | None
    ) -> Unit | None:
        """From the КАТОТТГ attribute, else a location's address, else the one it has, else
        ``--community``."""
        unit = _katottg_unit(data)
        if unit is not None and _community_of(unit) is not None:
            return _community_of(unit)
        for loc in data.get("locations") or []:
            for address in loc.get("addresses") or []:
                settlement = _settlement_from(address)
                if settlement is not None and _community_of(settlement) is not None:
                    rep.notes.append(
                        _("громаду визначено за адресою: %(name)s") % {"name": settlement.name}
                    )
                    return _community_of(settlement)
        if existing is not None:
            return existing.community
        if self.community is not None:
            rep.notes.append(
                _("громада — з параметра --community: %(code)s") % {"code": self.community.code}
            )
        return self.community

    def _location(
        self, data: dict, organisation: Organisation, rep: ObjectReport, where: str
    ) -> Location:
        existing = (
            Location.objects.filter(uuid=_uuid(data["id"])).select_related("organisation").first()
        )
        if existing and existing.organisation_id != organisation.pk:
            rep.problem(f"{where}.id", "prostir/owner", _("Ця локація належить іншій організації."))
            raise Refused
        obj = existing or Location(uuid=_uuid(data["id"]), organisation=organisation)
        attrs = _attributes(data)
        obj.name = _short(obj, "name", data.get("name") or "", f"{where}.name", rep)
        if not obj.name:
            addresses = data.get("addresses") or []
            obj.name = (addresses[0].get("address_1") if addresses else "") or _("Локація")
        obj.name_en = _short(
            obj, "name_en", _property(attrs, "name_en") or "", f"{where}.attributes", rep
        )
        obj.location_type = data.get("location_type") or LocationType.PHYSICAL
        obj.description = data.get("description", "")
        obj.transportation = data.get("transportation", "")
        obj.latitude = obj.longitude = None
        lat, lon = data.get("latitude"), data.get("longitude")
        if lat is not None and lon is not None:
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                obj.latitude = Decimal(str(lat)).quantize(Decimal("0.000001"))
                obj.longitude = Decimal(str(lon)).quantize(Decimal("0.000001"))
            else:
                rep.notes.append(
                    _("%(where)s.latitude/longitude: поза межами, не збережено") % {"where": where}
                )
        obj.step_free = _flag(_property(attrs, "step_free"), False)
        obj.accessibility = "\n".join(
            text
            for item in data.get("accessibility") or []
            for text in (item.get("description"), item.get("details"))
            if text
        )
        obj.languages = self._language_codes(data.get("languages") or [], rep, f"{where}.languages")
        addresses = data.get("addresses") or []
        address = addresses[0] if addresses else {}
        if len(addresses) > 1:
            rep.notes.append(
                _("%(where)s.addresses: зберігаємо лише першу адресу") % {"where": where}
            )
        obj.address = _short(
            obj,
            "address",
            ", ".join(p for p in (address.get("address_1"), address.get("address_2")) if p),
            f"{where}.addresses[0].address_1",
            rep,
        )
        obj.postal_code = _short(
            obj,
            "postal_code",
            address.get("postal_code", ""),
            f"{where}.addresses[0].postal_code",
            rep,
        )
        settlement = _katottg_unit(data) or (_settlement_from(address) if address else None)
        if settlement is None:
            settlement = organisation.community
            rep.notes.append(
                _("%(where)s: населений пункт не знайдено в КАТОТТГ, записано громаду організації")
                % {"where": where}
            )
        obj.settlement = settlement
        _check(obj, rep, where, exclude=("address", "organisation"))
        if rep.problems:
            raise Refused
        obj.save()
        return obj

    @staticmethod
    def _language_codes(items: list[dict], rep: ObjectReport, where: str) -> list[str]:
        by_name = {name: code for code, name in LANGUAGE_NAMES.items()}
        codes = []
        for i, item in enumerate(items):
            code = item.get("code") or by_name.get((item.get("name") or "").lower())
            if not code:
                rep.notes.append(
                    _("%(where)s[%(i)s]: мову без коду не збережено") % {"where": where, "i": i}
                )
            elif code not in codes:
                codes.append(code)
        return _known_codes(codes, validation.LANGUAGES, where, rep)

    def _contacts(
        self, items: list[dict], organisation: Organisation, service: Service | None, rep, where
    ) -> None:
        keep = []
        for i, data in enumerate(items):
            uid = data["id"]
            existing = Contact.objects.filter(uuid=_uuid(uid)).first()
            if existing and existing.service_id != (service.pk if service else None):
                if existing.organisation_id == organisation.pk and existing.pk in keep:
                    continue
                if existing.organisation_id == organisation.pk and service is not None:
                    rep.notes.append(
                        _("%(where)s[%(i)s]: цю контактну особу вже записано для організації")
                        % {"where": where, "i": i}
                    )
                    continue
                rep.problem(
                    f"{where}[{i}].id",
                    "prostir/owner",
                    _("Цей контакт належить іншій організації чи послузі."),
                )
                raise Refused
            obj = existing or Contact(uuid=_uuid(uid), organisation=organisation, service=service)
            obj.name = _short(
                obj, "name", data.get("name") or data.get("title") or "", f"{where}[{i}].name", rep
            )
            if not obj.name:
                rep.notes.append(
                    _("%(where)s[%(i)s]: контакт без імені не збережено") % {"where": where, "i": i}
                )
                continue
            obj.title = _short(obj, "title", data.get("title", ""), f"{where}[{i}].title", rep)
            obj.email = data.get("email", "")
            phones = data.get("phones") or []
            path = f"{where}[{i}].phones[0].number"
            number = _valid(validation.phone, phones[0]["number"] if phones else "", path, rep)
            obj.phone = _short(obj, "phone", number, path, rep)
            _check(obj, rep, f"{where}[{i}]", exclude=("organisation", "service"))
            if rep.problems:
                raise Refused
            obj.save()
            keep.append(obj.pk)
        Contact.objects.filter(organisation=organisation, service=service).exclude(
            pk__in=keep
        ).delete()

    def _service(self, entry: Entry, organisation: Organisation) -> None:
        data, rep = entry.data, entry.report
        attrs = _attributes(data)
        existing = Service.objects.filter(uuid=_uuid(data["id"])).first()
        if existing and existing.organisation_id != organisation.pk:
            rep.problem(
                "$.organization_id", "prostir/owner", _("Ця послуга належить іншій організації.")
            )
            raise Refused
        obj = existing or Service(uuid=_uuid(data["id"]), organisation=organisation)
        obj.name = _short(obj, "name", data["name"], "$.name", rep)
        obj.alternate_name = _short(
            obj, "alternate_name", data.get("alternate_name", ""), "$.alternate_name", rep
        )
        obj.name_en = _short(obj, "name_en", _property(attrs, "name_en") or "", "$.attributes", rep)
        obj.description = data.get("description", "")
        obj.url = data.get("url", "")
        obj.email = data.get("email", "")
        obj.status = data.get("status") or ServiceStatus.ACTIVE
        obj.application_process = data.get("application_process", "")
        obj.fees_description = data.get("fees_description", "")
        obj.eligibility_description = data.get("eligibility_description", "")
        for name in ("minimum_age", "maximum_age"):
            value = data.get(name)
            setattr(obj, name, int(value) if value is not None else None)
        phones = data.get("phones") or []
        number = _valid(
            validation.phone, phones[0]["number"] if phones else "", "$.phones[0].number", rep
        )
        obj.phone = _short(obj, "phone", number, "$.phones[0].number", rep)
        if len(phones) > 1:
            rep.notes.append(_("$.phones: зберігаємо лише перший номер"))
        obj.languages = self._language_codes(data.get("languages") or [], rep, "$.languages")
        sectors = [code for code, _n, _v in attrs.get(tx.SECTOR.key, []) if code in Sector.values]
        if sectors or not existing:
            obj.sector = sectors[0] if sectors else Sector.OTHER
        if not sectors and not existing:
            rep.notes.append(_("сферу послуги не вказано: записано «інше»"))
        codes = [code for code, _n, _v in attrs.get(tx.CLASSIFIER.key, [])]
        code = _valid(validation.classifier_code, codes[0] if codes else "", "$.attributes", rep)
        obj.classifier_code = _short(obj, "classifier_code", code, "$.attributes", rep)
        obj.is_basic = _flag(_property(attrs, "basic_service"), False)
        visibility = _property(attrs, "visibility")
        if visibility in Visibility.values or not existing:
            obj.visibility = visibility if visibility in Visibility.values else Visibility.STAFF
        if visibility is None and not existing:
            rep.notes.append(
                _(
                    "видимість не вказано: послуга видна лише працівникам, доки координатор "
                    "не опублікує"
                )
            )
        obj.is_free = _flag(_property(attrs, "is_free"), not obj.fees_description)
        obj.accepting_referrals = _flag(
            _property(attrs, "accepting_referrals"),
            existing.accepting_referrals if existing else True,
        )
        for name in ("response_days", "completion_days"):
            value = _number(_property(attrs, name))
            if value is not None:
                setattr(obj, name, value)
        obj.capacity = _number(_property(attrs, "capacity"))
        obj.eligible_categories = _known_codes(
            [code for code, _n, _v in attrs.get(tx.CATEGORY.key, []) if code],
            vocabularies.choices(vocabularies.CATEGORIES),
            "$.attributes",
            rep,
        )
        _check(obj, rep, "$", exclude=("organisation", "locations", "areas"))
        if rep.problems:
            raise Refused
        if existing:
            obj.version += 1
        obj.save()
        modified = data.get("last_modified")
        if modified:
            try:
                stamp = datetime.fromisoformat(modified.replace("z", "Z"))
            except ValueError:
                stamp = None
            if stamp is not None:
                Service.objects.filter(pk=obj.pk).update(last_modified=stamp)
        rep.status = "updated" if existing else "imported"
        _audit(obj, existing is not None, "directory.service")

        # Related rows are replaced only when the object carries their key.
        if "attributes" in data or not existing:
            ServiceNeed.objects.filter(service=obj).delete()
            for code in _known_codes(
                [c for c, _n, _v in attrs.get(tx.NEED.key, []) if c],
                vocabularies.choices(vocabularies.NEEDS),
                "$.attributes",
                rep,
            ):
                ServiceNeed.objects.create(service=obj, need_code=code)
        if "service_areas" in data or not existing:
            self._areas(data, obj, rep)
        if "service_at_locations" in data or "schedules" in data or not existing:
            self._places(data, obj, organisation, rep)
        if "contacts" not in data and "service_at_locations" not in data and existing:
            if rep.problems:
                raise Refused
            return
        contacts = list(data.get("contacts") or [])
        seen = {c["id"] for c in contacts}
        for sal in data.get("service_at_locations") or []:
            contacts += [c for c in sal.get("contacts") or [] if c["id"] not in seen]
            seen |= {c["id"] for c in sal.get("contacts") or []}
        self._contacts(contacts, organisation, obj, rep, "$.contacts")
        if rep.problems:
            raise Refused

    def _areas(self, data: dict, service: Service, rep: ObjectReport) -> None:
        units = []
        for i, area in enumerate(data.get("service_areas") or []):
            unit = _katottg_unit(area)
            if unit is None:
                rep.notes.append(
                    _("$.service_areas[%(i)s]: територію без коду КАТОТТГ не збережено") % {"i": i}
                )
            else:
                units.append(unit)
        service.areas.set(units)

    def _places(self, data: dict, service: Service, organisation: Organisation, rep) -> None:
        """Where and when: service_at_locations (with their locations), schedules, exceptions."""
        ServiceAtLocation.objects.filter(service=service).delete()
        located: dict[str, Location] = {}
        schedules = [
            (f"$.schedules[{i}]", s, None) for i, s in enumerate(data.get("schedules") or [])
        ]
        for i, sal in enumerate(data.get("service_at_locations") or []):
            where = f"$.service_at_locations[{i}]"
            if sal.get("location"):
                location = self._location(sal["location"], organisation, rep, f"{where}.location")
            else:
                location = self._known_location(sal.get("location_id"), organisation)
                if location is None:
                    rep.problem(
                        f"{where}.location_id",
                        "properties/service_at_locations/items/properties/location_id",
                        _("Локації %(id)s цієї організації немає ні в даних, ні в довіднику.")
                        % {"id": sal.get("location_id")},
                    )
                    raise Refused
            if str(location.uuid) in located:
                rep.notes.append(_("%(where)s: ця локація вже є в послузі") % {"where": where})
                continue
            located[str(location.uuid)] = location
            if (
                ServiceAtLocation.objects.filter(uuid=_uuid(sal["id"]))
                .exclude(service=service)
                .exists()
            ):
                rep.problem(f"{where}.id", "prostir/owner", _("Цей id уже має інша послуга."))
                raise Refused
            ServiceAtLocation.objects.update_or_create(
                service=service,
                location=location,
                defaults={"uuid": _uuid(sal["id"]), "description": sal.get("description", "")},
            )
            schedules += [
                (f"{where}.schedules[{j}]", s, location)
                for j, s in enumerate(sal.get("schedules") or [])
            ]
        Schedule.objects.filter(service=service).delete()
        ScheduleException.objects.filter(service=service).delete()
        seen: set[str] = set()
        self._days: set[date] = set()
        for where, item, location in schedules:
            if item["id"] in seen:
                continue
            seen.add(item["id"])
            self._schedule(item, where, service, location, located, organisation, rep)

    @staticmethod
    def _known_location(value: Any, organisation: Organisation) -> Location | None:
        uid = _uuid(value)
        if uid is None:
            return None
        return Location.objects.filter(uuid=uid, organisation=organisation).first()

    def _schedule(self, item, where, service, location, located, organisation, rep) -> None:
        loc_id = item.get("location_id")
        if loc_id and location is None:
            location = located.get(str(loc_id)) or self._known_location(loc_id, organisation)
            if location is None:
                rep.problem(
                    f"{where}.location_id",
                    "properties/schedules/items/properties/location_id",
                    _("Локації %(id)s цієї організації немає ні в даних, ні в довіднику.")
                    % {"id": loc_id},
                )
                raise Refused
        attrs = _attributes(item)
        marker = _property(attrs, "schedule_exception")
        valid_from, valid_to = _date(item.get("valid_from")), _date(item.get("valid_to"))
        opens, closes = _hours(item, where, rep)
        one_day = valid_from is not None and valid_from == valid_to
        if marker or (one_day and not item.get("byday") and not item.get("freq")):
            closed = marker == "closed" if marker else not (opens and closes)
            reason = item.get("notes") if marker else item.get("description")
            if marker is None and reason:
                for prefix in (CLOSED_PREFIX, OTHER_HOURS_PREFIX):
                    if reason.startswith(prefix + ": "):
                        reason = reason[len(prefix) + 2 :]
            if valid_from in self._days:
                rep.notes.append(
                    _("%(where)s: другий виняток на ту саму дату не збережено") % {"where": where}
                )
                return
            self._days.add(valid_from)
            exception = ScheduleException(
                service=service,
                date=valid_from,
                closed=closed,
                opens_at=None if closed else opens,
                closes_at=None if closed else closes,
                reason=(reason or "")[:255],
            )
            _check(exception, rep, where, exclude=("service",))
            if rep.problems:
                raise Refused
            exception.save()
            return
        byday = [day.strip().upper() for day in (item.get("byday") or "").split(",") if day.strip()]
        if item.get("freq", "WEEKLY") != "WEEKLY" or not byday or not (opens and closes):
            rep.notes.append(
                _(
                    "%(where)s: розклад не тижневий або без днів і годин — не збережено "
                    "(опис: %(description)s)"
                )
                % {"where": where, "description": item.get("description", "—")}
            )
            return
        if any(day not in WEEKDAYS for day in byday):
            rep.problem(
                f"{where}.byday", "prostir/byday", _("Дні тижня — коди iCal: MO,TU,WE,TH,FR,SA,SU.")
            )
            raise Refused
        if Schedule.objects.filter(uuid=_uuid(item["id"])).exists():
            rep.problem(
                f"{where}.id", "prostir/owner", _("Цей розклад уже належить іншій послузі.")
            )
            raise Refused
        schedule = Schedule(
            uuid=_uuid(item["id"]),
            service=service,
            location=location,
            byday=",".join(byday),
            opens_at=opens,
            closes_at=closes,
            valid_from=valid_from,
            valid_to=valid_to,
            description=(item.get("description") or "")[:255],
        )
        _check(schedule, rep, where, exclude=("service", "location"))
        if rep.problems:
            raise Refused
        schedule.save()

    def _link_parents(self, entries) -> None:
        for entry in entries:
            if entry.report.status not in {"imported", "updated"}:
                continue
            parent_id = entry.data.get("parent_organization_id")
            obj = Organisation.objects.get(uuid=entry.data["id"])
            parent = Organisation.objects.filter(uuid=parent_id).first() if parent_id else None
            if parent_id and parent is None:
                entry.report.notes.append(
                    _("$.parent_organization_id: організації %(id)s немає — не пов'язано")
                    % {"id": parent_id}
                )
            if obj.parent_id != (parent.pk if parent else None):
                Organisation.objects.filter(pk=obj.pk).update(parent=parent)


def import_path(path: Path, *, community: Unit | None = None) -> ImportReport:
    return Importer(community=community).run(Path(path))
