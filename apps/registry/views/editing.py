"""Changing a person: the edit form, documents (and their scans) and consents.

Every page that shows the person's data in a form reads it once, audited
(``selectors.person_read_for_write``); the changes are the services', which check every field
and audit in their own transaction. The edit form sends only what the user changed since it
was opened (see ``PersonEditForm``); an edit made on an older version shows, for each field both
people changed, the user's value beside the current one, keeps what the user typed, and carries
the current version, so that a resubmission is a decision taken knowingly — nothing of the other
person's is overwritten silently.

A scan is added with its document (the document form's optional file) or later from the card;
the card's forms post here and come back to the card, with the refusal as a message. A scan is
downloaded through ``attachment_download_view`` only: access-checked and audited.

The two pages that take a scan refuse one over the size limit before anything reads the body
(``attachments.declared_too_large``, then ``attachments.limit_upload``): Django's CSRF check
reads a POST's body, so they are exempted from the middleware's check and make the same check
themselves once the limit is installed, as the import's upload page does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from apps.access import policies
from apps.access.roles import Perm

from .. import attachments, selectors, services
from ..forms import (
    LANGUAGE_NAMES,
    SPARE_CATEGORY_ROWS,
    ConsentForm,
    DocumentForm,
    PersonEditForm,
    put_errors,
)
from ..identifiers import Sex
from ..models import Category

EMPTY = "—"


# --- the edit form ------------------------------------------------------------------------------


def _edit_form(person, data=None) -> PersonEditForm:
    values = services.person_editable_values(person)
    rows = len(values["categories"]) + SPARE_CATEGORY_ROWS
    if data is not None:
        rows = max(rows, _posted_rows(data))
    initial = PersonEditForm.initial_from(values, person.version)
    return PersonEditForm(data, initial=initial, category_rows=rows)


def _posted_rows(data) -> int:
    return sum(1 for key in data if key.startswith("category_") and key.count("_") == 1)


def _shown_value(name: str, value) -> str:
    """A value of the conflict table as people read it."""
    if value in (None, "", []):
        return EMPTY
    if name == "sex":
        return str(Sex(value).label) if value in Sex.values else value
    if name == "preferred_language":
        return str(LANGUAGE_NAMES.get(value, value))
    if name == "phones":
        return ", ".join(value)
    if name == "categories":
        return "; ".join(_period(p) for p in value)
    return str(value)


def _period(period: dict) -> str:
    label = str(Category(period["code"]).label) if period["code"] in Category.values else ""
    dates = f"{period.get('valid_from') or '…'} – {period.get('valid_to') or '…'}"
    return f"{label or period['code']} ({dates})"


def _conflict_rows(form: PersonEditForm, conflict: services.EditConflict) -> list[dict]:
    labels = {"phones": _("Телефони"), "categories": _("Категорії")}
    rows = []
    for entry in conflict.conflicts:
        name = entry["field"]
        field = form.fields.get(name)
        rows.append(
            {
                "label": labels.get(name) or (field.label if field else name),
                "yours": _shown_value(name, entry["yours"]),
                "theirs": _shown_value(name, entry["theirs"]),
            }
        )
    return rows


def _after_conflict(request, person_id, changes: dict, conflict: services.EditConflict):
    """The form again on the current version: the fields the user changed keep what they
    typed, the others show the current values (so that sending it again changes only those)."""
    person = selectors.person_read_for_write(actor=request.actor, person_id=person_id)
    data = _edit_form(person).initial
    if "categories" in changes:
        data = {key: value for key, value in data.items() if not key.startswith("category_")}
    for key in request.POST:
        name = "categories" if key.startswith("category_") else key
        if name in changes:
            data[key] = request.POST[key]
    form = _edit_form(person, data)
    form.is_valid()
    return person, form, _conflict_rows(form, conflict)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit_view(request, person_id):
    policies.require(request.actor, Perm.PERSONS_WRITE)
    person = selectors.person_read_for_write(actor=request.actor, person_id=person_id)
    if person.pk != person_id:
        return redirect("registry:person-edit", person_id=person.pk)
    form = _edit_form(person, request.POST if request.method == "POST" else None)
    conflicts = None
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            updated = services.person_update(
                actor=request.actor,
                person_id=person.pk,
                version=form.cleaned_data["version"],
                changes=changes,
            )
        except services.EditConflict as exc:
            person, form, conflicts = _after_conflict(request, person.pk, changes, exc)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return _updated(request, updated)
    context = {"person": person, "form": form, "conflicts": conflicts}
    return render(request, "registry/person_edit.html", context)


def _updated(request, updated: services.Updated):
    if updated.changed:
        messages.success(request, _("Зміни збережено."))
    else:
        messages.info(request, _("Нічого не змінено."))
    for warning in updated.warnings:
        messages.warning(request, warning.message)
    return redirect("registry:person-detail", person_id=updated.person.pk)


# --- documents ----------------------------------------------------------------------------------


def _document_page(request, person, form, *, status: int = 200, refusal: str = ""):
    asks_reason = "override_reason" in form.errors or bool(form.data.get("override_reason"))
    context = {"person": person, "form": form, "asks_reason": asks_reason, "refusal": refusal}
    return render(request, "registry/document_add.html", context, status=status)


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def document_add_view(request, person_id):
    policies.require(request.actor, Perm.PERSONS_WRITE)
    person = selectors.person_read_for_write(actor=request.actor, person_id=person_id)
    if request.method == "POST" and attachments.declared_too_large(request):
        # Refused before the body is read; nothing is changed, so no CSRF check is needed.
        refusal = attachments.too_large_message()
        return _document_page(request, person, DocumentForm(), status=413, refusal=refusal)
    attachments.limit_upload(request)
    return _document_add(request, person)


@csrf_protect
def _document_add(request, person):
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and attachments.upload_refused(request):
        form.is_valid()  # the other fields' problems are shown too
        form.add_error("file", attachments.too_large_message())
    elif request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        try:
            added = services.document_add(
                actor=request.actor,
                person_id=person.pk,
                data=data,
                scan=form.cleaned_data.get("file"),
            )
        except ValidationError as exc:
            put_errors(form, exc)
        except services.RegistryConflict as exc:
            form.add_error("number", exc.message)
        else:
            messages.success(request, _("Документ додано."))
            for warning in added.warnings:
                messages.warning(request, warning.message)
            return redirect("registry:person-detail", person_id=person.pk)
    return _document_page(request, person, form)


@login_required
@require_http_methods(["GET", "POST"])
def document_delete_view(request, person_id, document_id: int):
    """A confirmation page (GET), then the deletion (POST)."""
    policies.require(request.actor, Perm.PERSONS_WRITE)
    person = selectors.person_read_for_write(actor=request.actor, person_id=person_id)
    if request.method == "POST":
        services.document_delete(actor=request.actor, person_id=person.pk, document_id=document_id)
        messages.success(request, _("Документ видалено."))
        return redirect("registry:person-detail", person_id=person.pk)
    document = next((d for d in person.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    return render(
        request, "registry/document_delete.html", {"person": person, "document": document}
    )


# --- scans of documents -------------------------------------------------------------------------


@csrf_exempt
@login_required
@require_POST
def attachment_add_view(request, person_id, document_id: int):
    policies.require(request.actor, Perm.PERSONS_WRITE)
    if attachments.declared_too_large(request):
        # Refused before the body is read; nothing is changed, so no CSRF check is needed.
        messages.error(request, attachments.too_large_message())
        return redirect("registry:person-detail", person_id=person_id)
    attachments.limit_upload(request)
    return _attachment_add(request, person_id, document_id)


@csrf_protect
def _attachment_add(request, person_id, document_id: int):
    if attachments.upload_refused(request):
        messages.error(request, attachments.too_large_message())
        return redirect("registry:person-detail", person_id=person_id)
    try:
        services.attachment_add(
            actor=request.actor,
            person_id=person_id,
            document_id=document_id,
            uploaded_file=request.FILES.get("file"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Скан додано."))
    return redirect("registry:person-detail", person_id=person_id)


@login_required
@require_POST
def attachment_delete_view(request, person_id, document_id: int, attachment_id: int):
    services.attachment_delete(
        actor=request.actor,
        person_id=person_id,
        document_id=document_id,
        attachment_id=attachment_id,
    )
    messages.success(request, _("Скан видалено."))
    return redirect("registry:person-detail", person_id=person_id)


@login_required
@require_http_methods(["GET"])
def attachment_download_view(request, person_id, document_id: int, attachment_id: int):
    attachment = selectors.attachment_read(
        actor=request.actor,
        person_id=person_id,
        document_id=document_id,
        attachment_id=attachment_id,
    )
    return attachments.file_response(attachment)


# --- consents -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consent_record_view(request, person_id):
    policies.require(request.actor, Perm.PERSONS_WRITE)
    person = selectors.person_read_for_write(actor=request.actor, person_id=person_id)
    form = ConsentForm(request.POST or None)
    back = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.actor, person_id=person.pk, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("Згоду записано."))
            return redirect(back or reverse("registry:person-detail", args=[person.pk]))
    context = {"person": person, "form": form, "back": back}
    return render(request, "registry/consent_record.html", context)


def _safe_next(request) -> str:
    """The page that sent the worker here to record consent (``?next=``, e.g. a referral
    being sent), if it is one of ours."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if value.startswith("/") and allowed else ""


@login_required
@require_POST
def consent_withdraw_view(request, person_id, consent_id: int):
    try:
        services.consent_withdraw(actor=request.actor, person_id=person_id, consent_id=consent_id)
    except services.RegistryConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Згоду відкликано."))
    return redirect("registry:person-detail", person_id=person_id)
