"""Ninja schemas of the HSDS read API: the spec's ``Page`` and the objects (documented by
their main fields; every other field of the compiled HSDS 3.0 shapes passes through)."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict

SPEC = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Page number of paginated result (from 1).")
    per_page: int = Field(
        50, ge=1, le=500, description="Number of results requested in a single page (≤ 500)."
    )


class ServiceListParams(PageParams):
    search: str = Field(
        "",
        max_length=200,
        description="Words of the service's or its organization's name (any case, any script).",
    )
    organization_id: UUID | None = Field(
        None, description="Only the services of this organization."
    )
    modified_after: datetime | None = Field(
        None,
        description="Only the services changed on or after this moment (ISO 8601; Kyiv time "
        "when it has no offset).",
    )
    taxonomy_term_id: UUID | None = Field(
        None,
        description="Only the services tagged with this taxonomy term: a `taxonomy_term_id` "
        "of a service's `attributes` (its sector, classifier code, need, category of persons "
        "served, or a Prostir property). A term no published service carries gives an empty "
        "page.",
    )
    taxonomy_id: UUID | None = Field(
        None,
        description="Only the services that carry any term of this taxonomy (e.g. every "
        "service with a classifier code). КАТОТТГ and organisation kinds are not terms of "
        "services, and an unknown taxonomy gives an empty page.",
    )
    minimal: bool = Field(
        False,
        description="Items of just `id` and `last_modified` (use `format=ndjson` to get "
        "them all at once).",
    )
    full: bool = Field(
        False, description="Items as fully nested services (the compiled `service` shape)."
    )
    format: Literal["json", "ndjson"] = Field(
        "json",
        description="`json`: one page. `ndjson`: every matching item, one JSON object a "
        "line (`application/x-ndjson`), without pages; `page` and `per_page` are ignored.",
    )


class OrganizationListParams(PageParams):
    search: str = Field(
        "", max_length=200, description="Words of the organization's name (any case, any script)."
    )


class HsdsObject(Schema):
    """An HSDS object; the fields not listed here follow the linked HSDS 3.0 schema."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(description="HSDS id (a UUID, stable across exports)")
    name: str


class OrganizationOut(HsdsObject):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"externalDocs": {"url": SPEC + "compiled/organization.json"}},
    )
    description: str


class ServiceOut(HsdsObject):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"externalDocs": {"url": SPEC + "compiled/service.json"}},
    )
    status: str


class OrganizationBriefOut(OrganizationOut):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"externalDocs": {"url": SPEC + "compiled/organization_list.json"}},
    )


class ServiceBriefOut(ServiceOut):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"externalDocs": {"url": SPEC + "compiled/service_list.json"}},
    )


class Page(Schema):
    """The ``Page`` of the HSDS 3.0 OpenAPI (``schema/openapi.json``)."""

    total_items: int = Field(description="The total number of entities returned")
    total_pages: int = Field(description="Count of total pages.")
    page_number: int = Field(description="The number of the current page")
    size: int = Field(description="The number of entities in the current page.")
    first_page: bool = Field(description="Whether this is the first page")
    last_page: bool = Field(description="Whether this is the last page")
    empty: bool = Field(description="Whether the result set is empty")


class ServicePage(Page):
    contents: list[ServiceBriefOut]


class OrganizationPage(Page):
    contents: list[OrganizationBriefOut]


def page_of(items: list[Any], total: int, page: int, per_page: int) -> dict:
    total_pages = -(-total // per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not items,
        "contents": items,
    }
