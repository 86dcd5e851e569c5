"""Intake's pages: the triage queue of a hub, the form of a new request, a request with its
history and actions, and booking the primary consultation. Thin: read the form, call a
selector or a service, show the result. A service's field errors go back onto the form; a
conflict (someone changed the request, the slot was taken) is said in words, nothing is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access import policies
from apps.access.roles import Perm
from apps.registry import selectors as registry

from . import rules, selectors, services
from .forms import AssignForm, BookForm, RequestForm, SlotSearchForm, TransitionForm
from .models import CloseReason, Status

TRANSITION_LABELS = {
    Status.TRIAGED: gettext_lazy("Позначити розподіленим"),
    Status.IN_WORK: gettext_lazy("Взяти в роботу"),
    Status.CLOSED: gettext_lazy("Закрити звернення"),
}


def _errors_to_form(form, exc: ValidationError) -> None:
    """A service's errors keyed by field (``needs[1]``) onto the form's fields."""
    for key, errors in exc.message_dict.items():
        name = key.split("[", 1)[0].split(".", 1)[0]
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


# --- the triage queue -----------------------------------------------------------------------


@login_required
def triage_view(request):
    policies.require(request.actor, Perm.REQUESTS_READ)
    hubs = selectors.hubs_for(request.actor)
    hub = next((h for h in hubs if str(h.pk) == request.GET.get("hub")), hubs[0] if hubs else None)
    queue = selectors.triage_queue(actor=request.actor, organisation=hub) if hub else []
    return render(request, "intake/triage.html", {"hubs": hubs, "hub": hub, "queue": queue})


# --- a new request --------------------------------------------------------------------------


@login_required
def request_new_view(request, person_id):
    policies.require(request.actor, Perm.REQUESTS_WRITE)
    person = registry.person_read_for_write(actor=request.actor, person_id=person_id)
    form = RequestForm(request.POST or None, needs=selectors.needs_active())
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(
                actor=request.actor, data={**form.cleaned_data, "person": str(person.pk)}
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Звернення записано."))
            return redirect("intake:request-detail", request_id=created.pk)
    earlier = selectors.requests_of_person(actor=request.actor, person_id=person.pk)[:20]
    return render(
        request, "intake/request_new.html", {"person": person, "form": form, "earlier": earlier}
    )


# --- one request ----------------------------------------------------------------------------


def _conflict_message(exc: services.EditConflict) -> str:
    return _(
        "Звернення щойно змінив хтось інший (версія %(theirs)s, ваша — %(yours)s). "
        "Перегляньте його поточний стан і повторіть дію."
    ) % next(c for c in exc.conflicts if c["field"] == "version")


def _act(request, request_id) -> None:
    """One action posted from the request page: a status change, an assignment or the
    cancelling of an appointment. The outcome goes to the messages."""
    action, actor = request.POST.get("action"), request.actor
    try:
        if action == "transition":
            form = TransitionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Некоректний запит."))
            services.request_transition(actor=actor, request_id=request_id, **form.cleaned_data)
            messages.success(request, _("Стан звернення змінено."))
        elif action == "assign":
            hub = selectors.request_get(actor=actor, request_id=request_id).organisation
            form = AssignForm(request.POST, workers=_workers(actor, hub))
            if not form.is_valid():
                raise ValidationError(form.errors.get("assigned_to") or _("Некоректний запит."))
            services.request_assign(actor=actor, request_id=request_id, **form.cleaned_data)
            messages.success(request, _("Відповідального працівника змінено."))
        elif action == "cancel":
            services.appointment_cancel(
                actor=actor, appointment_id=request.POST.get("appointment"), request_id=request_id
            )
            messages.success(request, _("Запис скасовано."))
        else:
            raise ValidationError(_("Некоректний запит."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except services.EditConflict as exc:
        messages.error(request, _conflict_message(exc))
    except services.TransitionRefused:
        messages.error(request, _("Такий перехід стану не дозволено."))
    except services.AppointmentNotBooked:
        messages.error(request, _("Скасувати можна лише запланований запис."))


def _workers(actor, hub):
    try:
        return selectors.assignable_workers(actor=actor, hub=hub)
    except Http404:
        return None


def _transition_forms(r) -> list[dict]:
    forms = []
    for target in (Status.TRIAGED, Status.IN_WORK, Status.CLOSED):
        if rules.allowed(r.status, target):
            label = (
                _("Відкрити знову") if rules.is_reopening(r.status, target) else None
            ) or TRANSITION_LABELS[target]
            forms.append({"to": target, "label": label})
    return forms


@login_required
def request_detail_view(request, request_id):
    if request.method == "POST":
        selectors.request_get(actor=request.actor, request_id=request_id)  # 404 before acting
        _act(request, request_id)
        return redirect("intake:request-detail", request_id=request_id)
    r = selectors.request_read(actor=request.actor, request_id=request_id)
    workers = _workers(request.actor, r.organisation)
    assign_form = (
        AssignForm(initial={"version": r.version, "assigned_to": r.assigned_to_id}, workers=workers)
        if workers is not None and r.is_open
        else None
    )
    context = {
        "r": r,
        "transitions": _transition_forms(r) if workers is not None else [],
        "close_reasons": CloseReason.choices,
        "assign_form": assign_form,
        "can_book": workers is not None
        and r.is_open
        and request.actor.has_perm(Perm.APPOINTMENTS_WRITE),
    }
    return render(request, "intake/request_detail.html", context)


# --- booking --------------------------------------------------------------------------------


def _slot_choices(slots) -> list[tuple[str, str]]:
    return [
        (
            s.starts_at.isoformat(),
            f"{date_format(s.starts_at.astimezone(rules.HUB_TIME_ZONE), 'H:i')}–"
            f"{date_format(s.ends_at.astimezone(rules.HUB_TIME_ZONE), 'H:i')}",
        )
        for s in slots
    ]


@login_required
def appointment_book_view(request, request_id):
    actor = request.actor
    policies.require(actor, Perm.APPOINTMENTS_WRITE)
    r = selectors.request_read_for_write(actor=actor, request_id=request_id)
    specialists = list(selectors.bookable_specialists(actor=actor, hub=r.organisation))
    rooms = selectors.rooms_of(actor=actor, hub=r.organisation)
    default = r.assigned_to_id if any(s.pk == r.assigned_to_id for s in specialists) else None
    source = request.POST if request.method == "POST" else request.GET
    search = SlotSearchForm(
        source or None,
        initial={"date": rules.local_today(), "specialist": default},
        specialists=specialists,
    )
    specialist_id = day = None
    if search.is_bound and search.is_valid():
        specialist_id, day = search.cleaned_data["specialist"], search.cleaned_data["date"]
    elif not search.is_bound and specialists:
        specialist_id, day = default or specialists[0].pk, rules.local_today()
    slots = (
        selectors.free_slots(actor=actor, specialist_id=specialist_id, day=day)
        if specialist_id
        else []
    )
    book = BookForm(
        request.POST if request.method == "POST" else None,
        initial={"specialist": specialist_id, "date": day},
        slots=_slot_choices(slots),
        rooms=rooms,
        auto_id="book_%s",  # ids apart from the search form's on the same page
    )
    if request.method == "POST" and book.is_valid():
        data = {
            "request": str(r.pk),
            "specialist": specialist_id,
            "starts_at": book.cleaned_data["slot"],
            "room": book.cleaned_data["room"],
        }
        try:
            services.appointment_book(actor=actor, data=data)
        except ValidationError as exc:
            _errors_to_form(book, exc)
        except services.SlotTaken:
            book.add_error("slot", _("Цей час уже зайнятий. Оберіть інший."))
        else:
            messages.success(request, _("Первинну консультацію заплановано."))
            return redirect("intake:request-detail", request_id=r.pk)
    context = {
        "r": r,
        "search": search,
        "book": book,
        "specialists": specialists,
        "slots": slots,
        "day": day,
    }
    return render(request, "intake/appointment_book.html", context)
