"""The background task of the person import (django-tasks: the database backend and
``manage.py db_worker`` by default; any backend, the task code does not change)."""

from functools import partial

from django.db import transaction
from django_tasks import task

from apps.access.actor import Actor

from . import services
from .models import ImportJob


@task()
def import_job_process(job_id: int) -> str:
    """Imports the rows of job ``job_id``; returns its final state."""
    return services.import_job_run(job_id=job_id).status


def import_job_submit(
    *, actor: Actor, organisation_id: int | None, filename: str, content: bytes
) -> ImportJob:
    """Accepts the file (``services.import_job_create``: ``ValidationError`` when it cannot be
    imported) and queues its import once the job is committed — a worker never looks for a
    job that is not there yet."""
    job = services.import_job_create(
        actor=actor, organisation_id=organisation_id, filename=filename, content=content
    )
    transaction.on_commit(partial(import_job_process.enqueue, job.pk))
    return job
