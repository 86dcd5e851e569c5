"""When a service is open: its weekly hours (``Schedule``) and dated exceptions
(``ScheduleException``), read in Kyiv time.

Hours are wall-clock times in Europe/Kyiv, so "9:00–18:00" stays 9:00–18:00 on both sides of a
change to or from summer time; a moment is turned into Kyiv time before it is compared. A
dated exception replaces the regular hours of its day: closed (a holiday) or other hours.
Regular rows count only between their ``valid_from`` and ``valid_to`` (both included).

The functions read ``service.schedules.all()`` and ``service.exceptions.all()``, so a list of
services prefetched with both costs no query per service.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from apps.geo.clock import KYIV

from .models import Service

# How far ahead the next opening is looked for: a service closed for longer says so.
LOOKAHEAD_DAYS = 60


@dataclass(frozen=True)
class Hours:
    """One interval of a day, Kyiv wall-clock time."""

    opens: time
    closes: time

    def __str__(self) -> str:
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"


@dataclass(frozen=True)
class Day:
    """What a service does on one date: its intervals and, for an exception, the reason."""

    date: date
    hours: tuple[Hours, ...]
    exception: bool = False
    reason: str = ""

    @property
    def closed(self) -> bool:
        return not self.hours


def day_of(service: Service, day: date) -> Day:
    """The hours of ``service`` on ``day``: the day's exception, else the regular rows valid
    on that day, sorted by opening time."""
    for exception in service.exceptions.all():
        if exception.date == day:
            hours = (
                ()
                if exception.closed
                else (Hours(opens=exception.opens_at, closes=exception.closes_at),)
            )
            return Day(date=day, hours=hours, exception=True, reason=exception.reason)
    weekday = day.isoweekday()
    rows = sorted(
        (
            Hours(opens=row.opens_at, closes=row.closes_at)
            for row in service.schedules.all()
            if weekday in row.weekdays
            and (row.valid_from is None or row.valid_from <= day)
            and (row.valid_to is None or day <= row.valid_to)
        ),
        key=lambda h: (h.opens, h.closes),
    )
    return Day(date=day, hours=tuple(dict.fromkeys(rows)))


def _local(at: datetime) -> datetime:
    if timezone.is_naive(at):
        raise ValueError("an aware datetime is needed")
    return at.astimezone(KYIV)


def _moment(day: date, wall: time) -> datetime:
    """A Kyiv wall-clock time on ``day`` as an aware datetime (a time the clock skips in
    spring is read as the moment after the jump, as clocks show it)."""
    moment = datetime.combine(day, wall, tzinfo=KYIV)
    # Round trip through UTC: a skipped wall time (03:30 on the last Sunday of March) becomes
    # the real instant after the jump.
    return moment.astimezone(ZoneInfo("UTC")).astimezone(KYIV)


def is_open(service: Service, at: datetime) -> bool:
    """Whether ``service`` is open at the aware moment ``at``."""
    local = _local(at)
    now = local.time().replace(tzinfo=None)
    return any(h.opens <= now < h.closes for h in day_of(service, local.date()).hours)


def closes_at(service: Service, at: datetime) -> datetime | None:
    """When the interval open at ``at`` ends, or ``None`` when closed at ``at``."""
    local = _local(at)
    now = local.time().replace(tzinfo=None)
    for h in day_of(service, local.date()).hours:
        if h.opens <= now < h.closes:
            return _moment(local.date(), h.closes)
    return None


def next_opening(service: Service, at: datetime) -> datetime | None:
    """The next moment after ``at`` when ``service`` opens (the start of an interval later
    than ``at``), or ``None`` when it does not open within ``LOOKAHEAD_DAYS``."""
    local = _local(at)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        for h in day_of(service, day).hours:
            moment = _moment(day, h.opens)
            if moment > local:
                return moment
    return None


def week_of(service: Service, start: date, days: int = 7) -> list[Day]:
    """``days`` days from ``start``: what a visitor needs to plan a visit."""
    return [day_of(service, start + timedelta(days=n)) for n in range(days)]
