"""Referrals' pages: sending a referral from a person's card or request, the hub's outgoing
list (with the overdue filter), the inbox of the receiving organisation, and one referral with
its history and the moves the actor's side may make. Thin: read the form, call a selector or a
service, show the result; refusals are said in words, nothing is saved.
"""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access import policies
from apps.access.roles import Perm
from apps.directory import selectors as directory
from apps.intake import selectors as intake
from apps.registry import selectors as registry

from . import rules, selectors, services
from .forms import ListFilterForm, NeedForm, SendForm, TransitionForm
from .letter import letter_data, render_letter
from .models import Shared, Status
from .rules import Outcome

PAGE_SIZE = 50  # referrals a list page shows

MOVE_LABELS = {
    Status.SENT: gettext_lazy("Надіслати направлення"),
    Status.ACCEPTED: gettext_lazy("Прийняти"),
    Status.DECLINED: gettext_lazy("Відхилити"),
    Status.IN_PROGRESS: gettext_lazy("Розпочати виконання"),
    Status.COMPLETED: gettext_lazy("Позначити виконаним"),
    Status.CANCELLED: gettext_lazy("Скасувати направлення"),
}


def _errors_to_form(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _mark_overdue(referrals) -> list:
    today = rules.local_today()
    referrals = list(referrals)
    for r in referrals:
        r.overdue = rules.overdue_deadline(r.status, r.respond_by, r.complete_by, today)
    return referrals


# --- sending --------------------------------------------------------------------------------


def _consent_url(person, back: str) -> str:
    return reverse("registry:consent-record", args=[person.pk]) + "?" + urlencode({"next": back})


@login_required
def send_view(request, person_id):
    actor = request.actor
    policies.require(actor, Perm.REFERRALS_SEND)
    person = registry.person_read_for_write(actor=actor, person_id=person_id)
    source = request.POST if request.method == "POST" else request.GET
    needs = selectors.needs_active()
    need_form = NeedForm({"need": source.get("need")} if source.get("need") else None, needs=needs)
    need_code = need_form.cleaned_data["need"] if need_form.is_valid() else None
    request_id = source.get("request") or ""
    linked = None
    if request_id:
        try:
            linked = intake.request_get(actor=actor, request_id=request_id)
        except (Http404, ValidationError, ValueError):
            linked = None
        if linked is not None and linked.person_id != person.pk:
            linked = None
    if (
        need_code is None
        and linked is not None
        and request.method == "GET"
        and not source.get("need")
    ):
        first = linked.needs.first()
        if first is not None:
            need_form = NeedForm({"need": first.code}, needs=needs)
            need_code = first.code if need_form.is_valid() else None

    offered = (
        list(selectors.services_for_referral(actor=actor, need_code=need_code)) if need_code else []
    )
    terms = services.send_terms(actor=actor, person=person)
    hub = terms["hub"]
    external = [s for s in offered if s.organisation_id != hub.pk]
    consent_ok = terms["partners_consent"] or not external
    contact_allowed = terms["partners_consent"] or (terms["hub_consent"] and not external)
    deadlines = {s.pk: terms["deadlines"](s) for s in offered}
    today = rules.local_today()
    categories, age = person.category_codes_on(today), person.age_on(today)
    unsuited = {s.pk for s in offered if not directory.eligible(s, categories, age)}
    form = SendForm(
        request.POST if request.method == "POST" else None,
        initial={
            "need": need_code,
            "request": linked.pk if linked else None,
            "share_contact": contact_allowed,
        },
        services=offered,
        deadlines=deadlines,
        unsuited=unsuited,
        contact_allowed=contact_allowed,
    )
    back = (
        request.get_full_path()
        if request.method == "GET"
        else (
            reverse("referrals:new", args=[person.pk])
            + "?"
            + urlencode(
                {"need": need_code or "", **({"request": str(linked.pk)} if linked else {})}
            )
        )
    )
    consent_missing = False
    if request.method == "POST" and form.is_valid():
        data = {
            "person": str(person.pk),
            "service": form.cleaned_data["service"],
            "need": form.cleaned_data["need"],
            "note": form.cleaned_data["note"],
            "request": str(linked.pk) if linked else None,
            "shared": form.shared(),
            "confirm_not_accepting": form.cleaned_data["confirm_not_accepting"],
        }
        draft = "save_draft" in request.POST
        try:
            referral, created = services.referral_send(
                actor=actor,
                data=data,
                idempotency_key=request.POST.get("idempotency_key", ""),
                draft=draft,
            )
        except ValidationError as exc:
            codes = {e.code for errors in exc.error_dict.values() for e in errors}
            consent_missing = services.CONSENT_REQUIRED in codes
            _errors_to_form(form, exc)
        else:
            if created and referral.status == Status.DRAFT:
                messages.success(
                    request,
                    _(
                        "Чернетку направлення %(ref)s збережено. Організація її не бачить, "
                        "доки ви не надішлете."
                    )
                    % {"ref": referral.reference},
                )
            elif created:
                messages.success(
                    request, _("Направлення %(ref)s надіслано.") % {"ref": referral.reference}
                )
            elif referral.status == Status.DRAFT:
                messages.info(
                    request,
                    _("Чернетка такого направлення вже є: %(ref)s.") % {"ref": referral.reference},
                )
            else:
                messages.info(
                    request,
                    _("Таке направлення вже надіслано: %(ref)s.") % {"ref": referral.reference},
                )
            return redirect("referrals:detail", referral_id=referral.pk)
    context = {
        "person": person,
        "need_form": need_form,
        "need_code": need_code,
        "linked": linked,
        "form": form,
        "offered": offered,
        "any_not_accepting": any(not s.accepting_referrals for s in offered),
        "hub": hub,
        "consent_ok": consent_ok,
        "consent_missing": consent_missing,
        "consent_url": _consent_url(person, back),
        "can_record_consent": actor.has_perm(Perm.PERSONS_WRITE),
        "minimum_shared": [Shared(s).label for s in (Shared.NAME, Shared.NEED, Shared.NOTE)],
        "idempotency_key": request.POST.get("idempotency_key") or _new_key(),
    }
    return render(request, "referrals/send.html", context)


def _new_key() -> str:
    """A fresh key per form shown: sending the same form twice gives one referral."""
    return uuid.uuid4().hex


# --- lists ----------------------------------------------------------------------------------


def _list(request, *, incoming: bool):
    actor = request.actor
    policies.require(actor, Perm.REFERRALS_READ)
    filters = ListFilterForm(request.GET or None)
    status, overdue = None, False
    if filters.is_bound and filters.is_valid():
        status = filters.cleaned_data["status"] or None
        overdue = filters.cleaned_data["overdue"]
    reader = selectors.incoming if incoming else selectors.outgoing
    page = Paginator(reader(actor=actor, status=status, overdue=overdue), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = _mark_overdue(page.object_list)
    selectors.record_listed(actor=actor, referrals=shown)
    return render(
        request,
        "referrals/inbox.html" if incoming else "referrals/outgoing.html",
        {
            "referrals": shown,
            "page": page,
            "filters": filters,
            "overdue": overdue,
            "status": status,
        },
    )


@login_required
def outgoing_view(request):
    return _list(request, incoming=False)


@login_required
def inbox_view(request):
    return _list(request, incoming=True)


# --- one referral ---------------------------------------------------------------------------


def _moves(referral, sides) -> list[dict]:
    moves = []
    for to in (
        Status.SENT,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.DECLINED,
        Status.CANCELLED,
    ):
        if not rules.allowed(referral.status, to):
            continue
        if to in rules.RECEIVER_MOVES and not sides.can_respond:
            continue
        if to in rules.SENDER_MOVES and not sides.can_send:
            continue
        moves.append({"to": to, "label": MOVE_LABELS[to]})
    return moves


def _act(request, referral_id) -> None:
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Некоректний запит."))
        return
    try:
        services.referral_transition(actor=request.actor, referral_id=referral_id, **form.move())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (services.EditConflict, services.TransitionRefused) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Стан направлення змінено."))


@login_required
def detail_view(request, referral_id):
    if request.method == "POST":
        selectors.referral_get(actor=request.actor, referral_id=referral_id)  # 404 before acting
        _act(request, referral_id)
        return redirect("referrals:detail", referral_id=referral_id)
    referral, sides = selectors.referral_read(actor=request.actor, referral_id=referral_id)
    referral.overdue = rules.overdue_deadline(
        referral.status, referral.respond_by, referral.complete_by, rules.local_today()
    )
    events = selectors.history(referral, sides)
    for event in events:
        event.who = selectors.event_actor(event, referral, sides)
    context = {
        "r": referral,
        "events": events,
        "sides": sides,
        "moves": _moves(referral, sides),
        **_draft_context(request, referral, sides),
        "outcomes": Outcome.choices,
        "person_link": sides.sender
        and registry.person_is_visible(actor=request.actor, person_id=referral.person_id),
    }
    return render(request, "referrals/detail.html", context)


def _draft_context(request, referral, sides) -> dict:
    """For the sender of a draft: whether sending needs a consent first (and where to record
    it), or a confirmation because the service is not accepting referrals now."""
    if referral.status != Status.DRAFT or not sides.can_send:
        return {}
    consented = services.consent_covers(
        referral.person, referral.sender_organisation, referral.receiver_organisation
    )
    back = reverse("referrals:detail", args=[referral.pk])
    return {
        "draft_needs_consent": referral.is_external and not consented,
        "consent_url": _consent_url(referral.person, back),
        "can_record_consent": request.actor.has_perm(Perm.PERSONS_WRITE),
        "draft_needs_confirmation": not referral.service.accepting_referrals,
        "draft_may_share_contact": consented and Shared.CONTACT not in referral.shared,
    }


@login_required
def letter_view(request, referral_id):
    """The printable letter (PDF) of a referral, for either side: one audited read. A draft
    has no letter: nothing has been sent."""
    referral, _sides = selectors.referral_read(actor=request.actor, referral_id=referral_id)
    if referral.status == Status.DRAFT:
        messages.info(request, _("Лист-направлення буде, коли направлення надішлють."))
        return redirect("referrals:detail", referral_id=referral.pk)
    response = HttpResponse(render_letter(letter_data(referral)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{referral.reference}.pdf"'
    return response
