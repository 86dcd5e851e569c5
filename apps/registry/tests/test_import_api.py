"""The person import through the API: upload (202), progress and report, refusals in the one
error shape, scope and audit."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.access.actor import actor_for
from apps.access.services import token_create
from apps.audit.models import Action, AuditEvent
from apps.registry.imports.models import ImportJob
from apps.registry.models import Person

from .import_files import csv_bytes, person_row

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/imports"


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def csrf_header(client) -> dict:
    """The ``X-CSRFToken`` a page of ours gives the browser (the API docs page sets it)."""
    client.get("/api/v1/docs")
    return {"HTTP_X_CSRFTOKEN": client.cookies[settings.CSRF_COOKIE_NAME].value}


def error_of(response, status: int, code: str) -> dict:
    """The API's one error shape, with ``status`` and ``code``."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details", "request_id"}
    assert error["code"] == code and error["message"]
    return error


@pytest.fixture
def api(client, settings, django_capture_on_commit_callbacks):
    """``api(user)`` → (post, get) with that user's bearer token; imports run at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def for_user(user):
        _token, raw = token_create(actor=actor_for(user), name="import")

        def post(data):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(URL, data, **bearer(raw))

        def get(url):
            return client.get(url, **bearer(raw))

        return post, get

    return for_user


@pytest.fixture
def csrf_client(client):
    """The signed-in browser's client, enforcing CSRF as a browser meets it."""
    client.handler.enforce_csrf_checks = True
    return client


def csv_file(rows, name="osoby.csv"):
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


def test_an_upload_is_accepted_then_reported(api, cast):
    post, get = api(cast.registrar_a)

    response = post(
        {"organisation": cast.hub_a.pk, "file": csv_file([person_row(), person_row(phone="x")])}
    )

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["url"] == f"{URL}/{body['id']}"
    job = get(body["url"]).json()
    assert (job["status"], job["total_rows"], job["imported_count"], job["error_count"]) == (
        "done",
        2,
        1,
        1,
    )
    (issue,) = job["issues"]
    assert (issue["line"], issue["field"], issue["column"], issue["code"]) == (
        3,
        "phone",
        "Телефон",
        "phone_unparseable",
    )
    assert issue["message"] and issue["kind"] == "error" and issue["matches"] == []


def test_a_flagged_duplicate_carries_its_match(api, cast, maria, register):
    maria_person = register(cast.registrar_a, maria)
    post, get = api(cast.registrar_a)
    row = person_row(last_name="Шевчук", first_name="Марія", birth_date="14.03.1985")

    job = get(post({"organisation": cast.hub_a.pk, "file": csv_file([row])}).json()["url"]).json()

    (issue,) = job["issues"]
    assert issue["kind"] == "duplicate" and issue["matches"][0]["id"] == str(maria_person.pk)
    assert Person.objects.count() == 1


def test_progress_only_is_not_an_audited_read_and_the_report_is(api, cast):
    post, get = api(cast.registrar_a)
    url = post({"organisation": cast.hub_a.pk, "file": csv_file([person_row()])}).json()["url"]
    reads = AuditEvent.objects.filter(action=Action.READ, object_type="registry.importjob")

    progress = get(f"{url}?issues=false").json()
    assert progress["issues"] == [] and progress["percent"] == 100 and not reads.exists()
    get(url)
    assert reads.count() == 1


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (None, "required"),
        (SimpleUploadedFile("x.csv", b"\x00\x01binary", content_type="text/csv"), "binary"),
        (SimpleUploadedFile("x.csv", "Прізвище\nШевчук\n".encode()), "missing_columns"),
        (SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken"), "xlsx_invalid"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_422_on_the_file(api, cast, upload, code):
    post, _get = api(cast.registrar_a)
    data = {"organisation": cast.hub_a.pk} | ({"file": upload} if upload else {})

    error = error_of(post(data), 422, "validation_error")

    assert (error["details"][0]["field"], error["details"][0]["code"]) == ("file", code)
    assert error["details"][0]["message"]
    assert not ImportJob.objects.exists()


def test_an_upload_over_the_limit_is_refused_unread(api, cast, settings):
    settings.IMPORT_MAX_BYTES = 1024
    post, _get = api(cast.registrar_a)

    response = post({"organisation": cast.hub_a.pk, "file": csv_file([person_row()] * 2000)})

    error = error_of(response, 422, "validation_error")
    assert error["details"][0]["code"] == "too_large" and "МБ" in error["details"][0]["message"]
    assert not ImportJob.objects.exists()


def test_a_session_upload_over_the_limit_is_refused_not_a_csrf_failure(
    csrf_client, signed_in, cast, settings
):
    settings.IMPORT_MAX_BYTES = 1024
    signed_in(cast.registrar_a)

    response = csrf_client.post(
        URL,
        {"organisation": cast.hub_a.pk, "file": csv_file([person_row()] * 2000)},
        **csrf_header(csrf_client),
    )

    assert error_of(response, 422, "validation_error")["details"][0]["code"] == "too_large"


@pytest.mark.parametrize("who", ["registrar_a", "coordinator_a"])
def test_community_a_cannot_import_into_community_bs_hub(api, cast, who):
    post, _get = api(getattr(cast, who))

    error = error_of(
        post({"organisation": cast.hub_b.pk, "file": csv_file([person_row()])}),
        422,
        "validation_error",
    )

    assert error["details"][0]["field"] == "organisation"
    assert not ImportJob.objects.exists() and not Person.objects.exists()


def test_community_bs_job_is_not_found_from_community_a(api, cast):
    post_b, _get_b = api(cast.registrar_b)
    url = post_b({"organisation": cast.hub_b.pk, "file": csv_file([person_row(community="")])})
    url = url.json()["url"]
    _post, get_a = api(cast.coordinator_a)

    for suffix in ("", "?issues=false"):
        error_of(get_a(url + suffix), 404, "not_found")


def test_roles_that_do_not_register_cannot_import(api, cast):
    post, _get = api(cast.partner_staff_a)

    error_of(
        post({"organisation": cast.hub_a.pk, "file": csv_file([person_row()])}),
        403,
        "permission_denied",
    )
