"""When a service is open: its weekly hours (``Schedule``) and dated exceptions
(``ScheduleException``), read in Kyiv time.

Hours are wall-clock times in Europe/Kyiv, so "9:00–18:00" stays 9:00–18:00 on both sides of a
change to or from summer time; a moment is turned into Kyiv time before it is compared. A
dated exception replaces the regular hours of its day: closed (a holiday) or other hours.
Regular rows count only between their ``valid_from`` and ``valid_to`` (both included).

Past midnight. An interval whose closing is at or before its opening ends on the next day:
20:00–08:00 on Monday is open from Monday 20:00 to Tuesday 08:00 (a night shelter),
18:00–00:00 until midnight (shown as 18:00–24:00), and 00:00–00:00 is the whole day (24
hours). Other equal times are refused by the model. An interval belongs to the day it starts
on: that day's weekday (``byday``), validity dates and exception decide whether it happens.
So at Tuesday 03:00 the shelter above is open whatever Tuesday's own hours are, and

- a dated exception replaces the intervals that *start* on its date and nothing else: a holiday
  on Tuesday closes Tuesday's own hours, while Monday's night still ends at 08:00 on Tuesday
  (nobody is sent out of a shelter at midnight). To shorten a night, give the day it starts an
  exception with other hours (Monday 20:00–00:00); to cancel it, close that day;
- an exception's other hours past midnight run into the next day the same way.

Summer time. An interval opens and closes when the Kyiv clock shows its times, so a night is an
hour shorter when the clocks go forward (the last Sunday of March, 03:00 → 04:00: 20:00–08:00
lasts 11 hours) and an hour longer when they go back (the last Sunday of October, 04:00 →
03:00: 13 hours). A time the clock skips in spring (03:30) is read as the moment after the
jump, as clocks show it; a time it shows twice in autumn opens at its first showing and closes
at its second, so the repeated hour is inside the interval.

Without a break. Intervals that touch or overlap are one stretch: 00:00–00:00 Monday to Friday
is open from Monday 00:00 to Saturday 00:00. ``closes_at`` gives the end of the whole stretch
and ``next_opening`` the start of the next stretch (an interval that starts while the service
is still open is no opening).

The functions read ``service.schedules.all()`` and ``service.exceptions.all()``, so a list of
services prefetched with both costs no query per service.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.geo.clock import KYIV

from .models import MIDNIGHT, Service

# How far ahead the next opening (and the end of a stretch open around the clock) is looked
# for: a service closed for longer says so, one open for longer has no end in sight.
LOOKAHEAD_DAYS = 60

# A night that ends at this hour or later ends "in the morning".
MORNING = time(5)

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Hours:
    """One interval, Kyiv wall-clock time; a closing at or before the opening is on the next
    day, 00:00–00:00 is the whole day."""

    opens: time
    closes: time

    @property
    def all_day(self) -> bool:
        return self.opens == MIDNIGHT and self.closes == MIDNIGHT

    @property
    def past_midnight(self) -> bool:
        """Whether it ends after midnight, on the next day (20:00–08:00; not 18:00–00:00)."""
        return MIDNIGHT < self.closes <= self.opens

    def __str__(self) -> str:
        if self.all_day:
            return _("цілодобово")
        closes = "24:00" if self.closes == MIDNIGHT else f"{self.closes:%H:%M}"
        text = f"{self.opens:%H:%M}–{closes}"
        if self.past_midnight:
            if self.closes >= MORNING:
                text += " (" + _("до ранку наступного дня") + ")"
            else:
                text += " (" + _("закінчується після півночі") + ")"
        return text


@dataclass(frozen=True)
class Day:
    """What a service does on one date: the intervals that start on it and, for an exception,
    the reason; ``carried`` is the morning part (00:00–closing) of the previous day's
    intervals that run past midnight into this date."""

    date: date
    hours: tuple[Hours, ...]
    exception: bool = False
    reason: str = ""
    carried: tuple[Hours, ...] = ()

    @property
    def closed(self) -> bool:
        """No interval starts on this date (the previous night may still end on it)."""
        return not self.hours

    @property
    def clock(self) -> tuple[Hours, ...]:
        """What the clock shows on this date: the end of the previous night, then its own
        intervals (the whole day alone when it is open around the clock)."""
        if any(h.all_day for h in self.hours):
            return self.hours
        return self.carried + self.hours


def _own_day(service: Service, day: date) -> Day:
    """The intervals that start on ``day``: the day's exception, else the regular rows valid
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


def day_of(service: Service, day: date) -> Day:
    """The hours of ``service`` on ``day`` (see :class:`Day`), with the end of the previous
    day's intervals that run past midnight."""
    before = _own_day(service, day - ONE_DAY)
    carried = tuple(
        dict.fromkeys(
            Hours(opens=MIDNIGHT, closes=h.closes) for h in before.hours if h.past_midnight
        )
    )
    return replace(_own_day(service, day), carried=carried)


def _local(at: datetime) -> datetime:
    if timezone.is_naive(at):
        raise ValueError("an aware datetime is needed")
    return at.astimezone(KYIV)


def _moment(day: date, wall: time, *, last: bool = False) -> datetime:
    """A Kyiv wall-clock time on ``day`` as a UTC instant. A time the clock skips in spring is
    the moment of the jump (03:30 on that Sunday is 04:00 summer time); a time it shows twice in
    autumn is its first showing, or its second with ``last``."""
    first = datetime.combine(day, wall, tzinfo=KYIV)
    moment = first.astimezone(UTC)
    shown = moment.astimezone(KYIV)
    if (shown.date(), shown.time().replace(tzinfo=None)) != (day, wall):
        # Skipped in spring: read one hour on by the clock (03:30 → 04:30); the jump itself is
        # on the hour in Kyiv (03:00 → 04:00), so the hour it lands on is the moment.
        return shown.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    if last:
        moment = max(moment, first.replace(fold=1).astimezone(UTC))
    return moment


def _spans(service: Service, day: date) -> list[tuple[datetime, datetime]]:
    """The intervals that start on ``day`` as UTC instants (start, end), by start."""
    spans = []
    for h in _own_day(service, day).hours:
        ends_on = day if h.opens < h.closes else day + ONE_DAY
        spans.append((_moment(day, h.opens), _moment(ends_on, h.closes, last=True)))
    return sorted(spans)


def _days_from(start: date, count: int) -> Iterator[date]:
    return (start + timedelta(days=n) for n in range(count))


def is_open(service: Service, at: datetime) -> bool:
    """Whether ``service`` is open at the aware moment ``at`` (an interval of that day, or the
    previous day's one running past midnight)."""
    today = _local(at).date()
    now = at.astimezone(UTC)
    return any(
        start <= now < end
        for day in (today - ONE_DAY, today)
        for start, end in _spans(service, day)
    )


def closes_at(service: Service, at: datetime) -> datetime | None:
    """When the service, open at ``at``, closes: the end of the intervals that follow each
    other without a break (a Friday 24:00 for 00:00–00:00 from Monday to Friday). ``None`` when
    it is closed at ``at``, and also when it stays open for the next ``LOOKAHEAD_DAYS`` (open
    around the clock): tell the two apart with :func:`is_open`."""
    today = _local(at).date()
    now = at.astimezone(UTC)
    end: datetime | None = None
    for day in _days_from(today - ONE_DAY, LOOKAHEAD_DAYS + 2):
        for start, stop in _spans(service, day):
            if end is None:
                if start <= now < stop:
                    end = stop
            elif start <= end:
                end = max(end, stop)
        if end is None and day >= today:
            return None
        # Intervals of later days start at their midnight or after: they cannot continue it.
        if end is not None and end < _moment(day + ONE_DAY, MIDNIGHT):
            return end.astimezone(KYIV)
    return None


def next_opening(service: Service, at: datetime) -> datetime | None:
    """The next moment after ``at`` when ``service`` opens (the start of an interval later
    than ``at`` that does not continue one still open), or ``None`` when it does not open
    within ``LOOKAHEAD_DAYS``."""
    today = _local(at).date()
    now = at.astimezone(UTC)
    covered: datetime | None = None
    for day in _days_from(today - ONE_DAY, LOOKAHEAD_DAYS + 2):
        for start, stop in _spans(service, day):
            if start > now and (covered is None or start > covered):
                return start.astimezone(KYIV)
            covered = stop if covered is None else max(covered, stop)
    return None


def week_of(service: Service, start: date, days: int = 7) -> list[Day]:
    """``days`` days from ``start``: what a visitor needs to plan a visit."""
    return [day_of(service, day) for day in _days_from(start, days)]
