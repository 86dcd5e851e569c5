"""The person import's pages: the upload form, the templates (and that they import cleanly),
the job page and its report, the size limit before the body is read, scope and audit."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from apps.audit.models import Action, AuditEvent
from apps.registry.imports import columns, uploads
from apps.registry.imports.models import ImportJob, ImportStatus
from apps.registry.models import Category, Person, Relationship

from .import_files import csv_bytes, person_row, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/persons/import/"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def upload(signed_in, django_capture_on_commit_callbacks, immediate_tasks):
    """``upload(user, content, name, **form)`` → the response of the upload form; the import
    runs as soon as the job is committed (tasks run immediately here)."""

    def post(user, content: bytes, name: str = "osoby.csv", client=None, **form):
        client = client or signed_in(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {"file": SimpleUploadedFile(name, content), **form})

    return post


def test_the_upload_page_offers_the_templates_and_the_users_hub(signed_in, cast):
    response = signed_in(cast.registrar_a).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "/persons/import/template.xlsx" in page and "/persons/import/template.csv" in page
    assert f'type="hidden" name="organisation" value="{cast.hub_a.pk}"' in page
    assert cast.hub_a.name in page and 'accept=".csv,.xlsx' in page


def test_a_user_of_several_hubs_chooses_one(signed_in, cast):
    page = signed_in(cast.admin).get(URL).content.decode()

    assert '<select name="organisation"' in page
    assert cast.hub_a.name in page and cast.hub_b.name in page


@pytest.mark.parametrize("who", ["partner_staff_a", "analyst_a"])
def test_roles_that_do_not_register_cannot_open_the_import(signed_in, cast, who):
    client = signed_in(getattr(cast, who))

    assert client.get(URL).status_code == 403
    assert client.get("/persons/import/template.csv").status_code == 403


def test_an_upload_is_imported_and_its_page_reports_by_line(upload, signed_in, cast):
    rows = [person_row(), person_row(last_name="Без дати", birth_date="")]

    response = upload(cast.registrar_a, csv_bytes(rows))

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{job.pk}/"
    assert (job.status, job.imported_count, job.error_count) == (ImportStatus.DONE, 1, 1)
    page = signed_in(cast.registrar_a).get(response["Location"]).content.decode()
    assert "Дата народження" in page and "<td>3</td>" in page and "Обов&#x27;язкове поле." in page
    assert f"{URL}{job.pk}/report.csv" in page
    assert "data-import-status-url" not in page  # finished: no polling


def test_the_job_page_polls_its_progress_while_the_job_waits(signed_in, cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = signed_in(cast.registrar_a)
    client.post(URL, {"file": SimpleUploadedFile("o.csv", csv_bytes([person_row()]))})
    job = ImportJob.objects.get()

    page = client.get(f"{URL}{job.pk}/").content.decode()

    assert f'data-import-status-url="/api/v1/persons/imports/{job.pk}?issues=false"' in page
    assert (
        "js/import-progress" in page
        and "<progress" in page
        and "Опрацьовано рядків: 0 з 1." in page
    )


def test_a_file_without_the_required_columns_is_refused_on_the_form(upload, cast):
    response = upload(cast.registrar_a, "Прізвище;Стать\nШевчук;ж\n".encode())

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_file"' in page and "«Дата народження»" in page
    assert 'aria-invalid="true"' in page
    assert not ImportJob.objects.exists()


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(
    client, signed_in, cast, settings
):
    settings.IMPORT_MAX_BYTES = 1024
    client.handler.enforce_csrf_checks = True  # answered with the limit, not a CSRF failure
    signed_in(cast.registrar_a)
    big = SimpleUploadedFile("big.csv", csv_bytes([person_row()] * 2000))

    response = client.post(URL, {"file": big})

    assert response.status_code == 413
    assert "Файл завеликий: можна завантажити не більше 0 МБ." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_limit_reads_no_byte_of_a_body_declared_too_large(rf, settings):
    settings.IMPORT_MAX_BYTES = 1024
    handler = uploads.ImportUploadLimit()

    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body was read")

    post, files = handler.handle_raw_input(Unreadable(), {}, uploads.body_limit() + 1, b"x")

    assert handler.refused and not post and not files


def test_a_file_that_grows_over_the_limit_is_dropped(upload, cast, settings):
    settings.IMPORT_MAX_BYTES = 1024  # the body is under the declared limit, the file is not

    response = upload(cast.registrar_a, csv_bytes([person_row()] * 40))

    assert response.status_code == 200
    assert "Файл завеликий" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_form_still_needs_its_csrf_token(client, signed_in, cast):
    client.handler.enforce_csrf_checks = True
    signed_in(cast.registrar_a)

    response = client.post(URL, {"file": SimpleUploadedFile("o.csv", csv_bytes([person_row()]))})

    assert response.status_code == 403 and not ImportJob.objects.exists()


def test_another_communitys_job_page_and_report_are_not_found(upload, signed_in, cast):
    upload(cast.registrar_b, csv_bytes([person_row(community="")]))
    job_b = ImportJob.objects.get()
    client = signed_in(cast.coordinator_a)

    assert client.get(f"{URL}{job_b.pk}/").status_code == 404
    assert client.get(f"{URL}{job_b.pk}/report.csv").status_code == 404
    assert job_b.original_name not in client.get(URL).content.decode()


def test_the_job_page_and_its_report_are_audited_reads(upload, signed_in, cast):
    upload(cast.registrar_a, csv_bytes([person_row(phone="x")]))
    job = ImportJob.objects.get()
    client = signed_in(cast.coordinator_a)

    client.get(f"{URL}{job.pk}/")
    report = client.get(f"{URL}{job.pk}/report.csv")

    reads = AuditEvent.objects.filter(action=Action.READ, object_id=str(job.pk))
    assert reads.count() == 2 and {e.actor for e in reads} == {cast.coordinator_a}
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Рядок", "Стовпець"]
    assert rows[1][:4] == ["2", "Телефон", "Помилка", "phone_unparseable"]


# --- the templates ---------------------------------------------------------------------------


def test_the_csv_template_opens_in_excel_and_imports_cleanly(upload, signed_in, cast):
    response = signed_in(cast.registrar_a).get("/persons/import/template.csv")

    content = response.content
    assert response["Content-Type"].startswith("text/csv") and content.startswith(b"\xef\xbb\xbf")
    header, example = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    assert header[:3] == [
        "Ключ домогосподарства [household]",
        "Ким доводиться голові [relationship]",
        "Прізвище [last_name]",
    ]
    assert example[header.index("Громада (код КАТОТТГ) [community]")] == cast.community_a.code

    upload(cast.registrar_a, content, name="template.csv")

    job = ImportJob.objects.get()
    assert (job.imported_count, job.error_count, job.duplicate_count) == (1, 0, 0), list(
        job.issues.values("line", "field", "messages")
    )
    person = Person.objects.get()
    assert person.documents.count() == 3 and person.consents.count() == 1
    assert person.households.get().relationship == Relationship.HEAD


def test_the_xlsx_template_describes_every_column_and_imports_cleanly(upload, signed_in, cast):
    response = signed_in(cast.registrar_a).get("/persons/import/template.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Особи", "Довідка"]
    persons = workbook["Особи"]
    assert [c.value for c in persons[1]] == [column.header for column in columns.COLUMNS]
    assert persons["L2"].number_format == "@"  # РНОКПП kept as text
    reference = "\n".join(
        str(cell.value) for row in workbook["Довідка"].iter_rows() for cell in row if cell.value
    )
    for expected in [
        *Category.values,
        *Relationship.values,
        "female",
        "male",
        "ДД.ММ.РРРР",
        "rnokpp",
        "unzr",
        "idp_certificate_number",
    ]:
        assert expected in reference

    upload(cast.registrar_a, response.content, name="template.xlsx")

    job = ImportJob.objects.get()
    assert (job.format, job.imported_count, job.error_count) == ("xlsx", 1, 0)


def test_an_xlsx_upload_is_imported(upload, cast):
    upload(
        cast.registrar_a,
        xlsx_bytes([person_row(), person_row(last_name="Гнатюк", birth_date="1991-01-01")]),
        name="o.xlsx",
    )

    assert ImportJob.objects.get().imported_count == 2


# --- the worker ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_its_worker_run_the_import(signed_in, cast):
    from django_tasks_db.models import DBTaskResult

    client = signed_in(cast.registrar_a)
    client.post(URL, {"file": SimpleUploadedFile("o.csv", csv_bytes([person_row()]))})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED and DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.imported_count) == (ImportStatus.DONE, 1)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Person.objects.get().created_by == cast.registrar_a
