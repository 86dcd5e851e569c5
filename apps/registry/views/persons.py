"""Finding, registering and reading persons.

Registration is two steps on one URL, with no state kept on the server between them: the
identity step checks the fields the duplicate search needs and shows likely matches; the
details step carries the identity as hidden fields (the service checks everything again) and
registers. A likely duplicate needs the "this is another person" confirmation; a same-РНОКПП
match cannot be confirmed away."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.access import policies
from apps.access.roles import Perm

from .. import card, selectors, services
from ..forms import LANGUAGE_NAMES, ConsentForm, DetailsForm, IdentityForm, SearchForm
from ..identifiers import DocumentType
from ..models import Relationship
from ..reasons import reason_label

IDENTITY_FIELDS = tuple(IdentityForm.base_fields)


def _shown(matches: list[selectors.Match], *, actor, transfer_refs: bool = False) -> list[dict]:
    """Matches as a page shows them — a read of each person named, audited: an out-of-scope
    match names only its hub (and, with ``transfer_refs``, carries the opaque reference to ask
    for it when the actor may)."""
    selectors.record_shown(actor=actor, matches=matches)
    return [
        {
            "person": match.person if match.visible else None,
            "held_by": match.held_by,
            "reasons": [reason_label(code) for code in match.reasons],
            "score": round(match.score * 100),
            "transfer_ref": selectors.transfer_ref_for(actor=actor, match=match)
            if transfer_refs
            else None,
        }
        for match in matches
    ]


@login_required
def person_search_view(request):
    policies.require(request.actor, Perm.PERSONS_READ)
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = _shown(
            selectors.person_search(
                actor=request.actor,
                q=form.cleaned_data["q"],
                birth_date=form.cleaned_data["birth_date"],
                limit=20,
            ),
            actor=request.actor,
            transfer_refs=True,
        )
    can_register = request.actor.has_perm(Perm.PERSONS_WRITE)
    return render(
        request,
        "registry/search.html",
        {"form": form, "results": results, "can_register": can_register},
    )


@login_required
def person_detail_view(request, person_id):
    person = selectors.person_read(actor=request.actor, person_id=person_id)
    if person.pk != person_id:
        messages.info(request, _("Цей запис об'єднано з іншим; показано чинний запис."))
        return redirect("registry:person-detail", person_id=person.pk)
    return render(request, "registry/person_detail.html", _card(request, person))


def _card(request, person) -> dict:
    """The card's sections, all from the person already read (no second audited read) or
    through scoped selectors, and the actions the user may take on this person."""
    held = {"community": person.community, "organisation": person.organisation_id}
    membership, members = selectors.person_household(actor=request.actor, person=person) or (
        None,
        [],
    )
    return {
        "person": person,
        "phones": sorted(person.phones.all(), key=lambda p: (not p.is_primary, p.pk)),
        "language": LANGUAGE_NAMES.get(person.preferred_language, person.preferred_language),
        "consents": selectors.consents_of(person=person),
        "membership": membership,
        "members": members,
        "can_write": policies.covers(request.actor, Perm.PERSONS_WRITE, **held),
        "can_merge": policies.covers(request.actor, Perm.PERSONS_MERGE, **held),
        "consent_form": ConsentForm(),
        "sections": card.sections_for(request.actor, person),
    }


# --- registration -----------------------------------------------------------------------------


def _documents(identity: dict, details: dict) -> tuple[list[dict], list[str]]:
    """The documents to register and, for each, the form field its errors belong to."""
    documents, fields = [], []
    if identity.get("rnokpp"):
        documents.append({"type": DocumentType.RNOKPP, "number": identity["rnokpp"]})
        fields.append("rnokpp")
    if details.get("idp_certificate"):
        documents.append(
            {
                "type": DocumentType.IDP_CERTIFICATE,
                "number": details["idp_certificate"],
                "issued_on": details.get("idp_certificate_issued_on"),
                "issuer": details.get("idp_certificate_issuer", ""),
            }
        )
        fields.append("idp_certificate")
    if details.get("document_type"):
        documents.append({"type": details["document_type"], "number": details["document_number"]})
        fields.append("document_number")
    return documents, fields


# Service fields shown under another name on the page.
SERVICE_FIELD_ON_PAGE = {
    "current_unit": "community",
    "consents": "consent_purpose",
    "household": "relationship",
}


def _service_errors_to_forms(
    error: ValidationError, identity: IdentityForm, details: DetailsForm, document_fields
) -> None:
    """Each of the service's errors (keyed like ``documents[1].number``) onto its form field."""
    for key, problems in error.message_dict.items():
        if key.startswith("documents["):
            index = int(key[len("documents[") : key.index("]")])
            field = document_fields[index] if index < len(document_fields) else None
        else:
            field = key.split("[")[0].split(".")[0]
            field = SERVICE_FIELD_ON_PAGE.get(field, field)
        form = identity if field in identity.fields else details
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def _payload(identity: dict, details: dict, household) -> tuple[dict, list[str]]:
    """What the two steps say, as the registration service takes it, and for each document
    the form field its errors belong to."""
    documents, document_fields = _documents(identity, details)
    payload = {
        **{name: identity[name] for name in IDENTITY_FIELDS if name != "rnokpp"},
        "community": details["community"],
        "current_unit": details["community"],
        "current_address": details["current_address"],
        "email": details["email"],
        "preferred_language": details["preferred_language"],
        "documents": documents,
        "categories": details["categories"],
    }
    if details["consent"]:
        payload["consents"] = [
            {"purpose": details["consent_purpose"], "scope": details["consent_scope"]}
        ]
    if household is not None:
        payload["household"] = {"id": str(household.pk), "relationship": details["relationship"]}
    return payload, document_fields


def _register(request, identity: IdentityForm, details: DetailsForm, household):
    data = details.cleaned_data
    payload, document_fields = _payload(identity.cleaned_data, data, household)
    try:
        registered = services.person_register(
            actor=request.actor,
            data=payload,
            confirm_not_duplicate=data["confirm_not_duplicate"],
        )
    except services.DuplicateSuspected as exc:
        message = (
            _(
                "Схоже, цю особу вже зареєстровано. Перевірте збіги або підтвердьте, "
                "що це інша особа."
            )
            if exc.confirmable
            else _("Особу з цим РНОКПП уже зареєстровано: новий запис створити не можна.")
        )
        details.add_error("confirm_not_duplicate" if exc.confirmable else None, message)
        return None, exc
    except ValidationError as exc:
        _service_errors_to_forms(exc, identity, details, document_fields)
        return None, None
    return registered, None


@login_required
@require_http_methods(["GET", "POST"])
def person_register_view(request):
    policies.require(request.actor, Perm.PERSONS_WRITE)
    communities = selectors.registration_communities(actor=request.actor)
    posted_step = request.POST.get("step", "identity")
    household, head = _household_to_join(request)
    identity = IdentityForm(
        request.POST or None, initial={"last_name": head.last_name} if head else None
    )
    details = DetailsForm(
        request.POST if posted_step == "details" else None,
        communities=communities,
        joins_household=household is not None,
        initial={"community": _default_community(head, communities)},
    )
    context = {
        "identity": identity,
        "details": details,
        "step": "identity",
        "matches": None,
        "household": household,
        "head": head,
    }
    if request.method != "POST" or posted_step == "edit" or not identity.is_valid():
        return render(request, "registry/register.html", context)

    matches = None
    if posted_step == "details" and details.is_valid():
        registered, duplicates = _register(request, identity, details, household)
        if registered is not None:
            return _registered(request, registered)
        if identity.errors:  # the service found a problem in the first step's fields
            return render(request, "registry/register.html", context)
        matches = duplicates.matches if duplicates else None
    if matches is None:
        matches = _identity_duplicates(request, identity.cleaned_data)
    context |= {
        "step": "details",
        "matches": _shown(matches, actor=request.actor),
        "confirmable": not any(
            code in services.PERSONAL_NUMBERS for match in matches for code in match.reasons
        ),
    }
    return render(request, "registry/register.html", context)


def _default_community(head, communities) -> str | None:
    """A member lives where the head lives; otherwise the first community of the user's hub."""
    if head is not None:
        return head.community_id
    return communities[0].pk if communities else None


def _household_to_join(request):
    """The household a new member is registered into (``member_of``), and its head when the
    user may see them; ``Http404`` for a household the user may not write."""
    household_id = request.POST.get("member_of") or request.GET.get("member_of")
    if not household_id:
        return None, None
    try:
        household = selectors.household_for_write(actor=request.actor, household_id=household_id)
    except ValidationError as exc:  # not a UUID
        raise Http404 from exc
    members = selectors.household_members(
        actor=request.actor, household=household, current_only=True
    )
    head = next(
        (m.person for m in members if m.member.relationship == Relationship.HEAD and m.person),
        None,
    )
    return household, head


def _identity_duplicates(request, identity: dict) -> list[selectors.Match]:
    documents = [(DocumentType.RNOKPP, identity["rnokpp"])] if identity["rnokpp"] else []
    return selectors.person_duplicates(
        actor=request.actor,
        last_name=identity["last_name"],
        first_name=identity["first_name"],
        patronymic=identity["patronymic"],
        birth_date=identity["birth_date"],
        documents=documents,
        phone=identity["phone"],
    )


def _registered(request, registered: services.Registered):
    messages.success(request, _("Особу зареєстровано."))
    membership = registered.person.households.filter(left_on__isnull=True).first()
    if membership is not None:
        return redirect(_after_member_registered(membership.household_id))
    for warning in registered.warnings:
        messages.warning(request, warning.message)
    return redirect("registry:person-detail", person_id=registered.person.pk)


def _after_member_registered(household_id) -> str:
    """Back to the household, to register the next member."""
    return reverse("registry:household-detail", kwargs={"household_id": household_id})
