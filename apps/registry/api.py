"""The registry's API: register, search and read persons. Thin: parse, call a service or a
selector, return. Mounted on the one API in ``apps.api.api``."""

from datetime import date
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from . import selectors, services
from .schemas import (
    DuplicateSuspectedOut,
    PersonCreatedOut,
    PersonIn,
    PersonOut,
    SearchOut,
)

router = Router(tags=["registry"])


class SearchParams(Schema):
    q: str
    birth_date: date | None = None
    limit: int = 10


def _duplicate(match: selectors.Match) -> dict:
    return {
        "id": match.person.pk if match.visible else None,
        "score": match.score,
        "reasons": match.reasons,
        "held_by": match.held_by,
    }


@router.post(
    "/persons",
    response={201: PersonCreatedOut, 409: DuplicateSuspectedOut},
    summary="Register a person (409 when they look registered already)",
)
def person_register(request, payload: PersonIn):
    data = payload.model_dump(exclude={"confirm_not_duplicate"})
    try:
        registered = services.person_register(
            actor=request.actor, data=data, confirm_not_duplicate=payload.confirm_not_duplicate
        )
    except services.DuplicateSuspected as exc:
        message = (
            _(
                "Схоже, цю особу вже зареєстровано. Перевірте збіги або підтвердьте, "
                "що це інша особа."
            )
            if exc.confirmable
            else _("Особу з цим РНОКПП уже зареєстровано.")
        )
        error = {
            "code": "duplicate_suspected",
            "message": message,
            "details": [],
            "request_id": getattr(request, "request_id", ""),
        }
        return Status(409, {"error": error, "duplicates": [_duplicate(m) for m in exc.matches]})
    warnings = [{"code": w.code, "message": w.message} for w in registered.warnings]
    return Status(201, {"id": registered.person.pk, "warnings": warnings})


@router.get(
    "/persons/search", response=SearchOut, summary="Find persons by name, phone or document"
)
def person_search(request, params: Query[SearchParams]):
    matches = selectors.person_search(
        actor=request.actor, q=params.q, birth_date=params.birth_date, limit=params.limit
    )
    results = []
    for match in matches:
        entry = {"score": match.score, "reasons": match.reasons, "held_by": match.held_by}
        if match.visible:
            person = match.person
            entry |= {
                "id": person.pk,
                "last_name": person.last_name,
                "first_name": person.first_name,
                "patronymic": person.patronymic,
                "birth_year": person.birth_year,
            }
        results.append(entry)
    return {"results": results}


@router.get("/persons/{person_id}", response=PersonOut, summary="One person's card (read audited)")
def person_get(request, person_id: UUID):
    person = selectors.person_read(actor=request.actor, person_id=person_id)
    return {
        "id": person.pk,
        "merged_from": person_id if person.pk != person_id else None,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "last_name_latin": person.last_name_latin,
        "first_name_latin": person.first_name_latin,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "phones": list(person.phones.all()),
        "documents": list(person.documents.all()),
        "categories": [c.code for c in person.categories.all()],
        "community": person.community_id,
        "held_by": getattr(person.organisation, "name", "") or person.community.name,
        "version": person.version,
    }
