"""The directory's read API in the shapes of Open Referral HSDS 3.0 (``schema/openapi.json``
of the specification): ``/hsds/services``, ``/hsds/services/{service_id}``,
``/hsds/organizations``, ``/hsds/organizations/{organization_id}``.

Public: no authentication, and everybody sees the same — the published directory (public
services of active organisations, and the organisations that have one). Anything else is a 404
in the API's one error shape. Staff-only services are never served here."""

from uuid import UUID

from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.errors import ValidationError

from .hsds import mapping, selectors
from .hsds.schemas import (
    OrganizationListParams,
    OrganizationOut,
    OrganizationPage,
    ServiceListParams,
    ServiceOut,
    ServicePage,
    page_of,
)
from .selectors import organisation_texts, service_texts, text_matches

router = Router(tags=["directory (HSDS 3.0)"])

PUBLIC = {"auth": None}


def _json(data: dict) -> JsonResponse:
    """The HSDS object as built: the schemas above document it, but would drop the fields they
    do not list."""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise Http404 from None


def _window(qs, page: int, per_page: int):
    start = (page - 1) * per_page
    return qs[start : start + per_page]


@router.get(
    "/hsds/services",
    response=ServicePage,
    summary="Published services, one page (HSDS 3.0 service_list shape)",
    description=(
        "The spec's `getPaginatedListOfServices`: `page`/`per_page`, `search` (every word, "
        "in the service's or its organization's names, any case), `organization_id` (a UUID), "
        "`modified_after`; `taxonomy_term_id` and `taxonomy_id` are not supported and refused "
        "with 422. Each item has the service's one-to-one fields and its "
        "organization. Public."
    ),
    **PUBLIC,
)
def service_list(request, params: Query[ServiceListParams]):
    refused = [name for name in ("taxonomy_term_id", "taxonomy_id") if getattr(params, name)]
    if refused:
        raise ValidationError(
            [
                {
                    "loc": ["query", name],
                    "msg": str(_("Цей параметр не підтримується.")),
                    "type": "not_supported",
                }
                for name in refused
            ]
        )
    qs = selectors.service_briefs()
    if params.organization_id:
        qs = qs.filter(organisation__uuid=params.organization_id)
    if params.modified_after:
        qs = qs.filter(last_modified__gt=params.modified_after)
    if params.search.strip():
        qs = [s for s in qs if text_matches(service_texts(s), params.search)]
        total = len(qs)
    else:
        total = qs.count()
    items = [mapping.service_brief(s) for s in _window(qs, params.page, params.per_page)]
    return _json(page_of(items, total, params.page, params.per_page))


@router.get(
    "/hsds/services/{service_id}",
    response=ServiceOut,
    summary="One published service, fully nested (HSDS 3.0 compiled service shape)",
    description="The spec's `getFullyNestedServiceById`. Public; 404 for a service that is "
    "not published.",
    **PUBLIC,
)
def service_detail(request, service_id: str):
    found = selectors.services().filter(uuid=_uuid(service_id)).first()
    if found is None:
        raise Http404
    return _json(mapping.service(found))


@router.get(
    "/hsds/organizations",
    response=OrganizationPage,
    summary="Organisations with published services, one page (HSDS 3.0 organization_list)",
    description="The spec's `getPaginatedListOfOrganizations`: `page`/`per_page`, `search` in "
    "the name. Public.",
    **PUBLIC,
)
def organization_list(request, params: Query[OrganizationListParams]):
    qs = selectors.organisations().select_related("parent")
    if params.search.strip():
        qs = [o for o in qs if text_matches(organisation_texts(o), params.search)]
        total = len(qs)
    else:
        total = qs.count()
    window = _window(qs, params.page, params.per_page)
    items = [mapping.organization_brief(o) for o in window]
    return _json(page_of(items, total, params.page, params.per_page))


@router.get(
    "/hsds/organizations/{organization_id}",
    response=OrganizationOut,
    summary="One organisation, fully nested (HSDS 3.0 compiled organization shape)",
    description="The spec's `getOrganizationById`: its published services with their one-to-one "
    "fields, or in full with `full_service=true`. Public; 404 for an organisation without "
    "published services.",
    **PUBLIC,
)
def organization_detail(request, organization_id: str, full_service: bool = False):
    found = selectors.organisations().filter(uuid=_uuid(organization_id)).first()
    if found is None:
        raise Http404
    services = selectors.services().filter(organisation=found)
    return _json(mapping.organization(found, services, full_services=full_service))
