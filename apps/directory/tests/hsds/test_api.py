"""The HSDS read API: the spec's shapes (validated against ``schema/openapi.json`` and the
compiled schemas), public for published services, 404 for the rest, pages."""

import json
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest

from apps.access.actor import actor_for
from apps.access.services import token_create
from apps.api.tests.helpers import bearer, error_of
from apps.directory.hsds import spec
from apps.directory.hsds import taxonomies as tx
from apps.directory.models import Location, Service, ServiceNeed, Visibility

pytestmark = pytest.mark.django_db


def _response_schema(path: str) -> str:
    escaped = path.replace("/", "~1")
    return f"#/paths/{escaped}/get/responses/200/content/application~1json/schema"


def _problems(validator, instance) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(instance)]


def test_the_service_list_has_the_specs_page_shape(directory, client):
    response = client.get("/api/v1/hsds/services")
    assert response.status_code == 200
    body = response.json()
    validator = spec.component_validator(_response_schema("/services"))
    assert _problems(validator, body) == []
    assert {k: body[k] for k in body if k != "contents"} == {
        "total_items": 2,
        "total_pages": 1,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": True,
        "empty": False,
    }
    assert {s["name"] for s in body["contents"]} == {
        "Тимчасове розміщення",
        "Пошук роботи й перекваліфікація",
    }
    # The list shape is strict too: every item is a service_list item, nothing more.
    for item in body["contents"]:
        assert spec.problems("compiled/service_list.json", item) == []


def test_one_service_is_the_compiled_service_shape(directory, client):
    housing = directory["housing"]
    response = client.get(f"/api/v1/hsds/services/{housing.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert _problems(spec.component_validator(_response_schema("/services/{id}")), body) == []
    assert spec.problems("compiled/service.json", body) == []
    assert body["id"] == str(housing.uuid)
    assert len(body["schedules"]) == 4  # two weekly, two dated exceptions
    assert {sal["location"]["name"] for sal in body["service_at_locations"]} == {
        "Головний офіс",
        "Пункт у Білій Криниці",
    }


def test_the_organisation_list_and_one_organisation_have_the_specs_shapes(directory, client):
    body = client.get("/api/v1/hsds/organizations").json()
    assert _problems(spec.component_validator(_response_schema("/organizations")), body) == []
    assert {o["name"] for o in body["contents"]} == {
        "Простір інтеграції",
        "Рівненський центр зайнятості",
    }
    hub = directory["hub"]
    one = client.get(f"/api/v1/hsds/organizations/{hub.uuid}").json()
    validator = spec.component_validator(_response_schema("/organizations/{id}"))
    assert _problems(validator, one) == []
    assert [s["name"] for s in one["services"]] == ["Тимчасове розміщення"]
    assert "schedules" not in one["services"][0]
    full = client.get(f"/api/v1/hsds/organizations/{hub.uuid}?full_service=true").json()
    assert _problems(validator, full) == []
    assert len(full["services"][0]["schedules"]) == 4


def test_pages(directory, client):
    first = client.get("/api/v1/hsds/services?per_page=1").json()
    second = client.get("/api/v1/hsds/services?per_page=1&page=2").json()
    beyond = client.get("/api/v1/hsds/services?per_page=1&page=3").json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (2, 2, 1)
    assert (first["first_page"], first["last_page"]) == (True, False)
    assert (second["page_number"], second["first_page"], second["last_page"]) == (2, False, True)
    assert first["contents"][0]["id"] != second["contents"][0]["id"]
    assert (beyond["size"], beyond["empty"], beyond["contents"]) == (0, True, [])
    error = error_of(client.get("/api/v1/hsds/services?page=0"), 422, "validation_error")
    assert error["details"][0]["field"] == "page"


def test_search_and_organisation_filter(directory, client):
    found = client.get("/api/v1/hsds/services?search=розміщ").json()
    assert [s["name"] for s in found["contents"]] == ["Тимчасове розміщення"]
    centre = directory["centre"].uuid
    only = client.get(f"/api/v1/hsds/services?organization_id={centre}").json()
    assert [s["name"] for s in only["contents"]] == ["Пошук роботи й перекваліфікація"]


@pytest.mark.parametrize("which", ["staff_only", "hidden"])
def test_an_unpublished_service_is_404_for_an_anonymous_caller(directory, client, which):
    service = directory[which]
    error_of(client.get(f"/api/v1/hsds/services/{service.uuid}"), 404, "not_found")
    listed = client.get("/api/v1/hsds/services?per_page=500").json()
    assert str(service.uuid) not in {s["id"] for s in listed["contents"]}


def test_an_organisation_without_published_services_is_404(directory, client):
    error_of(
        client.get(f"/api/v1/hsds/organizations/{directory['closed_org'].uuid}"), 404, "not_found"
    )
    Service.objects.filter(organisation=directory["centre"]).update(visibility=Visibility.STAFF)
    error_of(client.get(f"/api/v1/hsds/organizations/{directory['centre'].uuid}"), 404, "not_found")
    error_of(client.get("/api/v1/hsds/organizations/not-a-uuid"), 404, "not_found")


def test_a_signed_in_caller_gets_the_same_published_directory(directory, client, cast):
    _token, raw = token_create(actor=actor_for(cast.coordinator_a), name="HSDS")
    response = client.get(f"/api/v1/hsds/services/{directory['staff_only'].uuid}", **bearer(raw))
    error_of(response, 404, "not_found")
    assert client.get("/api/v1/hsds/services", **bearer(raw)).json()["total_items"] == 2


def test_the_operations_are_documented_as_public(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/hsds/services",
        "/api/v1/hsds/services/{service_id}",
        "/api/v1/hsds/organizations",
        "/api/v1/hsds/organizations/{organization_id}",
    ):
        operation = schema["paths"][path]["get"]
        assert "security" not in operation or operation["security"] == [], path
        assert "HSDS 3.0" in operation["summary"]


def test_the_public_api_names_no_contact_persons_and_no_unpublished_places(directory, client):
    hub = directory["hub"]
    Location.objects.create(
        organisation=hub, name="Кризова квартира", settlement=hub.community, address="вул. Тиха, 1"
    )
    pages = [
        client.get(f"/api/v1/hsds/organizations/{hub.uuid}").content.decode(),
        client.get(f"/api/v1/hsds/organizations/{hub.uuid}?full_service=true").content.decode(),
        client.get(f"/api/v1/hsds/services/{directory['housing'].uuid}").content.decode(),
    ]
    assert "Соборна" in pages[0]  # the office where housing is offered is listed
    for page in pages:
        for hidden in ("Олена Коваль", "Ігор Мельник", "Кризова квартира"):
            assert hidden not in page


def test_a_malformed_organisation_id_is_a_validation_error_not_a_404(directory, client):
    error = error_of(
        client.get("/api/v1/hsds/services?organization_id=not-a-uuid"), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "organization_id"


def _listed(client, **params) -> list[str]:
    body = client.get("/api/v1/hsds/services", {"per_page": 500, **params}).json()
    assert body["total_items"] == len(body["contents"])
    return sorted(s["name"] for s in body["contents"])


def _staff_only_alike(directory) -> None:
    """The staff-only service and the inactive organisation's carry the same terms as the
    housing service: a filter by those terms must still leave them out."""
    for which in ("staff_only", "hidden"):
        service = directory[which]
        service.classifier_code = "012.1"
        service.eligible_categories = ["IDP"]
        service.capacity = 5
        service.save()
        ServiceNeed.objects.create(service=service, need_code="housing")


def test_each_term_a_service_carries_finds_it_and_only_the_services_carrying_it(directory, client):
    _staff_only_alike(directory)
    terms_of = {}
    for which in ("housing", "jobs"):
        body = client.get(f"/api/v1/hsds/services/{directory[which].uuid}").json()
        terms_of[body["name"]] = {a["taxonomy_term_id"] for a in body["attributes"]}
    every_term = set().union(*terms_of.values())
    assert len(every_term) > 10  # sectors, classifier, needs, categories, properties
    for term in every_term:
        expected = sorted(name for name, terms in terms_of.items() if term in terms)
        assert _listed(client, taxonomy_term_id=term) == expected, term


@pytest.mark.parametrize(
    ("taxonomy", "code", "expected"),
    [
        (tx.CLASSIFIER, "012.1", ["Тимчасове розміщення"]),
        (tx.SECTOR, "employment", ["Пошук роботи й перекваліфікація"]),
        (tx.SECTOR, "legal", []),
        (tx.NEED, "housing", ["Тимчасове розміщення"]),
        (tx.CATEGORY, "IDP", ["Тимчасове розміщення"]),
        (tx.PROSTIR, "capacity", ["Тимчасове розміщення"]),
    ],
    ids=[
        "classifier_case",
        "sector_case",
        "unused_sector_case",
        "need_case",
        "category_case",
        "property_case",
    ],
)
def test_taxonomy_term_id_lists_the_services_tagged_with_that_term(
    directory, client, taxonomy, code, expected
):
    _staff_only_alike(directory)
    assert _listed(client, taxonomy_term_id=taxonomy.term_id(code)) == expected


@pytest.mark.parametrize(
    ("taxonomy", "expected"),
    [
        (tx.CLASSIFIER, ["Тимчасове розміщення"]),
        (tx.CATEGORY, ["Тимчасове розміщення"]),
        (tx.NEED, ["Пошук роботи й перекваліфікація", "Тимчасове розміщення"]),
        (tx.SECTOR, ["Пошук роботи й перекваліфікація", "Тимчасове розміщення"]),
        (tx.KATOTTG, []),  # on the services' areas, not on the services
        (tx.ORGANISATION_KIND, []),
    ],
    ids=lambda value: getattr(value, "key", None),
)
def test_taxonomy_id_lists_the_services_with_any_term_of_it(directory, client, taxonomy, expected):
    _staff_only_alike(directory)
    assert _listed(client, taxonomy_id=taxonomy.id) == expected


def test_taxonomy_filters_combine_with_pages_and_the_other_filters(directory, client):
    hub = directory["hub"]
    for n in range(1, 4):
        extra = Service.objects.create(
            organisation=hub, name=f"Прихисток {n}", visibility=Visibility.PUBLIC
        )
        ServiceNeed.objects.create(service=extra, need_code="housing")
    _staff_only_alike(directory)
    term = tx.NEED.term_id("housing")
    pages = [
        client.get(
            "/api/v1/hsds/services", {"taxonomy_term_id": term, "per_page": 3, "page": n}
        ).json()
        for n in (1, 2)
    ]
    assert [(p["total_items"], p["total_pages"], p["size"]) for p in pages] == [
        (4, 2, 3),
        (4, 2, 1),
    ]
    assert (pages[0]["last_page"], pages[1]["last_page"]) == (False, True)
    names = [s["name"] for p in pages for s in p["contents"]]
    assert sorted(names) == ["Прихисток 1", "Прихисток 2", "Прихисток 3", "Тимчасове розміщення"]
    assert _listed(client, taxonomy_term_id=term, search="прихисток 2") == ["Прихисток 2"]
    assert _listed(client, taxonomy_id=tx.CLASSIFIER.id, taxonomy_term_id=term) == [
        "Тимчасове розміщення"
    ]
    centre = directory["centre"].uuid
    assert _listed(client, taxonomy_term_id=term, organization_id=centre) == []


@pytest.mark.parametrize("name", ["taxonomy_term_id", "taxonomy_id"])
def test_an_unknown_taxonomy_id_or_term_is_an_empty_page(directory, client, name):
    response = client.get("/api/v1/hsds/services", {name: "3f7b145d-84af-42d7-8fae-eaca714b02b2"})
    assert response.status_code == 200
    body = response.json()
    assert _problems(spec.component_validator(_response_schema("/services")), body) == []
    assert (body["total_items"], body["empty"], body["contents"]) == (0, True, [])


@pytest.mark.parametrize("name", ["taxonomy_term_id", "taxonomy_id"])
def test_a_malformed_taxonomy_id_or_term_is_a_validation_error(directory, client, name):
    error = error_of(client.get(f"/api/v1/hsds/services?{name}=012.1"), 422, "validation_error")
    assert [d["field"] for d in error["details"]] == [name]
    assert error["details"][0]["message"] == "Потрібен UUID."


def test_minimal_and_full_items(directory, client):
    housing = directory["housing"]
    minimal = client.get("/api/v1/hsds/services", {"minimal": "true"}).json()
    assert {tuple(item) for item in minimal["contents"]} == {("id", "last_modified")}
    assert str(housing.uuid) in {item["id"] for item in minimal["contents"]}
    assert minimal["total_items"] == 2
    full = client.get(
        "/api/v1/hsds/services", {"full": "true", "organization_id": housing.organisation.uuid}
    ).json()
    [item] = full["contents"]
    assert spec.problems("compiled/service.json", item) == []
    assert item == client.get(f"/api/v1/hsds/services/{housing.uuid}").json()
    error = error_of(
        client.get("/api/v1/hsds/services?minimal=true&full=true"), 422, "validation_error"
    )
    assert [d["field"] for d in error["details"]] == ["full"]


def test_ndjson_streams_every_matching_service_without_pages(directory, client):
    hub = directory["hub"]
    for n in range(1, 4):
        Service.objects.create(
            organisation=hub, name=f"Прихисток {n}", visibility=Visibility.PUBLIC
        )
    response = client.get(
        "/api/v1/hsds/services", {"format": "ndjson", "per_page": 1, "search": "прихисток"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    items = [json.loads(line) for line in lines]
    assert sorted(i["name"] for i in items) == ["Прихисток 1", "Прихисток 2", "Прихисток 3"]
    for item in items:
        assert spec.problems("compiled/service_list.json", item) == []
    everything = client.get("/api/v1/hsds/services", {"format": "ndjson", "minimal": "true"})
    lines = b"".join(everything.streaming_content).decode().splitlines()
    assert len(lines) == 5
    assert str(directory["staff_only"].uuid) not in "".join(lines)
    error = error_of(client.get("/api/v1/hsds/services?format=xml"), 422, "validation_error")
    assert [d["field"] for d in error["details"]] == ["format"]


def test_modified_after_lists_only_the_services_changed_since(directory, client):
    from datetime import datetime, timedelta

    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    Service.objects.update(last_modified=long_ago)
    Service.objects.filter(pk=directory["jobs"].pk).update(
        last_modified=long_ago + timedelta(days=400)
    )
    found = client.get("/api/v1/hsds/services", {"modified_after": "2020-06-01T00:00:00Z"}).json()
    assert [s["name"] for s in found["contents"]] == ["Пошук роботи й перекваліфікація"]
    assert found["total_items"] == 1
    # "on or after" (the spec); without an offset the moment is Kyiv time.
    changed = long_ago + timedelta(days=400)
    assert _listed(client, modified_after=changed.isoformat()) == [
        "Пошук роботи й перекваліфікація"
    ]
    assert _listed(client, modified_after=(changed + timedelta(seconds=1)).isoformat()) == []
    kyiv = changed.astimezone(ZoneInfo("Europe/Kyiv")).replace(tzinfo=None).isoformat()
    assert kyiv.startswith("2021-02-04T02:00")
    assert _listed(client, modified_after=kyiv) == ["Пошук роботи й перекваліфікація"]
    error = error_of(
        client.get("/api/v1/hsds/services?modified_after=yesterday"), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "modified_after"


def test_search_ignores_the_case_of_cyrillic_letters(directory, client):
    found = client.get("/api/v1/hsds/services", {"search": "ТИМЧАСОВЕ"}).json()
    assert [s["name"] for s in found["contents"]] == ["Тимчасове розміщення"]
    assert found["total_items"] == 1
    orgs = client.get("/api/v1/hsds/organizations", {"search": "рівненський"}).json()
    assert [o["id"] for o in orgs["contents"]] == [str(directory["centre"].uuid)]


def test_a_changed_address_or_contact_of_the_organisation_counts_as_a_change_of_its_services(
    directory, client, cast
):
    """A service's HSDS shape carries its organisation, locations and contacts: when one of
    them changes, ``modified_after`` finds the service again."""
    from datetime import datetime

    from apps.directory import services as directory_services

    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    Service.objects.update(last_modified=long_ago)
    assert _listed(client, modified_after="2020-06-01T00:00:00Z") == []
    housing = directory["housing"]
    organisation = housing.organisation
    location = Location.objects.filter(organisation=organisation).first()
    directory_services.location_update(
        actor=actor_for(cast.admin),
        location_id=location.uuid,
        version=organisation.version,
        data={"address": "вул. Нова, 1"},
    )
    assert housing.name in _listed(client, modified_after="2020-06-01T00:00:00Z")
