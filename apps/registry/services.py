"""Write workflows of the registry: one transaction each, audited inside.

Every field is checked by the rules of ``apps.registry.fields``, the same for registration and
editing, and every problem is reported at once (``ValidationError`` keyed by field); nothing is
saved while one remains. A person or household out of the actor's scope is ``Http404``, as if
it did not exist (the look-up, and so its audited denial, happens before the transaction).

Decisions:

- **Editing** (``person_update``) is guarded by the person's ``version``. The write is a
  conditional UPDATE (``WHERE version = <the caller's>``), so of two people editing the same
  version exactly one wins; the other gets ``EditConflict`` naming, for every field they tried
  to change that was changed since their version, both values — and nothing of theirs is
  written. Latin names follow the national transliteration of the names unless they were set
  to something else (a passport spelling: ``latin_edited``); search keys always follow.
  Household changes take the household's ``version`` the same way.
- **Documents** are added and deleted, not marked invalid: a mistyped number is not history,
  and a wrong РНОКПП kept would block its real holder. The audit trail keeps that it happened.
  A РНОКПП or УНЗР that disagrees with the person's birth date or sex is saved only with an
  ``override_reason`` (the real document wins). Registration does not block on these warnings
  — the person at the desk must not be lost — but returns them, the same codes and messages.
- **Scans of documents** (optional, ``apps.registry.attachments`` for the rules) are added with
  a document or later, and deleted, by whoever may write the person. The file is stored before
  the transaction that records it and removed again if that transaction fails, so neither a row
  without its file nor a file without its row is left; a deleted scan's file goes when the
  deletion commits. A merge moves the scans with their documents.
- **Consents** are withdrawn, never deleted.
- **Households**: a membership is closed (``left_on``), never deleted; joining a household
  closes the current one elsewhere, so a person has at most one current household. A household
  is never left without a head: its head cannot be moved out while other members remain (the
  head alone leaving ends it), and only a hub that may write the old household closes a
  membership there (``head_cannot_leave``, ``household_out_of_scope``: 422 like ending a
  membership). Two people adding the same person at once: one wins, the other is 409.
- **Merging** moves the duplicate's documents, phones, categories, consents and memberships to
  the kept record (the same number or phone is kept once), recomputes none of the kept person's
  own fields, and leaves the duplicate in place pointing to the kept record: both histories
  stay, old ids answer with the kept one. What other contexts hold of the duplicate follows it
  in the same transaction (``signals.person_merged``: intake moves its requests and
  appointments). Both records are locked (in id order) and checked
  again inside the transaction, so two merges of the same pair cannot cross (A into B and B
  into A): the second is a 409. A duplicate heading a household with other members hands the
  head role to the kept person when they live in it; when the kept person lives elsewhere the
  merge is refused until another head is named.
- **Versions**: every change of a person — documents, merges and transfers too — takes a new
  ``version`` and names its fields in ``field_versions`` (read again under a row lock, so
  concurrent changes do not drop each other's entries).
- **Transfers of access** (a displaced person moved to another hub's community): the holding
  hub's coordinator decides. A grant moves the record itself — community and hub — to the
  requesting hub, so the old hub loses access (it keeps its audit trail); other open requests
  for the person are cancelled. Before a grant nothing personal crosses: the requester knows
  the holding hub's name and the status, the holder the requesting hub and its reason.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm
from apps.audit import services as audit
from apps.geo.models import Unit

from . import attachments, fields, selectors, signals
from .identifiers import IdentifierWarning, validate_document
from .models import (
    AccessTransfer,
    Consent,
    ConsentScope,
    Document,
    DocumentAttachment,
    Household,
    HouseholdMember,
    Person,
    PersonCategory,
    PersonPhone,
    Relationship,
    TransferStatus,
)
from .names import person_keys, transliterate

# A personal number names one person: its match cannot be confirmed away (the database
# refuses a second holder, see Document's constraint).
PERSONAL_NUMBERS = ("same_rnokpp",)
UNIQUE_DOCUMENT_TYPES = fields.UNIQUE_DOCUMENT_TYPES
REASON_MAX_LENGTH = 500


class DuplicateSuspected(Exception):
    """The person looks already registered: ``matches`` (``selectors.Match``), best first.
    ``confirmable`` is false when a personal number matched (a confirmation cannot help)."""

    def __init__(self, matches: list[selectors.Match], *, confirmable: bool = True) -> None:
        super().__init__("duplicate_suspected")
        self.matches = matches
        self.confirmable = confirmable


class EditConflict(Exception):
    """The record changed since the caller's ``version``. ``conflicts``: for each field the
    caller tried to change that was changed meanwhile, ``{"field", "yours", "theirs"}``;
    ``version`` is the current one."""

    def __init__(self, *, version: int, conflicts: list[dict] | None = None) -> None:
        super().__init__("edit_conflict")
        self.version = version
        self.conflicts = conflicts or []


class RegistryConflict(Exception):
    """A change the registry's state refuses: ``code`` for programs, ``message`` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass
class Registered:
    person: Person
    warnings: list[IdentifierWarning] = field(default_factory=list)


@dataclass
class Updated:
    person: Person
    changed: list[str]
    warnings: list[IdentifierWarning] = field(default_factory=list)


@dataclass
class DocumentAdded:
    document: Document
    warnings: list[IdentifierWarning] = field(default_factory=list)


def _invalid(name: str, message: str, code: str) -> ValidationError:
    return ValidationError({name: ValidationError(message, code=code)})


#: The keys of names repeat a lot (common names; an import's many rows): computed once each.
_cached_keys = lru_cache(maxsize=8192)(person_keys)


def _key_fields(last_name: str, first_name: str, patronymic: str) -> dict[str, str]:
    """The search-key columns of ``Person`` for these names."""
    keys = _cached_keys(last_name, first_name, patronymic)
    return {
        "key_last": keys.last,
        "key_first": keys.first,
        "key_patronymic": keys.patronymic,
        "latin_last": keys.last_latin,
        "latin_first": keys.first_latin,
        "latin_patronymic": keys.patronymic_latin,
        "surname_sound": keys.surname_sound,
    }


# --- registration -------------------------------------------------------------------------------


def _clean(data: dict[str, Any], problems: fields.Problems) -> dict[str, Any]:
    """The registration form read and checked field by field; every problem in ``problems``."""
    clean: dict[str, Any] = {
        "last_name": problems.check("last_name", fields.clean_name, data.get("last_name")),
        "first_name": problems.check("first_name", fields.clean_name, data.get("first_name")),
        "patronymic": problems.check(
            "patronymic", fields.clean_patronymic, data.get("patronymic"), default=""
        ),
        "birth_date": problems.check("birth_date", fields.clean_birth_date, data.get("birth_date")),
        "sex": problems.check("sex", fields.clean_sex, data.get("sex")),
        "phone": problems.check("phone", fields.clean_phone, data.get("phone"), default=""),
        "community": problems.check("community", fields.clean_community, data.get("community")),
        "categories": problems.check(
            "categories", fields.clean_category_codes, data.get("categories"), default=[]
        ),
    }
    clean["documents"], clean["warnings"] = problems.check(
        "documents",
        fields.clean_documents,
        data.get("documents"),
        default=([], []),
        birth_date=clean["birth_date"],
        sex=clean["sex"],
    )
    clean |= {
        name: problems.check(name, rule, data.get(name), default=None)
        for name, rule in _REGISTRATION_EXTRAS.items()
    }
    clean["preferred_language"] = problems.check(
        "preferred_language", fields.clean_language, data.get("preferred_language") or "uk"
    )
    clean["consents"] = [
        {
            "purpose": problems.check(
                f"consents[{i}].purpose",
                fields.text,
                consent.get("purpose"),
                max_length=fields.NOTE_MAX_LENGTH,
                required=True,
            ),
            "scope": problems.check(
                f"consents[{i}].scope", _clean_consent_scope, consent.get("scope")
            ),
        }
        for i, consent in enumerate(_dicts(data.get("consents"), "consents", problems))
    ]
    household = data.get("household") or None
    if household is not None:
        household = {
            "id": problems.check(
                "household.id",
                _clean_uuid,
                household.get("id") if isinstance(household, dict) else None,
            ),
            "relationship": problems.check(
                "household.relationship",
                _clean_relationship,
                household.get("relationship") if isinstance(household, dict) else None,
            ),
        }
    clean["household"] = household
    return clean


# Optional fields registration takes as editing does (``EDITABLE`` below).
_REGISTRATION_EXTRAS = {
    "email": fields.clean_email,
    "origin_unit": fields.clean_address_unit,
    "origin_address": fields.clean_address,
    "current_unit": fields.clean_address_unit,
    "current_address": fields.clean_address,
}


def _clean_uuid(value: Any) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise ValidationError(_("Недійсний ідентифікатор."), code="invalid") from None


def _dicts(values: Any, name: str, problems: fields.Problems) -> list[dict]:
    """``values`` as a list of objects; anything else is a problem of ``name``."""
    if not values:
        return []
    if not isinstance(values, list | tuple) or not all(isinstance(v, dict) for v in values):
        problems.add(name, ValidationError(_("Потрібен список об'єктів."), code="invalid"))
        return []
    return list(values)


def _join_household(actor: Actor, person: Person, household: Household, relationship: str):
    """The just-registered ``person`` joins ``household`` (inside the registration)."""
    _claim(household, household.version)
    HouseholdMember.objects.create(
        household=household,
        person=person,
        relationship=relationship,
        joined_on=timezone.localdate(),
    )
    _audit_household(actor, household, "registry.household.member_added")


def person_validate(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """The registration form read and checked field by field, without writing anything: the
    clean values and every problem (``ValidationError``\\s keyed by field, empty when valid).
    Messages are in the active language."""
    problems = fields.Problems()
    clean = _clean(data, problems)
    return clean, problems.errors


def _registering_organisation(actor: Actor, community: Unit, organisation_id: int | None):
    """The hub the person is registered for: ``organisation_id`` when given (the actor must
    cover it in that community), else the actor's hub there (a grant naming one wins)."""
    if organisation_id is not None:
        if not policies.covers(
            actor, Perm.PERSONS_WRITE, community=community, organisation=organisation_id
        ):
            policies.deny(actor, reason=f"{Perm.PERSONS_WRITE} {community.pk} {organisation_id}")
        return organisation_id
    grants = tuple(
        g
        for g in actor.grants_for(Perm.PERSONS_WRITE)
        if policies.grant_covers(g, community=community, organisation=g.organisation_id)
    )
    if not grants:
        policies.deny(actor, reason=f"{Perm.PERSONS_WRITE} {community.pk}")
    return next((g.organisation_id for g in grants if g.organisation_id), None)


def person_register(
    *,
    actor: Actor,
    data: dict[str, Any],
    confirm_not_duplicate: bool = False,
    organisation_id: int | None = None,
    validated: dict[str, Any] | None = None,
) -> Registered:
    """Registers a person in ``data["community"]`` for the actor's hub there (or for the hub
    ``organisation_id``, which the actor must cover in that community).

    ``ValidationError`` (keyed by field, every problem at once) for bad input; ``PermissionDenied``
    unless the actor may write persons of that community; ``DuplicateSuspected`` when the person
    looks registered already (anywhere) and ``confirm_not_duplicate`` is false. Document
    warnings do not block: they come back in ``Registered.warnings``.

    ``validated``: the clean values ``person_validate(data)`` returned without a problem, when
    the caller checked ``data`` already (the import): they are used as they are, not checked
    a second time."""
    policies.require(actor, Perm.PERSONS_WRITE)
    if validated is None:
        clean, errors = person_validate(data)
        if errors:
            raise ValidationError(errors)
    else:
        clean = validated

    community = clean["community"]
    organisation_id = _registering_organisation(actor, community, organisation_id)

    household = (
        selectors.household_for_write(actor=actor, household_id=clean["household"]["id"])
        if clean["household"]
        else None
    )

    with transaction.atomic():
        matches = selectors.person_duplicates(
            actor=actor,
            last_name=clean["last_name"],
            first_name=clean["first_name"],
            patronymic=clean["patronymic"],
            birth_date=clean["birth_date"],
            documents=[(d["type"], d["number"]) for d in clean["documents"]],
            phone=clean["phone"],
        )
        if matches:
            confirmable = not any(r in PERSONAL_NUMBERS for m in matches for r in m.reasons)
            if not confirm_not_duplicate or not confirmable:
                raise DuplicateSuspected(matches, confirmable=confirmable)

        person = Person.objects.create(
            community=community,
            organisation_id=organisation_id,
            last_name=clean["last_name"],
            first_name=clean["first_name"],
            patronymic=clean["patronymic"],
            last_name_latin=transliterate(clean["last_name"]),
            first_name_latin=transliterate(clean["first_name"]),
            birth_date=clean["birth_date"],
            sex=clean["sex"],
            birth_year=clean["birth_date"].year,
            created_by=actor.user,
            email=clean["email"] or "",
            preferred_language=clean["preferred_language"],
            origin_unit=clean["origin_unit"],
            origin_address=clean["origin_address"] or "",
            current_unit=clean["current_unit"],
            current_address=clean["current_address"] or "",
            **_key_fields(clean["last_name"], clean["first_name"], clean["patronymic"]),
        )
        for consent in clean["consents"]:
            Consent.objects.create(
                person=person, organisation_id=organisation_id, recorded_by=actor.user, **consent
            )
        if household is not None:
            _join_household(actor, person, household, clean["household"]["relationship"])
        # One statement per kind of row (the model's save() adds nothing to these rows).
        Document.objects.bulk_create(Document(person=person, **d) for d in clean["documents"])
        if clean["phone"]:
            PersonPhone.objects.create(person=person, number=clean["phone"], is_primary=True)
        PersonCategory.objects.bulk_create(
            PersonCategory(person=person, code=code) for code in clean["categories"]
        )
        given = [
            name for name in clean if name not in ("warnings", "preferred_language") and clean[name]
        ]
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            event="registry.person.created",
            target=person,
            organisation=organisation_id,  # the hub by its id: no query for the instance
            changed_fields=given,
        )
    return Registered(person=person, warnings=clean["warnings"])


# --- editing ------------------------------------------------------------------------------------


def _clean_flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(_("Потрібно true або false."), code="bool_type")
    return value


# What ``person_update`` may change, each field with its rule.
EDITABLE: dict[str, Callable[[Any], Any]] = {
    "last_name": fields.clean_name,
    "first_name": fields.clean_name,
    "patronymic": fields.clean_patronymic,
    "last_name_latin": fields.clean_latin_name,
    "first_name_latin": fields.clean_latin_name,
    "latin_edited": _clean_flag,
    "birth_date": fields.clean_birth_date,
    "sex": fields.clean_sex,
    "email": fields.clean_email,
    "preferred_language": fields.clean_language,
    "origin_unit": fields.clean_address_unit,
    "origin_address": fields.clean_address,
    "current_unit": fields.clean_address_unit,
    "current_address": fields.clean_address,
    "phones": fields.clean_phones,
    "categories": fields.clean_category_periods,
}
_NAMES = ("last_name", "first_name", "patronymic")
_RELATED = ("phones", "categories")


def _plain(value: Any) -> Any:
    """A value as JSON carries it (units by code, dates in ISO), for comparing and reporting."""
    if isinstance(value, Unit):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _period(category: PersonCategory) -> dict:
    return {
        "code": category.code,
        "valid_from": category.valid_from,
        "valid_to": category.valid_to,
        "evidence": category.evidence,
    }


def _comparable(name: str, value: Any) -> Any:
    plain = _plain(value)
    if name == "categories":  # a set of periods: order carries nothing
        return sorted(plain, key=lambda p: (p["code"], p["valid_from"] or "", p["valid_to"] or ""))
    return plain


def _current(person: Person, name: str) -> Any:
    if name == "phones":
        return [p.number for p in person.phones.order_by("-is_primary", "pk")]
    if name == "categories":
        return [_period(c) for c in person.categories.all()]
    if name in {"origin_unit", "current_unit"}:
        return getattr(person, f"{name}_id")
    return getattr(person, name)


def person_editable_values(person: Person) -> dict[str, Any]:
    """Every field ``person_update`` may change, as it is now, in the values JSON carries (units
    by code, dates in ISO): what an edit form starts from and compares against."""
    return {name: _plain(_current(person, name)) for name in EDITABLE}


def editable_value_differs(name: str, value: Any, other: Any) -> bool:
    """Whether two values of an editable field differ (a set of category periods in any order
    is the same set)."""
    return _comparable(name, value) != _comparable(name, other)


def _clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
    problems, clean = fields.Problems(), {}
    for name, value in changes.items():
        rule = EDITABLE.get(name)
        if rule is None:
            problems.add(name, ValidationError(_("Невідоме поле."), code="unknown_field"))
            continue
        clean[name] = problems.check(name, rule, value)
    problems.raise_any()
    return clean


def _with_latin(person: Person, clean: dict[str, Any]) -> dict[str, Any]:
    """``clean`` with the Latin names and ``latin_edited`` they lead to: the names typed in
    Latin win; else a passport spelling already kept stays (unless ``latin_edited`` is false);
    else the national transliteration of the names."""
    last, first = (clean.get(n, getattr(person, n)) for n in ("last_name", "first_name"))
    national = (transliterate(last), transliterate(first))
    keep = person.latin_edited and clean.get("latin_edited", True)
    base = (person.last_name_latin, person.first_name_latin) if keep else national
    latin = (clean.get("last_name_latin", base[0]), clean.get("first_name_latin", base[1]))
    return clean | {
        "last_name_latin": latin[0],
        "first_name_latin": latin[1],
        "latin_edited": latin != national,
    }


def _conflict(person_id: UUID, version: int, asked: dict[str, Any]) -> EditConflict:
    """The conflict of an edit made on ``version``, read from the record as it is now."""
    person = Person.objects.prefetch_related("phones", "categories").get(pk=person_id)
    conflicts = [
        {"field": name, "yours": _plain(value), "theirs": _plain(_current(person, name))}
        for name, value in asked.items()
        if person.field_versions.get(name, 0) > version
    ]
    return EditConflict(version=person.version, conflicts=conflicts)


def _replace_phones(person: Person, phones: list[str]) -> None:
    person.phones.all().delete()
    for i, number in enumerate(phones):
        PersonPhone.objects.create(person=person, number=number, is_primary=i == 0)


def _replace_categories(person: Person, periods: list[dict]) -> None:
    """Keeps the rows that stay (and who verified them), removes the others, adds the new."""
    wanted = list(periods)
    for category in person.categories.all():
        if _period(category) in wanted:
            wanted.remove(_period(category))
        else:
            category.delete()
    for period in wanted:
        PersonCategory.objects.create(person=person, **period)


def _document_warnings(person: Person) -> list[IdentifierWarning]:
    """What the person's РНОКПП and УНЗР now say against their birth date and sex."""
    warnings = []
    for document in person.documents.filter(type__in=UNIQUE_DOCUMENT_TYPES):
        warnings.extend(
            validate_document(
                document.type, document.number, birth_date=person.birth_date, sex=person.sex
            ).warnings
        )
    return warnings


def person_update(
    *, actor: Actor, person_id: UUID | str, version: int, changes: dict[str, Any]
) -> Updated:
    """Changes the fields named in ``changes`` (see ``EDITABLE``) of a person the actor may
    write, if the person is still at ``version``.

    ``ValidationError`` by field; ``EditConflict`` when someone changed the person since
    ``version`` (nothing written); ``Http404`` out of scope. No event when nothing changes.
    ``Updated.warnings``: a new birth date or sex that the person's РНОКПП or УНЗР contradict."""
    person = selectors.person_for_write(actor=actor, person_id=person_id)
    clean = _clean_changes(changes)
    if version != person.version:
        raise _conflict(person.pk, version, clean)
    asked = dict(clean)
    clean = _with_latin(person, clean)
    changed = sorted(
        name
        for name, value in clean.items()
        if _comparable(name, value) != _comparable(name, _current(person, name))
    )
    if not changed:
        return Updated(person=person, changed=[])

    new_version = version + 1
    columns = {name: clean[name] for name in changed if name not in _RELATED}
    if set(changed) & set(_NAMES):
        columns |= _key_fields(*(clean.get(n, getattr(person, n)) for n in _NAMES))
    if "birth_date" in changed:
        columns["birth_year"] = clean["birth_date"].year
    with transaction.atomic():
        won = Person.objects.filter(pk=person.pk, version=version).update(
            **columns,
            version=new_version,
            field_versions=person.field_versions | dict.fromkeys(changed, new_version),
            updated_at=timezone.now(),
        )
        if not won:
            raise _conflict(person.pk, version, asked)
        if "phones" in changed:
            _replace_phones(person, clean["phones"])
        if "categories" in changed:
            _replace_categories(person, clean["categories"])
        person = selectors.person_get(actor=actor, person_id=person.pk)
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event="registry.person.updated",
            target=person,
            changed_fields=changed,
        )
    warnings = _document_warnings(person) if {"birth_date", "sex"} & set(changed) else []
    return Updated(person=person, changed=changed, warnings=warnings)


def _bump(person: Person, changed: list[str]) -> None:
    """A new version of the person for a change made outside ``person_update`` (a document, a
    merge, a transfer), so that an edit begun before it is told. Inside the change's
    transaction: the row is locked and read again first, so what another change wrote to
    ``field_versions`` meanwhile is kept, not overwritten from a copy read earlier."""
    version, field_versions = (
        Person.objects.select_for_update()
        .values_list("version", "field_versions")
        .get(pk=person.pk)
    )
    Person.objects.filter(pk=person.pk).update(
        version=version + 1,
        field_versions=field_versions | dict.fromkeys(changed, version + 1),
        updated_at=timezone.now(),
    )


# --- documents ----------------------------------------------------------------------------------


def _override_needed(warnings: list[IdentifierWarning]) -> ValidationError:
    details = [ValidationError(w.message, code=w.code) for w in warnings]
    details.append(
        ValidationError(
            _(
                "Номер не збігається з даними особи. Якщо документ правильний, вкажіть, "
                "чому його приймаєте."
            ),
            code="override_reason_required",
        )
    )
    return ValidationError({"override_reason": details})


def _number_taken(person: Person, document: dict) -> None:
    """``ValidationError`` if the person has it already; ``RegistryConflict`` if a personal
    number belongs to someone else."""
    same = Document.objects.filter(type=document["type"], number=document["number"])
    if same.filter(person=person).exists():
        raise _invalid("number", _("Цей документ уже вказано."), "repeated")
    if document["type"] in UNIQUE_DOCUMENT_TYPES and same.exists():
        raise _document_exists()


def _document_exists() -> RegistryConflict:
    return RegistryConflict(
        "document_exists",
        _(
            "Цей номер уже належить іншій особі в реєстрі. Якщо це та сама особа, "
            "об'єднайте записи."
        ),
    )


def document_add(
    *, actor: Actor, person_id: UUID | str, data: dict[str, Any], scan: Any = None
) -> DocumentAdded:
    """Adds a document to a person the actor may write, with its ``scan`` (an uploaded file)
    when given: both or nothing. A РНОКПП or УНЗР that disagrees with the person needs
    ``data["override_reason"]``; a personal number held by another person is a
    ``RegistryConflict``."""
    person = selectors.person_for_write(actor=actor, person_id=person_id)
    problems = fields.Problems()
    values, warnings = problems.check(
        "",
        fields.clean_document,
        data,
        birth_date=person.birth_date,
        sex=person.sex,
        default=(None, []),
    )
    upload = problems.check("file", attachments.clean_upload, scan) if scan else None
    problems.raise_any()
    _number_taken(person, values)
    if warnings and not values["override_reason"]:
        raise _override_needed(warnings)
    with _stored(upload) as stored_name, transaction.atomic():
        try:
            with transaction.atomic():
                document = Document.objects.create(person=person, **values)
        except IntegrityError:  # another holder came first
            raise _document_exists() from None
        _bump(person, ["documents"])
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            event="registry.document.added",
            target=person,
            changed_fields=["documents"],
            reason=document.type,
        )
        if upload is not None:
            _attach(actor, person, document, upload, stored_name)
    return DocumentAdded(document=document, warnings=warnings)


def document_delete(*, actor: Actor, person_id: UUID | str, document_id: int) -> None:
    """Removes a document (a mistake, see the module's decisions) of a person the actor may
    write; ``Http404`` for a document that is not this person's."""
    person = selectors.person_for_write(actor=actor, person_id=person_id)
    document = person.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    with transaction.atomic():
        document.delete()
        _bump(person, ["documents"])
        audit.record(
            actor=actor,
            action=audit.Action.DELETE,
            event="registry.document.deleted",
            target=person,
            changed_fields=["documents"],
            reason=document.type,
        )


# --- scans of documents -------------------------------------------------------------------------


def _document_for_write(actor: Actor, person_id: UUID | str, document_id: int):
    """The person the actor may write and their document ``document_id``, or ``Http404``."""
    person = selectors.person_for_write(actor=actor, person_id=person_id)
    document = person.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return person, document


@contextmanager
def _stored(upload: attachments.CleanUpload | None) -> Iterator[str | None]:
    """The upload saved in the private storage for the ``with`` block (its stored name); if
    the block fails — the transaction inside it included, its commit too — the file is removed
    again. ``None`` stores nothing."""
    if upload is None:
        yield None
        return
    storage = DocumentAttachment._meta.get_field("file").storage
    name = storage.save(attachments.upload_path(None, upload.stored_name), upload.file)
    try:
        yield name
    except BaseException:
        storage.delete(name)
        raise


def _attach(
    actor: Actor,
    person: Person,
    document: Document,
    upload: attachments.CleanUpload,
    stored_name: str,
) -> DocumentAttachment:
    attachment = DocumentAttachment.objects.create(
        document=document,
        file=stored_name,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=actor.user,
    )
    _audit_attachment(actor, person, attachment, audit.Action.CREATE, "added")
    return attachment


def _audit_attachment(
    actor: Actor, person: Person, attachment: DocumentAttachment, action: str, event: str
) -> None:
    """An event on the person's trail naming the document and the scan (never the file's
    name: it may carry personal data)."""
    audit.record(
        actor=actor,
        action=action,
        event=f"registry.document.attachment_{event}",
        target=person,
        changed_fields=[] if action == audit.Action.READ else ["documents"],
        reason=attachment.audit_note,
    )


def attachment_add(
    *, actor: Actor, person_id: UUID | str, document_id: int, uploaded_file: Any
) -> DocumentAttachment:
    """Adds a scan to a document of a person the actor may write (``Http404`` otherwise);
    ``ValidationError`` keyed ``file`` for a file the rules refuse (nothing stored)."""
    person, document = _document_for_write(actor, person_id, document_id)
    problems = fields.Problems()
    upload = problems.check("file", attachments.clean_upload, uploaded_file)
    problems.raise_any()
    with _stored(upload) as stored_name, transaction.atomic():
        return _attach(actor, person, document, upload, stored_name)


def attachment_delete(
    *, actor: Actor, person_id: UUID | str, document_id: int, attachment_id: int
) -> None:
    """Removes a scan (its file goes when the deletion commits); ``Http404`` for a scan that
    is not of this document of this person, or a person the actor may not write."""
    person, document = _document_for_write(actor, person_id, document_id)
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    with transaction.atomic():
        _audit_attachment(actor, person, attachment, audit.Action.DELETE, "deleted")
        attachment.delete()


# --- consents -----------------------------------------------------------------------------------


def _actor_hub(actor: Actor, perm: str, person: Person) -> int | None:
    """The hub through which the actor acts on the person: a covering grant's organisation."""
    grants = policies.covering_grants(
        actor, perm, community=person.community, organisation=person.organisation_id
    )
    return next((g.organisation_id for g in grants if g.organisation_id), person.organisation_id)


def _clean_consent_scope(value: Any) -> str:
    if value not in ConsentScope.values:
        raise ValidationError(
            _("Оберіть, кому дозволено: «hub» (лише хаб) або «partners» (хаб і партнери)."),
            code="invalid_choice",
        )
    return value


def consent_record(
    *,
    actor: Actor,
    person_id: UUID | str,
    purpose: str,
    scope: str,
    organisation: Any = None,
) -> Consent:
    """Records the person's consent for ``purpose``, given to ``organisation`` (by default the
    hub through which the actor serves the person)."""
    person = selectors.person_for_write(actor=actor, person_id=person_id)
    problems = fields.Problems()
    purpose = problems.check(
        "purpose", fields.text, purpose, max_length=fields.NOTE_MAX_LENGTH, required=True
    )
    scope = problems.check("scope", _clean_consent_scope, scope)
    problems.raise_any()
    organisation_id = (
        getattr(organisation, "pk", organisation)
        if organisation is not None
        else _actor_hub(actor, Perm.PERSONS_WRITE, person)
    )
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            organisation_id=organisation_id,
            purpose=purpose,
            scope=scope,
            recorded_by=actor.user,
        )
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            event="registry.consent.recorded",
            target=person,
            changed_fields=["consents"],
            reason=scope,
        )
    return consent


def consent_withdraw(*, actor: Actor, person_id: UUID | str, consent_id: int) -> Consent:
    """Marks a consent withdrawn (it is kept); ``RegistryConflict`` if it already is. Under the
    person's row lock, so nothing sent on the strength of the consent slips in meanwhile; the
    contexts above stop sharing what it covered (``signals.consent_withdrawn``) in the same
    transaction."""
    person = selectors.person_for_write(actor=actor, person_id=person_id)
    consent = person.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    with transaction.atomic():
        list(Person.objects.select_for_update().filter(pk=person.pk).values("pk"))
        now = timezone.now()
        if not Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_by=actor.user
        ):
            raise RegistryConflict("consent_already_withdrawn", _("Цю згоду вже відкликано."))
        consent.withdrawn_at, consent.withdrawn_by = now, actor.user
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event="registry.consent.withdrawn",
            target=person,
            changed_fields=["consents"],
        )
        signals.consent_withdrawn.send(sender=Consent, actor=actor, person=person, consent=consent)
    return consent


# --- households ---------------------------------------------------------------------------------


def _clean_relationship(value: Any) -> str:
    if value not in Relationship.values or value == Relationship.HEAD:
        raise ValidationError(
            _("Оберіть, ким особа доводиться голові: %(choices)s.")
            % {"choices": ", ".join(v for v in Relationship.values if v != Relationship.HEAD)},
            code="invalid_choice",
        )
    return value


def _claim(household: Household, version: int) -> None:
    """Takes the household from ``version`` to the next, or ``EditConflict``."""
    if not Household.objects.filter(pk=household.pk, version=version).update(
        version=F("version") + 1
    ):
        current = Household.objects.values_list("version", flat=True).get(pk=household.pk)
        raise EditConflict(version=current)
    household.version = version + 1


def _audit_household(actor: Actor, household: Household, event: str, action=None) -> None:
    audit.record(
        actor=actor,
        action=action or audit.Action.UPDATE,
        event=event,
        target=household,
        changed_fields=["members"],
    )


def _current_membership(person: Person) -> HouseholdMember | None:
    return (
        HouseholdMember.objects.select_related("household__community")
        .filter(person=person, left_on__isnull=True)
        .first()
    )


def _others_current(member: HouseholdMember) -> bool:
    """Whether the member's household has current members besides them."""
    others = HouseholdMember.objects.filter(household_id=member.household_id, left_on__isnull=True)
    return others.exclude(pk=member.pk).exists()


def _check_household_scope(actor: Actor, household: Household, field: str) -> None:
    """``ValidationError`` on ``field`` unless the actor may change ``household``'s members."""
    if not policies.covers(
        actor,
        Perm.PERSONS_WRITE,
        community=household.community,
        organisation=household.organisation_id,
    ):
        raise _invalid(
            field,
            _(
                "Особа зараз у домогосподарстві, яке веде інший хаб: завершити членство в ньому "
                "може лише цей хаб."
            ),
            "household_out_of_scope",
        )


def _close_membership(actor: Actor, member: HouseholdMember, today: date) -> None:
    member.left_on = today
    member.save(update_fields=["left_on"])
    Household.objects.filter(pk=member.household_id).update(version=F("version") + 1)
    _audit_household(actor, member.household, "registry.household.member_left")


def _leave_current(actor: Actor, person: Person, today: date, *, field: str) -> None:
    """Closes the person's current membership, wherever it is (audited on that household).

    Refused (``ValidationError`` on ``field``, nothing written) for a household outside the
    actor's write scope, and for the head of a household that has other current members: a
    household is never left without a head (the head alone leaving simply ends it). The old
    household is locked first, so a member added to it meanwhile is seen."""
    current = _current_membership(person)
    if current is None:
        return
    _check_household_scope(actor, current.household, field)
    Household.objects.select_for_update().filter(pk=current.household_id).values_list("pk").get()
    if current.relationship == Relationship.HEAD and _others_current(current):
        raise _invalid(
            field,
            _(
                "Особа — голова домогосподарства, де є інші члени: спершу призначте там "
                "іншого голову."
            ),
            "head_cannot_leave",
        )
    _close_membership(actor, current, today)


def _open_membership(
    household: Household, person: Person, relationship: str, today: date
) -> HouseholdMember:
    """The person's new current membership, or ``RegistryConflict`` when they joined another
    household meanwhile (the database holds one current household per person)."""
    try:
        with transaction.atomic():
            return HouseholdMember.objects.create(
                household=household, person=person, relationship=relationship, joined_on=today
            )
    except IntegrityError:
        raise RegistryConflict(
            "joined_elsewhere",
            _(
                "Цю особу щойно додали до іншого домогосподарства. Оновіть сторінку й "
                "повторіть дію."
            ),
        ) from None


def household_create(*, actor: Actor, head_id: UUID | str) -> Household:
    """A new household, held where its head is, with ``head_id`` as its head (who leaves any
    current household, see ``_leave_current``)."""
    head = selectors.person_for_write(actor=actor, person_id=head_id)
    today = timezone.localdate()
    with transaction.atomic():
        _leave_current(actor, head, today, field="head")
        household = Household.objects.create(
            community=head.community, organisation=head.organisation
        )
        _open_membership(household, head, Relationship.HEAD, today)
        _audit_household(actor, household, "registry.household.created", audit.Action.CREATE)
    return household


def household_member_add(
    *,
    actor: Actor,
    household_id: UUID | str,
    version: int,
    person_id: UUID | str,
    relationship: str,
) -> HouseholdMember:
    """Adds a person the actor may write to a household the actor may write; they leave
    their current household (which keeps the closed membership; see ``_leave_current``).
    ``RegistryConflict`` when someone added them to another household meanwhile."""
    household = selectors.household_for_write(actor=actor, household_id=household_id)
    person = selectors.person_for_write(actor=actor, person_id=person_id)
    problems = fields.Problems()
    relationship = problems.check("relationship", _clean_relationship, relationship)
    if household.members.filter(person=person, left_on__isnull=True).exists():
        problems.add(
            "person",
            ValidationError(_("Ця особа вже в цьому домогосподарстві."), code="already_member"),
        )
    problems.raise_any()
    today = timezone.localdate()
    with transaction.atomic():
        _claim(household, version)
        _leave_current(actor, person, today, field="person")
        member = _open_membership(household, person, relationship, today)
        _audit_household(actor, household, "registry.household.member_added")
    return member


def _current_member(household: Household, member_id: int) -> HouseholdMember:
    member = household.members.filter(pk=member_id).first()
    if member is None:
        raise Http404
    if member.left_on is not None:
        raise _invalid("member", _("Це членство вже завершено."), "already_ended")
    return member


def household_member_end(
    *, actor: Actor, household_id: UUID | str, version: int, member_id: int
) -> HouseholdMember:
    """Closes a membership today (the row stays: history). The head cannot leave before
    another member becomes the head."""
    household = selectors.household_for_write(actor=actor, household_id=household_id)
    member = _current_member(household, member_id)
    if member.relationship == Relationship.HEAD:
        raise _invalid(
            "member",
            _("Голова не може вийти з домогосподарства: спершу призначте іншого голову."),
            "head_cannot_leave",
        )
    with transaction.atomic():
        _claim(household, version)
        member.left_on = timezone.localdate()
        member.save(update_fields=["left_on"])
        _audit_household(actor, household, "registry.household.member_left")
    return member


def household_head_change(
    *,
    actor: Actor,
    household_id: UUID | str,
    version: int,
    member_id: int,
    previous_head_relationship: str = "",
) -> HouseholdMember:
    """Makes a current member the head; the previous head stays as
    ``previous_head_relationship`` to the new one."""
    household = selectors.household_for_write(actor=actor, household_id=household_id)
    member = _current_member(household, member_id)
    if member.relationship == Relationship.HEAD:
        return member
    head = household.members.filter(left_on__isnull=True, relationship=Relationship.HEAD).first()
    problems = fields.Problems()
    if head is not None:
        previous_head_relationship = problems.check(
            "previous_head_relationship", _clean_relationship, previous_head_relationship
        )
    problems.raise_any()
    with transaction.atomic():
        _claim(household, version)
        if head is not None:
            head.relationship = previous_head_relationship
            head.save(update_fields=["relationship"])
        member.relationship = Relationship.HEAD
        member.save(update_fields=["relationship"])
        _audit_household(actor, household, "registry.household.head_changed")
    return member


# --- merging ------------------------------------------------------------------------------------


def _move_documents(duplicate: Person, keep: Person) -> None:
    """A document the kept person has too is deleted, its scans moved to the kept one."""
    kept = {(d.type, d.number): d.pk for d in keep.documents.all()}
    for document in duplicate.documents.all():
        same = kept.get((document.type, document.number))
        if same is not None:
            document.attachments.update(document_id=same)
            document.delete()
        else:
            document.person = keep
            document.save(update_fields=["person"])


def _move_phones(duplicate: Person, keep: Person) -> None:
    kept = set(keep.phones.values_list("number", flat=True))
    for phone in duplicate.phones.all():
        if phone.number in kept:
            phone.delete()
        else:
            phone.person, phone.is_primary = keep, phone.is_primary and not kept
            phone.save(update_fields=["person", "is_primary"])
            kept.add(phone.number)


def _move_categories(duplicate: Person, keep: Person) -> None:
    kept = [_period(c) for c in keep.categories.all()]
    for category in duplicate.categories.all():
        if _period(category) in kept:
            category.delete()
        else:
            category.person = keep
            category.save(update_fields=["person"])


def _move_memberships(actor: Actor, duplicate: Person, keep: Person) -> None:
    """The duplicate's memberships become the kept person's. When both have a current household
    the kept person's stays current and the duplicate's is closed today — except that a
    household is never left without a head: when the duplicate heads one with other members,
    the kept person takes the head role there if it is their own household, else the merge is
    refused."""
    theirs, ours = _current_membership(duplicate), _current_membership(keep)
    today = timezone.localdate()
    if theirs is None or ours is None:
        pass
    elif theirs.relationship != Relationship.HEAD or not _others_current(theirs):
        _leave_current(actor, duplicate, today, field="duplicate")
    elif theirs.household_id == ours.household_id:
        _check_household_scope(actor, theirs.household, "duplicate")
        _close_membership(actor, theirs, today)
        ours.relationship = Relationship.HEAD
        ours.save(update_fields=["relationship"])
        _audit_household(actor, ours.household, "registry.household.head_changed")
    else:
        raise _invalid(
            "duplicate",
            _(
                "Запис-дублікат — голова домогосподарства, де є інші члени, а особа, яку "
                "залишаєте, живе в іншому домогосподарстві. Спершу призначте там іншого голову."
            ),
            "head_cannot_leave",
        )
    duplicate.households.update(person=keep)


def _clean_merge(keep: Person, duplicate: Person, reason: Any) -> str:
    problems = fields.Problems()
    reason = problems.check(
        "reason", fields.text, reason, max_length=fields.NOTE_MAX_LENGTH, required=True
    )
    if keep.pk == duplicate.pk:
        problems.add(
            "duplicate",
            ValidationError(_("Запис не можна об'єднати з самим собою."), code="same_record"),
        )
    elif keep.merged_into_id or duplicate.merged_into_id:
        problems.add(
            "duplicate" if duplicate.merged_into_id else NON_FIELD_ERRORS,
            ValidationError(
                _("Цей запис уже об'єднано з іншим: працюйте з тим, що залишився."),
                code="already_merged",
            ),
        )
    problems.raise_any()
    return reason


def _merge_changed() -> RegistryConflict:
    return RegistryConflict(
        "merge_changed",
        _("Один із цих записів щойно об'єднав хтось інший. Відкрийте картку особи ще раз."),
    )


def _lock_for_merge(keep: Person, duplicate: Person) -> None:
    """Locks both records in one order (by id), so that two merges of the same pair — either
    way round — wait for each other instead of crossing, then checks again under the lock
    that neither was merged meanwhile (``RegistryConflict`` if one was)."""
    rows = Person.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    if any(merged for _pk, merged in rows.order_by("pk").values_list("pk", "merged_into_id")):
        raise _merge_changed()


def person_merge(
    *, actor: Actor, keep_id: UUID | str, duplicate_id: UUID | str, reason: str
) -> Person:
    """Merges ``duplicate_id`` into ``keep_id`` (both in the actor's merge scope, else
    ``Http404``): see the module's decisions. Audited on both records. ``RegistryConflict``
    when one of them was merged by someone else meanwhile (nothing written)."""
    policies.require(actor, Perm.PERSONS_MERGE)
    keep = selectors.person_for_merge(actor=actor, person_id=keep_id)
    duplicate = selectors.person_for_merge(actor=actor, person_id=duplicate_id)
    reason = _clean_merge(keep, duplicate, reason)
    moved = ["documents", "phones", "categories", "consents", "households"]
    with transaction.atomic():
        _lock_for_merge(keep, duplicate)
        if not Person.objects.filter(pk=duplicate.pk, merged_into__isnull=True).update(
            merged_into=keep, version=F("version") + 1, updated_at=timezone.now()
        ):
            raise _merge_changed()
        _move_documents(duplicate, keep)
        _move_phones(duplicate, keep)
        _move_categories(duplicate, keep)
        duplicate.consents.update(person=keep)
        _move_memberships(actor, duplicate, keep)
        _bump(keep, ["phones", "categories", "documents"])
        # What the contexts above hold of the duplicate (requests, appointments) follows.
        signals.person_merged.send(sender=Person, actor=actor, person=keep, duplicate=duplicate)
        note = f"{duplicate.pk} → {keep.pk}: {reason}"
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event="registry.person.merged",
            target=keep,
            changed_fields=moved,
            reason=note,
        )
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event="registry.person.merged_into",
            target=duplicate,
            changed_fields=["merged_into"],
            reason=note,
        )
    return selectors.person_get(actor=actor, person_id=keep.pk)


# --- transfers of access ------------------------------------------------------------------------


def _requesting_hub(actor: Actor):
    """The hub (a ``directory.Organisation``) the actor registers for: the first membership
    naming one. (The directory is a sibling context: reached through our foreign key.)"""
    organisation_id = next(
        (g.organisation_id for g in actor.grants_for(Perm.PERSONS_WRITE) if g.organisation_id),
        None,
    )
    hubs = AccessTransfer._meta.get_field("to_organisation").related_model.objects
    hub = hubs.select_related("community").filter(pk=organisation_id).first()
    if hub is None:
        raise _invalid(
            NON_FIELD_ERRORS,
            _("Запит може надіслати лише працівник хабу."),
            "no_hub",
        )
    return hub


def _audit_transfer(actor: Actor, transfer: AccessTransfer, event: str, action=None) -> None:
    """One event in the holder's trail (about the person) and one in the requester's (about
    the request), so each hub sees what concerns it."""
    action = action or audit.Action.UPDATE
    audit.record(
        actor=actor,
        action=action,
        event=f"registry.person.transfer_{event}",
        target=transfer.person,
        community=transfer.from_community,
        organisation=transfer.from_organisation,
    )
    audit.record(
        actor=actor,
        action=action,
        event=f"registry.transfer.{event}",
        target=transfer,
        community=transfer.to_community,
        organisation=transfer.to_organisation,
    )


def transfer_request(*, actor: Actor, transfer_ref: str, reason: str) -> AccessTransfer:
    """Asks the holding hub for a person found by search outside the actor's scope
    (``transfer_ref``, see ``selectors.transfer_ref_for``), with a reason for the holder."""
    policies.require(actor, Perm.PERSONS_WRITE)
    problems = fields.Problems()
    reason = problems.check(
        "reason", fields.text, reason, max_length=REASON_MAX_LENGTH, required=True
    )
    person_id = problems.check(
        "transfer_ref", selectors.transfer_ref_person_id, actor=actor, ref=transfer_ref or ""
    )
    problems.raise_any()
    hub = _requesting_hub(actor)
    person = Person.objects.select_related("community", "organisation").filter(pk=person_id).first()
    if person is None or person.merged_into_id:
        raise _invalid(
            "transfer_ref",
            _("Цього запису вже немає в реєстрі: знайдіть особу через пошук ще раз."),
            "gone",
        )
    if policies.covers(
        actor, Perm.PERSONS_READ, community=person.community, organisation=person.organisation_id
    ):
        raise _invalid("transfer_ref", _("Ця особа вже у вашому доступі."), "already_yours")
    try:
        with transaction.atomic():
            transfer = AccessTransfer.objects.create(
                person=person,
                from_community=person.community,
                from_organisation=person.organisation,
                to_community=hub.community,
                to_organisation=hub,
                reason=reason,
                requested_by=actor.user,
            )
            _audit_transfer(actor, transfer, "requested", audit.Action.CREATE)
    except IntegrityError:
        raise RegistryConflict(
            "transfer_already_requested",
            _("Ваш хаб уже запросив цю особу: дочекайтеся рішення."),
        ) from None
    return transfer


def _already_decided() -> RegistryConflict:
    return RegistryConflict("transfer_already_decided", _("Щодо цього запиту вже є рішення."))


def _close(transfer: AccessTransfer, actor: Actor, status: str, note: str = "") -> None:
    """Moves an open request to ``status``, or ``RegistryConflict`` if someone closed it."""
    now = timezone.now()
    if not AccessTransfer.objects.filter(pk=transfer.pk, status=TransferStatus.REQUESTED).update(
        status=status, decided_by=actor.user, decided_at=now, decision_note=note
    ):
        raise _already_decided()
    transfer.status, transfer.decided_by, transfer.decided_at = status, actor.user, now
    transfer.decision_note = note


def _hand_over(actor: Actor, transfer: AccessTransfer) -> None:
    """The record moves to the requesting hub, and what other contexts hold of the person with
    it (``signals.person_transferred``); other open requests for it are cancelled."""
    person = transfer.person
    Person.objects.filter(pk=person.pk).update(
        community=transfer.to_community, organisation=transfer.to_organisation
    )
    _bump(person, ["community", "organisation"])
    signals.person_transferred.send(
        sender=Person,
        actor=actor,
        person=person,
        from_community_id=transfer.from_community_id,
        from_organisation_id=transfer.from_organisation_id,
        to_community_id=transfer.to_community_id,
        to_organisation_id=transfer.to_organisation_id,
    )
    others = AccessTransfer.objects.filter(person=person, status=TransferStatus.REQUESTED)
    for other in others.select_related("person", "from_community", "to_community"):
        _close(other, actor, TransferStatus.CANCELLED)
        _audit_transfer(actor, other, "cancelled")


def transfer_decide(
    *, actor: Actor, transfer_id: UUID | str, grant: bool, note: str = ""
) -> AccessTransfer:
    """The holding hub's decision on a request (``Http404`` for anyone else). A grant moves the
    person to the requesting hub."""
    policies.require(actor, Perm.TRANSFERS_DECIDE)
    transfer = selectors.transfer_for_decision(actor=actor, transfer_id=transfer_id)
    problems = fields.Problems()
    note = problems.check("note", fields.text, note, default="", max_length=REASON_MAX_LENGTH)
    problems.raise_any()
    if transfer.status != TransferStatus.REQUESTED:
        raise _already_decided()
    with transaction.atomic():
        _close(transfer, actor, TransferStatus.GRANTED if grant else TransferStatus.REFUSED, note)
        _audit_transfer(actor, transfer, "granted" if grant else "refused")
        if grant:
            _hand_over(actor, transfer)
    return transfer


def transfer_cancel(*, actor: Actor, transfer_id: UUID | str) -> AccessTransfer:
    """The requesting hub withdraws its open request."""
    transfer = selectors.transfer_of_requester(actor=actor, transfer_id=transfer_id)
    if transfer.status != TransferStatus.REQUESTED:
        raise _already_decided()
    with transaction.atomic():
        _close(transfer, actor, TransferStatus.CANCELLED)
        _audit_transfer(actor, transfer, "cancelled")
    return transfer
