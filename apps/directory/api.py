"""The directory's read API in the shapes of Open Referral HSDS 3.0 (``schema/openapi.json``
of the specification): ``/hsds/services``, ``/hsds/services/{service_id}``,
``/hsds/organizations``, ``/hsds/organizations/{organization_id}``.

Public: no authentication, and everybody sees the same — the published directory (public
services of active organisations, and the organisations that have one). Anything else is a 404
in the API's one error shape. Staff-only services are never served here."""

import json
from uuid import UUID

from django.http import Http404, JsonResponse, StreamingHttpResponse
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
from .selectors import organisation_texts, text_matches

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
        "in the service's or its organization's names, any case), `organization_id`, "
        "`modified_after` (on or after), `taxonomy_term_id` (services tagged with that term), "
        "`taxonomy_id` (services with any term of that taxonomy); the filters combine. Ids "
        "are UUIDs: a malformed one is a 422, an unknown one an empty page. Each item has the "
        "service's one-to-one fields and its organization; `minimal=true` gives just `id` "
        "and `last_modified`, `full=true` the fully nested service; `format=ndjson` streams "
        "every item, one a line, without pages. Public."
    ),
    **PUBLIC,
)
def service_list(request, params: Query[ServiceListParams]):
    if params.minimal and params.full:
        raise ValidationError(
            [
                {
                    "loc": ["query", "full"],
                    "msg": str(_("Не поєднується з minimal=true: оберіть одне.")),
                    "type": "conflicting_parameters",
                }
            ]
        )
    found = selectors.service_list(
        search=params.search,
        organization_id=params.organization_id,
        modified_after=params.modified_after,
        taxonomy_term_id=params.taxonomy_term_id,
        taxonomy_id=params.taxonomy_id,
    )
    if params.format == "ndjson":
        return _ndjson(_shaped(chunk, params) for chunk in _chunks(list(found)))
    total = len(found) if isinstance(found, list) else found.count()
    items = _shaped(_window(found, params.page, params.per_page), params)
    return _json(page_of(items, total, params.page, params.per_page))


def _shaped(briefs, params: ServiceListParams) -> list[dict]:
    if params.minimal:
        return [mapping.service_minimal(s) for s in briefs]
    if params.full:
        return [mapping.service(s) for s in selectors.in_full(briefs)]
    return [mapping.service_brief(s) for s in briefs]


def _chunks(items: list, size: int = 200):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _ndjson(pages) -> StreamingHttpResponse:
    lines = (
        json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"
        for page in pages
        for item in page
    )
    return StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")


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
