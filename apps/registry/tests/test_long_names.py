"""Long names: a name within its own limit is kept with its whole Latin spelling and search keys
(one Cyrillic letter can be four Latin ones), and a name whose spelling or keys would not fit is
refused at the rule — never a server error, and in an import only that row.

Run on PostgreSQL too: SQLite does not enforce the length of a column."""

import pytest
from django.core.exceptions import ValidationError

from apps.access.actor import actor_for
from apps.api.tests.helpers import error_of
from apps.registry import services
from apps.registry.imports import services as imports
from apps.registry.models import LATIN_NAME_MAX_LENGTH, Person

from .conftest import json_call
from .import_files import csv_bytes, person_row

pytestmark = pytest.mark.django_db

LONGEST_LATIN = "Щ" + "щ" * 149  # 150 letters, 600 in Latin: "Shchshch…"
# A ligature the keys spell out letter by letter (ﷺ: eighteen characters): 40 are too many.
TOO_LONG_IN_KEYS = "ﷺ" * 40


def test_a_name_at_its_limit_keeps_its_whole_latin_spelling(signed_in, cast, maria):
    response = json_call(
        signed_in(cast.registrar_a),
        "POST",
        "/api/v1/persons",
        {**maria, "last_name": LONGEST_LATIN, "patronymic": LONGEST_LATIN},
    )

    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert len(person.last_name_latin) == LATIN_NAME_MAX_LENGTH
    assert person.last_name_latin.startswith("Shchshch")
    assert len(person.latin_patronymic) <= LATIN_NAME_MAX_LENGTH and person.surname_sound


def test_a_name_whose_keys_would_not_fit_is_refused_by_field(signed_in, cast, maria):
    response = json_call(
        signed_in(cast.registrar_a),
        "POST",
        "/api/v1/persons",
        {**maria, "first_name": TOO_LONG_IN_KEYS},
    )

    (detail,) = error_of(response, 422, "validation_error")["details"]
    assert (detail["field"], detail["code"]) == ("first_name", "latin_too_long")
    assert str(LATIN_NAME_MAX_LENGTH) in detail["message"]
    assert not Person.objects.exists()


def test_editing_to_such_a_name_is_refused_and_changes_nothing(cast, maria_person):
    with pytest.raises(ValidationError) as refused:
        services.person_update(
            actor=actor_for(cast.registrar_a),
            person_id=maria_person.pk,
            version=1,
            changes={"patronymic": TOO_LONG_IN_KEYS},
        )

    assert refused.value.error_dict["patronymic"][0].code == "latin_too_long"
    maria_person.refresh_from_db()
    assert (maria_person.patronymic, maria_person.version) == ("Іванівна", 1)


def test_an_imported_row_with_such_a_name_is_reported_and_the_others_imported(cast):
    rows = [
        person_row(last_name="Перша"),
        person_row(last_name=LONGEST_LATIN),
        person_row(first_name=TOO_LONG_IN_KEYS),
        person_row(last_name="Остання"),
    ]
    job = imports.import_job_create(
        actor=actor_for(cast.registrar_a),
        organisation_id=cast.hub_a.pk,
        filename="long.csv",
        content=csv_bytes(rows),
    )

    job = imports.import_job_run(job_id=job.pk)

    assert [(i.line, i.field, i.code) for i in job.issues.all()] == [
        (4, "first_name", "latin_too_long")
    ]
    assert (job.imported_count, job.error_count) == (3, 1)
    assert Person.objects.filter(last_name=LONGEST_LATIN).exists()
