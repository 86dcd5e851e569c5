"""A user of community A gets nothing of community B from any page or endpoint.

The URL list is read from the URL configuration and the OpenAPI schema, so every new page
and endpoint is covered without touching this file — unless it takes a URL parameter this
file does not know yet: then the test fails and asks for community B's object of that kind.
"""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from apps.access.actor import actor_for
from apps.access.models import PersonalAccessToken
from apps.access.roles import Role
from apps.access.services import token_create
from apps.access.tests.factories import MembershipFactory, UserFactory
from apps.audit import services as audit
from apps.directory.models import Location, ServiceAtLocation, ServiceNeed, Visibility
from apps.directory.tests.factories import OrganisationFactory, ServiceFactory
from apps.geo.tests import factories as geo
from apps.intake import services as intake
from apps.intake.models import Need
from apps.intake.tests.conftest import at, next_monday
from apps.referrals import services as referrals
from apps.registry import selectors as registry_selectors
from apps.registry import services as registry
from apps.registry.imports import services as imports
from apps.registry.selectors import Match
from conftest import sign_in

pytestmark = pytest.mark.django_db

# Namespaces with their own gate, tested elsewhere: Django admin (administrators only).
SKIPPED_NAMESPACES = {"admin"}
A_USERS = ("registrar_a", "specialist_a", "coordinator_a", "partner_staff_a", "analyst_a")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def page_routes() -> list[str]:
    routes = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith("api/"):
            continue  # the API is walked through its OpenAPI schema below
        routes.append("/" + route.lstrip("^").rstrip("$").replace("\\Z", ""))
    return sorted(set(routes))


def api_operations() -> list[tuple[str, str]]:
    from apps.api.api import api

    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    )


@pytest.fixture
def world_b(cast):
    """Community B's objects, one of each kind a URL can name, and marks to look for."""
    token, _raw = token_create(actor=actor_for(cast.registrar_b), name="Токен громади Б")
    audit.record(
        actor=cast.registrar_b, action=audit.Action.READ, event="test.read", target=cast.hub_b
    )
    person_b = registry.person_register(
        actor=actor_for(cast.registrar_b),
        data={
            "last_name": "Вінничук",
            "first_name": "Богдана",
            "birth_date": "1988-08-08",
            "sex": "female",
            "phone": "+380 67 765 43 21",
            "community": cast.community_b.code,
            "documents": [{"type": "id_card", "number": "987654321"}],
        },
    ).person
    b = actor_for(cast.registrar_b)
    consent_b = registry.consent_record(
        actor=b, person_id=person_b.pk, purpose="Згода громади Б", scope="hub"
    )
    household_b = registry.household_create(actor=b, head_id=person_b.pk)
    scan_b = registry.attachment_add(
        actor=b,
        person_id=person_b.pk,
        document_id=person_b.documents.get().pk,
        uploaded_file=SimpleUploadedFile("vinnychuk-id-card.pdf", b"%PDF-1.7 scan of B\n%%EOF"),
    )
    transfer_b = _transfer_asked_by_b(cast)
    Need.objects.get_or_create(code="housing", defaults={"name": "Житло"})
    request_b = intake.request_create(
        actor=actor_for(cast.registrar_b),
        data={
            "person": str(person_b.pk),
            "needs": ["housing"],
            "channel": "phone",
            "description": "Опис звернення громади Б",
        },
    )
    specialist_b = UserFactory(username="specialist.b", last_name="Фахівчиня-Б")
    MembershipFactory(
        user=specialist_b, role=Role.SPECIALIST, community=cast.community_b, organisation=cast.hub_b
    )
    appointment_b = intake.appointment_book(
        actor=actor_for(cast.registrar_b),
        data={
            "specialist": specialist_b.pk,
            "starts_at": at(next_monday(), 10),
            "request": str(request_b.pk),
        },
    )
    request_b.refresh_from_db()  # the booking triaged it
    import_b = imports.import_job_create(
        actor=actor_for(cast.registrar_b),
        organisation_id=cast.hub_b.pk,
        filename="vinnytsia-import.csv",
        content="Прізвище;Ім'я;Дата народження;Стать\nВінничук;Богдана;08.08.1988;ж\n".encode(),
    )
    imports.import_job_run(job_id=import_b.pk)  # a duplicate: a match and an issue to leak
    # Community B's directory: a location of its hub and a service only its staff see.
    location_b = Location.objects.create(
        organisation=cast.hub_b,
        name="Приймальня громади Б",
        settlement=cast.community_b,
        address="вул. Магістратська, 77",
    )
    service_b = ServiceFactory(
        organisation=cast.hub_b,
        name="Послуга громади Б для працівників",
        visibility=Visibility.STAFF,
    )
    ServiceAtLocation.objects.create(service=service_b, location=location_b)
    ServiceNeed.objects.create(service=service_b, need_code="housing")
    referral_b, _created = referrals.referral_send(
        actor=b,
        data={
            "person": str(person_b.pk),
            "service": service_b.pk,
            "need": "housing",
            "note": "Примітка направлення громади Б",
            "request": str(request_b.pk),
        },
    )
    # One entry per URL parameter name, each naming its kind of object: a generic `pk` or
    # `id` would be probed with some other kind's id and prove nothing.
    ids = {
        "token_id": token.pk,
        "user_id": cast.registrar_b.pk,
        "person_id": person_b.pk,
        "document_id": person_b.documents.get().pk,
        "consent_id": consent_b.pk,
        "attachment_id": scan_b.pk,
        "household_id": household_b.pk,
        "member_id": household_b.members.get().pk,
        "transfer_id": transfer_b.pk,
        "request_id": request_b.pk,
        "appointment_id": appointment_b.pk,
        "job_id": import_b.pk,
        "service_id": service_b.uuid,
        "organization_id": cast.hub_b.uuid,
        "organisation_id": cast.hub_b.uuid,
        "location_id": location_b.uuid,
        "referral_id": referral_b.pk,
    }
    marks = [
        cast.registrar_b.username,
        cast.coordinator_b.username,
        cast.registrar_b.last_name,
        cast.hub_b.name,
        "Токен громади Б",
        token.hint,
        person_b.last_name,
        person_b.last_name_latin,
        str(person_b.pk),
        "987654321",
        "Згода громади Б",
        scan_b.original_name,
        "scan of B",
        scan_b.sha256,
        str(household_b.pk),
        transfer_b.reason,
        transfer_b.person.last_name,
        str(transfer_b.person.pk),
        str(request_b.pk),
        str(appointment_b.pk),
        "Опис звернення громади Б",
        specialist_b.username,
        specialist_b.last_name,
        import_b.original_name,
        service_b.name,
        str(service_b.uuid),
        str(cast.hub_b.uuid),
        referral_b.reference,
        str(referral_b.pk),
        "Примітка направлення громади Б",
        "Приймальня громади Б",
        "вул. Магістратська, 77",
    ]
    return {
        "ids": ids,
        "marks": marks,
        "token": token,
        "request": request_b,
        "appointment": appointment_b,
        "referral": referral_b,
        "transfer": transfer_b,
    }


def _assert_intake_of_b_unchanged(world_b, where):
    request, appointment = world_b["request"], world_b["appointment"]
    referral = world_b["referral"]
    before = (request.version, request.status, appointment.status, referral.version)
    request.refresh_from_db()
    appointment.refresh_from_db()
    referral.refresh_from_db()
    after = (request.version, request.status, appointment.status, referral.version)
    assert after == before, f"{where} changed community B's request or appointment"


def _transfer_asked_by_b(cast):
    """A request of community B's hub for a person a third hub (community C) holds: neither
    side is community A's."""
    oblast_c = geo.oblast("UA46000000000026241", "Львівська")
    raion_c = geo.raion("UA46020000000026845", "Дрогобицький", oblast_c)
    community_c = geo.hromada("UA46020090000089018", "Трускавецька", raion_c)
    hub_c = OrganisationFactory(name="Трускавецький хаб", slug="hub-c", community=community_c)
    registrar_c = UserFactory(username="registrar.c")
    MembershipFactory(
        user=registrar_c, role=Role.REGISTRAR, community=community_c, organisation=hub_c
    )
    person_c = registry.person_register(
        actor=actor_for(registrar_c),
        data={
            "last_name": "Трускавчук",
            "first_name": "Ярина",
            "birth_date": "1979-07-07",
            "sex": "female",
            "community": community_c.code,
        },
    ).person
    b = actor_for(cast.registrar_b)
    ref = registry_selectors.transfer_ref_for(actor=b, match=Match(person_c, 1.0))
    return registry.transfer_request(actor=b, transfer_ref=ref, reason="Переїхала до Вінниці")


def _fill(route: str, ids: dict) -> str:
    def value(match):
        name = match.group("name")
        if name not in ids:
            pytest.fail(f"{route}: add community B's object for URL parameter {name!r}")
        return str(ids[name])

    route = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)
    return re.sub(r"\{(?P<name>\w+)\}", value, route)


def _assert_nothing_of_b(response, marks, where):
    """``where`` names the request; an id it holds may come back (a page's language switch
    returns to the same URL): that is what the user sent, not what the server told."""
    body = response.content.decode(errors="replace")
    leaked = [mark for mark in marks if mark and mark in body and mark not in where]
    assert not leaked, f"{where} shows community B's data to a community A user: {leaked}"


def test_the_walk_finds_the_pages_and_endpoints():
    assert "/" in page_routes() and "/audit/" in page_routes()
    assert ("GET", "/api/v1/me") in api_operations()


@pytest.mark.parametrize("route", page_routes())
@pytest.mark.parametrize("who", A_USERS)
def test_pages_show_nothing_of_community_b(client, cast, world_b, route, who):
    sign_in(client, getattr(cast, who))
    url = _fill(route, world_b["ids"])
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code < 500, f"{method.upper()} {url}: {response.status_code}"
        if "<" in route and method == "get":
            assert response.status_code in {403, 404, 405, 302}, f"{url} opened B's object"
        _assert_nothing_of_b(response, world_b["marks"], f"{method.upper()} {url}")
    world_b["token"].refresh_from_db()
    assert world_b["token"].revoked_at is None, f"{url} changed community B's token"
    _assert_intake_of_b_unchanged(world_b, url)


# A valid body for every change of an object named in the path: an empty one would be refused
# by validation (422) before the object is even looked up, and prove nothing. Uploads (multipart)
# are the exception: their refusal of an empty form is checked in their own tests.
UPLOADS = {("POST", "/api/v1/persons/{person_id}/documents/{document_id}/attachments")}


def valid_bodies(method: str, path: str, world_b: dict) -> list[dict]:
    """The bodies to send: valid ones for a change of an object named in the path."""
    if (method, path) in UPLOADS:
        return [{}]
    body = valid_body(method, path, world_b)
    return body if isinstance(body, list) else [body]


def valid_body(method: str, path: str, world_b: dict) -> dict | list[dict]:
    ids, request = world_b["ids"], world_b["request"]
    bodies = {
        ("POST", "/api/v1/persons/transfers/{transfer_id}/decision"): {"grant": True},
        ("PATCH", "/api/v1/persons/{person_id}"): {"version": 1, "first_name": "Змінена"},
        ("POST", "/api/v1/persons/{person_id}/merge"): {
            "duplicate": str(world_b["transfer"].person.pk),
            "reason": "Той самий",
        },
        ("POST", "/api/v1/persons/{person_id}/documents"): {
            "type": "passport",
            "number": "КВ123456",
        },
        ("POST", "/api/v1/persons/{person_id}/consents"): {"purpose": "Згода", "scope": "hub"},
        ("POST", "/api/v1/households/{household_id}/members"): {
            "version": 1,
            "person": str(ids["person_id"]),
            "relationship": "other",
        },
        ("POST", "/api/v1/households/{household_id}/members/{member_id}/end"): {"version": 1},
        ("POST", "/api/v1/households/{household_id}/head"): {
            "version": 1,
            "member": ids["member_id"],
        },
        ("PATCH", "/api/v1/requests/{request_id}"): {
            "version": request.version,
            "description": "Змінено",
        },
        ("POST", "/api/v1/requests/{request_id}/transitions"): {
            "to": "closed",
            "reason": "resolved",
            "version": request.version,
        },
        ("POST", "/api/v1/requests/{request_id}/assign"): {
            "assigned_to": None,
            "version": request.version,
        },
        ("POST", "/api/v1/referrals/{referral_id}/transitions"): [
            {"to": "cancelled", "reason": "Скасовано"},
            {"to": "sent", "confirm_not_accepting": True},  # the draft-sending path
            {"to": "accepted"},
        ],
    }
    if (method, path) in bodies:
        return bodies[(method, path)]
    if method in {"POST", "PUT", "PATCH"} and "{" in path and _takes_body(method, path):
        pytest.fail(f"{method} {path}: add a valid body to valid_body()")
    return {}


def _takes_body(method: str, path: str) -> bool:
    from apps.api.api import api

    operation = api.get_openapi_schema()["paths"][path][method.lower()]
    return "requestBody" in operation


@pytest.mark.parametrize(("method", "path"), api_operations())
@pytest.mark.parametrize("who", A_USERS)
def test_api_gives_nothing_of_community_b(client, cast, world_b, method, path, who):
    _token, raw = token_create(actor=actor_for(getattr(cast, who)), name="A")
    url = _fill(path, world_b["ids"])
    for body in valid_bodies(method, path, world_b):
        response = client.generic(
            method,
            url,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        if "{" in path:
            allowed = {403, 404, 405} | ({422} if (method, path) in UPLOADS else set())
            assert response.status_code in allowed, (
                f"{method} {url} {body} reached B's object: {response.status_code} "
                f"{response.content[:300]}"
            )
        _assert_nothing_of_b(response, world_b["marks"], f"{method} {url}")
    world_b["token"].refresh_from_db()
    assert world_b["token"].revoked_at is None, f"{method} {url} changed community B's token"
    _assert_intake_of_b_unchanged(world_b, f"{method} {url}")
    assert PersonalAccessToken.objects.filter(user=cast.registrar_b).count() == 1
