"""Finding, registering and reading persons.

Registration is two steps on one URL, with no state kept on the server between them: the
identity step checks the fields the duplicate search needs and shows likely matches; the
details step carries the identity as hidden fields (the service checks everything again) and
registers. A likely duplicate needs the "this is another person" confirmation; a same-РНОКПП
match cannot be confirmed away."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.access import policies
from apps.access.roles import Perm

from .. import selectors, services
from ..forms import LANGUAGE_NAMES, ConsentForm, DetailsForm, IdentityForm, SearchForm
from ..identifiers import DocumentType
from ..reasons import reason_label

IDENTITY_FIELDS = tuple(IdentityForm.base_fields)


def _shown(matches: list[selectors.Match], *, actor=None) -> list[dict]:
    """Matches as a page may show them: an out-of-scope match names only its hub (and, with
    ``actor``, carries the opaque reference to ask for it when that actor may)."""
    return [
        {
            "person": match.person if match.visible else None,
            "held_by": match.held_by,
            "reasons": [reason_label(code) for code in match.reasons],
            "score": round(match.score * 100),
            "transfer_ref": selectors.transfer_ref_for(actor=actor, match=match)
            if actor is not None
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


def _service_errors_to_forms(
    error: ValidationError, identity: IdentityForm, details: DetailsForm, document_fields
) -> None:
    """Each of the service's errors (keyed like ``documents[1].number``) onto its form field."""
    for key, problems in error.message_dict.items():
        if key.startswith("documents["):
            index = int(key[len("documents[") : key.index("]")])
            field = document_fields[index] if index < len(document_fields) else None
        else:
            field = key.split("[")[0]
        form = identity if field in identity.fields else details
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def _register(request, identity: IdentityForm, details: DetailsForm):
    data = {**identity.cleaned_data, **details.cleaned_data}
    documents, document_fields = _documents(identity.cleaned_data, details.cleaned_data)
    payload = {
        **{name: data[name] for name in IDENTITY_FIELDS if name != "rnokpp"},
        "community": data["community"],
        "documents": documents,
        "categories": data["categories"],
    }
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
    identity = IdentityForm(request.POST or None)
    details = DetailsForm(
        request.POST if posted_step == "details" else None,
        communities=communities,
        initial={"community": communities[0].pk if communities else None},
    )
    context = {"identity": identity, "details": details, "step": "identity", "matches": None}
    if request.method != "POST" or posted_step == "edit" or not identity.is_valid():
        return render(request, "registry/register.html", context)

    matches = None
    if posted_step == "details" and details.is_valid():
        registered, duplicates = _register(request, identity, details)
        if registered is not None:
            return _registered(request, registered)
        if identity.errors:  # the service found a problem in the first step's fields
            return render(request, "registry/register.html", context)
        matches = duplicates.matches if duplicates else None
    if matches is None:
        matches = _identity_duplicates(request, identity.cleaned_data)
    context |= {
        "step": "details",
        "matches": _shown(matches),
        "confirmable": not any(
            code in services.PERSONAL_NUMBERS for match in matches for code in match.reasons
        ),
    }
    return render(request, "registry/register.html", context)


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
    for warning in registered.warnings:
        messages.warning(request, warning.message)
    return redirect("registry:person-detail", person_id=registered.person.pk)
