"""The directory's pages: browsing and filtering services, a service and an organisation,
coordinators' editing (organisations, locations, services, hours, contacts) and the public
listing of published services. Thin: read the form, call a selector or a service, show the
result. A service's field errors go back onto the form; an edit made on an older version
shows both values of each field that differs and keeps what the user typed, with the current
version, so that sending it again is a decision taken knowingly."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.access import policies
from apps.access.actor import ANONYMOUS
from apps.access.roles import Perm

from . import schedules, selectors, services, validation
from .forms import (
    WEEKDAY_CHOICES,
    ContactFormSet,
    ExceptionFormSet,
    LocationForm,
    OrganisationForm,
    ScheduleFormSet,
    ServiceFilterForm,
    ServiceForm,
    put_errors,
    rows_of,
)
from .models import Organisation, Service

EMPTY = "—"
PAGE_SIZE = 25


# --- what a list shows of a service ---------------------------------------------------------


def _when(service: Service, now: datetime) -> dict:
    """Hours today and open now, for lists and the service page."""
    local = now.astimezone(schedules.KYIV)
    today = schedules.day_of(service, local.date())
    open_now = schedules.is_open(service, now)
    if open_now:
        state = _open_until(schedules.closes_at(service, now), local.date())
    else:
        opening = schedules.next_opening(service, now)
        if opening is None:
            state = _("Зачинено")
        elif opening.date() == local.date():
            state = _("Зачинено, відкриється о %(time)s") % {"time": f"{opening:%H:%M}"}
        else:
            state = _("Зачинено, відкриється %(day)s о %(time)s") % {
                "day": date_format(opening, "l, j E"),
                "time": f"{opening:%H:%M}",
            }
    hours = ", ".join(str(h) for h in today.clock) or _("сьогодні не працює")
    if today.exception and today.reason:
        hours = f"{hours} ({today.reason})"
    return {"open_now": open_now, "state": state, "hours_today": hours}


def _open_until(until: datetime | None, today: date) -> str:
    """The "open until …" state: a closing at midnight is 24:00 of the day before, a closing on
    another day names that day, and no closing in sight is "around the clock"."""
    if until is None:
        return _("Відкрито цілодобово")
    day, time = until.date(), f"{until:%H:%M}"
    if time == "00:00":
        day, time = day - timedelta(days=1), "24:00"
    if day == today:
        return _("Відкрито до %(time)s") % {"time": time}
    return _("Відкрито до %(time)s (%(day)s)") % {"time": time, "day": date_format(day, "l, j E")}


def _rows(services_list, now):
    return [{"service": s, **_when(s, now)} for s in services_list]


def _filter_form(request, communities) -> ServiceFilterForm:
    return ServiceFilterForm(
        request.GET or None,
        needs=selectors.need_choices(),
        communities=communities,
        categories=selectors.category_choices(),
    )


def _filters(form: ServiceFilterForm) -> selectors.ServiceFilters:
    if not form.is_valid():
        return selectors.ServiceFilters()
    return selectors.ServiceFilters(**form.cleaned_data)


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


# --- browsing -------------------------------------------------------------------------------


@login_required
def directory_view(request):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_READ)
    communities = [(u.code, u.name) for u in selectors.communities_for_filter(actor=actor)]
    form = _filter_form(request, communities)
    now = timezone.now()
    found = selectors.service_search(actor=actor, filters=_filters(form), at=now)
    page = _page(request, found)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(page.object_list, now),
        "total": len(found),
        "communities": selectors.writable_communities(actor=actor),
    }
    return render(request, "directory/directory.html", context)


def public_services_view(request):
    """Published services for everyone, signed in or not: no staff-only service, no named
    contact persons."""
    communities = [(u.code, u.name) for u in selectors.communities_for_filter(actor=ANONYMOUS)]
    form = _filter_form(request, communities)
    now = timezone.now()
    found = selectors.published_search(filters=_filters(form), at=now)
    page = _page(request, found)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(page.object_list, now),
        "total": len(found),
    }
    return render(request, "directory/public_services.html", context)


@login_required
def service_detail_view(request, service_id):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_READ)
    service = selectors.service_get(actor=actor, service_id=service_id)
    now = timezone.now()
    today = now.astimezone(schedules.KYIV).date()
    contacts = [
        c
        for c in selectors.contacts_of(actor=actor, organisation=service.organisation)
        if c.service_id in (None, service.pk)
    ]
    context = {
        "service": service,
        "when": _when(service, now),
        "week": schedules.week_of(service, today, days=14),
        "regular": _regular(service),
        "exceptions": [
            {
                "date": e.date,
                "hours": None
                if e.closed
                else schedules.Hours(opens=e.opens_at, closes=e.closes_at),
                "reason": e.reason,
            }
            for e in service.exceptions.all()
            if e.date >= today
        ],
        "needs": _labels(selectors.need_choices(), [n.need_code for n in service.needs.all()]),
        "categories": _labels(selectors.category_choices(), service.eligible_categories),
        "languages": _labels(validation.LANGUAGES, service.languages),
        "contacts": contacts,
        "may_edit": selectors.may_edit(actor=actor, organisation=service.organisation),
    }
    return render(request, "directory/service_detail.html", context)


def _regular(service: Service) -> list[dict]:
    days = dict(WEEKDAY_CHOICES)
    rows = sorted(service.schedules.all(), key=lambda s: (s.weekdays, s.opens_at))
    return [
        {
            "days": ", ".join(str(days[d]) for d in s.byday.split(",") if d in days),
            "hours": str(schedules.Hours(opens=s.opens_at, closes=s.closes_at)),
            "valid_from": s.valid_from,
            "valid_to": s.valid_to,
            "description": s.description,
        }
        for s in rows
    ]


def _labels(choices, codes) -> list[str]:
    names = dict(choices)
    return [str(names.get(code, code)) for code in codes]


@login_required
def organisation_detail_view(request, organisation_id):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_READ)
    organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
    now = timezone.now()
    locations = [
        {"location": loc, "languages": _labels(validation.LANGUAGES, loc.languages)}
        for loc in selectors.locations_of(actor=actor, organisation=organisation)
    ]
    context = {
        "organisation": organisation,
        "locations": locations,
        "rows": _rows(selectors.services_of(actor=actor, organisation=organisation), now),
        "contacts": selectors.contacts_of(actor=actor, organisation=organisation),
        "may_edit": selectors.may_edit(actor=actor, organisation=organisation),
    }
    return render(request, "directory/organisation_detail.html", context)


# --- conflicts ------------------------------------------------------------------------------


def _shown(form, name: str, value) -> str:
    field = form.fields.get(name)
    choices = dict(getattr(field, "choices", ()) or ())
    if value in (None, "", []):
        return EMPTY
    if isinstance(value, bool):
        return _("так") if value else _("ні")
    if isinstance(value, list):
        return "; ".join(str(choices.get(str(v), v)) for v in value)
    if hasattr(value, "pk"):
        return str(choices.get(str(value.pk), value))
    return str(choices.get(str(value), value))


def _conflict_rows(form, conflict: services.EditConflict, labels: dict | None = None):
    rows = []
    for entry in conflict.conflicts:
        name = entry["field"]
        field = form.fields.get(name)
        label = (labels or {}).get(name) or (field.label if field else name)
        rows.append(
            {
                "label": label,
                "yours": _shown(form, name, entry["yours"]),
                "theirs": _shown(form, name, entry["theirs"]),
            }
        )
    return rows


def _with_version(request, version: int) -> dict:
    """The user's input on the current version: sending it again overwrites knowingly."""
    data = request.POST.copy()
    data["version"] = str(version)
    return data


def _saved(request, saved: services.Saved) -> None:
    if saved.changed:
        messages.success(request, _("Зміни збережено."))
    else:
        messages.info(request, _("Нічого не змінено."))


@dataclass
class Submitted:
    """What became of a form: ``saved`` is what the service returned (None when nothing was
    saved), ``form`` the form to show, ``conflicts`` the rows of an edit made on an older
    version (None when there was none)."""

    form: forms.BaseForm
    saved: Any = None
    conflicts: list[dict] | None = None


def _submit(request, form: forms.BaseForm, save: Callable[[dict], Any], rebind=None) -> Submitted:
    """The shape the directory's one-form pages share (organisations, locations, services;
    new and edit; the hours and contacts pages post lists, see ``_list_conflicts``). On a
    valid POST, ``save`` gets the cleaned data and calls the service, which checks the version
    the user saw, writes and audits. A field the service refuses goes back onto the form. On
    an older version the page shows both values of each field that differs, and
    ``rebind(data)`` binds what the user typed again at the current version, so that sending
    it again is a decision taken knowingly (``rebind`` only where the service checks a
    version)."""
    if request.method != "POST" or not form.is_valid():
        return Submitted(form)
    try:
        return Submitted(form, saved=save(form.cleaned_data))
    except services.EditConflict as exc:
        if rebind is None:
            raise
        conflicts = _conflict_rows(form, exc)
        form = rebind(_with_version(request, exc.version))
        form.is_valid()
        return Submitted(form, conflicts=conflicts)
    except ValidationError as exc:
        put_errors(form, exc)
        return Submitted(form)


def _without_version(data: dict) -> dict:
    """The form's fields for the service: the version travels apart."""
    return {k: v for k, v in data.items() if k != "version"}


def _list_conflicts(exc: services.EditConflict, labels: dict[str, str]) -> list[dict]:
    """Conflict rows of the pages that edit a list at once (hours, contacts): each side is
    the list's lines."""
    return [
        {
            "label": labels[c["field"]],
            "yours": "; ".join(c["yours"]) or EMPTY,
            "theirs": "; ".join(c["theirs"]) or EMPTY,
        }
        for c in exc.conflicts
    ]


# --- organisations --------------------------------------------------------------------------


def _organisation_initial(org: Organisation) -> dict:
    return {name: getattr(org, name) for name in services.ORGANISATION_FIELDS} | {
        "version": org.version
    }


def _organisation_data(data: dict) -> dict:
    return {k: v for k, v in data.items() if k in services.ORGANISATION_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new_view(request):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_WRITE)
    communities = {u.code: u for u in selectors.writable_communities(actor=actor)}
    form = OrganisationForm(
        request.POST or None,
        communities=[(code, u.name) for code, u in communities.items()],
        initial={"community": next(iter(communities), "")},
    )

    def save(data):
        return services.organisation_create(
            actor=actor, community=communities[data["community"]], data=_organisation_data(data)
        )

    submitted = _submit(request, form, save)
    if submitted.saved is not None:
        messages.success(request, _("Організацію додано."))
        return redirect("directory:organisation-detail", organisation_id=submitted.saved.uuid)
    context = {"form": submitted.form, "organisation": None}
    return render(request, "directory/organisation_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit_view(request, organisation_id):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_WRITE)
    org = selectors.organisation_for_write(actor=actor, organisation_id=organisation_id)
    form = OrganisationForm(request.POST or None, initial=_organisation_initial(org))

    def save(data):
        return services.organisation_update(
            actor=actor,
            organisation_id=org.uuid,
            version=data["version"] or 0,
            data=_organisation_data(data),
        )

    submitted = _submit(request, form, save, rebind=OrganisationForm)
    if submitted.saved is not None:
        _saved(request, submitted.saved)
        return redirect("directory:organisation-detail", organisation_id=org.uuid)
    context = {"form": submitted.form, "organisation": org, "conflicts": submitted.conflicts}
    return render(request, "directory/organisation_form.html", context)


# --- locations ------------------------------------------------------------------------------


def _settlements(org: Organisation):
    return [(u.code, u.name) for u in selectors.settlements_of(community=org.community)]


def _location_form(org: Organisation, data=None, initial=None) -> LocationForm:
    return LocationForm(data, settlements=_settlements(org), initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def location_new_view(request, organisation_id):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_WRITE)
    org = selectors.organisation_for_write(actor=actor, organisation_id=organisation_id)
    initial = {"version": org.version, "languages": ["uk"]}
    form = _location_form(org, request.POST or None, initial=initial)

    def save(data):
        return services.location_create(
            actor=actor,
            organisation_id=org.uuid,
            version=data["version"],
            data=_without_version(data),
        )

    submitted = _submit(request, form, save, rebind=lambda data: _location_form(org, data))
    if submitted.saved is not None:
        messages.success(request, _("Локацію додано."))
        return redirect("directory:organisation-detail", organisation_id=org.uuid)
    context = {
        "form": submitted.form,
        "organisation": org,
        "location": None,
        "conflicts": submitted.conflicts,
    }
    return render(request, "directory/location_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def location_edit_view(request, location_id):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_WRITE)
    location = selectors.location_for_write(actor=actor, location_id=location_id)
    org = location.organisation
    initial = {name: getattr(location, name) for name in services.LOCATION_FIELDS}
    initial |= {"settlement": location.settlement_id, "version": org.version}
    form = _location_form(org, request.POST or None, initial=initial)

    def save(data):
        return services.location_update(
            actor=actor,
            location_id=location.uuid,
            version=data["version"],
            data=_without_version(data),
        )

    submitted = _submit(request, form, save, rebind=lambda data: _location_form(org, data))
    if submitted.saved is not None:
        _saved(request, submitted.saved)
        return redirect("directory:organisation-detail", organisation_id=org.uuid)
    context = {
        "form": submitted.form,
        "organisation": org,
        "location": location,
        "conflicts": submitted.conflicts,
    }
    return render(request, "directory/location_form.html", context)


# --- services -------------------------------------------------------------------------------


def _service_form(org: Organisation, data=None, initial=None) -> ServiceForm:
    return ServiceForm(
        data,
        initial=initial,
        needs=selectors.need_choices(),
        categories=selectors.category_choices(),
        locations=[
            (str(loc.uuid), f"{loc.display_name}, {loc.address}") for loc in org.locations.all()
        ],
        areas=[(u.code, u.name) for u in services.area_choices(org)],
    )


def _service_initial(service: Service) -> dict:
    initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
    return initial | {
        "needs": list(service.needs.values_list("need_code", flat=True)),
        "locations": [str(u) for u in service.locations.values_list("uuid", flat=True)],
        "areas": list(service.areas.values_list("code", flat=True)),
        "version": service.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def service_new_view(request, organisation_id):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_WRITE)
    org = selectors.organisation_for_write(actor=actor, organisation_id=organisation_id)
    initial = {"locations": [str(loc.uuid) for loc in org.locations.all()][:1]}
    form = _service_form(org, request.POST or None, initial=initial)

    def save(data):
        return services.service_create(
            actor=actor, organisation_id=org.uuid, data=_without_version(data)
        )

    submitted = _submit(request, form, save)
    if submitted.saved is not None:
        messages.success(request, _("Послугу додано. Вкажіть години роботи."))
        return redirect("directory:service-hours", service_id=submitted.saved.uuid)
    context = {
        "form": submitted.form,
        "organisation": org,
        "service": None,
        "known_codes": _codes(),
    }
    return render(request, "directory/service_form.html", context)


def _codes():
    return validation.KNOWN_CLASSIFIER_CODES


@login_required
@require_http_methods(["GET", "POST"])
def service_edit_view(request, service_id):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_WRITE)
    service = selectors.service_for_write(actor=actor, service_id=service_id)
    org = service.organisation
    form = _service_form(org, request.POST or None, initial=_service_initial(service))

    def save(data):
        return services.service_update(
            actor=actor,
            service_id=service.uuid,
            version=data["version"] or 0,
            data=_without_version(data),
        )

    submitted = _submit(request, form, save, rebind=lambda data: _service_form(org, data))
    if submitted.saved is not None:
        _saved(request, submitted.saved)
        return redirect("directory:service-detail", service_id=service.uuid)
    context = {
        "form": submitted.form,
        "organisation": org,
        "service": service,
        "conflicts": submitted.conflicts,
        "known_codes": _codes(),
    }
    return render(request, "directory/service_form.html", context)


# --- hours ----------------------------------------------------------------------------------


def _hours_forms(service: Service, data=None):
    schedule_initial = [
        {
            "uuid": s.uuid,
            "byday": s.byday.split(","),
            "opens_at": s.opens_at,
            "closes_at": s.closes_at,
            "valid_from": s.valid_from,
            "valid_to": s.valid_to,
            "description": s.description,
        }
        for s in service.schedules.order_by("opens_at", "pk")
    ]
    exception_initial = [
        {
            "date": e.date,
            "closed": e.closed,
            "opens_at": e.opens_at,
            "closes_at": e.closes_at,
            "reason": e.reason,
        }
        for e in service.exceptions.order_by("date")
    ]
    return (
        ScheduleFormSet(data, initial=schedule_initial, prefix="schedules"),
        ExceptionFormSet(data, initial=exception_initial, prefix="exceptions"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_hours_view(request, service_id):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_WRITE)
    service = selectors.service_for_write(actor=actor, service_id=service_id)
    data = request.POST if request.method == "POST" else None
    weekly, dated = _hours_forms(service, data)
    version, garbled = _posted_version(data, service.version)
    conflicts = None
    if data is not None and not garbled and weekly.is_valid() and dated.is_valid():
        try:
            saved = services.service_hours_update(
                actor=actor,
                service_id=service.uuid,
                version=version,
                schedules=rows_of(weekly),
                exceptions=rows_of(dated),
            )
        except services.EditConflict as exc:
            labels = {"schedules": _("Розклад"), "exceptions": _("Винятки")}
            conflicts = _list_conflicts(exc, labels)
            version = exc.version
        except ValidationError as exc:
            _hours_errors(exc, weekly, dated)
        else:
            _saved(request, saved)
            return redirect("directory:service-detail", service_id=service.uuid)
    context = {
        "service": service,
        "weekly": weekly,
        "dated": dated,
        "version": version,
        "conflicts": conflicts,
        "garbled": garbled,
        "has_errors": garbled
        or (
            bool(data)
            and (
                any(f.errors for f in weekly.forms)
                or any(f.errors for f in dated.forms)
                or weekly.non_form_errors()
                or dated.non_form_errors()
            )
        ),
    }
    return render(request, "directory/service_hours.html", context)


def _posted_version(data, current: int) -> tuple[int, bool]:
    """The version the form was opened at, and whether it came garbled: then the page shows the
    current version and asks to check and save again, changing nothing."""
    if data is None:
        return current, False
    try:
        return int(data.get("version", "")), False
    except ValueError:
        return current, True


def _hours_errors(exc: ValidationError, weekly, dated) -> None:
    for group, formset in (("schedules", weekly), ("exceptions", dated)):
        only = {k: v for k, v in exc.message_dict.items() if k.startswith(f"{group}[")}
        if only:
            put_errors(formset.forms[0], ValidationError(only), {group: formset})


# --- contacts -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisation_contacts_view(request, organisation_id):
    actor = request.actor
    policies.require(actor, Perm.DIRECTORY_WRITE)
    org = selectors.organisation_for_write(actor=actor, organisation_id=organisation_id)
    service_choices = [(str(s.uuid), s.display_name) for s in org.services.order_by("name")]
    initial = [
        {
            "uuid": c.uuid,
            "name": c.name,
            "title": c.title,
            "email": c.email,
            "phone": c.phone,
            "service": str(c.service.uuid) if c.service_id else "",
        }
        for c in org.contacts.select_related("service").order_by("name", "pk")
    ]
    data = request.POST if request.method == "POST" else None
    formset = ContactFormSet(
        data, initial=initial, prefix="contacts", form_kwargs={"services": service_choices}
    )
    version, garbled = _posted_version(data, org.version)
    conflicts = None
    if data is not None and not garbled and formset.is_valid():
        try:
            saved = services.contacts_update(
                actor=actor, organisation_id=org.uuid, version=version, contacts=rows_of(formset)
            )
        except services.EditConflict as exc:
            conflicts = _list_conflicts(exc, {"contacts": _("Контактні особи")})
            version = exc.version
        except ValidationError as exc:
            put_errors(formset.forms[0], exc, {"contacts": formset})
        else:
            _saved(request, saved)
            return redirect("directory:organisation-detail", organisation_id=org.uuid)
    context = {
        "organisation": org,
        "formset": formset,
        "version": version,
        "conflicts": conflicts,
        "garbled": garbled,
        "has_errors": garbled or (bool(data) and any(f.errors for f in formset.forms)),
    }
    return render(request, "directory/organisation_contacts.html", context)
