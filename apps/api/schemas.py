"""Schemas of the API as a whole: the error shape every operation may answer with. The schemas
of a context's resources live in that context's ``schemas.py``."""

from ninja import Schema


class ErrorDetailOut(Schema):
    field: str
    loc: list[str | int]
    message: str
    code: str | None


class ErrorBodyOut(Schema):
    code: str
    message: str
    details: list[ErrorDetailOut]
    request_id: str


class ErrorOut(Schema):
    error: ErrorBodyOut
