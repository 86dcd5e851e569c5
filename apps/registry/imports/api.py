"""The API of the person import, mounted on the one API in ``apps.api.api``:

- ``POST /persons/imports`` (multipart: ``file``, ``organisation``) → 202 with the job's id;
  a file that cannot be imported is a 422 keyed ``file`` (or ``organisation``), nothing saved.
- ``GET /persons/imports/{job_id}`` → state, progress, counts and, unless ``issues=false``,
  every issue. With issues the read is audited; without (what the job page polls) it carries
  no personal data and is not.
"""

from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from . import columns, selectors, tasks, uploads
from .models import ImportJob
from .reading import too_large_message

router = Router(tags=["registry"])


class ImportCreatedOut(Schema):
    id: int
    status: str
    url: str


class MatchOut(Schema):
    """A registered person the row looks like: ``id`` only when the reader may see them."""

    id: UUID | None = None
    held_by: str
    reasons: list[str]
    score: float


class IssueOut(Schema):
    line: int
    field: str
    column: str
    kind: str
    code: str
    message: str
    matches: list[MatchOut]


class ImportJobOut(Schema):
    id: int
    status: str
    original_name: str
    format: str
    encoding: str
    organisation: int
    community: str
    total_rows: int | None
    processed_rows: int
    imported_count: int
    duplicate_count: int
    error_count: int
    percent: int
    failure: str
    ignored_columns: list[str]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    issues: list[IssueOut]


class JobParams(Schema):
    issues: bool = True


def _limit_upload(run):
    """Before authentication (a session's CSRF check reads the body) and before parsing."""

    def wrapper(request, *args, **kwargs):
        uploads.install(request)
        return run(request, *args, **kwargs)

    return wrapper


def _file_refused(message: str, code: str) -> ValidationError:
    return ValidationError({"file": [ValidationError(message, code=code)]})


@router.post(
    "/persons/imports",
    response={202: ImportCreatedOut},
    summary="Import persons from a CSV or XLSX file (in the background)",
)
@decorate_view(_limit_upload)
def import_upload(
    request,
    organisation: Form[int | None] = None,
    file: File[UploadedFile | None] = None,
):
    if uploads.refused(request):
        raise _file_refused(too_large_message(), "too_large")
    if file is None:
        raise _file_refused(_("Оберіть файл CSV або XLSX."), "required")
    job = tasks.import_job_submit(
        actor=request.actor, organisation_id=organisation, filename=file.name, content=file.read()
    )
    url = reverse("api:import_job_get", kwargs={"job_id": job.pk})
    return Status(202, {"id": job.pk, "status": job.status, "url": url})


def issue_out(issue) -> dict:
    column = columns.BY_KEY.get(issue.field)
    return {
        "line": issue.line,
        "field": issue.field,
        "column": str(column.title) if column else "",
        "kind": issue.kind,
        "code": issue.code,
        "message": issue.message,
        "matches": issue.matches,
    }


def job_out(job: ImportJob, issues) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "original_name": job.original_name,
        "format": job.format,
        "encoding": job.encoding,
        "organisation": job.organisation_id,
        "community": job.community_id,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "imported_count": job.imported_count,
        "duplicate_count": job.duplicate_count,
        "error_count": job.error_count,
        "percent": job.percent,
        "failure": job.failure_message,
        "ignored_columns": job.ignored_columns,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "issues": [issue_out(issue) for issue in issues],
    }


@router.get(
    "/persons/imports/{job_id}",
    response=ImportJobOut,
    url_name="import_job_get",
    summary="An import's progress and report (issues=false: progress only)",
)
def import_job_get(request, job_id: int, params: Query[JobParams]):
    if not params.issues:
        return job_out(selectors.import_job_get(actor=request.actor, job_id=job_id), [])
    job = selectors.import_job_read(actor=request.actor, job_id=job_id)
    issues = selectors.issues_for_reader(
        actor=request.actor, issues=selectors.import_job_issues(job=job)
    )
    return job_out(job, issues)
