"""Importing persons from files, on the services: formats and encodings, every row's problem
by line and column, households whole or not at all, duplicates flagged and not created,
batches atomic, scope and audit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.audit.tests.transactions import statements, transactions_of
from apps.registry import selectors as registry_selectors
from apps.registry import services as registry
from apps.registry.imports import selectors, services
from apps.registry.imports.models import ImportJob, ImportStatus, IssueKind
from apps.registry.models import Consent, Document, Household, HouseholdMember, Person

from .import_files import HEADER, csv_bytes, person_row, rnokpp, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(user, hub, content: bytes, name: str = "osoby.csv") -> ImportJob:
    """Uploads ``content`` as ``user`` into ``hub`` and runs the job (as the worker would)."""
    job = services.import_job_create(
        actor=actor_for(user), organisation_id=hub.pk, filename=name, content=content
    )
    return services.import_job_run(job_id=job.pk)


def problems(job) -> list[tuple[int, str, str]]:
    return [(i.line, i.field, i.code) for i in job.issues.filter(kind=IssueKind.ERROR)]


def family(key="Д1", head_last="Бондар", **head) -> list[dict]:
    """A head of household (line 2 when first) and her son (line 3)."""
    return [
        person_row(
            **{
                "household": key,
                "relationship": "head",
                "last_name": head_last,
                "first_name": "Ірина",
                "birth_date": "1990-06-01",
                "rnokpp": rnokpp(1990, 6, 1),
                **head,
            }
        ),
        person_row(
            household=key,
            relationship="child",
            last_name=head_last,
            first_name="Тарас",
            birth_date="12.09.2015",
            sex="чоловіча",
            categories="IDP;DIS_CHILD",
        ),
    ]


# --- formats ---------------------------------------------------------------------------------


def test_a_utf8_csv_imports_persons_with_household_documents_and_consent(cast):
    rows = [
        *family(
            phone="067 123 45 67",
            email="iryna@example.org",
            current_address="вул. Соборна, 1",
            idp_certificate_number="0512-000123",
            idp_certificate_date="01.04.2022",
            idp_certificate_issuer="УСЗН",
            consent_purpose="Надання соціальних послуг",
            consent_scope="partners",
        ),
        person_row(last_name="Самійленко", first_name="Ганна", birth_date="1950-01-20"),
    ]

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    assert job.status == ImportStatus.DONE and job.format == "csv" and job.encoding == "utf-8"
    assert (job.total_rows, job.processed_rows, job.imported_count) == (3, 3, 3)
    assert (job.duplicate_count, job.error_count) == (0, 0) and not job.issues.exists()
    assert job.content is None and job.finished_at is not None
    iryna = Person.objects.get(first_name="Ірина")
    assert (iryna.organisation, iryna.community) == (cast.hub_a, cast.community_a)
    assert iryna.email == "iryna@example.org" and iryna.current_address == "вул. Соборна, 1"
    assert [p.number for p in iryna.phones.all()] == ["+380671234567"]
    assert {(d.type, d.issued_on) for d in iryna.documents.all()} == {
        ("rnokpp", None),
        ("idp_certificate", date(2022, 4, 1)),
    }
    (consent,) = Consent.objects.filter(person=iryna)
    assert (consent.scope, consent.organisation) == ("partners", cast.hub_a)
    (household,) = Household.objects.all()
    assert household.organisation == cast.hub_a
    members = {m.person.first_name: m.relationship for m in household.members.all()}
    assert members == {"Ірина": "head", "Тарас": "child"}
    taras = Person.objects.get(first_name="Тарас")
    assert taras.birth_date == date(2015, 9, 12) and taras.sex == "male"
    assert sorted(c.code for c in taras.categories.all()) == ["DIS_CHILD", "IDP"]
    assert not HouseholdMember.objects.filter(person__last_name="Самійленко").exists()


def test_a_cp1251_csv_with_commas_is_read(cast):
    content = csv_bytes(
        [person_row(last_name="Ґалаґан", first_name="Мар'яна")], encoding="cp1251", delimiter=","
    )

    job = run(cast.registrar_a, cast.hub_a, content)

    assert (job.encoding, job.delimiter, job.imported_count) == ("cp1251", ",", 1)
    assert Person.objects.get().full_name == "Ґалаґан Мар'яна Петрівна"


def test_a_utf8_csv_with_a_bom_is_read(cast):
    job = run(cast.registrar_a, cast.hub_a, b"\xef\xbb\xbf" + csv_bytes([person_row()]))

    assert (job.encoding, job.imported_count) == ("utf-8-sig", 1)


def test_an_xlsx_with_real_dates_and_numbers_is_read_and_lines_are_its_rows(cast):
    rows = [
        person_row(birth_date=date(1979, 5, 2), rnokpp=int(rnokpp(1979, 5, 2))),
        {},  # an empty row: skipped, its line still counts
        person_row(last_name="Мельник", birth_date="32.01.1980"),
    ]

    job = run(cast.registrar_a, cast.hub_a, xlsx_bytes(rows), name="osoby.xlsx")

    assert (job.format, job.total_rows, job.imported_count, job.error_count) == ("xlsx", 2, 1, 1)
    assert problems(job) == [(4, "birth_date", "invalid_date")]
    assert Person.objects.get().documents.get().number == rnokpp(1979, 5, 2)


def test_bare_key_and_plain_title_headers_are_recognised_and_others_ignored(cast):
    header = ["last_name", "ІМ'Я", "Дата  народження", "стать [sex]", "Примітка"]
    content = csv_bytes([person_row()], header=header)

    job = run(cast.registrar_a, cast.hub_a, content)

    assert job.imported_count == 1 and job.ignored_columns == ["Примітка"]


# --- bad rows --------------------------------------------------------------------------------

TOMORROW = (timezone.localdate() + timedelta(days=1)).strftime("%d.%m.%Y")
BAD_CHECKSUM = rnokpp(1979, 5, 2)[:9] + str((int(rnokpp(1979, 5, 2)[9]) + 1) % 10)


@pytest.mark.parametrize(
    ("change", "column", "code"),
    [
        ({"rnokpp": BAD_CHECKSUM}, "rnokpp", "rnokpp_checksum"),
        ({"birth_date": TOMORROW}, "birth_date", "future"),
        ({"birth_date": "31.02.1990"}, "birth_date", "invalid_date"),
        ({"birth_date": "1899-12-31"}, "birth_date", "too_early"),
        ({"phone": "не телефон"}, "phone", "phone_unparseable"),
        ({"phone": "+380 00 000"}, "phone", "phone_invalid"),
        ({"community": "UA99999999999999999"}, "community", "unknown_community"),
        ({"community": "UA05020030000031457"}, "community", "other_community"),
        ({"sex": "інша"}, "sex", "invalid_choice"),
        ({"categories": "IDP;NOPE"}, "categories", "invalid_choice"),
        ({"last_name": ""}, "last_name", "required"),
        ({"email": "not-an-address"}, "email", "invalid"),
        ({"idp_certificate_date": "01.04.2022"}, "idp_certificate_number", "idp_certificate_empty"),
        (
            {"idp_certificate_number": "1", "idp_certificate_date": TOMORROW},
            "idp_certificate_date",
            "future",
        ),
        ({"relationship": "child"}, "relationship", "household_missing"),
        ({"consent_scope": "всім"}, "consent_scope", "invalid_choice"),
    ],
)
def test_a_bad_row_is_reported_by_line_and_column_and_the_good_rows_are_imported(
    cast, change, column, code
):
    rows = [person_row(last_name="Добра"), person_row(**change), person_row(last_name="Третя")]

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    (issue,) = job.issues.all()
    assert (issue.line, issue.field, issue.code) == (3, column, code)
    assert set(issue.messages) == {"uk", "en"} and all(issue.messages.values())
    assert (job.imported_count, job.error_count) == (2, 1)
    assert sorted(Person.objects.values_list("last_name", flat=True)) == ["Добра", "Третя"]


def test_every_problem_of_a_row_is_reported(cast):
    rows = [person_row(first_name="", phone="x", sex="?", birth_date="вчора")]

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    assert {field for _line, field, _code in problems(job)} == {
        "first_name",
        "phone",
        "sex",
        "birth_date",
    }


def test_messages_are_kept_in_every_language_and_shown_in_the_readers(cast, settings):
    job = run(cast.registrar_a, cast.hub_a, csv_bytes([person_row(birth_date=TOMORROW)]))
    issue = job.issues.get()

    from django.utils import translation

    with translation.override("uk"):
        assert issue.message == "Дата народження не може бути в майбутньому."
    issue.messages = {"uk": "укр", "en": "eng"}
    with translation.override("en"):
        assert issue.message == "eng"


# --- households ------------------------------------------------------------------------------


def test_a_household_whose_head_fails_is_not_imported_and_its_members_say_why(cast):
    rows = [*family(birth_date="31.13.1990"), person_row(last_name="Окрема")]

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    assert problems(job) == [
        (2, "birth_date", "invalid_date"),
        (3, "household", "household_not_imported"),
    ]
    member_issue = job.issues.get(line=3)
    assert "«Д1»" in member_issue.message and "2" in member_issue.message
    assert list(Person.objects.values_list("last_name", flat=True)) == ["Окрема"]
    assert not Household.objects.exists()
    assert (job.imported_count, job.error_count) == (1, 2)


def test_a_household_needs_exactly_one_head(cast):
    rows = family()
    rows[1]["relationship"] = "head"

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    assert problems(job) == [
        (2, "household", "household_heads"),
        (3, "household", "household_heads"),
    ]
    assert not Person.objects.exists()


def test_a_household_whose_rows_are_apart_in_the_file_is_one_household(cast):
    head, child = family()
    rows = [head, person_row(last_name="Окрема"), child]

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    assert job.imported_count == 3
    assert Household.objects.get().members.count() == 2


# --- duplicates ------------------------------------------------------------------------------


def test_a_person_registered_already_is_flagged_not_created(cast, maria, register):
    maria_person = register(cast.registrar_a, maria)
    rows = [
        person_row(
            last_name="Shevchuk", first_name="Mariia", patronymic="", birth_date="14.03.1985"
        )
    ]

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    (issue,) = job.issues.all()
    assert (issue.kind, issue.code, issue.line) == (IssueKind.DUPLICATE, "duplicate_suspected", 2)
    assert issue.matches[0]["id"] == str(maria_person.pk)
    assert issue.matches[0]["reasons"] == ["similar_name_same_birth_date"]
    assert (job.imported_count, job.duplicate_count) == (0, 1)
    assert Person.objects.count() == 1


def test_a_match_outside_the_uploaders_scope_names_only_the_hub(cast, maria, register):
    register(cast.registrar_b, {**maria, "community": cast.community_b.code})
    rows = [
        person_row(
            last_name="Шевчук", first_name="Марія", patronymic="Іванівна", birth_date="14.03.1985"
        )
    ]

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    (issue,) = selectors.issues_for_reader(
        actor=actor_for(cast.registrar_a), issues=selectors.import_job_issues(job=job)
    )
    (match,) = issue.matches
    assert match["id"] is None and match["held_by"] == cast.hub_b.name


def test_importing_the_same_file_again_creates_nobody_twice(cast):
    content = csv_bytes([*family(), person_row(rnokpp=rnokpp(1979, 5, 2))])
    first = run(cast.registrar_a, cast.hub_a, content)

    again = run(cast.registrar_a, cast.hub_a, content)

    assert first.imported_count == 3
    assert (again.imported_count, again.duplicate_count, again.error_count) == (0, 3, 0)
    assert {i.code for i in again.issues.all()} == {"duplicate_suspected"}
    assert Person.objects.count() == 3 and Household.objects.count() == 1


def test_the_same_person_twice_in_one_file_is_created_once(cast):
    row = person_row(rnokpp=rnokpp(1979, 5, 2))

    job = run(cast.registrar_a, cast.hub_a, csv_bytes([row, row]))

    assert (job.imported_count, job.duplicate_count) == (1, 1)
    assert job.issues.get().line == 3


def test_a_look_alike_earlier_in_the_same_file_is_flagged(cast):
    """The batch remembers the vocabulary's answers: "Коваьчук" (a typo) is looked up on line
    2, before "Ковальчук" exists; line 3 creates Ковальчук; line 4, the typo again, born the
    same year on another day, must still find her — through the names the batch added."""
    rows = [
        person_row(last_name="Коваьчук", first_name="Тарас", patronymic="Іванович",
                   birth_date="01.01.1950", sex="чоловіча"),
        person_row(last_name="Ковальчук", birth_date="02.05.1979"),
        person_row(last_name="Коваьчук", birth_date="09.08.1979"),
    ]  # fmt: skip

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    assert (job.imported_count, job.duplicate_count) == (2, 1)
    flagged = job.issues.get(kind=IssueKind.DUPLICATE)
    kovalchuk = Person.objects.get(last_name="Ковальчук")
    assert flagged.line == 4
    assert [(m["id"], m["reasons"]) for m in flagged.matches] == [
        (str(kovalchuk.pk), ["similar_name_same_birth_year"])
    ]


def test_each_row_is_validated_once(cast, monkeypatch):
    checked = []
    real_validate = registry.person_validate

    def counting_validate(data):
        checked.append(data["last_name"])
        return real_validate(data)

    monkeypatch.setattr(registry, "person_validate", counting_validate)

    job = run(cast.registrar_a, cast.hub_a, csv_bytes([*family(), person_row()]))

    assert job.imported_count == 3
    assert checked == ["Бондар", "Бондар", "Коваль"]


# --- batches ---------------------------------------------------------------------------------


def test_a_failing_batch_is_rolled_back_whole_and_the_others_are_kept(cast, settings, monkeypatch):
    settings.IMPORT_BATCH_ROWS = 2
    rows = [
        person_row(last_name="Перша"),
        person_row(last_name="Друга"),
        *family(head_last="Збій"),  # lines 4-5: the second batch, a household
        person_row(last_name="Остання"),
    ]
    real_register = registry.person_register

    def failing_register(*, actor, data, **kwargs):
        if data["first_name"] == "Тарас":  # the household's second row: its head is created
            raise RuntimeError("the database went away")
        return real_register(actor=actor, data=data, **kwargs)

    monkeypatch.setattr(registry, "person_register", failing_register)

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    assert sorted(Person.objects.values_list("last_name", flat=True)) == [
        "Друга",
        "Остання",
        "Перша",
    ]
    assert not Household.objects.exists()
    assert problems(job) == [(4, "", "batch_failed"), (5, "", "batch_failed")]
    assert (job.status, job.processed_rows, job.imported_count, job.error_count) == (
        "done",
        5,
        3,
        2,
    )
    assert not AuditEvent.objects.filter(
        event="registry.person.created",
        object_id__in=[
            str(pk) for pk in Person.objects.filter(last_name="Збій").values_list("pk", flat=True)
        ],
    ).exists()
    assert AuditEvent.objects.filter(event="registry.person.created").count() == 3


def test_a_row_the_database_refuses_is_reported_and_its_batch_goes_on(cast, monkeypatch):
    number = rnokpp(1979, 5, 2)
    rows = [
        person_row(last_name="Перша"),
        person_row(last_name="Друга", rnokpp=number),
        person_row(last_name="Третя"),
    ]
    real_duplicates = registry_selectors.person_duplicates
    raced = []

    def another_hub_registers_the_same_number(**kwargs):
        found = real_duplicates(**kwargs)
        if ("rnokpp", number) in kwargs["documents"] and not raced:
            raced.append(True)  # another hub's registrar commits the same РНОКПП right now
            registry.person_register(
                actor=actor_for(cast.registrar_b),
                data={
                    "last_name": "Інша",
                    "first_name": "Особа",
                    "birth_date": "1979-05-02",
                    "sex": "female",
                    "community": cast.community_b.code,
                    "documents": [{"type": "rnokpp", "number": number}],
                },
            )
        return found

    monkeypatch.setattr(
        registry_selectors, "person_duplicates", another_hub_registers_the_same_number
    )

    job = run(cast.registrar_a, cast.hub_a, csv_bytes(rows))

    assert problems(job) == [(3, "", "not_saved")]
    assert (job.status, job.imported_count, job.error_count) == ("done", 2, 1)
    assert set(
        Person.objects.filter(community=cast.community_a).values_list("last_name", flat=True)
    ) == {
        "Перша",
        "Третя",
    }


def test_an_interrupted_job_goes_on_after_its_last_committed_batch(cast, settings):
    settings.IMPORT_BATCH_ROWS = 1
    rows = [person_row(last_name="Перша"), person_row(last_name="Друга")]
    job = services.import_job_create(
        actor=actor_for(cast.registrar_a),
        organisation_id=cast.hub_a.pk,
        filename="f.csv",
        content=csv_bytes(rows),
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, processed_rows=1)

    job = services.import_job_run(job_id=job.pk)

    assert list(Person.objects.values_list("last_name", flat=True)) == ["Друга"]
    assert (job.processed_rows, job.status) == (2, ImportStatus.DONE)


# --- the file before the job is queued -------------------------------------------------------

OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"", "empty", "порожній"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary", "двійкові"),
        (b"\xff\xfe" + "Прізвище".encode("utf-16-le"), "utf16", "UTF-16"),
        (OLD_XLS, "xls", "XLS"),
        (b"PK\x03\x04 not really a zip", "xlsx_invalid", "XLSX"),
        ("Прізвище;Стать\nШевчук;ж\n".encode(), "missing_columns", "«Ім'я», «Дата народження»"),
        (";".join(HEADER).encode() + b"\r\n", "no_rows", "жодного рядка"),
        (
            "Прізвище;Прізвище;Ім'я;Дата народження;Стать\n".encode(),
            "repeated_column",
            "«Прізвище»",
        ),
        (b"\x98\x98\x98 \xff\xfe\xfd", "encoding", "UTF-8"),
        (
            "Прізвище;Ім'я;Дата народження;Стать\n\"Шевчук;Марія;1985-03-14;ж\n".encode(),
            "csv_malformed",
            "Рядок 2",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_before_queueing(cast, content, code, words):
    with pytest.raises(ValidationError) as refused:
        services.import_job_create(
            actor=actor_for(cast.registrar_a),
            organisation_id=cast.hub_a.pk,
            filename="file.csv",
            content=content,
        )

    (error,) = refused.value.error_dict["file"]
    assert error.code == code and words in error.messages[0]
    assert not ImportJob.objects.exists()
    assert not AuditEvent.objects.filter(event="registry.import.uploaded").exists()


def test_a_file_over_the_limit_is_refused(cast, settings):
    settings.IMPORT_MAX_BYTES = 1024
    content = csv_bytes([person_row()] * 30)

    with pytest.raises(ValidationError) as refused:
        services.import_job_create(
            actor=actor_for(cast.registrar_a),
            organisation_id=cast.hub_a.pk,
            filename="f.csv",
            content=content,
        )

    assert refused.value.error_dict["file"][0].code == "too_large"


def test_too_many_rows_are_refused(cast, settings):
    settings.IMPORT_MAX_ROWS = 2

    with pytest.raises(ValidationError) as refused:
        services.import_job_create(
            actor=actor_for(cast.registrar_a),
            organisation_id=cast.hub_a.pk,
            filename="f.csv",
            content=csv_bytes([person_row()] * 3),
        )

    assert refused.value.error_dict["file"][0].code == "too_many_rows"


# --- scope and audit -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["registrar_a", "coordinator_a"])
def test_a_user_cannot_import_into_another_communitys_hub(cast, who):
    with pytest.raises(ValidationError) as refused:
        services.import_job_create(
            actor=actor_for(getattr(cast, who)),
            organisation_id=cast.hub_b.pk,
            filename="f.csv",
            content=csv_bytes([person_row()]),
        )

    assert "organisation" in refused.value.error_dict
    assert not ImportJob.objects.exists()
    (denial,) = AuditEvent.objects.filter(event="registry.import.denied")
    assert denial.organisation_id == cast.hub_b.pk and denial.actor == getattr(cast, who)


def test_roles_that_do_not_register_persons_cannot_import(cast):
    from django.core.exceptions import PermissionDenied

    for user in (cast.partner_staff_a, cast.analyst_a, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.import_job_create(
                actor=actor_for(user),
                organisation_id=cast.hub_a.pk,
                filename="f.csv",
                content=csv_bytes([person_row()]),
            )


def test_a_job_whose_uploader_lost_the_right_fails_and_imports_nothing(cast):
    job = services.import_job_create(
        actor=actor_for(cast.registrar_a),
        organisation_id=cast.hub_a.pk,
        filename="f.csv",
        content=csv_bytes([person_row()]),
    )
    cast.registrar_a.memberships.all().delete()

    job = services.import_job_run(job_id=job.pk)

    assert job.status == ImportStatus.FAILED and "більше не може" in job.failure_message
    assert job.content is None and not Person.objects.exists()
    assert AuditEvent.objects.filter(event="registry.import.failed").exists()


def test_another_communitys_job_is_not_found(cast):
    job_b = run(cast.registrar_b, cast.hub_b, csv_bytes([person_row(community="")]))

    for user in (cast.registrar_a, cast.coordinator_a, cast.partner_staff_a):
        with pytest.raises(Http404):
            selectors.import_job_get(actor=actor_for(user), job_id=job_b.pk)
    assert selectors.import_job_list(actor=actor_for(cast.coordinator_a)) == []
    assert selectors.import_job_get(actor=actor_for(cast.coordinator_b), job_id=job_b.pk) == job_b


def test_the_hubs_offered_are_those_the_user_may_register_into(cast):
    assert selectors.import_hubs(actor=actor_for(cast.registrar_a)) == [cast.hub_a]
    assert selectors.import_hubs(actor=actor_for(cast.partner_staff_a)) == []
    assert set(selectors.import_hubs(actor=actor_for(cast.admin))) == {cast.hub_a, cast.hub_b}


def test_upload_run_and_each_person_are_audited_in_the_batch_transaction(cast):
    with statements() as log:
        job = run(cast.registrar_a, cast.hub_a, csv_bytes(family()))

    events = AuditEvent.objects.filter(object_type="registry.importjob", object_id=str(job.pk))
    assert list(events.order_by("pk").values_list("event", flat=True)) == [
        "registry.import.uploaded",
        "registry.import.started",
        "registry.import.done",
    ]
    assert all(e.organisation_id == cast.hub_a.pk for e in events)
    assert AuditEvent.objects.filter(event="registry.person.created").count() == 2
    assert AuditEvent.objects.filter(event="registry.household.created").count() == 1
    persons = transactions_of(log, "INSERT", '"registry_person"')
    events_txn = transactions_of(log, "INSERT", '"audit_auditevent"')
    issues_or_progress = transactions_of(log, "UPDATE", '"registry_importjob"', "processed_rows")
    assert len(persons) == 1 and persons <= events_txn and persons == issues_or_progress
    assert Document.objects.count() == 1
