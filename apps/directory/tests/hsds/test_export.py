"""export_hsds: every object it writes validates against the official HSDS 3.0 schemas, and
carries what the directory holds (schedules, exceptions, contacts, places, codes)."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.directory.hsds import spec
from apps.directory.hsds import taxonomies as tx
from apps.directory.hsds.exporter import FOLDERS
from apps.directory.models import Location, Service

pytestmark = pytest.mark.django_db


def _read(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def _attrs(obj: dict, taxonomy) -> dict[str, str]:
    return {
        a["taxonomy_term"]["code"]: a.get("value", "")
        for a in obj.get("attributes", [])
        if a["taxonomy_term"]["taxonomy_id"] == taxonomy.id
    }


def test_every_exported_object_validates_against_the_official_schemas(directory, tmp_path):
    call_command("export_hsds", str(tmp_path))
    written = 0
    for folder, schema in FOLDERS.items():
        for path in (tmp_path / folder).glob("*.json"):
            obj = json.loads(path.read_text(encoding="utf-8"))
            assert path.stem == obj["id"]
            assert spec.problems(schema, obj) == [], path
            written += 1
    assert written >= 2 + 2 + 5


def test_only_published_services_and_their_organisations_are_exported(directory, tmp_path):
    call_command("export_hsds", str(tmp_path))
    services = _read(tmp_path / "services")
    organizations = _read(tmp_path / "organizations")
    d = directory
    assert set(services) == {str(d["housing"].uuid), str(d["jobs"].uuid)}
    assert set(organizations) == {str(d["hub"].uuid), str(d["centre"].uuid)}
    hub = organizations[str(d["hub"].uuid)]
    assert [s["id"] for s in hub["services"]] == [str(d["housing"].uuid)]

    call_command("export_hsds", str(tmp_path), "--include-staff")
    services = _read(tmp_path / "services")
    assert str(d["staff_only"].uuid) in services
    assert str(d["hidden"].uuid) not in services  # its organisation no longer works
    assert _attrs(services[str(d["staff_only"].uuid)], tx.PROSTIR)["visibility"] == "staff"


def test_hours_past_midnight_are_exported_as_they_are(directory, tmp_path):
    """A closing before the opening is the next day's, 00:00–00:00 the whole day."""
    call_command("export_hsds", str(tmp_path), "--include-staff")
    crisis = _read(tmp_path / "services")[str(directory["staff_only"].uuid)]
    hours = sorted(
        (s.get("byday") or s["valid_from"], s["opens_at"], s["closes_at"])
        for s in crisis["schedules"]
    )
    assert hours == [
        ("2026-12-31", "18:00:00", "10:00:00"),
        ("MO,TU,WE,TH,FR", "00:00:00", "00:00:00"),
        ("SA,SU", "20:00:00", "08:00:00"),
    ]


def test_the_service_carries_schedules_exceptions_places_and_codes(directory, tmp_path):
    call_command("export_hsds", str(tmp_path))
    housing = _read(tmp_path / "services")[str(directory["housing"].uuid)]
    office = str(directory["office"].uuid)

    weekly = [s for s in housing["schedules"] if s.get("byday") == "MO,TU,WE,TH,FR"]
    assert weekly == [
        {
            "id": weekly[0]["id"],
            "service_id": housing["id"],
            "location_id": office,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": "MO,TU,WE,TH,FR",
            "opens_at": "09:00:00",
            "closes_at": "18:00:00",
            "description": "Обідня перерва 13:00–14:00",
        }
    ]
    holiday = next(s for s in housing["schedules"] if s.get("valid_from") == "2026-08-24")
    assert holiday["valid_to"] == "2026-08-24"
    assert "opens_at" not in holiday and "byday" not in holiday
    assert holiday["description"] == "Зачинено: День Незалежності України"
    assert _attrs(holiday, tx.PROSTIR) == {"schedule_exception": "closed"}
    short_day = next(s for s in housing["schedules"] if s.get("valid_from") == "2026-12-31")
    assert (short_day["opens_at"], short_day["closes_at"]) == ("09:00:00", "14:00:00")
    assert _attrs(short_day, tx.PROSTIR) == {"schedule_exception": "hours"}

    places = {sal["location"]["name"]: sal["location"] for sal in housing["service_at_locations"]}
    main = places["Головний офіс"]
    assert (main["latitude"], main["longitude"]) == (50.6199, 26.2516)
    assert main["addresses"][0] | {"id": None} == {
        "id": None,
        "location_id": office,
        "address_1": "вул. Соборна, 12",
        "city": "Рівне",
        "region": "Рівненський",
        "state_province": "Рівненська",
        "postal_code": "33028",
        "country": "UA",
        "address_type": "physical",
    }
    assert sorted(lang["code"] for lang in main["languages"]) == ["en", "uk", "ukl"]
    assert main["accessibility"][0]["description"].startswith("Пандус")
    assert _attrs(main, tx.KATOTTG) == {"UA56060470010041018": ""}
    assert _attrs(main, tx.PROSTIR) == {"step_free": "true", "name_en": "Main office"}

    assert "contacts" not in housing  # named people stay inside the directory
    assert housing["phones"][0]["number"] == "+380362123457"
    assert sorted(a["name"] for a in housing["service_areas"]) == ["Рівне", "Рівненська"]
    assert _attrs(housing, tx.CLASSIFIER) == {"012.1": ""}
    assert _attrs(housing, tx.SECTOR) == {"social": ""}
    assert _attrs(housing, tx.NEED) == {"housing": ""}
    assert _attrs(housing, tx.CATEGORY) == {"IDP": "", "DIS_I": ""}
    assert _attrs(housing, tx.PROSTIR) == {
        "visibility": "public",
        "basic_service": "true",
        "is_free": "false",
        "accepting_referrals": "true",
        "response_days": "2",
        "completion_days": "20",
        "capacity": "40",
        "name_en": "Temporary accommodation",
    }
    assert (housing["minimum_age"], housing["maximum_age"]) == (18, 120)


def test_the_organisation_carries_its_community_kind_identifier_and_places(directory, tmp_path):
    call_command("export_hsds", str(tmp_path))
    hub = _read(tmp_path / "organizations")[str(directory["hub"].uuid)]
    assert _attrs(hub, tx.KATOTTG) == {"UA56060470000086729": ""}
    assert _attrs(hub, tx.ORGANISATION_KIND) == {"hub": ""}
    assert hub["organization_identifiers"][0]["identifier"] == "12345678"
    assert "contacts" not in hub
    assert len(hub["locations"]) == 2
    centre = _read(tmp_path / "organizations")[str(directory["centre"].uuid)]
    assert centre["parent_organization_id"] == str(directory["hub"].uuid)


def test_the_taxonomies_and_terms_used_are_written(directory, tmp_path):
    call_command("export_hsds", str(tmp_path))
    taxonomies = _read(tmp_path / "taxonomies")
    assert {t["name"] for t in taxonomies.values()} >= {"KATOTTG", "MSP social services classifier"}
    terms = _read(tmp_path / "taxonomy_terms")
    katottg = {t["code"]: t["name"] for t in terms.values() if t["taxonomy_id"] == tx.KATOTTG.id}
    assert katottg["UA56060470010041018"] == "Рівне"
    needs = {t["code"]: t["name"] for t in terms.values() if t["taxonomy_id"] == tx.NEED.id}
    assert needs == {"housing": "Житло, тимчасове розміщення", "employment": "Працевлаштування"}


def test_a_second_export_replaces_the_first(directory, tmp_path):
    call_command("export_hsds", str(tmp_path))
    directory["jobs"].visibility = "staff"
    directory["jobs"].save()
    call_command("export_hsds", str(tmp_path))
    assert set(_read(tmp_path / "services")) == {str(directory["housing"].uuid)}


def test_an_object_that_does_not_validate_is_reported_and_the_last_export_stays_whole(
    directory, tmp_path, capsys
):
    out = tmp_path / "out"
    call_command("export_hsds", str(out))
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.json")}
    Service.objects.filter(pk=directory["housing"].pk).update(name="Нова назва")
    # An address saved around the form's checks: the schema's format check catches it.
    Service.objects.filter(pk=directory["jobs"].pk).update(email="not an address")
    with pytest.raises(CommandError) as raised:
        call_command("export_hsds", str(out))
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert str(directory["jobs"].uuid) in err
    assert "$.email [properties/email/format]" in err
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.json")}
    assert after == before  # neither half-new nor missing files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it


def test_the_published_export_names_no_people_and_only_the_places_of_published_services(
    directory, tmp_path
):
    hub = directory["hub"]
    Location.objects.create(
        organisation=hub, name="Кризова квартира", settlement=hub.community, address="вул. Тиха, 1"
    )
    published, staff = tmp_path / "published", tmp_path / "staff"
    call_command("export_hsds", str(published))
    call_command("export_hsds", str(staff), "--include-staff")

    text = "".join(p.read_text(encoding="utf-8") for p in published.rglob("*.json"))
    for hidden in ("Олена Коваль", "Ігор Мельник", "Кризова квартира"):
        assert hidden not in text
    hub_staff = _read(staff / "organizations")[str(hub.uuid)]
    assert [c["name"] for c in hub_staff["contacts"]] == ["Олена Коваль"]
    assert "Кризова квартира" in {loc["name"] for loc in hub_staff["locations"]}
    housing = _read(staff / "services")[str(directory["housing"].uuid)]
    assert [c["name"] for c in housing["contacts"]] == ["Ігор Мельник"]
