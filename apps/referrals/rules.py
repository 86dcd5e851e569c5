"""Referrals' rules as pure functions: the statuses, who moves a referral where, the deadlines
in working days and what "overdue" means. No database here.

- **Statuses**: draft → sent → accepted | declined → in progress → completed | cancelled |
  expired. The sender's side may cancel an open referral; the receiver's side accepts,
  declines, starts and completes it. ``expired`` is set by the scheduled job only (a sent
  referral nobody answered long after its deadline), never by a person.
- **Deadlines** count working days (Monday to Friday, like intake's due dates) from the day a
  referral is sent (Kyiv time): ``respond_by`` after the service's ``response_days``,
  ``complete_by`` after its ``completion_days``.
- **Overdue**: sent and not answered after ``respond_by``, or accepted / in progress and not
  completed after ``complete_by``.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.intake.rules import HUB_TIME_ZONE, add_working_days, local_today

__all__ = [
    "CLOSED_STATUSES",
    "HUB_TIME_ZONE",
    "OPEN_STATUSES",
    "RECEIVER_MOVES",
    "SENDER_MOVES",
    "Deadline",
    "Outcome",
    "Status",
    "allowed",
    "deadlines",
    "local_today",
    "overdue_deadline",
]


class Status(models.TextChoices):
    DRAFT = "draft", _("Чернетка")
    SENT = "sent", _("Надіслано")
    ACCEPTED = "accepted", _("Прийнято")
    DECLINED = "declined", _("Відхилено")
    IN_PROGRESS = "in_progress", _("Виконується")
    COMPLETED = "completed", _("Виконано")
    CANCELLED = "cancelled", _("Скасовано")
    EXPIRED = "expired", _("Строк минув")


class Outcome(models.TextChoices):
    MET = "met", _("Потребу задоволено")
    PARTLY_MET = "partly_met", _("Потребу задоволено частково")
    NOT_MET = "not_met", _("Потребу не задоволено")


class Deadline(models.TextChoices):
    RESPOND = "respond", _("Відповісти до")
    COMPLETE = "complete", _("Виконати до")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SENT, Status.CANCELLED}),
    Status.SENT: frozenset({Status.ACCEPTED, Status.DECLINED, Status.CANCELLED, Status.EXPIRED}),
    Status.ACCEPTED: frozenset({Status.IN_PROGRESS, Status.COMPLETED, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED, Status.CANCELLED}),
}
OPEN_STATUSES = (Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.DECLINED, Status.COMPLETED, Status.CANCELLED, Status.EXPIRED)
# Who makes each move: the sending hub's staff, or the receiving organisation's.
SENDER_MOVES = frozenset({Status.SENT, Status.CANCELLED})
RECEIVER_MOVES = frozenset({Status.ACCEPTED, Status.DECLINED, Status.IN_PROGRESS, Status.COMPLETED})
# Moves a person may ask for through the API or a page (``expired`` is the scheduler's).
REQUESTED_MOVES = SENDER_MOVES | RECEIVER_MOVES
# A sent referral nobody answered this many working days after ``respond_by`` expires.
EXPIRE_AFTER_WORKING_DAYS = 20


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def deadlines(sent_on: date, response_days: int, completion_days: int) -> tuple[date, date]:
    """``(respond_by, complete_by)`` of a referral sent on ``sent_on``."""
    return add_working_days(sent_on, response_days), add_working_days(sent_on, completion_days)


def overdue_deadline(status: str, respond_by: date | None, complete_by: date | None, today: date):
    """The deadline a referral in ``status`` has missed on ``today`` (a ``Deadline``), or
    ``None``."""
    if status == Status.SENT and respond_by and today > respond_by:
        return Deadline.RESPOND
    if status in (Status.ACCEPTED, Status.IN_PROGRESS) and complete_by and today > complete_by:
        return Deadline.COMPLETE
    return None


def expires_on(respond_by: date) -> date:
    return add_working_days(respond_by, EXPIRE_AFTER_WORKING_DAYS)
