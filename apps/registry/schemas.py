"""Ninja schemas of the registry. The request schemas are lenient on purpose: the service
checks every field and reports every problem at once (422 by field)."""

from datetime import date
from uuid import UUID

from ninja import Field, Schema


class DocumentIn(Schema):
    type: str = ""
    number: str = ""
    issued_on: date | None = None
    issuer: str = ""


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


class ErrorDetailOut(Schema):
    field: str
    loc: list[str]
    message: str
    code: str


class ErrorOut(Schema):
    code: str
    message: str
    details: list[ErrorDetailOut]
    request_id: str


class DuplicateSuspectedOut(Schema):
    error: ErrorOut
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


class SearchOut(Schema):
    results: list[SearchResultOut]


class PhoneOut(Schema):
    number: str
    is_primary: bool


class DocumentOut(Schema):
    type: str
    number: str
    issued_on: date | None
    issuer: str


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
