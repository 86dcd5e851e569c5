"""import_hsds: the round trip, the specification's own examples, and bad input reported per
object with the schema path of each problem — valid objects imported, nothing half-linked."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.directory.hsds import importer, spec
from apps.directory.hsds import taxonomies as tx
from apps.directory.models import (
    Contact,
    Location,
    Organisation,
    Schedule,
    ScheduleException,
    Service,
    ServiceAtLocation,
)

pytestmark = pytest.mark.django_db

ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"  # the specification's example organization
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"  # its service "Community Counselling"


def _tree(folder: Path) -> dict[str, object]:
    return {
        p.relative_to(folder).as_posix(): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(folder.rglob("*.json"))
    }


def _empty_directory() -> None:
    for model in (Contact, Schedule, ScheduleException, ServiceAtLocation, Service, Location):
        model.objects.all().delete()
    Organisation.objects.update(parent=None)
    Organisation.objects.all().delete()


def _json_report(capsys) -> dict:
    out = capsys.readouterr().out
    return json.loads(out[out.index("{") :])


def test_round_trip_export_import_into_an_empty_directory_export_gives_the_same(
    directory, tmp_path
):
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_hsds", str(first), "--include-staff")
    _empty_directory()
    assert not Service.objects.exists()

    call_command("import_hsds", str(first))

    call_command("export_hsds", str(second), "--include-staff")
    before, after = _tree(first), _tree(second)
    assert sorted(after) == sorted(before)
    for name in before:
        assert after[name] == before[name], name
    staff_only = Service.objects.get(uuid=directory["staff_only"].uuid)
    assert staff_only.visibility == "staff"  # the published copy stays as it was


def test_importing_again_updates_instead_of_duplicating(directory, tmp_path, capsys):
    call_command("export_hsds", str(tmp_path))
    counts = (Organisation.objects.count(), Service.objects.count(), Location.objects.count())
    Service.objects.filter(pk=directory["housing"].pk).update(name="Змінена назва")
    call_command("import_hsds", str(tmp_path), "--json")
    report = _json_report(capsys)
    assert {o["status"] for o in report["objects"] if o["kind"] in {"organization", "service"}} == {
        "updated"
    }
    assert (
        Organisation.objects.count(),
        Service.objects.count(),
        Location.objects.count(),
    ) == counts
    assert Service.objects.get(pk=directory["housing"].pk).name == "Тимчасове розміщення"


def test_the_specifications_examples_map_what_they_can_and_report_the_rest(units, capsys):
    examples = spec.examples_dir()
    call_command("import_hsds", str(examples), "--community", units["hromada"].code, "--json")
    report = _json_report(capsys)
    assert report["ok"], report

    organisation = Organisation.objects.get(uuid=ORG_ID)
    assert organisation.name == "Example Organization Inc."
    assert organisation.community == units["hromada"]  # MyCity is not in КАТОТТГ
    assert organisation.year_incorporated == 2011
    assert organisation.phone == "+441234234567"  # normalised as the directory's pages do
    location = organisation.locations.get()
    assert location.name == "MyCity Civic Center"
    assert location.address == "1-30 Main Street, MyVillage"
    assert location.latitude is None  # 100° is not a latitude
    assert location.languages == []  # Urdu is not among the directory's languages
    assert "induction loops" in location.accessibility
    service = Service.objects.get(uuid=SERVICE_ID)
    assert service.organisation == organisation
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert service.visibility == "staff"  # until a coordinator publishes it
    assert not service.is_free  # it describes fees
    assert list(service.locations.all()) == [location]
    schedule = service.schedules.get()
    assert (schedule.byday, str(schedule.opens_at), str(schedule.closes_at)) == (
        "TH,FR",
        "10:00:00",
        "18:00:00",
    )
    assert service.contacts.count() == 0  # Ann Persona is the organization's contact
    assert organisation.contacts.get().name == "Ann Persona"

    objects = {
        (o["kind"], o["id"], Path(o["source"].split("#")[0]).name): o for o in report["objects"]
    }
    org = objects[("organization", ORG_ID, "organization_full.json")]
    assert org["status"] == "imported"
    for field in ("$.tax_status", "$.logo", "$.funding", "$.programs"):
        assert field in org["not_mapped"]
    assert any("parent_organization_id" in note for note in org["not_mapped"])
    full = objects[("service", SERVICE_ID, "service_full.json")]
    assert full["status"] == "imported"
    for field in ("$.wait_time", "$.accreditations", "$.funding", "$.cost_options", "$.program"):
        assert field in full["not_mapped"]
    assert any("service_areas[0]" in note for note in full["not_mapped"])
    assert objects[("service", SERVICE_ID, "service_list.json")]["status"] == "skipped"
    assert (
        objects[("location", "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "location.json")]["status"]
        == "skipped"
    )
    assert any(o["kind"] == "tabular" and o["status"] == "skipped" for o in report["objects"])


def test_without_a_community_the_example_organisation_is_reported_not_imported(units, capsys):
    with pytest.raises(CommandError) as raised:
        call_command("import_hsds", str(spec.examples_dir() / "organization_full.json"))
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert f"organization {ORG_ID}" in err
    assert "--community" in err
    assert not Organisation.objects.exists() and not Service.objects.exists()


def _write(folder: Path, name: str, content) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")


def _example(name: str) -> dict:
    return json.loads((spec.examples_dir() / name).read_text(encoding="utf-8"))


def test_hours_past_midnight_and_around_the_clock_are_imported(directory, tmp_path, capsys):
    """A night shelter's 20:00–08:00, a hotline's 00:00–00:00 and the ways other publishers
    write a whole day (00:00–24:00, 00:00–23:59) are kept, not refused."""
    sid = "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1b01"

    def row(n, byday, opens, closes):
        return {
            "id": f"0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1b1{n}",
            "service_id": sid,
            "freq": "WEEKLY",
            "byday": byday,
            "opens_at": opens,
            "closes_at": closes,
        }

    shelter = {
        "id": sid,
        "organization_id": str(directory["hub"].uuid),
        "name": "Нічний притулок",
        "status": "active",
        "schedules": [
            row(1, "MO,TU,WE,TH,FR", "20:00:00", "08:00:00"),
            row(2, "SA", "00:00", "00:00"),
            row(3, "SU", "00:00", "24:00"),
            row(4, "WE", "00:00:00", "23:59:00"),
            {
                "id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1b15",
                "service_id": sid,
                "valid_from": "2026-12-31",
                "valid_to": "2026-12-31",
                "opens_at": "18:00",
                "closes_at": "10:00",
                "description": "Новорічна ніч",
            },
        ],
    }
    _write(tmp_path, "services/shelter.json", shelter)

    call_command("import_hsds", str(tmp_path), "--json")

    report = _json_report(capsys)
    found = next(o for o in report["objects"] if o["id"] == sid)
    assert found["status"] == "imported", found
    assert (
        "$.schedules[3]: 00:00:00–23:59:00 прочитано як цілодобово (00:00–00:00)"
        in (found["not_mapped"])
    )
    service = Service.objects.get(uuid=sid)
    assert sorted(
        (s.byday, str(s.opens_at), str(s.closes_at)) for s in service.schedules.all()
    ) == [
        ("MO,TU,WE,TH,FR", "20:00:00", "08:00:00"),
        ("SA", "00:00:00", "00:00:00"),
        ("SU", "00:00:00", "00:00:00"),
        ("WE", "00:00:00", "00:00:00"),
    ]
    night = service.exceptions.get()
    assert (night.closed, str(night.opens_at), str(night.closes_at), night.reason) == (
        False,
        "18:00:00",
        "10:00:00",
        "Новорічна ніч",
    )


def test_equal_opening_and_closing_other_than_midnight_is_a_problem(directory, tmp_path, capsys):
    sid = "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1b21"
    odd = {
        "id": sid,
        "organization_id": str(directory["hub"].uuid),
        "name": "Дивний розклад",
        "status": "active",
        "schedules": [
            {
                "id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1b22",
                "freq": "WEEKLY",
                "byday": "MO",
                "opens_at": "08:00",
                "closes_at": "08:00",
            }
        ],
    }
    _write(tmp_path, "services/odd.json", odd)
    with pytest.raises(CommandError):
        call_command("import_hsds", str(tmp_path), "--json")
    found = next(o for o in _json_report(capsys)["objects"] if o["id"] == sid)
    assert found["status"] == "invalid"
    assert [(p["where"], p["schema_path"], p["message"]) for p in found["problems"]] == [
        (
            "$.schedules[0]",
            "prostir",
            "Час відкриття й закриття однакові. Для цілодобової роботи вкажіть 00:00–00:00.",
        )
    ]
    assert not Service.objects.filter(uuid=sid).exists()


def test_bad_input_is_reported_per_object_and_the_valid_objects_are_imported(
    directory, tmp_path, capsys
):
    hub = str(directory["hub"].uuid)
    bad = tmp_path / "bad"
    _write(bad, "broken.json", '{"id": "1", "name": ')
    good = {
        "id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a01",
        "organization_id": hub,
        "name": "Юридична консультація",
        "status": "active",
    }
    unknown_field = good | {"id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a02", "colour": "blue"}
    missing = {
        "id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a03",
        "organization_id": hub,
        "name": "Без статусу",
    }
    orphan = good | {
        "id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a04",
        "organization_id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1aff",
    }
    unknown_place = good | {
        "id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a05",
        "service_at_locations": [
            {
                "id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a06",
                "location_id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a07",
            }
        ],
        "schedules": [
            {
                "id": "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a08",
                "byday": "MO",
                "opens_at": "09:00:00",
                "closes_at": "12:00:00",
            }
        ],
    }
    _write(bad, "services.json", [good, unknown_field, missing, orphan, unknown_place])
    # An organization whose second location is broken: neither it nor its first location.
    org = _example("organization_full.json")
    org["id"] = "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a10"
    org.pop("services")
    org.pop("parent_organization_id")
    second = json.loads(json.dumps(org["locations"][0]))
    second["id"] = "0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a11"
    second["location_type"] = "spaceship"
    org["locations"].append(second)
    _write(bad, "organizations/broken-location.json", org)

    with pytest.raises(CommandError) as raised:
        call_command(
            "import_hsds", str(bad), "--json", "--community", directory["hub"].community_id
        )
    assert raised.value.returncode == 1
    report = _json_report(capsys)
    assert [u["file"] for u in report["unreadable"]] == [str(bad / "broken.json")]
    assert "рядок 1" in report["unreadable"][0]["message"]
    by_id = {o["id"]: o for o in report["objects"]}

    assert by_id[good["id"]]["status"] == "imported"
    assert Service.objects.filter(uuid=good["id"], organisation=directory["hub"]).exists()

    def problem(obj_id):
        found = by_id[obj_id]
        assert found["status"] == "invalid"
        assert not Service.objects.filter(uuid=obj_id).exists()
        return [(p["where"], p["schema_path"]) for p in found["problems"]]

    assert problem(unknown_field["id"]) == [("$", "additionalProperties")]
    assert "colour" in by_id[unknown_field["id"]]["problems"][0]["message"]
    assert problem(missing["id"]) == [("$", "required")]
    assert problem(orphan["id"]) == [("$.organization_id", "properties/organization_id")]
    assert problem(unknown_place["id"]) == [
        (
            "$.service_at_locations[0].location_id",
            "properties/service_at_locations/items/properties/location_id",
        )
    ]
    assert not Schedule.objects.filter(uuid="0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a08").exists()
    assert not ServiceAtLocation.objects.filter(
        uuid="0b8f0f4e-2f6c-4a43-9b0e-4d6c3c7b1a06"
    ).exists()

    assert by_id[org["id"]]["status"] == "invalid"
    assert by_id[org["id"]]["problems"] == [
        {
            "where": "$.locations[1].location_type",
            "schema_path": "properties/locations/items/properties/location_type/enum",
            "message": by_id[org["id"]]["problems"][0]["message"],
        }
    ]
    assert not Organisation.objects.filter(uuid=org["id"]).exists()
    assert not Location.objects.filter(uuid=org["locations"][0]["id"]).exists()


def test_an_organisation_that_fails_takes_its_services_with_it(units, tmp_path):
    """Nothing half-linked: a model rule broken deep inside rolls the whole organization back."""
    org = _example("organization_full.json")
    org.pop("parent_organization_id")
    org["locations"][0]["addresses"][0]["address_1"] = "вул. " + "Довга" * 60  # > 255 characters
    path = tmp_path / "org.json"
    path.write_text(json.dumps(org), encoding="utf-8")
    report = importer.import_path(path, community=units["hromada"])
    assert not report.ok
    assert report.of("organization", ORG_ID).problems[0].where == (
        "$.locations[0].addresses[0].address_1"
    )
    assert report.of("service", SERVICE_ID).status == "invalid"
    assert not Organisation.objects.exists()
    assert not Location.objects.exists()
    assert not Service.objects.exists()
    assert not Contact.objects.exists()


def test_a_missing_path_and_a_wrong_community_are_refused(units, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_hsds", str(tmp_path / "nothing-here"))
    with pytest.raises(CommandError) as raised:
        call_command("import_hsds", str(tmp_path), "--community", units["city"].code)
    assert raised.value.returncode == 2


def test_an_api_page_is_read_item_by_item(directory, tmp_path, client):
    page = client.get("/api/v1/hsds/services?per_page=10").json()
    shutil.rmtree(tmp_path, ignore_errors=True)
    tmp_path.mkdir()
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    report = importer.import_path(tmp_path / "page.json")
    assert report.ok
    assert {o.id for o in report.objects} == {
        str(directory["housing"].uuid),
        str(directory["jobs"].uuid),
    }


def test_a_service_brings_its_organisation_when_the_directory_lacks_it(units):
    report = importer.import_path(
        spec.examples_dir() / "service_full.json", community=units["hromada"]
    )
    assert report.ok
    assert report.of("organization", ORG_ID).status == "imported"
    assert report.of("service", SERVICE_ID).status == "imported"
    service = Service.objects.get(uuid=SERVICE_ID)
    assert service.organisation.name == "Example Organization Inc."
    assert service.locations.get().name == "MyCity Civic Center"


def test_community_and_settlement_come_from_the_address_when_there_is_no_code(units, tmp_path):
    org = _example("organization_full.json")
    org.pop("parent_organization_id")
    org.pop("services")
    address = org["locations"][0]["addresses"][0]
    address.update(city="м. Рівне", state_province="Рівненська область", country="UA")
    path = tmp_path / "org.json"
    path.write_text(json.dumps(org), encoding="utf-8")
    report = importer.import_path(path)  # no --community needed
    assert report.ok, report
    organisation = Organisation.objects.get(uuid=ORG_ID)
    assert organisation.community == units["hromada"]
    assert organisation.locations.get().settlement == units["city"]


def test_a_folder_without_json_is_reported(db, tmp_path):
    report = importer.import_path(tmp_path)
    assert not report.ok
    assert report.unreadable == [(str(tmp_path), report.unreadable[0][1])]


def test_imports_and_exports_are_on_the_audit_trail(directory, tmp_path, units):
    from apps.audit.models import AuditEvent

    call_command("export_hsds", str(tmp_path / "out"))
    exported = AuditEvent.objects.get(event="directory.hsds.exported")
    assert exported.action == "export" and exported.reason.startswith("2 organizations, 2 services")

    call_command("import_hsds", str(tmp_path / "out"))
    updated = AuditEvent.objects.filter(event="directory.service.updated.hsds")
    assert {e.object_id for e in updated} == {
        str(directory["housing"].pk),
        str(directory["jobs"].pk),
    }
    assert {e.actor_label for e in updated} == {"import_hsds"}

    # An organisation rolled back leaves no event behind.
    org = _example("organization_full.json")
    org.pop("parent_organization_id")
    org["locations"][0]["addresses"][0]["address_1"] = "x" * 300
    (tmp_path / "bad.json").write_text(json.dumps(org), encoding="utf-8")
    importer.import_path(tmp_path / "bad.json", community=units["hromada"])
    assert not AuditEvent.objects.filter(
        event__startswith="directory.organisation.imported"
    ).exists()


def _directory_state(service: Service) -> dict:
    service.refresh_from_db()
    return {
        "visibility": service.visibility,
        "sector": service.sector,
        "accepting_referrals": service.accepting_referrals,
        "needs": sorted(service.needs.values_list("need_code", flat=True)),
        "schedules": service.schedules.count(),
        "exceptions": service.exceptions.count(),
        "locations": service.locations.count(),
        "contacts": service.contacts.count(),
    }


def test_importing_organisations_alone_leaves_their_services_as_they_are(directory, tmp_path):
    housing = directory["housing"]
    before = _directory_state(housing)
    full = tmp_path / "full"
    call_command("export_hsds", str(full), "--include-staff")
    only_orgs = tmp_path / "orgs"
    shutil.copytree(full / "organizations", only_orgs)

    report = importer.import_path(only_orgs)

    assert report.ok, report
    assert _directory_state(housing) == before
    assert before["schedules"] and before["needs"] and before["visibility"] == "public"


def test_an_api_page_of_organisations_keeps_their_phone_edrpou_and_contacts(
    directory, tmp_path, client
):
    hub = directory["hub"]
    contacts = sorted(hub.contacts.values_list("name", flat=True))
    page = client.get("/api/v1/hsds/organizations?per_page=10").json()
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")

    report = importer.import_path(tmp_path / "page.json")

    assert report.ok, report
    hub.refresh_from_db()
    assert (hub.phone, hub.edrpou) == ("+380362123456", "12345678")
    assert sorted(hub.contacts.values_list("name", flat=True)) == contacts


def test_a_service_cannot_be_placed_at_another_organisations_location(directory, tmp_path):
    call_command("export_hsds", str(tmp_path / "out"))
    jobs = json.loads(
        (tmp_path / "out" / "services" / f"{directory['jobs'].uuid}.json").read_text("utf-8")
    )
    office = str(directory["office"].uuid)  # the hub's, not the employment centre's
    sal = jobs["service_at_locations"][0]
    sal.pop("location")
    sal["location_id"] = office
    _write(tmp_path / "in", "services/jobs.json", jobs)

    report = importer.import_path(tmp_path / "in")

    rep = report.of("service", str(directory["jobs"].uuid))
    assert rep.status == "invalid"
    assert [p.where for p in rep.problems] == ["$.service_at_locations[0].location_id"]
    assert not directory["jobs"].locations.filter(uuid=office).exists()


def test_the_importer_checks_fields_as_the_directorys_pages_do(directory, tmp_path):
    call_command("export_hsds", str(tmp_path / "out"), "--include-staff")
    out = tmp_path / "out"
    hub = json.loads((out / "organizations" / f"{directory['hub'].uuid}.json").read_text("utf-8"))
    hub["phones"][0]["number"] = "0362 12 34 99"  # normalised, but the ЄДРПОУ is refused
    hub["organization_identifiers"][0]["identifier"] = "1234"
    centre_id = str(directory["centre"].uuid)
    centre = json.loads((out / "organizations" / f"{centre_id}.json").read_text("utf-8"))
    centre["phones"] = [{"id": "3f4c6d1e-8f51-4d6e-9a51-0b1f5e2c7a01", "number": "12"}]
    housing_id = str(directory["housing"].uuid)
    housing = json.loads((out / "services" / f"{housing_id}.json").read_text("utf-8"))
    for attribute in housing["attributes"]:
        term = attribute["taxonomy_term"]
        if term["taxonomy_id"] == tx.CLASSIFIER.id:
            term["code"] = "12.1"
    jobs_id = str(directory["jobs"].uuid)
    jobs = json.loads((out / "services" / f"{jobs_id}.json").read_text("utf-8"))
    jobs["languages"].append({"id": "6b0c3f0a-3d4b-4c11-8f0e-1a2b3c4d5e6f", "code": "xx"})
    for attribute in jobs["attributes"]:
        if attribute["taxonomy_term"]["taxonomy_id"] == tx.NEED.id:
            attribute["taxonomy_term"]["code"] = "no-such-need"
    _write(tmp_path / "orgs", f"organizations/{hub['id']}.json", hub)
    _write(tmp_path / "orgs", f"organizations/{centre_id}.json", centre)
    _write(tmp_path / "services", f"services/{housing_id}.json", housing)
    _write(tmp_path / "services", f"services/{jobs_id}.json", jobs)

    report = importer.import_path(tmp_path / "orgs")

    problems = {(o.id, p.where): p.message for o in report.objects for p in o.problems}
    assert problems[(hub["id"], "$.organization_identifiers[0].identifier")] == (
        "Код ЄДРПОУ — це 8 цифр."
    )
    assert (centre_id, "$.phones[0].number") in problems
    assert Organisation.objects.get(uuid=hub["id"]).edrpou == "12345678"  # not imported

    report = importer.import_path(tmp_path / "services")

    housing_report = report.of("service", housing_id)
    assert housing_report.status == "invalid"
    assert [p.where for p in housing_report.problems] == ["$.attributes"]
    assert "001.0" in housing_report.problems[0].message
    assert Service.objects.get(uuid=housing_id).classifier_code == "012.1"
    jobs_report = report.of("service", jobs_id)
    assert jobs_report.status == "updated"
    assert any("$.languages" in n and "xx" in n for n in jobs_report.notes)
    assert any("no-such-need" in n for n in jobs_report.notes)
    saved = Service.objects.get(uuid=jobs_id)
    assert "xx" not in saved.languages
    assert not saved.needs.filter(need_code="no-such-need").exists()
