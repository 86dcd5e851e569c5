"""Merging a duplicate into the person whose page it is (coordinators and administrators).

The page offers the person's likely duplicates the user sees (``selectors.person_duplicates``
run on the person's own data) or takes a pasted id, shows both records side by side — each an
audited read — and merges with a reason. The duplicate's old card then leads to the kept one.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.access import policies
from apps.access.roles import Perm

from .. import selectors, services
from ..forms import MergeForm, MergePickForm, put_errors


def _likely_duplicates(request, person) -> list:
    primary = next(iter(sorted(person.phones.all(), key=lambda p: not p.is_primary)), None)
    matches = selectors.person_duplicates(
        actor=request.actor,
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
        birth_date=person.birth_date,
        documents=[(d.type, d.number) for d in person.documents.all()],
        phone=primary.number if primary else "",
    )
    shown = [m for m in matches if m.visible and m.person.pk != person.pk]
    selectors.record_shown(actor=request.actor, matches=shown)
    return [m.person for m in shown]


def _duplicate_read(request, pick: MergePickForm):
    """The record the user picked, read for showing, or ``None`` (the problem on ``pick``)."""
    if not pick.is_valid():
        return None
    try:
        return selectors.person_read_for_merge(
            actor=request.actor, person_id=pick.cleaned_data["duplicate"]
        )
    except Http404:
        pick.add_error(
            "duplicate", _("Немає запису з таким ідентифікатором, який ви можете об'єднати.")
        )
        return None


@login_required
@require_http_methods(["GET", "POST"])
def person_merge_view(request, person_id):
    policies.require(request.actor, Perm.PERSONS_MERGE)
    keep = selectors.person_read_for_merge(actor=request.actor, person_id=person_id)
    if keep.merged_into_id:
        return redirect("registry:person-detail", person_id=keep.pk)
    source = request.POST if request.method == "POST" else request.GET
    pick = MergePickForm(source if "duplicate" in source else None, auto_id="pick_%s")
    duplicate = _duplicate_read(request, pick)
    form = MergeForm(
        request.POST or None, initial={"duplicate": duplicate.pk if duplicate else None}
    )
    if request.method == "POST" and duplicate is not None and form.is_valid():
        try:
            kept = services.person_merge(
                actor=request.actor,
                keep_id=keep.pk,
                duplicate_id=duplicate.pk,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            put_errors(form, _as_form_errors(exc))
        except services.RegistryConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Записи об'єднано."))
            return redirect("registry:person-detail", person_id=kept.pk)
    context = {
        "person": keep,
        "candidates": _likely_duplicates(request, keep),
        "pick": pick,
        "duplicate": duplicate,
        "form": form,
    }
    return render(request, "registry/person_merge.html", context)


def _as_form_errors(error: ValidationError) -> ValidationError:
    """The service's ``duplicate`` problems concern the pair: above the form."""
    return ValidationError(
        {
            (NON_FIELD_ERRORS if key == "duplicate" else key): texts
            for key, texts in error.message_dict.items()
        }
    )
