"""The registry's API: persons (register, search, read, edit, merge), their documents (and
the documents' scans: multipart upload, download as a file, delete) and consents, households,
and transfers of access between hubs. Thin: parse, call a service or a selector, return.
Mounted on the one API in ``apps.api.api``.

A record edited with a stale ``version`` answers 409 ``edit_conflict`` with the fields in
conflict (``yours`` and ``theirs``) and the current ``version``; other refusals of the registry's
state are 409 with their own code (``document_exists``, ``consent_already_withdrawn``,
``transfer_already_requested``, ``transfer_already_decided``, ``merge_changed``,
``joined_elsewhere``).
"""

from datetime import date
from functools import wraps
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from . import attachments, selectors, services
from .models import AccessTransfer, Consent, Household, Person, TransferStatus
from .schemas import (
    AttachmentOut,
    ConflictOut,
    ConsentIn,
    ConsentOut,
    DocumentAddedOut,
    DocumentIn,
    DocumentOut,
    DuplicateSuspectedOut,
    EditConflictOut,
    HeadIn,
    HouseholdIn,
    HouseholdOut,
    MemberIn,
    MemberOut,
    MergeIn,
    PersonCreatedOut,
    PersonIn,
    PersonOut,
    PersonUpdatedOut,
    PersonUpdateIn,
    SearchOut,
    TransferDecisionIn,
    TransferIn,
    TransferOut,
    TransfersOut,
    VersionIn,
)

router = Router(tags=["registry"])


class SearchParams(Schema):
    q: str
    birth_date: date | None = None
    limit: int = 10


class TransferParams(Schema):
    direction: Literal["incoming", "outgoing"] = "outgoing"


def _error(request, code: str, message: str, details: list) -> dict:
    return {
        "code": code,
        "message": message,
        "details": details,
        "request_id": getattr(request, "request_id", ""),
    }


def _answers_conflicts(view):
    """The registry's refusals as the API's 409s (see the module's docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.EditConflict as exc:
            message = _(
                "Запис щойно змінив хтось інший. Перегляньте поточні значення й повторіть зміну."
            )
            error = _error(request, "edit_conflict", message, exc.conflicts)
            return Status(409, {"error": error, "version": exc.version})
        except services.RegistryConflict as exc:
            return Status(409, {"error": _error(request, exc.code, exc.message, [])})

    return wrapper


def _warnings(warnings) -> list[dict]:
    return [{"code": w.code, "message": w.message} for w in warnings]


# --- persons ------------------------------------------------------------------------------------


def _duplicate(request, match: selectors.Match) -> dict:
    return {
        "id": match.person.pk if match.visible else None,
        "score": match.score,
        "reasons": match.reasons,
        "held_by": match.held_by,
        "transfer_ref": selectors.transfer_ref_for(actor=request.actor, match=match),
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
        error = _error(request, "duplicate_suspected", message, [])
        duplicates = [_duplicate(request, m) for m in exc.matches]
        return Status(409, {"error": error, "duplicates": duplicates})
    return Status(201, {"id": registered.person.pk, "warnings": _warnings(registered.warnings)})


@router.get(
    "/persons/search", response=SearchOut, summary="Find persons by name, phone or document"
)
def person_search(request, params: Query[SearchParams]):
    matches = selectors.person_search(
        actor=request.actor, q=params.q, birth_date=params.birth_date, limit=params.limit
    )
    selectors.record_shown(actor=request.actor, matches=matches)
    results = []
    for match in matches:
        entry = _duplicate(request, match)
        if match.visible:
            person = match.person
            entry |= {
                "last_name": person.last_name,
                "first_name": person.first_name,
                "patronymic": person.patronymic,
                "birth_year": person.birth_year,
            }
        results.append(entry)
    return {"results": results}


# --- transfers of access (before /persons/{person_id}: "transfers" is not an id) ------------


def _transfer_out(request, transfer: AccessTransfer, direction: str) -> dict:
    out = {
        "id": transfer.pk,
        "status": transfer.status,
        "requested_at": transfer.requested_at,
        "decided_at": transfer.decided_at,
    }
    if direction == "outgoing":
        holder = transfer.from_organisation or transfer.from_community
        granted = transfer.status == TransferStatus.GRANTED
        return out | {"held_by": holder.name, "person_id": transfer.person_id if granted else None}
    visible = selectors.person_is_visible(actor=request.actor, person_id=transfer.person_id)
    return out | {
        "requested_by_hub": transfer.to_organisation.name,
        "reason": transfer.reason,
        "decision_note": transfer.decision_note,
        "person_id": transfer.person_id if visible else None,
        "person": transfer.person if visible else None,
    }


@router.post(
    "/persons/transfers",
    response={201: TransferOut, 409: ConflictOut},
    summary="Ask the holding hub for a person found outside your scope (by transfer_ref)",
)
@_answers_conflicts
def transfer_request(request, payload: TransferIn):
    transfer = services.transfer_request(
        actor=request.actor, transfer_ref=payload.transfer_ref, reason=payload.reason
    )
    return Status(201, _transfer_out(request, transfer, "outgoing"))


@router.get(
    "/persons/transfers",
    response=TransfersOut,
    summary="Requests for persons: your hub's (outgoing) or for your hub's persons (incoming)",
)
def transfer_list(request, params: Query[TransferParams]):
    if params.direction == "incoming":
        transfers = selectors.transfers_incoming(actor=request.actor)
    else:
        transfers = selectors.transfers_outgoing(actor=request.actor)
    results = [_transfer_out(request, t, params.direction) for t in transfers]
    return {"direction": params.direction, "results": results}


@router.post(
    "/persons/transfers/{transfer_id}/decision",
    response={200: TransferOut, 409: ConflictOut},
    summary="Grant (the person moves to the requesting hub) or refuse a request",
)
@_answers_conflicts
def transfer_decide(request, transfer_id: UUID, payload: TransferDecisionIn):
    transfer = services.transfer_decide(
        actor=request.actor, transfer_id=transfer_id, grant=payload.grant, note=payload.note
    )
    return _transfer_out(request, transfer, "incoming")


@router.post(
    "/persons/transfers/{transfer_id}/cancel",
    response={200: TransferOut, 409: ConflictOut},
    summary="Withdraw your hub's open request",
)
@_answers_conflicts
def transfer_cancel(request, transfer_id: UUID):
    transfer = services.transfer_cancel(actor=request.actor, transfer_id=transfer_id)
    return _transfer_out(request, transfer, "outgoing")


# --- one person ---------------------------------------------------------------------------------


def _member_out(view: selectors.MemberView) -> dict:
    member = view.member
    return {
        "id": member.pk,
        "relationship": member.relationship,
        "joined_on": member.joined_on,
        "left_on": member.left_on,
        "person": view.person,
    }


def _household_summary(request, person: Person) -> dict | None:
    found = selectors.person_household(actor=request.actor, person=person)
    if found is None:
        return None
    membership, members = found
    return {
        "id": membership.household_id,
        "version": membership.household.version,
        "relationship": membership.relationship,
        "joined_on": membership.joined_on,
        "members": [_member_out(m) for m in members],
    }


def _person_out(request, person: Person, asked_id: UUID | None = None) -> dict:
    return {
        "id": person.pk,
        "merged_from": asked_id if asked_id and person.pk != asked_id else None,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "last_name_latin": person.last_name_latin,
        "first_name_latin": person.first_name_latin,
        "latin_edited": person.latin_edited,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "email": person.email,
        "preferred_language": person.preferred_language,
        "origin_unit": person.origin_unit_id,
        "origin_address": person.origin_address,
        "current_unit": person.current_unit_id,
        "current_address": person.current_address,
        "phones": sorted(person.phones.all(), key=lambda p: (not p.is_primary, p.pk)),
        "documents": sorted(person.documents.all(), key=lambda d: d.pk),
        "categories": [c.code for c in person.categories.all()],
        "category_periods": list(person.categories.all()),
        "community": person.community_id,
        "held_by": getattr(person.organisation, "name", "") or person.community.name,
        "version": person.version,
        "household": _household_summary(request, person),
    }


@router.get("/persons/{person_id}", response=PersonOut, summary="One person's card (read audited)")
def person_get(request, person_id: UUID):
    person = selectors.person_read(actor=request.actor, person_id=person_id)
    return _person_out(request, person, person_id)


@router.patch(
    "/persons/{person_id}",
    response={200: PersonUpdatedOut, 409: EditConflictOut},
    summary="Edit a person at the version you read (409 edit_conflict when it changed)",
)
@_answers_conflicts
def person_update(request, person_id: UUID, payload: PersonUpdateIn):
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    updated = services.person_update(
        actor=request.actor, person_id=person_id, version=payload.version, changes=changes
    )
    out = _person_out(request, updated.person)
    return out | {"changed": updated.changed, "warnings": _warnings(updated.warnings)}


@router.post(
    "/persons/{person_id}/merge",
    response={200: PersonOut, 409: ConflictOut},
    summary="Merge a duplicate record into this one (coordinators)",
)
@_answers_conflicts
def person_merge(request, person_id: UUID, payload: MergeIn):
    kept = services.person_merge(
        actor=request.actor,
        keep_id=person_id,
        duplicate_id=payload.duplicate,
        reason=payload.reason,
    )
    return _person_out(request, kept)


# --- documents ----------------------------------------------------------------------------------


@router.get(
    "/persons/{person_id}/documents",
    response=list[DocumentOut],
    summary="A person's documents (read audited)",
)
def document_list(request, person_id: UUID):
    _person, documents = selectors.person_documents(actor=request.actor, person_id=person_id)
    return documents


@router.post(
    "/persons/{person_id}/documents",
    response={201: DocumentAddedOut, 409: ConflictOut},
    summary="Add a document (a РНОКПП or УНЗР that disagrees with the person needs a reason)",
)
@_answers_conflicts
def document_add(request, person_id: UUID, payload: DocumentIn):
    added = services.document_add(
        actor=request.actor, person_id=person_id, data=payload.model_dump()
    )
    out = DocumentOut.model_validate(added.document).model_dump()
    return Status(201, out | {"warnings": _warnings(added.warnings)})


def _limit_scan_upload(run):
    """Before authentication (a session's CSRF check reads the body) and before parsing: a scan
    over the size limit is refused unread (``attachments.limit_upload``)."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        attachments.limit_upload(request)
        return run(request, *args, **kwargs)

    return wrapper


@router.post(
    "/persons/{person_id}/documents/{document_id}/attachments",
    response={201: AttachmentOut},
    summary="Add a scan of a document (multipart `file`: PDF, JPEG or PNG by its content)",
)
@decorate_view(_limit_scan_upload)
def attachment_add(
    request, person_id: UUID, document_id: int, file: File[UploadedFile | None] = None
):
    if attachments.upload_refused(request):
        too_large = ValidationError(attachments.too_large_message(), code="too_large")
        raise ValidationError({"file": [too_large]})
    attachment = services.attachment_add(
        actor=request.actor, person_id=person_id, document_id=document_id, uploaded_file=file
    )
    return Status(201, attachment)


@router.get(
    "/persons/{person_id}/documents/{document_id}/attachments/{attachment_id}",
    response={200: None},
    summary="Download a scan of a document (the file itself; read audited)",
    openapi_extra={
        "responses": {200: {"description": "The file, as an attachment", "content": {}}}
    },
)
def attachment_download(request, person_id: UUID, document_id: int, attachment_id: int):
    attachment = selectors.attachment_read(
        actor=request.actor,
        person_id=person_id,
        document_id=document_id,
        attachment_id=attachment_id,
    )
    return attachments.file_response(attachment)


@router.delete(
    "/persons/{person_id}/documents/{document_id}/attachments/{attachment_id}",
    response={204: None},
    summary="Remove a scan of a document (audited)",
)
def attachment_delete(request, person_id: UUID, document_id: int, attachment_id: int):
    services.attachment_delete(
        actor=request.actor,
        person_id=person_id,
        document_id=document_id,
        attachment_id=attachment_id,
    )
    return Status(204, None)


@router.delete(
    "/persons/{person_id}/documents/{document_id}",
    response={204: None},
    summary="Remove a document entered by mistake (audited)",
)
def document_delete(request, person_id: UUID, document_id: int):
    services.document_delete(actor=request.actor, person_id=person_id, document_id=document_id)
    return Status(204, None)


# --- consents -----------------------------------------------------------------------------------


def _consent_out(consent: Consent) -> dict:
    return {
        "id": consent.pk,
        "purpose": consent.purpose,
        "scope": consent.scope,
        "organisation": getattr(consent.organisation, "name", ""),
        "recorded_at": consent.recorded_at,
        "withdrawn_at": consent.withdrawn_at,
        "active": consent.withdrawn_at is None,
    }


@router.get(
    "/persons/{person_id}/consents",
    response=list[ConsentOut],
    summary="A person's consents, withdrawn ones too (read audited)",
)
def consent_list(request, person_id: UUID):
    _person, consents = selectors.person_consents(actor=request.actor, person_id=person_id)
    return [_consent_out(c) for c in consents]


@router.post(
    "/persons/{person_id}/consents",
    response={201: ConsentOut},
    summary="Record a consent: for a purpose, to the hub only or the hub and its partners",
)
def consent_record(request, person_id: UUID, payload: ConsentIn):
    consent = services.consent_record(
        actor=request.actor, person_id=person_id, purpose=payload.purpose, scope=payload.scope
    )
    return Status(201, _consent_out(consent))


@router.post(
    "/persons/{person_id}/consents/{consent_id}/withdraw",
    response={200: ConsentOut, 409: ConflictOut},
    summary="Withdraw a consent (it is kept, marked withdrawn)",
)
@_answers_conflicts
def consent_withdraw(request, person_id: UUID, consent_id: int):
    consent = services.consent_withdraw(
        actor=request.actor, person_id=person_id, consent_id=consent_id
    )
    return _consent_out(consent)


# --- households ---------------------------------------------------------------------------------


def _household_out(request, household: Household) -> dict:
    members = selectors.household_members(actor=request.actor, household=household)
    return {
        "id": household.pk,
        "community": household.community_id,
        "held_by": getattr(household.organisation, "name", "") or household.community.name,
        "version": household.version,
        "members": [_member_out(m) for m in members],
    }


def _household_after_change(request, household_id: UUID) -> dict:
    household = selectors.household_for_write(actor=request.actor, household_id=household_id)
    return _household_out(request, household)


@router.post(
    "/households",
    response={201: HouseholdOut, 409: ConflictOut},
    summary="Create a household with its head",
)
@_answers_conflicts
def household_create(request, payload: HouseholdIn):
    household = services.household_create(actor=request.actor, head_id=payload.head)
    return Status(201, _household_after_change(request, household.pk))


@router.get(
    "/households/{household_id}",
    response=HouseholdOut,
    summary="A household with its members, current and past (read audited)",
)
def household_get(request, household_id: UUID):
    household = selectors.household_read(actor=request.actor, household_id=household_id)
    return _household_out(request, household)


@router.post(
    "/households/{household_id}/members",
    response={201: MemberOut, 409: EditConflictOut | ConflictOut},
    summary="Add a member (they leave their current household)",
)
@_answers_conflicts
def household_member_add(request, household_id: UUID, payload: MemberIn):
    member = services.household_member_add(
        actor=request.actor,
        household_id=household_id,
        version=payload.version,
        person_id=payload.person,
        relationship=payload.relationship,
    )
    return Status(201, _member_out(selectors.MemberView(member, member.person)))


@router.post(
    "/households/{household_id}/members/{member_id}/end",
    response={200: HouseholdOut, 409: EditConflictOut},
    summary="End a membership today (kept as history)",
)
@_answers_conflicts
def household_member_end(request, household_id: UUID, member_id: int, payload: VersionIn):
    services.household_member_end(
        actor=request.actor,
        household_id=household_id,
        version=payload.version,
        member_id=member_id,
    )
    return _household_after_change(request, household_id)


@router.post(
    "/households/{household_id}/head",
    response={200: HouseholdOut, 409: EditConflictOut},
    summary="Make a current member the head",
)
@_answers_conflicts
def household_head_change(request, household_id: UUID, payload: HeadIn):
    services.household_head_change(
        actor=request.actor,
        household_id=household_id,
        version=payload.version,
        member_id=payload.member,
        previous_head_relationship=payload.previous_head_relationship,
    )
    return _household_after_change(request, household_id)
