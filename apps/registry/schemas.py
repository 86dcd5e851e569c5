"""Ninja schemas of the registry. The request schemas are lenient on purpose: the service
checks every field and reports every problem at once (422 by field)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict


class DocumentIn(Schema):
    """A document. ``override_reason``: why a РНОКПП or УНЗР that disagrees with the person's
    birth date or sex is accepted (required then when adding a document to a person)."""

    type: str = ""
    number: str = ""
    issued_on: date | None = None
    issuer: str = ""
    valid_until: date | None = None
    override_reason: str = ""


class PersonIn(Schema):
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    birth_date: date | None = None
    sex: str = ""
    phone: str = ""
    community: str = ""
    documents: list[DocumentIn] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    email: str = ""
    preferred_language: str = ""
    origin_unit: str = ""
    origin_address: str = ""
    current_unit: str = ""
    current_address: str = ""
    consents: list["ConsentIn"] = Field(
        default_factory=list, description="Consents given at registration (purpose, scope)."
    )
    household: "HouseholdLinkIn | None" = Field(
        default=None, description="Join this household at registration, with the relationship."
    )
    confirm_not_duplicate: bool = False


class WarningOut(Schema):
    code: str
    message: str


class PersonCreatedOut(Schema):
    id: UUID
    warnings: list[WarningOut]


class DuplicateOut(Schema):
    """A likely duplicate. ``id`` only when the caller may see the person."""

    id: UUID | None = None
    score: float
    reasons: list[str]
    held_by: str
    transfer_ref: str | None = Field(
        None, description="Outside the caller's scope: the reference to request the person."
    )


class RegistryErrorDetailOut(Schema):
    field: str
    loc: list[str]
    message: str
    code: str


class RegistryErrorOut(Schema):
    code: str
    message: str
    details: list[RegistryErrorDetailOut]
    request_id: str


class ConflictOut(Schema):
    """409: the registry's state refuses the change (``error.code`` says why)."""

    error: RegistryErrorOut


class DuplicateSuspectedOut(Schema):
    error: RegistryErrorOut
    duplicates: list[DuplicateOut]


class SearchResultOut(Schema):
    """A match. Outside the caller's scope only ``score``, ``reasons`` and ``held_by``."""

    id: UUID | None = None
    score: float
    reasons: list[str]
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    birth_year: int | None = None
    held_by: str
    transfer_ref: str | None = Field(
        None,
        description=(
            "Outside the caller's scope: an opaque reference (valid 24 hours, for this user "
            "only) to ask the holding hub for the person: POST /persons/transfers."
        ),
    )


class SearchOut(Schema):
    results: list[SearchResultOut]


class PhoneOut(Schema):
    number: str
    is_primary: bool


class AttachmentOut(Schema):
    """A scan of a document; its bytes are at ``GET …/attachments/{id}``."""

    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class DocumentOut(Schema):
    id: int
    type: str
    number: str
    issued_on: date | None
    issuer: str
    valid_until: date | None = None
    override_reason: str = ""
    attachments: list[AttachmentOut] = Field(default_factory=list)


class DocumentAddedOut(DocumentOut):
    warnings: list[WarningOut]


class CategoryPeriodOut(Schema):
    code: str
    valid_from: date | None
    valid_to: date | None
    evidence: str


class MemberPersonOut(Schema):
    id: UUID
    last_name: str
    first_name: str
    patronymic: str
    birth_year: int | None


class MemberOut(Schema):
    """A membership. ``person`` is null when the caller may not read that person."""

    id: int
    relationship: str
    joined_on: date
    left_on: date | None
    person: MemberPersonOut | None


class HouseholdSummaryOut(Schema):
    """The person's current household: its current members (persons the caller may read)."""

    id: UUID
    version: int
    relationship: str
    joined_on: date
    members: list[MemberOut]


class PersonOut(Schema):
    id: UUID
    merged_from: UUID | None = None
    last_name: str
    first_name: str
    patronymic: str
    last_name_latin: str
    first_name_latin: str
    birth_date: date
    sex: str
    phones: list[PhoneOut]
    documents: list[DocumentOut]
    categories: list[str]
    community: str
    held_by: str
    version: int
    latin_edited: bool = False
    email: str = ""
    preferred_language: str = "uk"
    origin_unit: str | None = None
    origin_address: str = ""
    current_unit: str | None = None
    current_address: str = ""
    category_periods: list[CategoryPeriodOut] = Field(default_factory=list)
    household: HouseholdSummaryOut | None = None


class PersonUpdatedOut(PersonOut):
    changed: list[str]
    warnings: list[WarningOut]


class CategoryPeriodIn(Schema):
    code: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    evidence: str = ""


class PersonUpdateIn(Schema):
    """The fields to change, with the ``version`` they were read at; absent fields stay.
    ``phones`` and ``categories`` replace the whole list (the first phone is the main one).
    The Latin names follow the names unless set here (a passport spelling); ``latin_edited``
    false goes back to the national transliteration."""

    model_config = ConfigDict(extra="forbid")

    version: int
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    last_name_latin: str | None = None
    first_name_latin: str | None = None
    latin_edited: bool | None = None
    birth_date: date | None = None
    sex: str | None = None
    email: str | None = None
    preferred_language: str | None = None
    origin_unit: str | None = Field(None, description="КАТОТТГ code; null clears it")
    origin_address: str | None = None
    current_unit: str | None = Field(None, description="КАТОТТГ code; null clears it")
    current_address: str | None = None
    phones: list[str] | None = None
    categories: list[str | CategoryPeriodIn] | None = Field(
        None, description="A category code, or a code with its period and evidence"
    )


class FieldConflictOut(Schema):
    field: str
    yours: Any
    theirs: Any


class EditConflictBodyOut(Schema):
    code: str
    message: str
    details: list[FieldConflictOut]
    request_id: str


class EditConflictOut(Schema):
    """409 ``edit_conflict``: the fields you changed that someone changed since your version
    (``yours`` and ``theirs``), and the current ``version`` to retry with."""

    error: EditConflictBodyOut
    version: int


class ConsentIn(Schema):
    purpose: str = ""
    scope: str = Field("", description="hub | partners")


class HouseholdLinkIn(Schema):
    id: str = ""
    relationship: str = ""


class ConsentOut(Schema):
    id: int
    purpose: str
    scope: str
    organisation: str
    recorded_at: datetime
    withdrawn_at: datetime | None
    active: bool


class HouseholdIn(Schema):
    head: UUID


class HouseholdOut(Schema):
    """A household, its memberships current and past (``person`` null where the caller may not
    read that person)."""

    id: UUID
    community: str
    held_by: str
    version: int
    members: list[MemberOut]


class MemberIn(Schema):
    version: int
    person: UUID
    relationship: str = Field("", description="spouse, child, parent, sibling, grandchild, …")


class VersionIn(Schema):
    version: int


class HeadIn(Schema):
    version: int
    member: int
    previous_head_relationship: str = ""


class MergeIn(Schema):
    duplicate: UUID
    reason: str = ""


class TransferIn(Schema):
    transfer_ref: str = ""
    reason: str = ""


class TransferDecisionIn(Schema):
    grant: bool
    note: str = ""


class TransferOut(Schema):
    """A request for a person. Outgoing (the requester): the holding hub and the status; the
    person's id once granted. Incoming (the holder): the requesting hub, its reason and the
    person while the holder still holds them."""

    id: UUID
    status: str
    requested_at: datetime
    decided_at: datetime | None
    held_by: str | None = None
    requested_by_hub: str | None = None
    reason: str | None = None
    decision_note: str | None = None
    person_id: UUID | None = None
    person: MemberPersonOut | None = None


class TransfersOut(Schema):
    direction: str
    results: list[TransferOut]


PersonIn.model_rebuild()
