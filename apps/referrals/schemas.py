"""Ninja schemas of referrals. Request bodies are lenient on purpose: the services check every
field and report every problem at once (422 by field)."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema


class ReferralIn(Schema):
    """``service``: the service's number or its HSDS id; ``need``: a need code;
    ``shared``: what the receiver sees beyond the minimum (name, need, note) — ``contact``
    only with the person's consent; ``confirm_not_accepting``: send even though the service
    is not accepting referrals now."""

    person: str = ""
    service: str | int | None = None
    need: str = ""
    note: str = ""
    request: str | None = None
    shared: list[str] | None = None
    confirm_not_accepting: bool = False
    draft: bool = Field(
        False,
        description="Keep as a draft of the hub (status `draft`, not seen by the receiver); "
        "send it later with the transition `sent`.",
    )


class ReferralTransitionIn(Schema):
    """``reason`` for declined and cancelled (not for discarding a draft); ``outcome`` for
    completed; ``version`` (optional): the one the move is based on — a stale one is refused
    with 409. ``sent`` sends a draft (``confirm_not_accepting`` and ``shared`` as when
    sending; without ``shared`` what the draft named)."""

    to: str = ""
    reason: str = ""
    outcome: str = ""
    note: str = ""
    version: int | None = None
    confirm_not_accepting: bool = False
    shared: list[str] | None = None


class ReferralListParams(Schema):
    direction: Literal["incoming", "outgoing"] | None = None
    status: str | None = None
    overdue: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class ReferralPartyOut(Schema):
    id: str
    name: str


class SharedPersonOut(Schema):
    """The person as the receiver sees them: only what the sender shared."""

    name: str = ""
    phone: str = ""
    email: str = ""


class ReferralEventOut(Schema):
    at: datetime
    actor: str
    from_status: str
    to_status: str
    reason: str
    outcome: str
    note: str


class ReferralSummaryOut(Schema):
    id: UUID
    reference: str
    status: str
    direction: Literal["incoming", "outgoing", "both"]
    service: ReferralPartyOut
    need: str
    sender: ReferralPartyOut
    receiver: ReferralPartyOut
    person: SharedPersonOut
    sent_at: datetime | None = None
    respond_by: date | None = None
    complete_by: date | None = None
    overdue: str | None = None
    version: int


class ReferralOut(ReferralSummaryOut):
    """``person_id`` and ``request`` only for the sending hub."""

    note: str
    shared: list[str]
    reason: str
    outcome: str
    outcome_note: str
    person_id: UUID | None = None
    request: UUID | None = None
    created_by: str = ""
    history: list[ReferralEventOut]


class ReferralListOut(Schema):
    count: int
    results: list[ReferralSummaryOut]
