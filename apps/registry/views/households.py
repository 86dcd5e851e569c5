"""A household's page and its changes: create one headed by a person, add a member (found by
search among the persons the user sees, or by pasting an id), end a membership, change the head.

The page is one audited read of the household; members the user may not read show as "a member
held by another hub", never by name. Each change is a POST carrying the household's version and
returns to the page (POST-redirect-GET); a refused change — a stale version, a bad choice —
comes back as a message naming the field and the rule, and the page then shows the current
state to act on again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access import policies
from apps.access.roles import Perm

from .. import selectors, services
from ..forms import HeadChangeForm, HouseholdChangeForm, HouseholdSearchForm, MemberAddForm
from ..models import Relationship

CANDIDATES_SHOWN = 10


def _can_write(actor, household) -> bool:
    return policies.covers(
        actor,
        Perm.PERSONS_WRITE,
        community=household.community,
        organisation=household.organisation_id,
    )


def _candidates(request, household, current_ids: set) -> tuple[HouseholdSearchForm, list]:
    """The search box and the persons it found that the user sees and who are not members."""
    form = HouseholdSearchForm(request.GET or None)
    if not form.is_valid():
        return form, []
    matches = selectors.person_search(
        actor=request.actor, q=form.cleaned_data["q"], limit=CANDIDATES_SHOWN
    )
    shown = [m for m in matches if m.visible and m.person.pk not in current_ids]
    selectors.record_shown(actor=request.actor, matches=shown)
    found = [m.person for m in shown]
    version = household.version
    return form, [
        (
            person,
            MemberAddForm(initial={"person": person.pk, "version": version}, auto_id=f"add{i}_%s"),
        )
        for i, person in enumerate(found)
    ]


def _head_form(household, member) -> HeadChangeForm | None:
    if member.relationship == Relationship.HEAD:
        return None
    initial = {"version": household.version, "member": member.pk}
    return HeadChangeForm(initial=initial, auto_id=f"head{member.pk}_%s")


@login_required
def household_detail_view(request, household_id):
    household = selectors.household_read(actor=request.actor, household_id=household_id)
    members = selectors.household_members(actor=request.actor, household=household)
    current = [m for m in members if m.member.left_on is None]
    can_write = _can_write(request.actor, household)
    context = {
        "household": household,
        "current": [
            {"view": m, "head_form": _head_form(household, m.member) if can_write else None}
            for m in current
        ],
        "history": [m for m in members if m.member.left_on is not None],
        "can_write": can_write,
    }
    if can_write:
        search, candidates = _candidates(request, household, {m.member.person_id for m in current})
        context |= {
            "search": search,
            "candidates": candidates,
            "paste_form": MemberAddForm(initial={"version": household.version}, auto_id="paste_%s"),
        }
    return render(request, "registry/household_detail.html", context)


@login_required
@require_POST
def household_create_view(request, person_id):
    try:
        household = services.household_create(actor=request.actor, head_id=person_id)
    except ValidationError as exc:
        for texts in exc.message_dict.values():
            for text in texts:
                messages.error(request, text)
        return redirect("registry:person-detail", person_id=person_id)
    except services.RegistryConflict as exc:
        messages.error(request, exc.message)
        return redirect("registry:person-detail", person_id=person_id)
    messages.success(request, _("Домогосподарство створено."))
    return redirect("registry:household-detail", household_id=household.pk)


# --- changes ------------------------------------------------------------------------------------


def _refused(request, form, error: ValidationError | None = None) -> None:
    """Each problem as a message that names its field."""
    problems = error.message_dict if error is not None else form.errors
    for key, texts in problems.items():
        field = form.fields.get(key)
        label = field.label if field is not None and field.label else ""
        for text in texts:
            messages.error(request, f"{label}: {text}" if label else text)


def _household_change(request, household_id, form, change) -> None:
    """Runs ``change(version, data)`` when the form is valid; every refusal as a message."""
    selectors.household_for_write(actor=request.actor, household_id=household_id)
    if not form.is_valid():
        _refused(request, form)
        return
    data = form.cleaned_data
    try:
        change(data["version"], data)
    except services.EditConflict:
        messages.error(
            request,
            _(
                "Домогосподарство щойно змінив хтось інший. Перегляньте поточний склад "
                "і повторіть дію."
            ),
        )
    except ValidationError as exc:
        _refused(request, form, exc)
    except services.RegistryConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Склад домогосподарства змінено."))


@login_required
@require_POST
def household_member_add_view(request, household_id):
    def add(version, data):
        try:
            services.household_member_add(
                actor=request.actor,
                household_id=household_id,
                version=version,
                person_id=data["person"],
                relationship=data["relationship"],
            )
        except Http404:  # the household is the user's (checked first): the person is not
            raise ValidationError(
                {"person": _("Немає особи з таким ідентифікатором, яку ви можете змінювати.")}
            ) from None

    _household_change(request, household_id, MemberAddForm(request.POST), add)
    return redirect("registry:household-detail", household_id=household_id)


@login_required
@require_POST
def household_member_end_view(request, household_id, member_id: int):
    def end(version, _data):
        services.household_member_end(
            actor=request.actor, household_id=household_id, version=version, member_id=member_id
        )

    _household_change(request, household_id, HouseholdChangeForm(request.POST), end)
    return redirect("registry:household-detail", household_id=household_id)


@login_required
@require_POST
def household_head_change_view(request, household_id):
    def change_head(version, data):
        services.household_head_change(
            actor=request.actor,
            household_id=household_id,
            version=version,
            member_id=data["member"],
            previous_head_relationship=data["previous_head_relationship"],
        )

    _household_change(request, household_id, HeadChangeForm(request.POST), change_head)
    return redirect("registry:household-detail", household_id=household_id)
