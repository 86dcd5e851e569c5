from datetime import date

from apps.referrals import rules
from apps.referrals.rules import Deadline, Status


def test_deadlines_count_working_days_from_the_day_sent():
    friday = date(2026, 3, 6)
    assert rules.deadlines(friday, 3, 30) == (date(2026, 3, 11), date(2026, 4, 17))


def test_overdue_means_unanswered_past_respond_by_or_unfinished_past_complete_by():
    respond_by, complete_by = date(2026, 3, 11), date(2026, 4, 17)
    on_deadline, after = date(2026, 3, 11), date(2026, 3, 12)
    assert rules.overdue_deadline(Status.SENT, respond_by, complete_by, on_deadline) is None
    assert rules.overdue_deadline(Status.SENT, respond_by, complete_by, after) == Deadline.RESPOND
    assert rules.overdue_deadline(Status.ACCEPTED, respond_by, complete_by, after) is None
    late = date(2026, 4, 20)
    for status in (Status.ACCEPTED, Status.IN_PROGRESS):
        assert rules.overdue_deadline(status, respond_by, complete_by, late) == Deadline.COMPLETE
    for status in (Status.COMPLETED, Status.DECLINED, Status.CANCELLED, Status.EXPIRED):
        assert rules.overdue_deadline(status, respond_by, complete_by, late) is None


def test_closed_referrals_go_nowhere_and_the_sender_cannot_answer():
    for status in rules.CLOSED_STATUSES:
        assert not any(rules.allowed(status, to) for to in Status.values)
    assert rules.allowed(Status.SENT, Status.ACCEPTED)
    assert rules.allowed(Status.ACCEPTED, Status.COMPLETED)
    assert not rules.allowed(Status.SENT, Status.COMPLETED)
    assert Status.ACCEPTED not in rules.SENDER_MOVES
    assert Status.CANCELLED not in rules.RECEIVER_MOVES
