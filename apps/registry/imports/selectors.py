"""Readers of person imports, always for an acting user. A job is scoped like a person (by
its hub and community) and needs the right to register persons: who may not register may
neither upload nor read what an upload found.

A duplicate's matches keep the matched person's id whoever could see it when the file was
imported; whether a reader sees it is decided for that reader, each time the report is shown
(``issues_for_reader``): a match outside the reader's scope shows only the hub that holds it.
"""

from django.db.models import Q, QuerySet

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm

from .. import selectors as registry
from .models import ImportJob, ImportRowIssue

PERM = Perm.PERSONS_WRITE
RECENT_JOBS = 20
# The directory is a sibling context, not imported: its organisations are reached through the
# job's foreign key, and a hub is the kind ``directory.models.OrganisationKind.HUB``.
HUB_KIND = "hub"


def _organisations():
    return ImportJob._meta.get_field("organisation").related_model.objects


def import_hubs(*, actor: Actor) -> list:
    """The active hubs (``directory.Organisation``) the actor may import persons into."""
    grants = actor.grants_for(PERM)
    hubs = _organisations().filter(kind=HUB_KIND, is_active=True)
    if not any(g.is_global for g in grants):
        codes = [g.community_code for g in grants if g.community_code]
        hubs = hubs.filter(
            Q(pk__in=[g.organisation_id for g in grants if g.organisation_id])
            | Q(community_id__in=codes)
            | Q(community__raion_id__in=codes)
            | Q(community__oblast_id__in=codes)
        )
    return [
        hub
        for hub in hubs.select_related("community").order_by("name")
        if policies.covers(actor, PERM, community=hub.community, organisation=hub)
    ]


def organisation_exists(organisation_id: int | None) -> bool:
    return organisation_id is not None and _organisations().filter(pk=organisation_id).exists()


def _jobs() -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("organisation", "community", "uploaded_by").defer(
        "content"
    )


def import_job_list(*, actor: Actor, limit: int = RECENT_JOBS) -> list[ImportJob]:
    """The latest jobs of the hubs the actor may import into (no personal data: file names,
    counts and states)."""
    return list(policies.scoped(_jobs(), actor, PERM)[:limit])


def import_job_get(*, actor: Actor, job_id: int) -> ImportJob:
    """The job's state and counts, or ``Http404`` for missing and not-yours alike."""
    return policies.get_for(actor, PERM, _jobs(), pk=job_id)


def import_job_read(*, actor: Actor, job_id: int) -> ImportJob:
    """``import_job_get`` for showing its report (the rows' problems and the persons they
    match): one READ event in the transaction of the read."""
    return policies.read_for(actor, PERM, _jobs(), pk=job_id)


def import_job_issues(*, job: ImportJob) -> QuerySet[ImportRowIssue]:
    """The job's issues by line (pass a job from ``import_job_read``)."""
    return job.issues.order_by("line", "pk")


def issues_for_reader(*, actor: Actor, issues) -> list[ImportRowIssue]:
    """The issues as ``actor`` may see them: each match's person id only when the actor may
    read that person (the rows are changed in memory for showing, never saved)."""
    issues = list(issues)
    visible = registry.persons_visible(
        actor=actor, person_ids=[m.get("id") for issue in issues for m in issue.matches]
    )
    for issue in issues:
        issue.matches = [
            {**match, "id": match.get("id") if match.get("id") in visible else None}
            for match in issue.matches
        ]
    return issues
