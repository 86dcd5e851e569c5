"""The hours editor's rows: nights past midnight and whole days are accepted and read back in
words; equal times other than 00:00–00:00 are refused on the closing field."""

from apps.directory.forms import ExceptionRowForm, ScheduleRowForm


def _row(opens, closes, **more):
    return ScheduleRowForm(data={"byday": ["MO"], "opens_at": opens, "closes_at": closes, **more})


def test_a_night_row_is_accepted_and_read_as_running_into_the_morning():
    form = _row("20:00", "08:00")
    assert form.is_valid(), form.errors
    assert form.reading() == "20:00–08:00 (до ранку наступного дня)"


def test_a_whole_day_row_is_accepted_and_read_as_around_the_clock():
    form = _row("00:00", "00:00")
    assert form.is_valid(), form.errors
    assert form.reading() == "цілодобово"


def test_until_midnight_reads_as_24_00_and_daytime_hours_need_no_reading():
    assert _row("18:00", "00:00").reading() == "18:00–24:00"
    assert _row("09:00", "18:00").reading() == ""


def test_equal_times_other_than_midnight_are_refused_on_the_closing_field():
    form = _row("08:00", "08:00")
    assert not form.is_valid()
    assert form.errors["closes_at"] == [
        "Час відкриття й закриття однакові. Для цілодобової роботи вкажіть 00:00–00:00."
    ]
    assert form.reading() == ""


def test_an_exception_night_is_accepted_a_closed_day_has_no_reading():
    night = ExceptionRowForm(data={"date": "2026-12-31", "opens_at": "18:00", "closes_at": "10:00"})
    assert night.is_valid(), night.errors
    assert night.reading() == "18:00–10:00 (до ранку наступного дня)"
    closed = ExceptionRowForm(data={"date": "2026-08-24", "closed": "on"})
    assert closed.is_valid() and closed.reading() == ""
    saved = ExceptionRowForm(initial={"date": "2026-12-31", "opens_at": None, "closed": True})
    assert saved.reading() == ""
