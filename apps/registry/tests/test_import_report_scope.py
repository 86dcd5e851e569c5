"""An import's report shows a matched person's id only to a reader who may see that person —
whoever uploaded the file. Every reader of the job (anyone who may register persons for its
hub) sees the other matches as the hub that holds them, on the page, in the CSV and in the API."""

import pytest

from apps.access.actor import actor_for
from apps.registry.imports import services

from .import_files import csv_bytes, person_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_by_admin(cast, bohdana):
    """An administrator imported into hub A a row that is Богдана, held in community B."""
    row = person_row(
        last_name="Вінничук",
        first_name="Богдана",
        patronymic="",
        birth_date="08.08.1988",
        sex="жіноча",
        categories="",
    )
    job = services.import_job_create(
        actor=actor_for(cast.admin),
        organisation_id=cast.hub_a.pk,
        filename="a.csv",
        content=csv_bytes([row]),
    )
    return services.import_job_run(job_id=job.pk)


def report_views(client, job) -> dict[str, str]:
    return {
        "page": client.get(f"/persons/import/{job.pk}/").content.decode(),
        "csv": client.get(f"/persons/import/{job.pk}/report.csv").content.decode("utf-8-sig"),
        "api": client.get(f"/api/v1/persons/imports/{job.pk}").content.decode(),
    }


def test_a_reader_outside_the_matchs_scope_sees_only_its_hub(
    signed_in, cast, bohdana, job_by_admin
):
    assert job_by_admin.duplicate_count == 1

    views = report_views(signed_in(cast.registrar_a), job_by_admin)

    for name, body in views.items():
        assert str(bohdana.pk) not in body, name
        assert cast.hub_b.name in body, name


def test_a_reader_who_may_see_the_match_gets_its_id(signed_in, cast, bohdana, job_by_admin):
    views = report_views(signed_in(cast.admin), job_by_admin)

    for name, body in views.items():
        assert str(bohdana.pk) in body, name
