"""Intake's rules as pure functions: the status transitions, the default due dates and the grid
of consultation slots. No database here.

- **Due dates** count working days from the day a request is received (Kyiv time): a critical
  request is due the same day, an urgent one the next working day, a normal one in five working
  days (the needs-assessment deadline, DOMAIN.md §4). Working days are Monday to Friday; public
  holidays are not skipped — under martial law they are working days.
- **Slots** of a working day follow ``INTAKE_WORKING_HOURS`` (default Monday–Friday 09:00–18:00)
  in steps of ``INTAKE_SLOT_MINUTES`` (default 45), in ``Europe/Kyiv`` whatever the server's
  zone; a slot ends inside the working hours.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.geo.clock import KYIV
from apps.geo.clock import local_today as local_today  # re-exported: the hubs' today

HUB_TIME_ZONE = KYIV
DEFAULT_WORKING_HOURS = {"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "18:00"}
DEFAULT_SLOT_MINUTES = 45


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Особисто в хабі")
    PHONE = "phone", _("Телефон або гаряча лінія")
    ONLINE = "online", _("Онлайн-форма")
    MESSENGER = "messenger", _("Месенджер")
    REFERRAL = "referral", _("Направлення від партнера")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Звичайна")
    URGENT = "urgent", _("Термінова")
    CRITICAL = "critical", _("Кризова")


class Status(models.TextChoices):
    NEW = "new", _("Нове")
    TRIAGED = "triaged", _("Розподілене")
    IN_WORK = "in_work", _("У роботі")
    CLOSED = "closed", _("Закрите")


class CloseReason(models.TextChoices):
    RESOLVED = "resolved", _("Потребу задоволено")
    REFERRED = "referred", _("Направлено до іншої служби")
    CASE_OPENED = "case_opened", _("Відкрито справу")
    WITHDRAWN = "withdrawn", _("Особа відмовилася")
    UNREACHABLE = "unreachable", _("Не вдалося зв'язатися")
    NOT_ELIGIBLE = "not_eligible", _("Не належить до послуг хабу")
    DUPLICATE = "duplicate", _("Повторне звернення")
    OTHER = "other", _("Інше")


# Where each status may go. Closing is possible from every open status; reopening leads back to
# triage (the request is looked at again before work restarts).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.TRIAGED, Status.IN_WORK, Status.CLOSED}),
    Status.TRIAGED: frozenset({Status.IN_WORK, Status.CLOSED}),
    Status.IN_WORK: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset({Status.TRIAGED}),
}
OPEN_STATUSES = (Status.NEW, Status.TRIAGED, Status.IN_WORK)
QUEUE_STATUSES = (Status.NEW, Status.TRIAGED)
URGENCY_ORDER = (Urgency.CRITICAL, Urgency.URGENT, Urgency.NORMAL)
DUE_WORKING_DAYS = {Urgency.CRITICAL: 0, Urgency.URGENT: 1, Urgency.NORMAL: 5}


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def is_reopening(from_status: str, to_status: str) -> bool:
    return from_status == Status.CLOSED and to_status != Status.CLOSED


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start``; with 0, ``start`` itself or, on a weekend,
    the next working day."""
    day, remaining = start, days
    while remaining > 0 or day.weekday() >= 5:
        day += timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def default_due_date(urgency: str, received_on: date) -> date:
    return add_working_days(received_on, DUE_WORKING_DAYS.get(urgency, DUE_WORKING_DAYS["normal"]))


# --- slots ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at


def working_hours() -> tuple[frozenset[int], time, time]:
    hours = {**DEFAULT_WORKING_HOURS, **getattr(settings, "INTAKE_WORKING_HOURS", {})}
    start, end = time.fromisoformat(hours["start"]), time.fromisoformat(hours["end"])
    return frozenset(hours["days"]), start, end


def slot_length() -> timedelta:
    return timedelta(minutes=getattr(settings, "INTAKE_SLOT_MINUTES", DEFAULT_SLOT_MINUTES))


def day_slots(day: date) -> list[Slot]:
    """Every slot of ``day`` in Kyiv time (none on a day off), as aware datetimes."""
    days, start, end = working_hours()
    if day.weekday() not in days:
        return []
    length = slot_length()
    opens = datetime.combine(day, start, tzinfo=HUB_TIME_ZONE)
    closes = datetime.combine(day, end, tzinfo=HUB_TIME_ZONE)
    slots, at = [], opens
    while at + length <= closes:
        slots.append(Slot(at, at + length))
        at += length
    return slots


def within_working_hours(starts_at: datetime, ends_at: datetime) -> bool:
    """Whether the interval lies inside one working day's hours (Kyiv time)."""
    days, start, end = working_hours()
    local_start = starts_at.astimezone(HUB_TIME_ZONE)
    local_end = ends_at.astimezone(HUB_TIME_ZONE)
    return (
        local_start < local_end
        and local_start.weekday() in days
        and local_start.date() == local_end.date()
        and start <= local_start.time()
        and local_end.time() <= end
    )
