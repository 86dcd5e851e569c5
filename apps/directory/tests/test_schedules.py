"""Open now and the next opening, in Kyiv time, on concrete dates: a working week with a
lunch break, a holiday, other hours on one day, rows valid for a period, and the two days a
year the clocks change (29.03.2026 and 25.10.2026)."""

from datetime import UTC, date, datetime, time

import pytest

from apps.directory import schedules
from apps.directory.models import Schedule, ScheduleException

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db

KYIV = schedules.KYIV


def kyiv(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=KYIV)


@pytest.fixture
def office():
    """Mon–Fri 9:00–13:00 and 14:00–18:00, Saturday 10:00–14:00 until the end of May 2026;
    closed on 24.08.2026 (Independence Day); 9:00–12:00 on Friday 28.08.2026."""
    service = ServiceFactory()
    Schedule.objects.create(
        service=service, byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(13)
    )
    Schedule.objects.create(
        service=service, byday="MO,TU,WE,TH,FR", opens_at=time(14), closes_at=time(18)
    )
    Schedule.objects.create(
        service=service,
        byday="SA",
        opens_at=time(10),
        closes_at=time(14),
        valid_to=date(2026, 5, 31),
    )
    ScheduleException.objects.create(
        service=service, date=date(2026, 8, 24), reason="День Незалежності"
    )
    ScheduleException.objects.create(
        service=service,
        date=date(2026, 8, 28),
        closed=False,
        opens_at=time(9),
        closes_at=time(12),
        reason="Скорочений день",
    )
    return service


def test_open_in_working_hours_and_closed_at_lunch(office):
    assert schedules.is_open(office, kyiv(2026, 8, 25, 9, 0))  # Tuesday, opening minute
    assert schedules.is_open(office, kyiv(2026, 8, 25, 12, 59))
    assert not schedules.is_open(office, kyiv(2026, 8, 25, 13, 30))  # lunch
    assert not schedules.is_open(office, kyiv(2026, 8, 25, 18, 0))  # closing minute
    assert not schedules.is_open(office, kyiv(2026, 8, 23, 11))  # Sunday


def test_a_moment_in_utc_is_read_in_kyiv_time(office):
    # 06:30 UTC on Tuesday 25.08.2026 is 09:30 in Kyiv (summer time, UTC+3).
    assert schedules.is_open(office, datetime(2026, 8, 25, 6, 30, tzinfo=UTC))
    # 16:30 UTC is 19:30 in Kyiv: closed.
    assert not schedules.is_open(office, datetime(2026, 8, 25, 16, 30, tzinfo=UTC))


def test_a_holiday_closes_a_working_day(office):
    assert not schedules.is_open(office, kyiv(2026, 8, 24, 10))
    day = schedules.day_of(office, date(2026, 8, 24))
    assert day.closed and day.exception and day.reason == "День Незалежності"
    assert schedules.next_opening(office, kyiv(2026, 8, 24, 10)) == kyiv(2026, 8, 25, 9)


def test_other_hours_replace_the_regular_ones(office):
    assert schedules.is_open(office, kyiv(2026, 8, 28, 11, 30))
    assert not schedules.is_open(office, kyiv(2026, 8, 28, 15))  # regularly open, not that day
    assert [str(h) for h in schedules.day_of(office, date(2026, 8, 28)).hours] == ["09:00–12:00"]


def test_rows_count_only_while_valid(office):
    assert schedules.is_open(office, kyiv(2026, 5, 30, 11))  # Saturday in May
    assert not schedules.is_open(office, kyiv(2026, 6, 6, 11))  # Saturday in June


def test_next_opening_after_lunch_after_closing_and_over_the_weekend(office):
    assert schedules.next_opening(office, kyiv(2026, 8, 25, 13, 10)) == kyiv(2026, 8, 25, 14)
    assert schedules.next_opening(office, kyiv(2026, 8, 25, 19)) == kyiv(2026, 8, 26, 9)
    # Friday evening → Monday (Saturdays ended in May).
    assert schedules.next_opening(office, kyiv(2026, 9, 4, 18, 30)) == kyiv(2026, 9, 7, 9)
    # While open, the next opening is the next interval.
    assert schedules.next_opening(office, kyiv(2026, 8, 25, 10)) == kyiv(2026, 8, 25, 14)
    assert schedules.closes_at(office, kyiv(2026, 8, 25, 10)) == kyiv(2026, 8, 25, 13)


def test_spring_forward_keeps_wall_clock_hours(office):
    """Clocks go from 03:00 to 04:00 on Sunday 29.03.2026: on Monday 9:00 is 06:00 UTC,
    on the Friday before it was 07:00 UTC."""
    assert not schedules.is_open(office, datetime(2026, 3, 27, 6, 30, tzinfo=UTC))  # 08:30 EET
    assert schedules.is_open(office, datetime(2026, 3, 27, 7, 30, tzinfo=UTC))  # 09:30 EET
    assert schedules.is_open(office, datetime(2026, 3, 30, 6, 30, tzinfo=UTC))  # 09:30 EEST
    opening = schedules.next_opening(office, datetime(2026, 3, 28, 20, 0, tzinfo=UTC))
    assert opening == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)


def test_autumn_back_keeps_wall_clock_hours(office):
    """Clocks go from 04:00 back to 03:00 on Sunday 25.10.2026."""
    assert schedules.is_open(office, datetime(2026, 10, 26, 7, 30, tzinfo=UTC))  # 09:30 EET
    assert not schedules.is_open(office, datetime(2026, 10, 23, 15, 30, tzinfo=UTC))  # 18:30
    opening = schedules.next_opening(office, datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    assert opening == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)


def test_a_night_service_on_the_day_of_the_spring_jump():
    """A line open 00:00–06:00 on Sundays: at 02:30 Kyiv it is open; 03:30 does not exist
    that night and a moment an hour later (04:30 EEST) is still inside the interval."""
    service = ServiceFactory()
    Schedule.objects.create(service=service, byday="SU", opens_at=time(0), closes_at=time(6))
    assert schedules.is_open(service, datetime(2026, 3, 29, 0, 30, tzinfo=UTC))  # 02:30 EET
    assert schedules.is_open(service, datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 04:30 EEST
    assert not schedules.is_open(service, datetime(2026, 3, 29, 3, 30, tzinfo=UTC))  # 06:30


def test_no_hours_means_never_open():
    service = ServiceFactory()
    assert not schedules.is_open(service, kyiv(2026, 8, 25, 10))
    assert schedules.next_opening(service, kyiv(2026, 8, 25, 10)) is None


def test_a_naive_moment_is_refused(office):
    with pytest.raises(ValueError):
        schedules.is_open(office, datetime(2026, 8, 25, 10))
