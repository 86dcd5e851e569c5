"""Open now and the next opening, in Kyiv time, on concrete dates: a working week with a
lunch break, a holiday, other hours on one day, rows valid for a period, the two days a
year the clocks change (29.03.2026 and 25.10.2026), nights that run into the next morning and
services open around the clock."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import IntegrityError, transaction

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


def test_hours_starting_in_the_skipped_spring_hour_open_at_the_jump():
    """Sunday hours 03:30–10:00 on the night the clock jumps 03:00 → 04:00: the service opens
    at the jump (04:00 EEST, 01:00 UTC), not an hour after the wall time."""
    service = ServiceFactory()
    Schedule.objects.create(service=service, byday="SU", opens_at=time(3, 30), closes_at=time(10))
    jump = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert schedules.next_opening(service, datetime(2026, 3, 28, 22, tzinfo=UTC)) == jump
    assert schedules.is_open(service, datetime(2026, 3, 29, 1, 15, tzinfo=UTC))  # 04:15 EEST


def test_no_hours_means_never_open():
    service = ServiceFactory()
    assert not schedules.is_open(service, kyiv(2026, 8, 25, 10))
    assert schedules.next_opening(service, kyiv(2026, 8, 25, 10)) is None


def test_a_naive_moment_is_refused(office):
    with pytest.raises(ValueError):
        schedules.is_open(office, datetime(2026, 8, 25, 10))


# --- past midnight and around the clock -----------------------------------------------------


@pytest.fixture
def shelter():
    """A night shelter open 20:00–08:00 on the nights that start Monday to Friday (Friday's
    night ends on Saturday morning; none starts on Saturday or Sunday)."""
    service = ServiceFactory()
    Schedule.objects.create(
        service=service, byday="MO,TU,WE,TH,FR", opens_at=time(20), closes_at=time(8)
    )
    return service


def test_a_night_is_open_into_the_next_morning(shelter):
    assert not schedules.is_open(shelter, kyiv(2026, 8, 24, 19, 59))  # Monday evening
    assert schedules.is_open(shelter, kyiv(2026, 8, 24, 20))
    assert schedules.is_open(shelter, kyiv(2026, 8, 25, 3))  # Tuesday 03:00: Monday's night
    assert schedules.is_open(shelter, kyiv(2026, 8, 25, 7, 59))
    assert not schedules.is_open(shelter, kyiv(2026, 8, 25, 8))
    assert schedules.is_open(shelter, kyiv(2026, 8, 29, 7))  # Saturday: Friday's night
    assert not schedules.is_open(shelter, kyiv(2026, 8, 30, 3))  # no night starts on Saturday
    assert not schedules.is_open(shelter, kyiv(2026, 8, 24, 3))  # nor on Sunday


def test_closes_at_and_next_opening_of_a_night(shelter):
    assert schedules.closes_at(shelter, kyiv(2026, 8, 24, 22)) == kyiv(2026, 8, 25, 8)
    assert schedules.closes_at(shelter, kyiv(2026, 8, 25, 3)) == kyiv(2026, 8, 25, 8)
    assert schedules.closes_at(shelter, kyiv(2026, 8, 25, 12)) is None  # closed
    assert schedules.next_opening(shelter, kyiv(2026, 8, 25, 3)) == kyiv(2026, 8, 25, 20)
    assert schedules.next_opening(shelter, kyiv(2026, 8, 29, 9)) == kyiv(2026, 8, 31, 20)


def test_a_day_shows_its_night_and_the_end_of_the_previous_one(shelter):
    tuesday = schedules.day_of(shelter, date(2026, 8, 25))
    assert [str(h) for h in tuesday.hours] == ["20:00–08:00 (до ранку наступного дня)"]
    assert [str(h) for h in tuesday.clock] == [
        "00:00–08:00",
        "20:00–08:00 (до ранку наступного дня)",
    ]
    monday = schedules.day_of(shelter, date(2026, 8, 24))
    assert monday.carried == ()  # no night started on Sunday
    saturday = schedules.day_of(shelter, date(2026, 8, 29))
    assert saturday.closed and [str(h) for h in saturday.clock] == ["00:00–08:00"]
    week = schedules.week_of(shelter, date(2026, 8, 24))
    assert [len(d.hours) for d in week] == [1, 1, 1, 1, 1, 0, 0]


def test_a_holiday_after_a_night_does_not_cut_the_night_short(shelter):
    """Tuesday 25.08 closed: Monday's night still ends at 08:00 on Tuesday; no night starts on
    Tuesday. Closing Monday 31.08 cancels the night that starts on it."""
    ScheduleException.objects.create(service=shelter, date=date(2026, 8, 25), reason="Дезінфекція")
    ScheduleException.objects.create(service=shelter, date=date(2026, 8, 31))
    assert schedules.is_open(shelter, kyiv(2026, 8, 25, 3))
    assert schedules.closes_at(shelter, kyiv(2026, 8, 25, 3)) == kyiv(2026, 8, 25, 8)
    assert not schedules.is_open(shelter, kyiv(2026, 8, 25, 21))
    assert not schedules.is_open(shelter, kyiv(2026, 8, 26, 3))
    assert schedules.next_opening(shelter, kyiv(2026, 8, 25, 9)) == kyiv(2026, 8, 26, 20)
    day = schedules.day_of(shelter, date(2026, 8, 25))
    assert day.closed and day.exception and [str(h) for h in day.clock] == ["00:00–08:00"]
    assert not schedules.is_open(shelter, kyiv(2026, 9, 1, 3))  # Monday 31.08 was closed
    assert schedules.next_opening(shelter, kyiv(2026, 8, 31, 12)) == kyiv(2026, 9, 1, 20)


def test_other_hours_can_shorten_a_night_or_run_past_midnight(shelter):
    """Monday 24.08 until midnight only; Saturday 29.08 a night 22:00–06:00 that is not
    regular."""
    ScheduleException.objects.create(
        service=shelter,
        date=date(2026, 8, 24),
        closed=False,
        opens_at=time(20),
        closes_at=time(0),
    )
    ScheduleException.objects.create(
        service=shelter,
        date=date(2026, 8, 29),
        closed=False,
        opens_at=time(22),
        closes_at=time(6),
    )
    assert schedules.closes_at(shelter, kyiv(2026, 8, 24, 23)) == kyiv(2026, 8, 25, 0)
    assert not schedules.is_open(shelter, kyiv(2026, 8, 25, 0, 30))
    assert [str(h) for h in schedules.day_of(shelter, date(2026, 8, 24)).hours] == ["20:00–24:00"]
    assert schedules.is_open(shelter, kyiv(2026, 8, 30, 5))  # Sunday 05:00
    assert schedules.closes_at(shelter, kyiv(2026, 8, 30, 5)) == kyiv(2026, 8, 30, 6)
    # Friday's night ends at 08:00 on Saturday, Saturday's starts at 22:00.
    assert schedules.next_opening(shelter, kyiv(2026, 8, 29, 3)) == kyiv(2026, 8, 29, 22)


def test_an_early_morning_end_reads_as_past_midnight():
    assert str(schedules.Hours(opens=time(22), closes=time(2))) == (
        "22:00–02:00 (закінчується після півночі)"
    )


def test_around_the_clock_every_day_never_closes():
    hotline = ServiceFactory()
    Schedule.objects.create(
        service=hotline, byday="MO,TU,WE,TH,FR,SA,SU", opens_at=time(0), closes_at=time(0)
    )
    for moment in (kyiv(2026, 8, 25, 0), kyiv(2026, 8, 25, 23, 59), kyiv(2026, 8, 30, 12)):
        assert schedules.is_open(hotline, moment)
    assert schedules.closes_at(hotline, kyiv(2026, 8, 25, 12)) is None  # no end in sight
    assert schedules.next_opening(hotline, kyiv(2026, 8, 25, 12)) is None
    day = schedules.day_of(hotline, date(2026, 8, 25))
    assert [str(h) for h in day.clock] == ["цілодобово"]


def test_around_the_clock_on_weekdays_closes_at_the_real_end():
    """00:00–00:00 Monday to Friday, closed on Wednesday 26.08.2026: the stretch that begins on
    Thursday ends at Saturday 00:00, the one of Monday at Wednesday 00:00."""
    crisis = ServiceFactory()
    Schedule.objects.create(
        service=crisis, byday="MO,TU,WE,TH,FR", opens_at=time(0), closes_at=time(0)
    )
    ScheduleException.objects.create(service=crisis, date=date(2026, 8, 26))
    assert schedules.closes_at(crisis, kyiv(2026, 8, 24, 10)) == kyiv(2026, 8, 26, 0)
    assert schedules.closes_at(crisis, kyiv(2026, 8, 27, 10)) == kyiv(2026, 8, 29, 0)
    assert not schedules.is_open(crisis, kyiv(2026, 8, 29, 10))
    assert schedules.next_opening(crisis, kyiv(2026, 8, 29, 10)) == kyiv(2026, 8, 31, 0)
    assert schedules.next_opening(crisis, kyiv(2026, 8, 26, 10)) == kyiv(2026, 8, 27, 0)
    # While open, the next opening is after the stretch, not the next midnight.
    assert schedules.next_opening(crisis, kyiv(2026, 8, 27, 10)) == kyiv(2026, 8, 31, 0)


def test_a_night_when_the_clocks_go_forward_is_an_hour_shorter():
    """Saturday 28.03.2026 20:00 EET (18:00 UTC) to Sunday 08:00 EEST (05:00 UTC): 11 hours."""
    service = ServiceFactory()
    Schedule.objects.create(service=service, byday="SA", opens_at=time(20), closes_at=time(8))
    assert schedules.is_open(service, datetime(2026, 3, 29, 0, 30, tzinfo=UTC))  # 02:30 EET
    assert schedules.is_open(service, datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 04:30 EEST
    assert schedules.is_open(service, datetime(2026, 3, 29, 4, 59, tzinfo=UTC))  # 07:59 EEST
    assert not schedules.is_open(service, datetime(2026, 3, 29, 5, 0, tzinfo=UTC))
    closing = schedules.closes_at(service, datetime(2026, 3, 28, 19, 0, tzinfo=UTC))
    assert closing == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)
    assert closing - datetime(2026, 3, 28, 18, 0, tzinfo=UTC) == timedelta(hours=11)


def test_a_night_when_the_clocks_go_back_is_an_hour_longer():
    """Saturday 24.10.2026 20:00 EEST (17:00 UTC) to Sunday 08:00 EET (06:00 UTC): 13 hours,
    the repeated hour 03:00–04:00 open both times."""
    service = ServiceFactory()
    Schedule.objects.create(service=service, byday="SA", opens_at=time(20), closes_at=time(8))
    assert not schedules.is_open(service, datetime(2026, 10, 24, 16, 59, tzinfo=UTC))
    assert schedules.is_open(service, datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # 03:30 EEST
    assert schedules.is_open(service, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 03:30 EET
    assert schedules.is_open(service, datetime(2026, 10, 25, 5, 59, tzinfo=UTC))  # 07:59 EET
    assert not schedules.is_open(service, datetime(2026, 10, 25, 6, 0, tzinfo=UTC))
    closing = schedules.closes_at(service, datetime(2026, 10, 24, 18, 0, tzinfo=UTC))
    assert closing == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
    assert closing - datetime(2026, 10, 24, 17, 0, tzinfo=UTC) == timedelta(hours=13)


def test_a_night_ending_in_the_repeated_hour_ends_at_its_second_showing():
    """22:00–03:30 on Saturday 24.10.2026: the clock shows 03:30 at 00:30 UTC (summer time) and
    again at 01:30 UTC (winter time); the night ends at the second."""
    service = ServiceFactory()
    Schedule.objects.create(service=service, byday="SA", opens_at=time(22), closes_at=time(3, 30))
    assert schedules.is_open(service, datetime(2026, 10, 25, 0, 45, tzinfo=UTC))
    assert not schedules.is_open(service, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    closing = schedules.closes_at(service, datetime(2026, 10, 24, 20, 0, tzinfo=UTC))
    assert f"{closing:%H:%M}" == "03:30"
    # A Kyiv time in the repeated hour never equals another zone's (PEP 495): compare in UTC.
    assert closing.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_a_whole_day_on_the_change_nights_is_23_and_25_hours_long():
    service = ServiceFactory()
    Schedule.objects.create(service=service, byday="SU", opens_at=time(0), closes_at=time(0))
    spring = schedules.closes_at(service, kyiv(2026, 3, 29, 12))
    assert spring == kyiv(2026, 3, 30, 0)
    assert spring - datetime(2026, 3, 28, 22, 0, tzinfo=UTC) == timedelta(hours=23)
    autumn = schedules.closes_at(service, kyiv(2026, 10, 25, 12))
    assert autumn - datetime(2026, 10, 24, 21, 0, tzinfo=UTC) == timedelta(hours=25)
    assert schedules.is_open(service, datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    assert schedules.is_open(service, datetime(2026, 10, 25, 21, 59, tzinfo=UTC))
    assert not schedules.is_open(service, datetime(2026, 10, 25, 22, 0, tzinfo=UTC))


def test_equal_times_other_than_midnight_are_refused_by_the_database():
    service = ServiceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Schedule.objects.create(service=service, byday="MO", opens_at=time(8), closes_at=time(8))
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduleException.objects.create(
            service=service,
            date=date(2026, 8, 25),
            closed=False,
            opens_at=time(8),
            closes_at=time(8),
        )
    Schedule.objects.create(service=service, byday="MO", opens_at=time(20), closes_at=time(8))
    Schedule.objects.create(service=service, byday="SU", opens_at=time(0), closes_at=time(0))
