"""Every page of the foundation, as data: one line (or a few) per page and state. The axe and
360 px test runs over this list in both languages, the keyboard test in Ukrainian.
``test_screens_cover_every_page.py`` fails when a page route has no screen here."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve
from playwright.sync_api import Page, Response

from apps.access.actor import actor_for
from apps.access.tests.factories import totp_device
from apps.audit import services as audit
from apps.audit.models import Action
from apps.intake import services as intake
from apps.intake.tests.conftest import SEED, at, next_monday
from apps.registry import selectors as registry_selectors
from apps.registry import services as registry
from apps.registry.models import Document, HouseholdMember, Person
from apps.registry.tests.conftest import rnokpp_of

from . import urls as urls_with_a_failing_page
from .helpers import html_lang, path_of, sign_in_browser, submit, switch_language


@dataclass(frozen=True)
class Screen:
    id: str
    # Where to go once signed in; a callable gets the cast; ``None`` stays where sign-in ended.
    path: str | Callable[[Any], str] | None
    # Who is signed in (a ``cast`` attribute); ``None`` for a visitor who is not.
    user: str | None = None
    # ``False`` stops sign-in after the password (on the second-factor page).
    second_factor: bool = True
    # Data to create first: ``prepare(cast, settings)``.
    prepare: Callable[[Any, Any], None] | None = None
    # What the visitor does on the page before it is checked; returns the last response.
    act: Callable[[Page], Response] | None = None
    # The HTTP status the page is served with, and where it is (default: ``path``).
    status: int = 200
    at: str | None = None
    # ``False``: a page without the site's header, navigation, language switch and skip link.
    site_layout: bool = True
    # A selector to wait for: the page draws itself with JavaScript.
    ready: str | None = None
    # Rules axe finds broken in third-party markup we do not write: rule id → why accepted.
    axe_known: dict[str, str] | None = None

    def url(self, cast) -> str | None:
        return self.path(cast) if callable(self.path) else self.path

    def route(self, cast) -> str | None:
        """The project's URL route this screen shows (``None``: an error page for a path that
        is not a route, or a route of the test-only URL configuration)."""
        path = self.at or self.url(cast)
        try:
            return "/" + resolve(path.split("?")[0]).route
        except Resolver404:
            return None


def _wrong_password(page: Page) -> Response:
    page.fill("#id_username", "registrar.a")
    page.fill("#id_password", "not-the-password")
    return submit(page)


def _locked_out(page: Page) -> Response:
    response = _wrong_password(page)
    minutes = str(int(django_settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    assert minutes in page.locator("main [role=alert]").inner_text()  # when to try again
    return response


def _create_token(page: Page) -> Response:
    page.fill("#id_name", "Інтеграція з центром зайнятості")
    page.fill("#id_expires_in_days", "90")
    response = submit(page)
    assert page.locator("#new-token").is_visible()
    return response


def _wrong_old_password(page: Page) -> Response:
    page.fill("#id_old_password", "not-the-password")
    page.fill("#id_new_password1", "Довгий-новий-пароль-2026")
    page.fill("#id_new_password2", "Інший-новий-пароль-2026")
    response = submit(page)
    assert page.locator("main [aria-invalid=true]").count() >= 2
    return response


MARIA = {
    "last_name": "Шевчук",
    "first_name": "Марія",
    "patronymic": "Іванівна",
    "birth_date": "1985-03-14",
    "sex": "female",
    "phone": "067 123 45 67",
}


def _maria(cast, _settings) -> None:
    """Марія Шевчук, registered by community A's registrar."""
    registry.person_register(
        actor=actor_for(cast.registrar_a), data={**MARIA, "community": cast.community_a.code}
    )


def _maria_card(_cast) -> str:
    """Her card (before ``_maria`` ran, as when only the route is asked: a card of nobody)."""
    person_id = Person.objects.filter(last_name=MARIA["last_name"]).values_list("pk", flat=True)
    return f"/persons/{person_id.first() or uuid.UUID(int=0)}/"


def _identity_of_maria_in_latin(page: Page) -> Response:
    page.fill("#id_last_name", "Shevchuk")
    page.fill("#id_first_name", "Mariia")
    page.fill("#id_birth_date", MARIA["birth_date"])
    page.check("#id_sex_0")
    response = submit(page)
    assert page.locator("#id_confirm_not_duplicate").count() == 1
    return response


def _empty_identity(page: Page) -> Response:
    response = submit(page)
    assert page.locator("main [aria-invalid=true]").count() >= 3
    return response


def _stale_form(page: Page) -> Response:
    """Sends the sign-in form with a CSRF token that is not the visitor's (a form opened in an
    old session, say)."""
    page.fill("#id_username", "registrar.a")
    page.fill("#id_password", "not-the-password")
    stale = "a" * 64
    page.locator("main form input[name=csrfmiddlewaretoken]").evaluate(
        "(input, value) => { input.value = value; }", stale
    )
    return submit(page)


def _too_many_fields(cast) -> str:
    """A query string over Django's field limit: reading it raises ``TooManyFieldsSent``, a
    suspicious operation Django answers with the 400 page."""
    fields = "&".join(["x=1"] * (django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    return f"/sign-in/?{fields}"


def _failing_page_urls(cast, settings) -> None:
    settings.ROOT_URLCONF = urls_with_a_failing_page.__name__


def _audit_events(cast, settings) -> None:
    audit.record(actor=cast.coordinator_a, action=Action.SIGN_IN, event="access.sign_in")
    audit.record(
        actor=cast.coordinator_a,
        action=Action.UPDATE,
        event="access.membership.updated",
        target=cast.registrar_a,
        community=cast.community_a,
        organisation=cast.hub_a,
        changed_fields=["role", "organisation"],
        reason="Переведення до іншого хабу",
    )


def _device_for_registrar(cast, settings) -> None:
    totp_device(cast.registrar_a)


def _lock_after_one_failure(cast, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 1


def _person(cast, settings) -> None:
    """A person of hub A and the needs taxonomy (flushed after every browser test)."""
    from apps.intake.models import Need

    for order, (code, name, name_en) in enumerate(SEED.NEEDS, start=1):
        Need.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    cast.olena = registry.person_register(
        actor=actor_for(cast.registrar_a),
        data={
            "last_name": "Ковальчук",
            "first_name": "Олена",
            "birth_date": "1979-05-02",
            "sex": "female",
            "community": cast.community_a.code,
        },
    ).person


def _request(cast, urgency="urgent", **data):
    return intake.request_create(
        actor=actor_for(cast.registrar_a),
        data={
            "person": str(cast.olena.pk),
            "needs": ["housing", "employment", "psychological_support"],
            "channel": "walk_in",
            "urgency": urgency,
            "description": "Родина з двома дітьми шукає житло й роботу.",
            **data,
        },
    )


def _intake_queue(cast, settings) -> None:
    _person(cast, settings)
    _request(cast, "normal")
    _request(cast, "critical")
    assigned = _request(cast, "urgent")
    intake.request_assign(
        actor=actor_for(cast.coordinator_a),
        request_id=assigned.pk,
        assigned_to=cast.specialist_a.pk,
        version=assigned.version,
    )


def _booked_request(cast, settings) -> None:
    _person(cast, settings)
    cast.request_a = _request(cast)
    intake.appointment_book(
        actor=actor_for(cast.registrar_a),
        data={
            "request": str(cast.request_a.pk),
            "specialist": cast.specialist_a.pk,
            "starts_at": at(next_monday(), 10, 30),
        },
    )


def _closed_request(cast, settings) -> None:
    _person(cast, settings)
    cast.request_a = _request(cast)
    intake.request_transition(
        actor=actor_for(cast.coordinator_a),
        request_id=cast.request_a.pk,
        to="closed",
        version=cast.request_a.version,
        reason="other",
        note="Особа переїхала до іншої громади.",
    )


def _open_request(cast, settings) -> None:
    _person(cast, settings)
    cast.request_a = _request(cast)


def _referral_services(cast):
    """The employment centre's job search (partner A) and the city's accommodation."""
    from apps.directory.models import Organisation, OrganisationKind, Service, ServiceNeed

    cast.jobs = Service.objects.create(
        organisation=cast.partner_a, name="Пошук роботи та профорієнтація"
    )
    ServiceNeed.objects.create(service=cast.jobs, need_code="employment")
    city = Organisation.objects.create(
        name="Міська соціальна служба",
        slug="city-a",
        kind=OrganisationKind.MUNICIPAL_SOCIAL_SERVICE,
        community=cast.community_a,
    )
    cast.shelter = Service.objects.create(
        organisation=city, name="Тимчасове розміщення", accepting_referrals=False
    )
    ServiceNeed.objects.create(service=cast.shelter, need_code="employment")


def _ready_to_refer(cast, settings) -> None:
    """Олена without consent for partners, and services answering employment."""
    _person(cast, settings)
    _referral_services(cast)


def _referrals(cast, settings) -> None:
    """Two referrals of hub A to the employment centre: one overdue, one completed."""
    from apps.referrals import services as referrals
    from apps.referrals.models import Referral

    _ready_to_refer(cast, settings)
    registry.consent_record(
        actor=actor_for(cast.registrar_a),
        person_id=cast.olena.pk,
        purpose="Направлення до партнерів",
        scope="partners",
    )
    a = actor_for(cast.specialist_a)
    data = {"person": str(cast.olena.pk), "service": cast.jobs.pk, "note": "Бухгалтерка"}
    cast.referral_a, _ = referrals.referral_send(actor=a, data={**data, "need": "employment"})
    late, _ = referrals.referral_send(actor=a, data={**data, "need": "retraining"})
    Referral.objects.filter(pk=late.pk).update(respond_by=date(2026, 1, 5))
    partner = actor_for(cast.partner_staff_a)
    for move in ({"to": "accepted"}, {"to": "completed", "outcome": "met", "note": "Працює"}):
        referrals.referral_transition(actor=partner, referral_id=cast.referral_a.pk, **move)
    cast.referral_late = late


def _referral_draft(cast, settings) -> None:
    """A draft of hub A for Олена (no consent yet) to the city's accommodation, which is not
    accepting referrals: its page explains both before sending."""
    from apps.referrals import services as referrals

    _ready_to_refer(cast, settings)
    data = {"person": str(cast.olena.pk), "service": cast.shelter.pk, "need": "employment"}
    cast.referral_draft, _ = referrals.referral_send(
        actor=actor_for(cast.specialist_a), data=data, draft=True
    )


def _send_to_a_service_not_accepting(page: Page) -> Response:
    page.check("#id_service_1")
    response = submit(page)
    assert page.locator("#error-summary").is_visible()
    return response


def _referral_page(name: str):
    return lambda c: f"/referrals/{_pk(c, name)}/"


def _empty_request_form(page: Page) -> Response:
    response = submit(page)
    assert page.locator("#error-summary a[href='#id_needs']").is_visible()
    assert page.locator("#id_channel").get_attribute("aria-invalid") == "true"
    return response


def _book_without_a_slot(page: Page) -> Response:
    response = submit(page)
    assert page.locator("#error-summary").is_visible()
    return response


def _pk(cast, name: str):
    """The id of an object ``prepare`` made (a blank id before it ran: ``Screen.route``)."""
    return getattr(getattr(cast, name, None), "pk", "00000000-0000-0000-0000-000000000000")


def _booking_next_monday(cast) -> str:
    day = next_monday().isoformat()
    request_id, specialist_id = _pk(cast, "request_a"), cast.specialist_a.pk
    return f"/appointments/book/{request_id}/?specialist={specialist_id}&date={day}"


_IMPORT = "/persons/import/"
_IMPORT_DONE = "osoby-berezen.csv"
_IMPORT_QUEUED = "osoby-kviten.csv"
_IMPORT_ROWS = (
    "Ключ домогосподарства;Ким доводиться голові;Прізвище;Ім'я;Дата народження;Стать;Телефон\n"
    "Д1;head;Бондар;Ірина;01.06.1990;ж;\n"
    "Д1;child;Бондар;Тарас;12.09.2015;ч;\n"
    ";;Коваль;Олена;02.05.1979;ж;не телефон\n"
    ";;Коваль;Олена;02.05.1979;ж;\n"
    ";;Коваль;Олена;02.05.1979;ж;\n"
)


def _import_jobs(cast, settings) -> None:
    """A finished import with errors and a flagged duplicate, and one still in the queue."""
    from apps.registry.imports import services

    done, _queued = (
        services.import_job_create(
            actor=actor_for(cast.registrar_a),
            organisation_id=cast.hub_a.pk,
            filename=name,
            content=_IMPORT_ROWS.encode(),
        )
        for name in (_IMPORT_DONE, _IMPORT_QUEUED)
    )
    services.import_job_run(job_id=done.pk)


def _import_job(name: str) -> Callable[[Any], str]:
    def path(cast) -> str:
        from apps.registry.imports.models import ImportJob

        # Before ``prepare`` has run (the coverage check only resolves the route) there is none.
        job_id = ImportJob.objects.filter(original_name=name).values_list("pk", flat=True).first()
        return f"{_IMPORT}{job_id or 0}/"

    return path


# --- the registry's editing pages ---------------------------------------------------------------

_NOBODY = uuid.UUID(int=0)
COORDINATOR_A = "coordinator.a"


def _actor(username: str):
    return actor_for(get_user_model().objects.get(username=username))


def _maria_id():
    found = Person.objects.filter(
        last_name=MARIA["last_name"], first_name=MARIA["first_name"], merged_into__isnull=True
    )
    return found.values_list("pk", flat=True).first() or _NOBODY


def _maria_page(suffix: str) -> Callable[[Any], str]:
    return lambda _cast: f"/persons/{_maria_id()}/{suffix}"


def _maria_with_more(cast, settings) -> None:
    """Марія with a document, a consent, a household with her son, and a duplicate of her."""
    _maria(cast, settings)
    actor, maria = actor_for(cast.registrar_a), _maria_id()
    registry.document_add(
        actor=actor, person_id=maria, data={"type": "id_card", "number": "001234567"}
    )
    registry.consent_record(
        actor=actor, person_id=maria, purpose="Соціальний супровід", scope="hub"
    )
    household = registry.household_create(actor=actor, head_id=maria)
    son = registry.person_register(
        actor=actor,
        data={**SON, "community": cast.community_a.code},
        confirm_not_duplicate=True,
    ).person
    registry.household_member_add(
        actor=actor, household_id=household.pk, version=1, person_id=son.pk, relationship="child"
    )
    registry.person_register(
        actor=actor,
        data={**MARIA_AGAIN, "community": cast.community_a.code},
        confirm_not_duplicate=True,
    )


SON = {"last_name": "Шевчук", "first_name": "Петро", "birth_date": "2010-05-05", "sex": "male"}
MARIA_AGAIN = {
    "last_name": "Shevchuk",
    "first_name": "Mariia",
    "birth_date": MARIA["birth_date"],
    "sex": "female",
}


def _maria_document(_cast) -> str:
    document = Document.objects.filter(person_id=_maria_id()).values_list("pk", flat=True)
    return f"/persons/{_maria_id()}/documents/{document.first() or 0}/delete/"


def _maria_household(query: str = "") -> Callable[[Any], str]:
    def path(_cast) -> str:
        member = HouseholdMember.objects.filter(person_id=_maria_id(), left_on__isnull=True)
        household = member.values_list("household_id", flat=True).first() or _NOBODY
        return f"/persons/households/{household}/{query}"

    return path


def _upload_without_columns(page: Page) -> Response:
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "osoby.csv", "mimeType": "text/csv", "buffer": "Прізвище\nКоваль\n".encode()}
        ],
    )
    response = submit(page)
    assert page.locator("main [aria-invalid=true]").count() >= 1
    return response


def _compare_with_twin(_cast) -> str:
    twin = Person.objects.filter(last_name=MARIA_AGAIN["last_name"]).values_list("pk", flat=True)
    return f"/persons/{_maria_id()}/merge/?duplicate={twin.first() or _NOBODY}"


def _bad_phone(page: Page) -> Response:
    page.fill("#id_phones", "067 123 45 67\n12")
    response = submit(page)
    assert page.locator("#id_phones[aria-invalid=true]").count() == 1
    return response


def _edited_meanwhile(page: Page) -> Response:
    """Types an e-mail while a coordinator saves another one, then submits."""
    page.fill("#id_email", "maria@example.org")
    registry.person_update(
        actor=_actor(COORDINATOR_A),
        person_id=_maria_id(),
        version=1,
        changes={"email": "shevchuk@example.org"},
    )
    response = submit(page)
    assert page.locator("#conflict").is_visible()
    return response


def _rnokpp_of_another_date(page: Page) -> Response:
    page.select_option("#id_type", "rnokpp")
    page.fill("#id_number", rnokpp_of(date(1990, 1, 1)))
    response = submit(page)
    assert page.locator("#id_override_reason").is_visible()
    return response


def _empty_form(page: Page) -> Response:
    response = submit(page)
    assert page.locator("main [aria-invalid=true]").count() >= 1
    return response


def _maria_asked_by_hub_b(cast, settings) -> None:
    _maria(cast, settings)
    actor = actor_for(cast.registrar_b)
    (match,) = registry_selectors.person_search(actor=actor, q="Шевчук Марія")
    ref = registry_selectors.transfer_ref_for(actor=actor, match=match)
    registry.transfer_request(actor=actor, transfer_ref=ref, reason="Переїхала до Вінниці")


def _ask_without_a_reason(page: Page) -> Response:
    response = submit(page, "main form[action='/persons/transfers/new/'] button[type=submit]")
    assert page.locator("#id_reason[aria-invalid=true]").count() == 1
    return response


# --- the directory -------------------------------------------------------------------------


def _directory(cast, settings) -> None:
    """The directory of communities A and B (apps/directory/tests/conftest.py), with the needs
    taxonomy its services answer (flushed after every browser test)."""
    from apps.directory.tests.conftest import build_world
    from apps.intake.models import Need

    for order, (code, name, name_en) in enumerate(SEED.NEEDS, start=1):
        Need.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    cast.world = build_world(cast)


def _directory_with_nights(cast, settings) -> None:
    """The directory, its counselling also open Friday nights and around the clock on
    Saturdays: hours past midnight on the service page and in the hours editor."""
    from datetime import time

    from apps.directory.models import Schedule

    _directory(cast, settings)
    counselling = cast.world.counselling
    Schedule.objects.create(service=counselling, byday="FR", opens_at=time(20), closes_at=time(8))
    Schedule.objects.create(service=counselling, byday="SA", opens_at=time(0), closes_at=time(0))


def _of_world(name: str, kind: str, suffix: str = "") -> Callable[[Any], str]:
    """The page of the world's object ``name`` (a blank id before ``prepare`` ran)."""

    def path(cast) -> str:
        obj = getattr(getattr(cast, "world", None), name, None) or getattr(cast, name, None)
        return f"/directory/{kind}/{getattr(obj, 'uuid', _NOBODY)}/{suffix}"

    return path


def _hub_a(suffix: str = "") -> Callable[[Any], str]:
    return lambda cast: f"/directory/organisations/{cast.hub_a.uuid}/{suffix}"


def _service_renamed_meanwhile(page: Page) -> Response:
    """Types a name while a colleague saves another one, then submits."""
    from apps.directory import services as directory
    from apps.directory.models import Service

    service = Service.objects.get(name="Консультування")
    page.fill("#id_name", "Консультування для ВПО")
    directory.service_update(
        actor=_actor(COORDINATOR_A),
        service_id=service.uuid,
        version=service.version,
        data={"name": "Консультування і супровід"},
    )
    response = submit(page)
    assert page.locator("#conflict").is_visible()
    return response


def _organisation_renamed_meanwhile(page: Page) -> Response:
    from apps.directory import services as directory
    from apps.directory.models import Organisation

    hub = Organisation.objects.get(slug="hub-a")
    page.fill("#id_phone", "0362 12 34 56")
    directory.organisation_update(
        actor=_actor(COORDINATOR_A),
        organisation_id=hub.uuid,
        version=hub.version,
        data={"phone": "067 765 43 21"},
    )
    response = submit(page)
    assert page.locator("#conflict").is_visible()
    return response


def _ages_the_wrong_way_round(page: Page) -> Response:
    page.fill("#id_minimum_age", "65")
    page.fill("#id_maximum_age", "18")
    page.fill("#id_phone", "12")
    response = submit(page)
    assert page.locator("#id_maximum_age[aria-invalid=true]").count() == 1
    return response


def _same_opening_and_closing(page: Page) -> Response:
    """Equal times mean nothing (a closing before the opening is a night, 00:00–00:00 a day)."""
    page.fill("#id_schedules-0-opens_at", "09:00")
    page.fill("#id_schedules-0-closes_at", "09:00")
    response = submit(page)
    assert page.locator("#error-summary").is_visible()
    return response


def _latitude_off_the_earth(page: Page) -> Response:
    page.fill("#id_name", "Філія")
    page.select_option("#id_settlement", "UA56060470010041018")
    page.fill("#id_address", "вул. Київська, 3")
    page.fill("#id_latitude", "95")
    page.fill("#id_longitude", "26.25")
    response = submit(page)
    assert page.locator("#id_latitude[aria-invalid=true]").count() == 1
    return response


def _contact_with_a_bad_phone(page: Page) -> Response:
    page.fill("#id_contacts-1-name", "Ірина Коваль")
    page.fill("#id_contacts-1-phone", "123")
    response = submit(page)
    assert page.locator("#error-summary").is_visible()
    return response


DIRECTORY_SCREENS = [
    Screen("directory", "/directory/", "coordinator_a", prepare=_directory),
    Screen(
        "directory-filtered",
        "/directory/?need=psychological_support&accepting=on&open_now=on",
        "specialist_a",
        prepare=_directory,
    ),
    Screen("public-services", "/public/services/", prepare=_directory),
    Screen(
        "service-detail", _of_world("counselling", "services"), "specialist_a", prepare=_directory
    ),
    Screen("organisation-detail", _hub_a(), "coordinator_a", prepare=_directory),
    Screen("organisation-new", "/directory/organisations/new/", "coordinator_a"),
    Screen(
        "organisation-new-error",
        "/directory/organisations/new/",
        "coordinator_a",
        act=_empty_form,
    ),
    Screen("organisation-edit", _hub_a("edit/"), "coordinator_a", prepare=_directory),
    Screen(
        "organisation-edit-conflict",
        _hub_a("edit/"),
        "coordinator_a",
        prepare=_directory,
        act=_organisation_renamed_meanwhile,
    ),
    Screen("organisation-contacts", _hub_a("contacts/"), "coordinator_a", prepare=_directory),
    Screen(
        "organisation-contacts-error",
        _hub_a("contacts/"),
        "coordinator_a",
        prepare=_directory,
        act=_contact_with_a_bad_phone,
    ),
    Screen("location-new", _hub_a("locations/new/"), "coordinator_a", prepare=_directory),
    Screen(
        "location-new-error",
        _hub_a("locations/new/"),
        "coordinator_a",
        prepare=_directory,
        act=_latitude_off_the_earth,
    ),
    Screen(
        "location-edit",
        _of_world("location_a", "locations", "edit/"),
        "coordinator_a",
        prepare=_directory,
    ),
    Screen("service-new", _hub_a("services/new/"), "coordinator_a", prepare=_directory),
    Screen(
        "service-edit",
        _of_world("counselling", "services", "edit/"),
        "coordinator_a",
        prepare=_directory,
    ),
    Screen(
        "service-edit-error",
        _of_world("counselling", "services", "edit/"),
        "coordinator_a",
        prepare=_directory,
        act=_ages_the_wrong_way_round,
    ),
    Screen(
        "service-edit-conflict",
        _of_world("counselling", "services", "edit/"),
        "coordinator_a",
        prepare=_directory,
        act=_service_renamed_meanwhile,
    ),
    Screen(
        "service-hours",
        _of_world("counselling", "services", "hours/"),
        "coordinator_a",
        prepare=_directory,
    ),
    Screen(
        "service-detail-nights",
        _of_world("counselling", "services"),
        "coordinator_a",
        prepare=_directory_with_nights,
    ),
    Screen(
        "service-hours-nights",
        _of_world("counselling", "services", "hours/"),
        "coordinator_a",
        prepare=_directory_with_nights,
    ),
    Screen(
        "service-hours-error",
        _of_world("counselling", "services", "hours/"),
        "coordinator_a",
        prepare=_directory,
        act=_same_opening_and_closing,
    ),
]

_SETUP = "/account/two-factor/setup/"
_PASSWORD = "/account/password/"
_API_DOCS = "/api/v1/docs"
# The API docs page is Swagger UI (the bundle django-ninja ships), drawn by its own script into
# our wrapper (apps/api/templates/api/docs.html). Every other WCAG rule is checked on it; these
# rules axe finds broken in Swagger UI's own markup, which we do not write, are accepted (and
# the check fails once one of them no longer is broken, so that the list stays true).
_SWAGGER_KNOWN = {
    "color-contrast": "Swagger UI's colours: the method badges (GET on #61affe, POST on "
    "#49cc90, DELETE on #f93e3e), the version stamp, the spec URL, 'expand all' buttons",
    "nested-interactive": "Swagger UI's operation summary is a button with the copy-link and "
    "lock buttons inside it (.opblock-summary-control)",
}

SCREENS = [
    Screen("sign-in", "/sign-in/"),
    Screen("sign-in-error", "/sign-in/", act=_wrong_password),
    Screen(
        "two-factor",
        None,
        "registrar_a",
        second_factor=False,
        prepare=_device_for_registrar,
        at="/sign-in/two-factor/",
    ),
    Screen("two-factor-setup", None, "specialist_a", second_factor=False, at=_SETUP),
    Screen("home", "/", "coordinator_a"),
    Screen("tokens", "/account/tokens/", "coordinator_a"),
    Screen("tokens-created", "/account/tokens/", "coordinator_a", act=_create_token),
    Screen("audit-log", "/audit/", "coordinator_a", prepare=_audit_events),
    Screen("audit-log-error", "/audit/?date_from=2026-03-01&date_to=2026-02-01", "coordinator_a"),
    Screen("forbidden", "/audit/", "analyst_a", status=403),
    Screen("not-found", "/no-such-page/", "coordinator_a", status=404),
    Screen("locked-out", "/sign-in/", act=_locked_out, prepare=_lock_after_one_failure, status=429),
    Screen("staff-list", "/staff/", "coordinator_a"),
    Screen("staff-detail", lambda c: f"/staff/{c.registrar_a.pk}/", "coordinator_a"),
    Screen("person-search", "/persons/?q=Mariia+Shevchuk", "registrar_a", prepare=_maria),
    Screen("person-detail", _maria_card, "registrar_a", prepare=_maria),
    Screen("person-register", "/persons/new/", "registrar_a"),
    Screen("person-register-error", "/persons/new/", "registrar_a", act=_empty_identity),
    Screen(
        "person-register-matches",
        "/persons/new/",
        "registrar_a",
        prepare=_maria,
        act=_identity_of_maria_in_latin,
    ),
    Screen("person-card-full", _maria_card, "coordinator_a", prepare=_maria_with_more),
    Screen("person-edit", _maria_page("edit/"), "registrar_a", prepare=_maria),
    Screen(
        "person-edit-error", _maria_page("edit/"), "registrar_a", prepare=_maria, act=_bad_phone
    ),
    Screen(
        "person-edit-conflict",
        _maria_page("edit/"),
        "registrar_a",
        prepare=_maria,
        act=_edited_meanwhile,
    ),
    Screen("document-add", _maria_page("documents/new/"), "registrar_a", prepare=_maria),
    Screen(
        "document-add-warning",
        _maria_page("documents/new/"),
        "registrar_a",
        prepare=_maria,
        act=_rnokpp_of_another_date,
    ),
    Screen("document-delete", _maria_document, "registrar_a", prepare=_maria_with_more),
    Screen("consent-record", _maria_page("consents/new/"), "registrar_a", prepare=_maria),
    Screen(
        "consent-record-error",
        _maria_page("consents/new/"),
        "registrar_a",
        prepare=_maria,
        act=_empty_form,
    ),
    Screen("household", _maria_household(), "registrar_a", prepare=_maria_with_more),
    Screen(
        "household-search",
        _maria_household("?q=Shevchuk+Mariia"),
        "registrar_a",
        prepare=_maria_with_more,
    ),
    Screen("person-merge", _maria_page("merge/"), "coordinator_a", prepare=_maria_with_more),
    Screen("person-merge-compare", _compare_with_twin, "coordinator_a", prepare=_maria_with_more),
    Screen(
        "person-merge-error",
        _compare_with_twin,
        "coordinator_a",
        prepare=_maria_with_more,
        act=_empty_form,
    ),
    Screen(
        "transfers-incoming", "/persons/transfers/", "coordinator_a", prepare=_maria_asked_by_hub_b
    ),
    Screen(
        "transfers-outgoing", "/persons/transfers/", "registrar_b", prepare=_maria_asked_by_hub_b
    ),
    Screen("person-search-other-hub", "/persons/?q=Шевчук+Марія", "registrar_b", prepare=_maria),
    Screen(
        "transfer-request-error",
        "/persons/?q=Шевчук+Марія",
        "registrar_b",
        prepare=_maria,
        act=_ask_without_a_reason,
        at="/persons/transfers/new/",
    ),
    Screen("password-change", _PASSWORD, "coordinator_a"),
    Screen("password-change-error", _PASSWORD, "coordinator_a", act=_wrong_old_password),
    Screen("csrf-failure", "/sign-in/", act=_stale_form, status=403),
    Screen("bad-request", _too_many_fields, status=400, at="/sign-in/"),
    Screen(
        "server-error",
        urls_with_a_failing_page.FAILING_PAGE,
        prepare=_failing_page_urls,
        status=500,
    ),
    Screen("triage-empty", "/requests/triage/", "registrar_a"),
    Screen("triage", "/requests/triage/", "coordinator_a", prepare=_intake_queue),
    Screen(
        "request-new", lambda c: f"/requests/new/{_pk(c, 'olena')}/", "registrar_a", prepare=_person
    ),
    Screen(
        "request-new-error",
        lambda c: f"/requests/new/{_pk(c, 'olena')}/",
        "registrar_a",
        prepare=_person,
        act=_empty_request_form,
    ),
    Screen(
        "request-detail",
        lambda c: f"/requests/{_pk(c, 'request_a')}/",
        "coordinator_a",
        prepare=_booked_request,
    ),
    Screen(
        "request-detail-closed",
        lambda c: f"/requests/{_pk(c, 'request_a')}/",
        "specialist_a",
        prepare=_closed_request,
    ),
    Screen("appointment-book", _booking_next_monday, "registrar_a", prepare=_open_request),
    Screen(
        "appointment-book-error",
        _booking_next_monday,
        "registrar_a",
        prepare=_open_request,
        act=_book_without_a_slot,
    ),
    Screen(
        "referral-new",
        lambda c: f"/referrals/new/{_pk(c, 'olena')}/?need=employment",
        "specialist_a",
        prepare=_ready_to_refer,
    ),
    Screen(
        "referral-new-error",
        lambda c: f"/referrals/new/{_pk(c, 'olena')}/?need=employment",
        "specialist_a",
        prepare=_ready_to_refer,
        act=_send_to_a_service_not_accepting,
    ),
    Screen("referrals-outgoing", "/referrals/", "coordinator_a", prepare=_referrals),
    Screen("referrals-overdue", "/referrals/?overdue=1", "specialist_a", prepare=_referrals),
    Screen("referrals-inbox", "/referrals/inbox/", "partner_staff_a", prepare=_referrals),
    Screen(
        "referral-incoming",
        _referral_page("referral_late"),
        "partner_staff_a",
        prepare=_referrals,
    ),
    Screen("referral-closed", _referral_page("referral_a"), "specialist_a", prepare=_referrals),
    Screen(
        "referral-draft",
        _referral_page("referral_draft"),
        "specialist_a",
        prepare=_referral_draft,
    ),
    Screen("import", _IMPORT, "registrar_a", prepare=_import_jobs),
    Screen("import-error", _IMPORT, "registrar_a", act=_upload_without_columns),
    Screen("import-job", _import_job(_IMPORT_DONE), "registrar_a", prepare=_import_jobs),
    Screen("import-job-queued", _import_job(_IMPORT_QUEUED), "registrar_a", prepare=_import_jobs),
    Screen(
        "api-docs",
        _API_DOCS,
        site_layout=False,
        ready="#swagger-ui .opblock",
        axe_known=_SWAGGER_KNOWN,
    ),
    *DIRECTORY_SCREENS,
]


def open_screen(page: Page, live_server, cast, settings, screen: Screen, language: str) -> None:
    """Brings ``page`` to ``screen`` in ``language`` (switched with the header switch)."""
    if screen.prepare is not None:
        screen.prepare(cast, settings)
    if language != "uk":
        page.goto("/sign-in/")
        switch_language(page, language)
    if screen.user is not None:
        user = getattr(cast, screen.user)
        sign_in_browser(page, live_server, user, second_factor=screen.second_factor)
    path = screen.url(cast)
    response = page.goto(path) if path is not None else None
    if screen.act is not None:
        response = screen.act(page)
    if response is not None:
        assert response.status == screen.status, f"{page.url}: {response.status}"
    if screen.ready is not None:
        page.locator(screen.ready).first.wait_for()
    expected_path = screen.at or (path.split("?")[0] if path else None)
    if expected_path is not None:
        assert path_of(page) == expected_path
    assert html_lang(page) == language
