"""The pure rules: due dates by urgency in working days, the slot grid in Kyiv time, the
allowed status transitions."""

from datetime import UTC, date, datetime

import pytest

from apps.intake import rules
from apps.intake.rules import Status, Urgency


@pytest.mark.parametrize(
    ("received", "urgency", "due"),
    [
        (date(2026, 3, 2), Urgency.CRITICAL, date(2026, 3, 2)),  # Monday: the same day
        (date(2026, 3, 2), Urgency.URGENT, date(2026, 3, 3)),
        (date(2026, 3, 2), Urgency.NORMAL, date(2026, 3, 9)),  # five working days
        (date(2026, 3, 6), Urgency.URGENT, date(2026, 3, 9)),  # Friday → Monday
        (date(2026, 3, 7), Urgency.CRITICAL, date(2026, 3, 9)),  # Saturday → Monday
        (date(2026, 3, 8), Urgency.NORMAL, date(2026, 3, 13)),  # Sunday: counted from Monday
    ],
)
def test_due_date_counts_working_days_by_urgency(received, urgency, due):
    assert rules.default_due_date(urgency, received) == due


def test_a_working_day_has_twelve_slots_of_45_minutes_from_nine_to_six():
    slots = rules.day_slots(date(2026, 3, 2))
    assert len(slots) == 12
    assert slots[0].starts_at.strftime("%H:%M") == "09:00"
    assert slots[-1].ends_at.strftime("%H:%M") == "18:00"
    assert all((s.ends_at - s.starts_at).seconds == 45 * 60 for s in slots)


def test_slots_are_kyiv_time_in_winter_and_in_summer():
    winter = rules.day_slots(date(2026, 1, 12))[0].starts_at.astimezone(UTC)
    summer = rules.day_slots(date(2026, 7, 13))[0].starts_at.astimezone(UTC)
    assert winter == datetime(2026, 1, 12, 7, 0, tzinfo=UTC)  # UTC+2
    assert summer == datetime(2026, 7, 13, 6, 0, tzinfo=UTC)  # UTC+3


def test_no_slots_on_a_weekend_and_hours_from_settings(settings):
    assert rules.day_slots(date(2026, 3, 7)) == []
    settings.INTAKE_WORKING_HOURS = {"days": [5], "start": "10:00", "end": "12:00"}
    settings.INTAKE_SLOT_MINUTES = 60
    assert [s.starts_at.hour for s in rules.day_slots(date(2026, 3, 7))] == [10, 11]
    assert rules.day_slots(date(2026, 3, 2)) == []


def test_working_hours_bound_a_booking():
    start = datetime(2026, 3, 2, 17, 15, tzinfo=rules.HUB_TIME_ZONE)
    assert rules.within_working_hours(start, start + rules.slot_length())
    late = datetime(2026, 3, 2, 17, 30, tzinfo=rules.HUB_TIME_ZONE)
    assert not rules.within_working_hours(late, late + rules.slot_length())
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=rules.HUB_TIME_ZONE)
    assert not rules.within_working_hours(saturday, saturday + rules.slot_length())


@pytest.mark.parametrize(
    ("from_status", "to_status", "ok"),
    [
        (Status.NEW, Status.TRIAGED, True),
        (Status.NEW, Status.IN_WORK, True),
        (Status.TRIAGED, Status.IN_WORK, True),
        (Status.IN_WORK, Status.CLOSED, True),
        (Status.NEW, Status.CLOSED, True),
        (Status.CLOSED, Status.TRIAGED, True),
        (Status.TRIAGED, Status.NEW, False),
        (Status.IN_WORK, Status.TRIAGED, False),
        (Status.CLOSED, Status.IN_WORK, False),
        (Status.CLOSED, Status.CLOSED, False),
        (Status.NEW, Status.NEW, False),
    ],
)
def test_transitions(from_status, to_status, ok):
    assert rules.allowed(from_status, to_status) is ok
