"""Pages of the person import: the upload form with the templates and the latest jobs, a
job's page (progress while it runs, the report by line when it is done) and its report as
CSV. Thin: the work is in ``apps.registry.imports``.

The upload page checks the size of the body before anything reads it: Django's CSRF check
reads a POST's body, so the page is exempted from the middleware's check and makes the same
check itself once the size limit is installed (the pattern Django's documentation gives for
upload handlers)."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from apps.access import policies
from apps.access.roles import Perm

from ..imports import columns, selectors, tasks, template, uploads
from ..imports.forms import ImportUploadForm
from ..imports.reading import UTF8_BOM, too_large_message

ISSUES_PER_PAGE = 100


def _upload_page(request, form, *, status: int = 200, refusal: str = ""):
    context = {
        "form": form,
        "refusal": refusal,
        "jobs": selectors.import_job_list(actor=request.actor),
        "columns": columns.COLUMNS,
    }
    return render(request, "registry/import_upload.html", context, status=status)


@csrf_exempt
@login_required
def import_upload(request):
    policies.require(request.actor, Perm.PERSONS_WRITE)
    hubs = selectors.import_hubs(actor=request.actor)
    if request.method == "POST" and uploads.declared_too_large(request):
        # Refused before the body is read; nothing is changed, so no CSRF check is needed.
        form = ImportUploadForm(hubs=hubs)
        return _upload_page(request, form, status=413, refusal=too_large_message())
    uploads.install(request)
    return _import_upload(request, hubs)


@csrf_protect
def _import_upload(request, hubs):
    if request.method != "POST":
        return _upload_page(request, ImportUploadForm(hubs=hubs))
    form = ImportUploadForm(request.POST, request.FILES, hubs=hubs)
    if uploads.refused(request):
        form.add_error("file", too_large_message())
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = tasks.import_job_submit(
                actor=request.actor,
                organisation_id=form.cleaned_data["organisation"],
                filename=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("registry:import-job", job_id=job.pk)
    return _upload_page(request, form)


def _example_community(request) -> str:
    hubs = selectors.import_hubs(actor=request.actor)
    return hubs[0].community_id if hubs else ""


@login_required
def import_template_csv(request):
    policies.require(request.actor, Perm.PERSONS_WRITE)
    response = HttpResponse(
        template.template_csv(_example_community(request)), content_type=template.CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="prostir-import-osib.csv"'
    return response


@login_required
def import_template_xlsx(request):
    policies.require(request.actor, Perm.PERSONS_WRITE)
    response = HttpResponse(
        template.template_xlsx(_example_community(request)),
        content_type=template.XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = 'attachment; filename="prostir-import-osib.xlsx"'
    return response


@login_required
def import_job_detail(request, job_id: int):
    job = selectors.import_job_read(actor=request.actor, job_id=job_id)
    page = Paginator(selectors.import_job_issues(job=job), ISSUES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    issues = selectors.issues_for_reader(actor=request.actor, issues=page.object_list)
    rows = [(issue, _column_title(issue.field)) for issue in issues]
    return render(request, "registry/import_job.html", {"job": job, "page": page, "rows": rows})


def _column_title(key: str) -> str:
    column = columns.BY_KEY.get(key)
    return str(column.title) if column else ""


@login_required
def import_job_report(request, job_id: int):
    """Every issue of the job as CSV (UTF-8 with a BOM, ``;``), in the reader's language."""
    job = selectors.import_job_read(actor=request.actor, job_id=job_id)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Рядок"), _("Стовпець"), _("Вид"), _("Код"), _("Що не так"), _("Збіги")])
    issues = selectors.import_job_issues(job=job)
    for issue in selectors.issues_for_reader(actor=request.actor, issues=issues):
        matches = " | ".join(
            f"{m.get('id') or '—'} ({m.get('held_by', '')})" for m in issue.matches
        )
        writer.writerow(
            [
                issue.line,
                _column_title(issue.field),
                issue.get_kind_display(),
                issue.code,
                issue.message,
                matches,
            ]
        )
    response = HttpResponse(
        UTF8_BOM + buffer.getvalue().encode("utf-8"), content_type=template.CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
    return response
