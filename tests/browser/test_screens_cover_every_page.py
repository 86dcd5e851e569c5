"""Every page is in ``screens.py``, so that axe, 360 px and the keyboard check it: the page
routes are read from the URL configuration (with the walk of ``tests/test_scope_isolation.py``),
and a new page without a screen fails here. What is not a page is listed below, with why.
No browser needed."""

import re

import pytest
from django.urls import get_resolver

from tests.test_scope_isolation import SKIPPED_NAMESPACES, _walk

from .screens import SCREENS

pytestmark = pytest.mark.django_db

# Django's own admin (its templates, not ours): ``_walk`` leaves this namespace out.
ADMIN_NAMESPACE = "admin"
# The API's JSON endpoints (tested in apps/api and tests/test_scope_isolation.py) ...
API_PREFIX = "/api/v1/"
# ... except these HTML pages under it.
API_PAGES = {"/api/v1/docs"}
# Routes that answer GET with something other than a page.
NOT_PAGES = {
    "/healthz": "JSON for load balancers and monitoring",
    "/api/v1/docs/assets/<str:name>": "Swagger UI's CSS, JavaScript and icons for /api/v1/docs",
    "/persons/import/template.csv": "the import template, a CSV download",
    "/persons/import/template.xlsx": "the import template, an XLSX download",
    "/persons/import/<int:job_id>/report.csv": "an import's report, a CSV download",
    "/referrals/<uuid:referral_id>/letter.pdf": "a referral's letter, a PDF download",
    "/persons/<uuid:person_id>/documents/<int:document_id>/attachments/<int:attachment_id>/": (
        "a scan of a document, a file download"
    ),
}
# Actions a form posts to; they redirect to a page and answer GET with 405.
POST_ONLY = {
    "/sign-out/": "signs out, then the sign-in page",
    "/language/": "the language switch, then back to the page it was on",
    "/account/tokens/<int:token_id>/revoke/": "revokes a token, then the token list",
    "/persons/<uuid:person_id>/consents/<int:consent_id>/withdraw/": "withdraws a consent, then "
    "the card",
    "/persons/<uuid:person_id>/documents/<int:document_id>/attachments/": "adds a scan to a "
    "document, then the card",
    "/persons/<uuid:person_id>/documents/<int:document_id>/attachments/<int:attachment_id>/"
    "delete/": "deletes a scan, then the card",
    "/persons/<uuid:person_id>/household/new/": "creates a household headed by the person, then "
    "the household's page",
    "/persons/households/<uuid:household_id>/members/": "adds a member, then the household's page",
    "/persons/households/<uuid:household_id>/members/<int:member_id>/end/": "ends a membership, "
    "then the household's page",
    "/persons/households/<uuid:household_id>/head/": "changes the head, then the household's page",
    "/persons/transfers/<uuid:transfer_id>/decision/": "grants or refuses a request, then the "
    "list of transfers",
    "/persons/transfers/<uuid:transfer_id>/cancel/": "withdraws a request, then the list of "
    "transfers",
}
# A value for each kind of URL parameter, to ask a route with GET.
SAMPLE_VALUES = {"int": "1", "uuid": "00000000-0000-0000-0000-000000000000"}


def routes() -> list[str]:
    return sorted({"/" + route for route, _pattern in _walk(get_resolver().url_patterns)})


def needs_a_screen(route: str) -> bool:
    if route in NOT_PAGES or route in POST_ONLY:
        return False
    if route.startswith(API_PREFIX):
        return route in API_PAGES
    return True


def test_every_page_route_has_a_screen(cast):
    covered = {screen.route(cast) for screen in SCREENS}
    missing = [route for route in routes() if needs_a_screen(route) and route not in covered]
    assert not missing, (
        f"pages without a screen in tests/browser/screens.py: {missing}. Add one (each state "
        "worth seeing: empty, with errors …), or, if a route is not a page, list it with the "
        "reason in this file."
    )


def test_every_error_page_has_a_screen():
    """The project's error handlers (400, 403, 404, 500) draw pages of their own; the CSRF
    failure page is the ``csrf-failure`` screen."""
    statuses = {screen.status for screen in SCREENS}
    assert {400, 403, 404, 500} <= statuses, f"error pages without a screen: {statuses}"
    assert "csrf-failure" in {screen.id for screen in SCREENS}


def test_the_lists_of_exceptions_are_current():
    assert ADMIN_NAMESPACE in SKIPPED_NAMESPACES
    stale = [r for r in [*API_PAGES, *NOT_PAGES, *POST_ONLY] if r not in routes()]
    assert not stale, f"no longer routes: {stale}"


@pytest.mark.parametrize("route", sorted(POST_ONLY))
def test_post_only_routes_refuse_get(signed_in, cast, route):
    client = signed_in(cast.coordinator_a)
    url = re.sub(r"<(\w+):\w+>", lambda m: SAMPLE_VALUES[m.group(1)], route)
    response = client.get(url)
    assert response.status_code == 405, f"{route} answers GET: a page, so it needs a screen"
