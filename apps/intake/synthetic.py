"""Synthetic requests for the registry's synthetic persons (``generate_synthetic``): about a
third of the adults have asked for help, with one to three needs, through the channels hubs
see most (walk-in and phone), mostly of normal urgency, in every status of the workflow.
Deterministic for a seed (only ``batch.rng`` is drawn from); written in the batch's transaction
with one audit event per batch and hub, like the persons."""

import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from apps.registry.synthetic import Batch, SyntheticPerson, audit_batch

from .models import Need, Request
from .rules import Channel, CloseReason, Status, Urgency, default_due_date

REQUEST_SHARE = 0.35
ADULT_AGE = 18
CHANNELS = (
    (Channel.WALK_IN, 50),
    (Channel.PHONE, 25),
    (Channel.MESSENGER, 10),
    (Channel.ONLINE, 10),
    (Channel.REFERRAL, 5),
)
URGENCIES = ((Urgency.NORMAL, 80), (Urgency.URGENT, 17), (Urgency.CRITICAL, 3))
STATUSES = ((Status.NEW, 15), (Status.TRIAGED, 20), (Status.IN_WORK, 40), (Status.CLOSED, 25))
CLOSE_REASONS = (
    (CloseReason.RESOLVED, 60),
    (CloseReason.REFERRED, 25),
    (CloseReason.WITHDRAWN, 15),
)
DESCRIPTIONS = (
    "Звернулася по допомогу з житлом після переїзду.",
    "Потрібна консультація щодо соціальних виплат.",
    "Шукає роботу та курси перекваліфікації.",
    "Просить психологічної підтримки для себе й дітей.",
    "Потрібна допомога з відновленням документів.",
    "Звернувся щодо реабілітації після поранення.",
)
# Request ids: a range of their own per seed, one per person at most (by the person's index).
_REQUEST_MARK = 0x5E


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _request_id(batch: Batch, index: int) -> uuid.UUID:
    return uuid.UUID(int=(_REQUEST_MARK << 120) | (batch.seed << 64) | index)


def _asks(person: SyntheticPerson, batch: Batch, today) -> bool:
    age = (today - person.birth_date).days // 365
    return age >= ADULT_AGE and batch.rng.random() < REQUEST_SHARE


def add_requests(batch: Batch) -> None:
    needs = list(Need.objects.filter(active=True).values_list("pk", flat=True))
    if not needs:
        return
    now = timezone.now()
    today = timezone.localdate()
    requests, chosen = [], []
    for person in batch.persons:
        if not _asks(person, batch, today):
            continue
        rng = batch.rng
        urgency = _pick(rng, URGENCIES)
        status = _pick(rng, STATUSES)
        received = now - timedelta(days=rng.randrange(0, 180), minutes=rng.randrange(0, 600))
        requests.append(
            Request(
                id=_request_id(batch, person.index),
                person_id=person.id,
                community_id=person.community_id,
                organisation_id=person.organisation_id,
                channel=_pick(rng, CHANNELS),
                urgency=urgency,
                status=status,
                close_reason=_pick(rng, CLOSE_REASONS) if status == Status.CLOSED else "",
                description=rng.choice(DESCRIPTIONS),
                due_date=default_due_date(urgency, timezone.localtime(received).date()),
                created_at=received,
            )
        )
        chosen.append(rng.sample(needs, k=min(len(needs), rng.choice((1, 1, 2, 3)))))
    if not requests:
        return
    with _received_when_asked():
        Request.objects.bulk_create(requests, batch_size=2000)
    through = Request.needs.through
    through.objects.bulk_create(
        [
            through(request_id=request.pk, need_id=need)
            for request, picked in zip(requests, chosen, strict=True)
            for need in picked
        ],
        batch_size=5000,
    )
    audit_batch(
        batch,
        requests,
        event="intake.synthetic.created",
        object_type="intake.request",
        noun="requests",
    )


@contextmanager
def _received_when_asked():
    """``created_at`` is ``auto_now_add``; synthetic requests were received over past months,
    so the queue has an order to show. Only this single-threaded command lifts it, briefly."""
    field = Request._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True
