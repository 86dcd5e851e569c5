"""Ninja schemas of intake. Request bodies are lenient on purpose: the services check every
field and report every problem at once (422 by field)."""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema


class RequestIn(Schema):
    person: str = ""
    needs: list[str] = Field(default_factory=list)
    channel: str = ""
    urgency: str = ""
    description: str = ""
    due_date: date | None = None


class RequestPatchIn(Schema):
    """Only the fields sent are changed. ``version``: the one the change is based on."""

    version: int
    needs: list[str] | None = None
    channel: str | None = None
    urgency: str | None = None
    description: str | None = None
    due_date: date | None = None


class TransitionIn(Schema):
    """``version``: the one the change is based on (required: a change made on an old read
    must not silently overwrite a newer one)."""

    to: str = ""
    reason: str = ""
    note: str = ""
    version: int


class AssignIn(Schema):
    """``assigned_to``: a user id, or null for nobody. ``version`` as for a transition."""

    assigned_to: int | None = None
    version: int


class RequestListParams(Schema):
    status: str | None = None
    person: UUID | None = None
    organisation: int | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class NamedOut(Schema):
    id: str
    name: str


class NeedOut(Schema):
    code: str
    name: str
    name_en: str
    parent: str | None = None


class EventOut(Schema):
    at: datetime
    kind: str
    actor: str
    from_status: str
    to_status: str
    reason: str
    note: str
    assigned_to: NamedOut | None = None
    appointment: UUID | None = None
    changed_fields: list[str]


class RequestSummaryOut(Schema):
    id: UUID
    person: NamedOut
    organisation: NamedOut
    channel: str
    needs: list[str]
    urgency: str
    status: str
    assigned_to: NamedOut | None = None
    due_date: date
    created_at: datetime
    version: int


class AppointmentOut(Schema):
    id: UUID
    organisation: NamedOut
    specialist: NamedOut
    person: UUID
    request: UUID | None = None
    kind: str
    starts_at: datetime
    ends_at: datetime
    room: NamedOut | None = None
    status: str
    cancel_reason: str = ""


class RequestOut(RequestSummaryOut):
    description: str
    close_reason: str
    close_note: str
    created_by: str
    history: list[EventOut]
    appointments: list[AppointmentOut]


class RequestListOut(Schema):
    count: int
    results: list[RequestSummaryOut]


class SlotParams(Schema):
    specialist: int
    date: date


class SlotOut(Schema):
    starts_at: datetime
    ends_at: datetime


class SlotsOut(Schema):
    specialist: int
    date: date
    slots: list[SlotOut]


class AppointmentIn(Schema):
    specialist: int | None = None
    starts_at: datetime | None = None
    request: str = ""
    person: str = ""
    room: int | None = None
    kind: str = ""
