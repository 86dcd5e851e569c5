"""Writers of the person import: accepting an upload (``import_job_create``) and importing its
rows (``import_job_run``, which the background task calls).

Decisions:
- **Every row goes through the registry's own writer**, ``registry.services.person_register``
  (its validation, its duplicate check across every community, its audit event per person):
  the import adds no rule of its own about persons — only how a file's cells become the
  registration form (dates as ДД.ММ.РРРР too, choices by code or label, several categories in
  one cell) and the household columns. A row is validated once: the clean values of
  ``validate_entry`` are what ``person_register`` writes (``validated``).
- **Speed**: a batch's duplicate checks share the name vocabulary's answers
  (``vocabulary.remembered``): each similar-name lookup is made once per batch, and the names
  the batch itself adds are told to it (and taken back with a savepoint that rolls them back),
  so a person is still flagged as a duplicate of one created earlier in the same file.
- **Batches**: rows are imported in transactions of about ``IMPORT_BATCH_ROWS`` rows (500);
  the job's progress is updated in the same transaction, so a batch and its count commit
  together and a job interrupted by a crash resumes after its last committed batch. A batch
  that fails unexpectedly is rolled back whole — its persons, households, audit events and
  issues — and each of its rows is reported; the other batches stay. A row (or household) the
  database refuses is rolled back alone, by its own savepoint, and reported on its line: it
  does not take the rest of its batch with it.
- **A household is imported whole or not at all**, and never split between batches. When any
  of its rows is invalid or looks registered already — the head's included — none of its rows
  is created: the others are reported as "not imported with its household", naming the lines
  to fix. So a corrected file can be imported again: what was created is flagged as a likely
  duplicate and not created twice, and the household arrives complete.
- **Duplicates are flagged, never created**: the row is reported with the matches
  ``person_register`` found: the holding hub and the person's id, which the report shows only
  to a reader who may see that person (``selectors.issues_for_reader``) — not to every reader
  of the job just because the uploader could see it.
- **Audit**: the upload, the start and the end of a job are events of the job; each person,
  household and consent created has its own event (from the registry's writer), in the
  transaction of its batch — one event per person, so that a person's history shows where
  they came from without reading an import's list.
- **Messages** are stored in every language of the site (see ``models``).
- ``household_create_for_import`` is the minimal household writer the import needs, kept in
  one function so that it can be replaced by the households' own service.
"""

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.access import policies
from apps.access.actor import Actor, actor_for
from apps.access.roles import Perm
from apps.audit import services as audit
from apps.geo.models import Unit

from .. import services as registry
from .. import vocabulary
from ..identifiers import DocumentType, Sex
from ..models import (
    Consent,
    ConsentScope,
    Household,
    HouseholdMember,
    NameKey,
    Person,
    Relationship,
)
from . import columns, reading, selectors
from .models import (
    ImportJob,
    ImportRowIssue,
    ImportStatus,
    IssueKind,
    in_every_language,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH_ROWS = 500
CONSENT_PURPOSE_MAX_LENGTH = 255
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_LIST_SPLIT = re.compile(r"[;,]")
_DOCUMENT_COLUMNS = (("rnokpp", DocumentType.RNOKPP), ("unzr", DocumentType.UNZR))
_IDP_COLUMNS = ("idp_certificate_number", "idp_certificate_date", "idp_certificate_issuer")


def batch_rows() -> int:
    return getattr(settings, "IMPORT_BATCH_ROWS", DEFAULT_BATCH_ROWS)


# --- the upload -------------------------------------------------------------------------------


def _file_error(message: Any, code: str) -> ValidationError:
    return ValidationError({"file": [ValidationError(str(message), code=code)]})


def import_job_create(
    *, actor: Actor, organisation_id: int | None, filename: str, content: bytes
) -> ImportJob:
    """Accepts a file for import into the hub ``organisation_id`` and queues nothing yet (see
    ``tasks.import_job_submit``). ``ValidationError`` keyed ``organisation`` (not a hub the
    actor may import into — missing and not-yours alike) or ``file`` (too large, empty, binary,
    unreadable, without the required columns or rows), with nothing saved."""
    policies.require(actor, Perm.PERSONS_WRITE)
    hub = next((h for h in selectors.import_hubs(actor=actor) if h.pk == organisation_id), None)
    if hub is None:
        if selectors.organisation_exists(organisation_id):  # another's hub: on its trail
            audit.record(
                actor=actor,
                action=audit.Action.PERMISSION_DENIED,
                event="registry.import.denied",
                organisation=organisation_id,
                reason=Perm.PERSONS_WRITE,
            )
        raise ValidationError(
            {
                "organisation": [
                    ValidationError(
                        str(_("Оберіть хаб, до якого ви можете імпортувати осіб.")),
                        code="invalid_choice",
                    )
                ]
            }
        )
    if len(content) > reading.max_bytes():
        raise _file_error(reading.too_large_message(), "too_large")
    try:
        layout = reading.inspect(content)
    except reading.FileProblem as exc:
        raise _file_error(exc.message, exc.code) from None
    with transaction.atomic():
        job = ImportJob.objects.create(
            community=hub.community,
            organisation=hub,
            uploaded_by=actor.user,
            original_name=(filename or "")[-255:],
            format=layout.format,
            encoding=layout.encoding,
            delimiter=layout.delimiter,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            ignored_columns=layout.ignored,
            total_rows=layout.rows,
        )
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            event="registry.import.uploaded",
            target=job,
            changed_fields=["file"],
        )
    return job


# --- one row read into the registration form ------------------------------------------------


@dataclass
class Issue:
    line: int
    field: str
    code: str
    messages: dict[str, str]
    kind: str = IssueKind.ERROR
    matches: list[dict] = field(default_factory=list)


@dataclass(eq=False)  # rows are told apart by identity
class Entry:
    """One row: the registration form for ``person_register`` and what else it carries."""

    line: int
    data: dict[str, Any]
    document_columns: list[str]
    household: str
    relationship: str
    consent: tuple[str, str] | None
    issues: list[Issue] = field(default_factory=list)  # the row is not imported
    clean: dict[str, Any] | None = None  # the registry's clean values, once validated
    warnings: list[Issue] = field(default_factory=list)  # imported; worth a look

    def problem(self, column: str, code: str, message: Any, /, **params: Any) -> None:
        """An issue of the import's own (the column's value could not be read)."""
        self.issues.append(
            Issue(self.line, column, code, in_every_language(lambda: _render(message, params)))
        )

    @property
    def columns_with_issues(self) -> set[str]:
        return {issue.field for issue in self.issues}


def _render(message: Any, params: dict) -> str:
    return str(message) % {k: str(v) for k, v in params.items()} if params else str(message)


@dataclass
class Choices:
    """Lookups of the coded columns, built once per job."""

    sex: dict[str, str]
    relationship: dict[str, str]
    consent_scope: dict[str, str]

    @classmethod
    def build(cls) -> "Choices":
        return cls(
            sex=columns.choice_map(
                list(Sex.choices), ж=Sex.FEMALE, ч=Sex.MALE, f=Sex.FEMALE, m=Sex.MALE
            ),
            relationship=columns.choice_map(list(Relationship.choices)),
            consent_scope=columns.choice_map(list(ConsentScope.choices)),
        )


def parse_date(value: Any) -> date | None:
    """A cell as a date: an XLSX date, ``ДД.ММ.РРРР`` or ``РРРР-ММ-ДД``; ``None`` otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if match := _DMY.match(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


def _text(values: dict, key: str) -> str:
    value = values.get(key, "")
    return value.strip() if isinstance(value, str) else str(value)


def _date_cell(entry: Entry, values: dict, key: str) -> date | None:
    value = values.get(key, "")
    if value in ("", None):
        return None
    parsed = parse_date(value)
    if parsed is None:
        entry.problem(key, "invalid_date", _("Потрібна дата у форматі ДД.ММ.РРРР або РРРР-ММ-ДД."))
    return parsed


def _choice_cell(entry: Entry, values: dict, key: str, lookup: dict[str, str]) -> str:
    raw = _text(values, key)
    if not raw:
        return ""
    code = lookup.get(columns.normalise(raw))
    if code is None:
        entry.problem(
            key,
            "invalid_choice",
            _("Невідоме значення «%(value)s»: оберіть код зі списку на аркуші «Довідка»."),
            value=raw[:50],
        )
        return ""
    return code


def _documents(entry: Entry, values: dict) -> None:
    documents, document_columns = [], []
    for key, document_type in _DOCUMENT_COLUMNS:
        if number := _text(values, key):
            documents.append({"type": document_type, "number": number})
            document_columns.append(key)
    issued_on = _date_cell(entry, values, "idp_certificate_date")
    if any(_text(values, key) for key in _IDP_COLUMNS):
        documents.append(
            {
                "type": DocumentType.IDP_CERTIFICATE,
                "number": _text(values, "idp_certificate_number"),
                "issued_on": issued_on,
                "issuer": _text(values, "idp_certificate_issuer"),
            }
        )
        document_columns.append("idp_certificate_number")
    entry.data["documents"] = documents
    entry.document_columns = document_columns


def _consent(entry: Entry, values: dict, choices: Choices) -> None:
    purpose = " ".join(_text(values, "consent_purpose").split())
    scope = _choice_cell(entry, values, "consent_scope", choices.consent_scope)
    if len(purpose) > CONSENT_PURPOSE_MAX_LENGTH:
        entry.problem(
            "consent_purpose",
            "too_long",
            _("Задовго: не більше %(max)s символів."),
            max=CONSENT_PURPOSE_MAX_LENGTH,
        )
    elif purpose:
        entry.consent = (purpose, scope or ConsentScope.HUB)
    elif scope:
        entry.problem(
            "consent_purpose", "required", _("Вкажіть мету згоди, коли вказано, кому її дано.")
        )


def _community(values: dict, job: ImportJob) -> Any:
    """The row's community: the job's own (the ``Unit``, not looked up again) when the cell is
    empty or names it, else the code as written (the registry's rule checks it)."""
    code = _text(values, "community")
    return job.community if not code or code.upper() == job.community_id else code


def read_entry(row: reading.Row, *, job: ImportJob, choices: Choices) -> Entry:
    """The registration form of one row; problems of reading its cells in ``issues``."""
    values = row.values
    entry = Entry(
        line=row.line,
        data={},
        document_columns=[],
        household=_text(values, "household"),
        relationship="",
        consent=None,
    )
    sex_raw = _text(values, "sex")
    birth_date = _date_cell(entry, values, "birth_date")
    entry.data = {
        "last_name": _text(values, "last_name"),
        "first_name": _text(values, "first_name"),
        "patronymic": _text(values, "patronymic"),
        "birth_date": birth_date,
        # An unknown value goes through as typed: the registry's rule reports it.
        "sex": choices.sex.get(columns.normalise(sex_raw), sex_raw),
        "phone": _text(values, "phone"),
        "email": _text(values, "email"),
        "community": _community(values, job),
        "current_address": _text(values, "current_address"),
        "categories": [
            code.strip().upper()
            for code in _LIST_SPLIT.split(_text(values, "categories"))
            if code.strip()
        ],
    }
    _documents(entry, values)
    entry.relationship = _choice_cell(entry, values, "relationship", choices.relationship)
    _consent(entry, values, choices)
    return entry


# --- validation through the registry's rules --------------------------------------------------


def _column_of(error_key: str, entry: Entry) -> str:
    """The column of a key of ``person_validate``'s errors (``documents[1].number`` → the
    column that document came from)."""
    if match := re.match(r"^documents\[(\d+)\]\.(\w+)$", error_key):
        index, part = int(match.group(1)), match.group(2)
        column = entry.document_columns[index] if index < len(entry.document_columns) else ""
        if column == "idp_certificate_number" and part == "issued_on":
            return "idp_certificate_date"
        return column
    if error_key.startswith("categories["):
        return "categories"
    return error_key if error_key in columns.BY_KEY else ""


def _validated_in(language: str, data: dict) -> tuple[dict, dict[str, list]]:
    with translation.override(language):
        return registry.person_validate(data)


def validate_entry(entry: Entry, *, job: ImportJob) -> None:
    """Adds the registry's validation problems to ``entry.issues``, each in every language:
    the validators render their messages when they run, so a row with problems is checked
    once more per other language."""
    clean, errors = _validated_in(settings.LANGUAGE_CODE, entry.data)
    entry.clean = None if errors else clean
    if errors:
        other = {
            language: _validated_in(language, entry.data)[1]
            for language, _name in settings.LANGUAGES
            if language != settings.LANGUAGE_CODE
        }
        already = entry.columns_with_issues
        for key, problems in errors.items():
            column = _column_of(key, entry)
            if column in already:
                continue  # the cell could not be read: its own message says why
            for index, problem in enumerate(problems):
                messages = {settings.LANGUAGE_CODE: problem.messages[0]}
                messages |= {lang: found[key][index].messages[0] for lang, found in other.items()}
                entry.issues.append(Issue(entry.line, column, problem.code or "invalid", messages))
    community = clean.get("community")
    if "community" not in errors and community is not None and community.pk != job.community_id:
        entry.problem(
            "community",
            "other_community",
            _("Хаб «%(hub)s» реєструє осіб лише своєї громади (код %(katottg)s)."),
            hub=job.organisation.name,
            katottg=job.community_id,
        )


# --- households and batches -------------------------------------------------------------------


@dataclass
class ImportUnit:
    """What is imported whole: one row, or every row of one household key."""

    household: str
    entries: list[Entry]


def _check_household(unit: ImportUnit) -> None:
    if not unit.household:
        entry = unit.entries[0]
        if entry.relationship not in ("", Relationship.HEAD):
            entry.problem(
                "relationship",
                "household_missing",
                _("Ким доводиться голові — вказано, а ключ домогосподарства порожній."),
            )
        return
    heads = [e for e in unit.entries if e.relationship == Relationship.HEAD]
    for entry in unit.entries:
        if not entry.relationship and "relationship" not in entry.columns_with_issues:
            entry.problem(
                "relationship",
                "required",
                _("Обов'язкове для члена домогосподарства: ким особа доводиться голові."),
            )
    if len(heads) != 1:
        for entry in heads or unit.entries[:1]:
            entry.problem(
                "household",
                "household_heads",
                _(
                    "Домогосподарство «%(key)s»: має бути рівно один голова (head), "
                    "а вказано %(count)s."
                ),
                key=unit.household,
                count=len(heads),
            )


def plan(rows: list[reading.Row], *, job: ImportJob) -> list[ImportUnit]:
    """The rows read and grouped: a household's rows form one unit (placed where its first
    row is), every other row is a unit of its own. The import's own problems are found here;
    the registry's rules are checked per batch."""
    choices = Choices.build()
    units: list[ImportUnit] = []
    households: dict[str, ImportUnit] = {}
    for row in rows:
        entry = read_entry(row, job=job, choices=choices)
        key = columns.normalise(entry.household)
        if not key:
            units.append(ImportUnit("", [entry]))
        elif key in households:
            households[key].entries.append(entry)
        else:
            households[key] = ImportUnit(entry.household, [entry])
            units.append(households[key])
    for unit in units:
        _check_household(unit)
    return units


def batches(units: list[ImportUnit], *, skip_rows: int = 0) -> Iterator[list[ImportUnit]]:
    """Units in batches of about ``batch_rows()`` rows (a household is never split); the
    first ``skip_rows`` rows — the batches a resumed job has committed — are left out."""
    batch: list[ImportUnit] = []
    size = seen = 0
    for unit in units:
        seen += len(unit.entries)
        if seen <= skip_rows:
            continue
        batch.append(unit)
        size += len(unit.entries)
        if size >= batch_rows():
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def household_create_for_import(
    *,
    actor: Actor,
    organisation_id: int,
    community: Unit,
    members: list[tuple[Person, str]],
) -> Household:
    """A new household of ``members`` (person, relationship to the head) held by the hub, as
    of today, audited. The minimal writer the import needs; the constraints of
    ``HouseholdMember`` (one head, one current household per person) still hold."""
    household = Household.objects.create(community=community, organisation_id=organisation_id)
    today = timezone.localdate()
    HouseholdMember.objects.bulk_create(
        HouseholdMember(
            household=household, person=person, relationship=relationship, joined_on=today
        )
        for person, relationship in members
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        event="registry.household.created",
        target=household,
        organisation=organisation_id,
        changed_fields=["members"],
    )
    return household


def _consent_record(actor: Actor, person: Person, organisation_id: int, consent) -> None:
    purpose, scope = consent
    Consent.objects.create(
        person=person,
        organisation_id=organisation_id,
        purpose=purpose,
        scope=scope,
        recorded_by=actor.user,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        event="registry.consent.created",
        target=person,
        organisation=person.organisation_id,
        changed_fields=["consent"],
    )


# --- importing ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    issues: list[Issue] = field(default_factory=list)
    processed: int = 0
    imported: int = 0
    duplicates: int = 0
    errors: int = 0


class _HouseholdIncomplete(Exception):
    """Rolls a household's savepoint back."""


def _duplicate_issue(entry: Entry, exc: registry.DuplicateSuspected, gone: set) -> Issue:
    if exc.confirmable:
        message = _(
            "Схоже, цю особу вже зареєстровано, тож її не створено. Перевірте збіги; якщо це "
            "інша особа, зареєструйте її вручну."
        )
    else:
        message = _("Особу з цим РНОКПП уже зареєстровано, тож її не створено.")
    matches = [
        {
            "id": None if m.person.pk in gone else str(m.person.pk),
            "held_by": m.held_by,
            "reasons": m.reasons,
            "score": m.score,
        }
        for m in exc.matches
    ]
    return Issue(
        entry.line,
        "",
        "duplicate_suspected",
        in_every_language(lambda: message),
        kind=IssueKind.DUPLICATE,
        matches=matches,
    )


def _warning_issue(entry: Entry, warning) -> Issue:
    """A document doubt the registry accepts (a birth date or sex other than the РНОКПП's or
    the УНЗР's, an УНЗР check digit): its code names the document's column."""
    prefix = warning.code.split("_", 1)[0]
    column = prefix if prefix in entry.document_columns else ""
    return Issue(
        entry.line,
        column,
        warning.code,
        in_every_language(lambda: warning.message),
        kind=IssueKind.WARNING,
    )


def _not_with_household(unit: ImportUnit, failed: list[Entry]) -> None:
    """The rows of a household that cannot be imported whole, reported (the failed rows
    carry their own issues already)."""
    lines = ", ".join(str(e.line) for e in failed)
    for entry in unit.entries:
        if entry not in failed:
            entry.problem(
                "household",
                "household_not_imported",
                _(
                    "Не імпортовано: домогосподарство «%(key)s» імпортується лише повністю, "
                    "а в рядках %(lines)s є проблеми."
                ),
                key=unit.household,
                lines=lines,
            )


def _not_saved(unit: ImportUnit) -> None:
    """Every row of a unit the database refused (its savepoint rolled back), reported."""
    message = _(
        "Не імпортовано: базі даних не вдалося зберегти цей рядок (або його домогосподарство). "
        "Перевірте значення й імпортуйте рядок ще раз."
    )
    for entry in unit.entries:
        entry.warnings = []  # not created: nothing to warn about
        entry.issues.append(Issue(entry.line, "", "not_saved", in_every_language(lambda: message)))


def _name_keys(person: Person) -> list[vocabulary.Wanted]:
    """The vocabulary keys a new person adds (what the triggers write)."""
    return [
        (NameKey.LAST, person.latin_last),
        (NameKey.FIRST, person.latin_first),
        (NameKey.PATRONYMIC, person.latin_patronymic),
    ]


def _register_unit(
    job: ImportJob, actor: Actor, unit: ImportUnit, names: vocabulary.Remembered
) -> list[Entry]:
    """Registers every row of the unit in one savepoint; the rows flagged as duplicates (the
    savepoint rolled back when there are any). A database error rolls back only this unit's
    savepoint: its rows are reported, the rest of the batch goes on. ``names`` learns the new
    persons' name keys, and forgets them when the savepoint rolls back."""
    flagged: list[tuple[Entry, registry.DuplicateSuspected]] = []
    created: list[tuple[Entry, Person]] = []
    try:
        with transaction.atomic():
            for entry in unit.entries:
                try:
                    registered = registry.person_register(
                        actor=actor,
                        data=entry.data,
                        organisation_id=job.organisation_id,
                        validated=entry.clean,
                    )
                except registry.DuplicateSuspected as exc:
                    flagged.append((entry, exc))
                    continue
                created.append((entry, registered.person))
                names.written(_name_keys(registered.person))
                entry.warnings = [_warning_issue(entry, w) for w in registered.warnings]
            if flagged:
                raise _HouseholdIncomplete
            for entry, person in created:
                if entry.consent:
                    _consent_record(actor, person, job.organisation_id, entry.consent)
            if unit.household:
                household_create_for_import(
                    actor=actor,
                    organisation_id=job.organisation_id,
                    community=job.community,
                    members=[(person, entry.relationship) for entry, person in created],
                )
    except _HouseholdIncomplete:
        for entry, person in created:
            entry.warnings = []  # not created: nothing to warn about
            names.withdrawn(_name_keys(person))
        gone = {person.pk for _entry, person in created}
        for entry, exc in flagged:
            entry.issues.append(_duplicate_issue(entry, exc, gone))
    except DatabaseError:
        logger.exception("Import %s: the database refused line %s", job.pk, unit.entries[0].line)
        for _entry, person in created:
            names.withdrawn(_name_keys(person))
        _not_saved(unit)
        return []
    return [entry for entry, _exc in flagged]


def _import_unit(
    job: ImportJob,
    actor: Actor,
    unit: ImportUnit,
    outcome: Outcome,
    names: vocabulary.Remembered,
) -> None:
    outcome.processed += len(unit.entries)
    for entry in unit.entries:
        validate_entry(entry, job=job)
    failed = [e for e in unit.entries if e.issues]
    flagged: list[Entry] = []
    if not failed:
        flagged = _register_unit(job, actor, unit, names)
        failed = [e for e in unit.entries if e.issues]
    if failed and unit.household:
        _not_with_household(unit, failed)
    if not failed:
        outcome.imported += len(unit.entries)
    else:
        outcome.duplicates += len(flagged)
        outcome.errors += len(unit.entries) - len(flagged)
    for entry in unit.entries:
        outcome.issues.extend([*entry.issues, *entry.warnings])


def _save(job: ImportJob, outcome: Outcome) -> None:
    """The batch's issues and counts (inside the batch's transaction)."""
    ImportRowIssue.objects.bulk_create(
        ImportRowIssue(
            job=job,
            line=issue.line,
            field=issue.field,
            kind=issue.kind,
            code=issue.code[:64],
            messages=issue.messages,
            matches=issue.matches,
        )
        for issue in outcome.issues
    )
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=F("processed_rows") + outcome.processed,
        imported_count=F("imported_count") + outcome.imported,
        duplicate_count=F("duplicate_count") + outcome.duplicates,
        error_count=F("error_count") + outcome.errors,
    )


def _batch_failed(job: ImportJob, batch: list[ImportUnit]) -> None:
    """Every row of a batch that was rolled back, reported."""
    outcome = Outcome()
    message = _(
        "Не імпортовано через внутрішню помилку: з цієї частини файлу нічого не збережено. "
        "Спробуйте імпортувати ці рядки ще раз."
    )
    for unit in batch:
        for entry in unit.entries:
            outcome.processed += 1
            outcome.errors += 1
            outcome.issues.append(
                Issue(entry.line, "", "batch_failed", in_every_language(lambda: message))
            )
    with transaction.atomic():
        _save(job, outcome)


def import_batch(job: ImportJob, actor: Actor, batch: list[ImportUnit]) -> None:
    """One batch in one transaction: its persons, households, consents, audit events, issues
    and the job's progress commit together, or — on an unexpected error — none of them."""
    try:
        with vocabulary.remembered() as names, transaction.atomic():
            outcome = Outcome()
            for unit in batch:
                _import_unit(job, actor, unit, outcome, names)
            _save(job, outcome)
    except Exception:  # any failure rolls the batch back; the other batches go on
        logger.exception("Import %s: a batch failed and was rolled back", job.pk)
        _batch_failed(job, batch)


def _job_event(actor: Actor, job: ImportJob, event: str, action: str) -> None:
    audit.record(actor=actor, action=action, event=event, target=job, changed_fields=["status"])


def _start(job: ImportJob, actor: Actor) -> None:
    with transaction.atomic():
        job.status = ImportStatus.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "started_at"])
        _job_event(actor, job, "registry.import.started", audit.Action.UPDATE)


def _end(job: ImportJob, actor: Actor, status: str, failure: dict | None = None) -> ImportJob:
    """The job's end: its state, and the file erased (the persons are registered, the report
    is in the issues)."""
    with transaction.atomic():
        job.refresh_from_db()
        job.status = status
        job.failure = failure or {}
        job.finished_at = timezone.now()
        job.content = None
        job.save(update_fields=["status", "failure", "finished_at", "content"])
        _job_event(actor, job, f"registry.import.{status}", audit.Action.UPDATE)
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Imports the job's rows, batch by batch, as the user who uploaded the file (with the
    rights that user has now). A finished job is left as it is; a job that was interrupted
    goes on after its last committed batch."""
    job = ImportJob.objects.select_related("organisation", "community", "uploaded_by").get(
        pk=job_id
    )
    if job.is_finished:
        return job
    actor = actor_for(job.uploaded_by)
    _start(job, actor)
    if not policies.covers(
        actor, Perm.PERSONS_WRITE, community=job.community, organisation=job.organisation_id
    ):
        message = _(
            "Користувач, який завантажив файл, більше не може реєструвати осіб у цьому хабі."
        )
        return _end(job, actor, ImportStatus.FAILED, in_every_language(lambda: message))
    try:
        _layout, rows = reading.read(bytes(job.content or b""))
    except reading.FileProblem as exc:
        return _end(job, actor, ImportStatus.FAILED, exc.messages())
    if job.total_rows != len(rows):
        job.total_rows = len(rows)
        job.save(update_fields=["total_rows"])
    for batch in batches(plan(rows, job=job), skip_rows=job.processed_rows):
        import_batch(job, actor, batch)
    return _end(job, actor, ImportStatus.DONE)
