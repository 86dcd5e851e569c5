"""Write workflows of the registry: one transaction each, audited inside."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm
from apps.audit import services as audit
from apps.geo.models import Unit

from . import selectors
from .identifiers import (
    EARLIEST_BIRTH_DATE,
    DocumentType,
    IdentifierError,
    IdentifierWarning,
    Sex,
    validate_document,
    validate_phone,
)
from .models import Category, Document, Person, PersonCategory, PersonPhone
from .names import person_keys, transliterate

# A personal number names one person: its match cannot be confirmed away (the database
# refuses a second holder, see Document's constraint).
PERSONAL_NUMBERS = ("same_rnokpp",)
UNIQUE_DOCUMENT_TYPES = (DocumentType.RNOKPP, DocumentType.UNZR)
ADDRESS_MAX_LENGTH = 255


class DuplicateSuspected(Exception):
    """The person looks already registered: ``matches`` (``selectors.Match``), best first.
    ``confirmable`` is false when a personal number matched (a confirmation cannot help)."""

    def __init__(self, matches: list[selectors.Match], *, confirmable: bool = True) -> None:
        super().__init__("duplicate_suspected")
        self.matches = matches
        self.confirmable = confirmable


@dataclass
class Registered:
    person: Person
    warnings: list[IdentifierWarning] = field(default_factory=list)


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _clean(data: dict[str, Any], errors: dict[str, list]) -> dict[str, Any]:
    """The registration form read and checked field by field; every problem in ``errors``."""
    clean: dict[str, Any] = {}
    for name in ("last_name", "first_name"):
        clean[name] = _text(data, name)
        if not clean[name]:
            errors.setdefault(name, []).append(
                ValidationError(_("Обов'язкове поле."), code="required")
            )
    clean["patronymic"] = _text(data, "patronymic")

    birth_date = data.get("birth_date")
    if isinstance(birth_date, str):
        try:
            birth_date = date.fromisoformat(birth_date)
        except ValueError:
            birth_date = "invalid"
    if birth_date is None or birth_date == "":
        errors.setdefault("birth_date", []).append(
            ValidationError(_("Обов'язкове поле."), code="required")
        )
        birth_date = None
    elif not isinstance(birth_date, date):
        errors.setdefault("birth_date", []).append(
            ValidationError(_("Потрібна дата у форматі РРРР-ММ-ДД."), code="invalid")
        )
        birth_date = None
    elif birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(
            ValidationError(_("Дата народження не може бути в майбутньому."), code="future")
        )
        birth_date = None
    elif birth_date < EARLIEST_BIRTH_DATE:
        errors.setdefault("birth_date", []).append(
            ValidationError(_("Дата народження не може бути раніше 1900 року."), code="too_early")
        )
        birth_date = None
    clean["birth_date"] = birth_date

    sex = _text(data, "sex")
    if sex not in Sex.values:
        errors.setdefault("sex", []).append(
            ValidationError(_("Стать: оберіть жіночу або чоловічу."), code="invalid_choice")
        )
        sex = None
    clean["sex"] = sex

    phone = _text(data, "phone")
    if phone:
        try:
            phone = validate_phone(phone)
        except IdentifierError as exc:
            errors.setdefault("phone", []).append(ValidationError(exc.message, code=exc.code))
            phone = ""
    clean["phone"] = phone

    email = _text(data, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(
                ValidationError(
                    _("Електронна пошта: потрібна адреса на кшталт name@example.org."),
                    code="invalid",
                )
            )
            email = ""
    clean["email"] = email

    current_address = " ".join(_text(data, "current_address").split())
    if len(current_address) > ADDRESS_MAX_LENGTH:
        errors.setdefault("current_address", []).append(
            ValidationError(
                _("Адреса задовга: не більше %(max)s символів.") % {"max": ADDRESS_MAX_LENGTH},
                code="too_long",
            )
        )
        current_address = ""
    clean["current_address"] = current_address

    community = None
    code = _text(data, "community")
    if not code:
        errors.setdefault("community", []).append(
            ValidationError(_("Обов'язкове поле."), code="required")
        )
    else:
        community = Unit.objects.filter(pk=code.upper()).first()
        if community is None or not community.is_community:
            errors.setdefault("community", []).append(
                ValidationError(_("Немає громади з таким кодом КАТОТТГ."), code="unknown_community")
            )
            community = None
    clean["community"] = community

    documents, warnings = [], []
    for i, document in enumerate(data.get("documents") or []):
        number = (document.get("number") or "").strip()
        try:
            validated = validate_document(
                document.get("type") or "", number, birth_date=birth_date, sex=sex
            )
        except IdentifierError as exc:
            target = "type" if exc.code == "document_type_unknown" else "number"
            errors.setdefault(f"documents[{i}].{target}", []).append(
                ValidationError(exc.message, code=exc.code)
            )
            continue
        issued_on = document.get("issued_on")
        if isinstance(issued_on, date) and issued_on > timezone.localdate():
            errors.setdefault(f"documents[{i}].issued_on", []).append(
                ValidationError(_("Дата видачі не може бути в майбутньому."), code="future")
            )
            continue
        warnings.extend(validated.warnings)
        documents.append({**document, "number": validated.normalised})
    seen = set()
    for i, document in enumerate(documents):
        key = (document["type"], document["number"])
        if key in seen and document["type"] in UNIQUE_DOCUMENT_TYPES:
            errors.setdefault(f"documents[{i}].number", []).append(
                ValidationError(_("Цей документ уже вказано."), code="repeated")
            )
        seen.add(key)
    clean["documents"], clean["warnings"] = documents, warnings

    categories = []
    for i, category in enumerate(data.get("categories") or []):
        if category not in Category.values:
            errors.setdefault(f"categories[{i}]", []).append(
                ValidationError(_("Невідома категорія."), code="invalid_choice")
            )
        elif category not in categories:
            categories.append(category)
    clean["categories"] = categories
    return clean


def person_validate(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """The registration form read and checked field by field, without writing anything: the
    clean values and every problem (``ValidationError``\\s keyed by field, empty when valid).
    Messages are in the active language."""
    errors: dict[str, list] = {}
    clean = _clean(data, errors)
    return clean, errors


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
) -> Registered:
    """Registers a person in ``data["community"]`` for the actor's hub there (or for the hub
    ``organisation_id``, which the actor must cover in that community).

    ``ValidationError`` (keyed by field, every problem at once) for bad input; ``PermissionDenied``
    unless the actor may write persons of that community; ``DuplicateSuspected`` when the person
    looks registered already (anywhere) and ``confirm_not_duplicate`` is false. Document
    warnings do not block: they come back in ``Registered.warnings``."""
    policies.require(actor, Perm.PERSONS_WRITE)
    clean, errors = person_validate(data)
    if errors:
        raise ValidationError(errors)

    community = clean["community"]
    organisation_id = _registering_organisation(actor, community, organisation_id)

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

        keys = person_keys(clean["last_name"], clean["first_name"], clean["patronymic"])
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
            email=clean["email"],
            current_address=clean["current_address"],
            key_last=keys.last,
            key_first=keys.first,
            key_patronymic=keys.patronymic,
            latin_last=keys.last_latin,
            latin_first=keys.first_latin,
            latin_patronymic=keys.patronymic_latin,
            surname_sound=keys.surname_sound,
            birth_year=clean["birth_date"].year,
            created_by=actor.user,
        )
        for document in clean["documents"]:
            Document.objects.create(
                person=person,
                type=document["type"],
                number=document["number"],
                issued_on=document.get("issued_on"),
                issuer=(document.get("issuer") or "").strip(),
            )
        if clean["phone"]:
            PersonPhone.objects.create(person=person, number=clean["phone"], is_primary=True)
        for code in clean["categories"]:
            PersonCategory.objects.create(person=person, code=code)
        given = [
            name
            for name in (
                "last_name",
                "first_name",
                "patronymic",
                "birth_date",
                "sex",
                "phone",
                "email",
                "community",
                "current_address",
                "documents",
                "categories",
            )
            if clean[name]
        ]
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            event="registry.person.created",
            target=person,
            changed_fields=given,
        )
    return Registered(person=person, warnings=clean["warnings"])
