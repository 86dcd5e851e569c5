"""Recording, changing, assigning and moving requests through the services: the rules, the
history, the optimistic lock, the triage queue, the scope and the audit trail."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.access.actor import actor_for
from apps.audit.models import Action, AuditEvent
from apps.intake import rules, selectors, services
from apps.intake.models import EventKind, Request, RequestEvent, Status

pytestmark = pytest.mark.django_db


def fields_of(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


def current_version(request) -> int:
    return Request.objects.get(pk=request.pk).version


def transition(user, request, to, **kw):
    """Moves the request on from the version it has now (as a page just read would)."""
    kw.setdefault("version", current_version(request))
    return services.request_transition(actor=actor_for(user), request_id=request.pk, to=to, **kw)


def assign(user, request, worker):
    return services.request_assign(
        actor=actor_for(user),
        request_id=request.pk,
        assigned_to=worker.pk,
        version=current_version(request),
    )


def test_a_request_is_held_by_the_hub_with_a_due_date_by_urgency(cast, olena, make_request):
    request = make_request(
        cast.registrar_a,
        olena,
        needs=["housing", "employment", "psychological_support"],
        urgency="urgent",
        description="Потрібне житло для родини з двома дітьми.",
    )

    request.refresh_from_db()
    assert (request.organisation, request.community) == (cast.hub_a, cast.community_a)
    assert sorted(n.code for n in request.needs.all()) == [
        "employment",
        "housing",
        "psychological_support",
    ]
    assert request.status == Status.NEW and request.version == 1
    assert request.due_date == rules.default_due_date("urgent", rules.local_today())
    assert [e.kind for e in request.events.all()] == [EventKind.CREATED]
    event = AuditEvent.objects.get(event="intake.request.created")
    assert (event.action, event.object_id) == (Action.CREATE, str(request.pk))
    assert event.organisation_id == cast.hub_a.pk
    assert "description" in event.changed_fields
    assert "житло" not in str(event.changed_fields)


def test_bad_input_is_refused_by_field_and_nothing_saved(cast, olena, make_request):
    yesterday = rules.local_today() - timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        make_request(
            cast.registrar_a,
            olena,
            needs=["housing", "flying"],
            channel="pigeon",
            urgency="whenever",
            due_date=yesterday.isoformat(),
        )
    assert fields_of(exc_info) == {"needs[1]", "channel", "urgency", "due_date"}
    with pytest.raises(ValidationError) as exc_info:
        services.request_create(actor=actor_for(cast.registrar_a), data={})
    assert fields_of(exc_info) == {"person", "needs", "channel"}
    assert not Request.objects.exists()


def test_a_person_of_another_community_is_not_found(cast, bohdana, make_request):
    with pytest.raises(ValidationError) as exc_info:
        make_request(cast.registrar_a, bohdana)
    assert exc_info.value.message_dict["person"] == ["Особу не знайдено."]


@pytest.mark.parametrize("who", ["partner_staff_a", "analyst_a", "outsider"])
def test_roles_without_intake_cannot_record(cast, olena, make_request, who):
    with pytest.raises(PermissionDenied):
        make_request(getattr(cast, who), olena)
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED).exists()


def test_the_path_of_a_request_and_its_history(cast, olena, make_request):
    request = make_request(cast.registrar_a, olena)

    transition(cast.coordinator_a, request, "triaged")
    transition(cast.specialist_a, request, "in_work")
    closed = transition(cast.specialist_a, request, "closed", reason="resolved")

    assert closed.status == Status.CLOSED and closed.close_reason == "resolved"
    assert closed.assigned_to == cast.specialist_a  # taking it into work assigned them
    assert closed.version == 4
    steps = [
        (e.from_status, e.to_status)
        for e in RequestEvent.objects.filter(request=request, kind=EventKind.STATUS)
    ]
    assert steps == [("new", "triaged"), ("triaged", "in_work"), ("in_work", "closed")]
    assert AuditEvent.objects.filter(event="intake.request.status_changed").count() == 3


@pytest.mark.parametrize(("path", "refused"), [([], "new"), (["triaged"], "new"), ([], "closed_x")])
def test_a_transition_the_rules_do_not_allow_is_refused(cast, olena, make_request, path, refused):
    request = make_request(cast.registrar_a, olena)
    for step in path:
        transition(cast.registrar_a, request, step)
    if refused == "closed_x":
        transition(cast.registrar_a, request, "closed", reason="duplicate")
        refused = "in_work"
    before = Request.objects.get(pk=request.pk)

    with pytest.raises(services.TransitionRefused):
        transition(cast.registrar_a, request, refused)

    after = Request.objects.get(pk=request.pk)
    assert (after.status, after.version) == (before.status, before.version)


def test_closing_needs_a_reason_and_other_needs_a_note(cast, olena, make_request):
    request = make_request(cast.registrar_a, olena)
    with pytest.raises(ValidationError) as exc_info:
        transition(cast.registrar_a, request, "closed")
    assert fields_of(exc_info) == {"reason"}
    with pytest.raises(ValidationError) as exc_info:
        transition(cast.registrar_a, request, "closed", reason="other")
    assert fields_of(exc_info) == {"note"}
    assert Request.objects.get(pk=request.pk).status == Status.NEW


def test_reopening_needs_a_note_and_clears_the_reason(cast, olena, make_request):
    request = make_request(cast.registrar_a, olena)
    transition(cast.registrar_a, request, "closed", reason="unreachable")
    with pytest.raises(ValidationError) as exc_info:
        transition(cast.registrar_a, request, "triaged")
    assert fields_of(exc_info) == {"note"}

    reopened = transition(cast.registrar_a, request, "triaged", note="Особа перетелефонувала.")

    assert (reopened.status, reopened.close_reason) == (Status.TRIAGED, "")


def test_assigning_triages_a_new_request(cast, olena, make_request):
    request = make_request(cast.registrar_a, olena)

    assigned = assign(cast.coordinator_a, request, cast.specialist_a)

    assert (assigned.assigned_to, assigned.status) == (cast.specialist_a, Status.TRIAGED)
    kinds = list(RequestEvent.objects.filter(request=request).values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.ASSIGNED, EventKind.STATUS]


def test_only_a_worker_of_the_hub_can_be_assigned(cast, staff, olena, make_request):
    request = make_request(cast.registrar_a, olena)
    for user in (cast.specialist_b, cast.partner_staff_a, cast.analyst_a):
        with pytest.raises(ValidationError) as exc_info:
            assign(cast.coordinator_a, request, user)
        assert fields_of(exc_info) == {"assigned_to"}
    assert Request.objects.get(pk=request.pk).assigned_to is None


def test_a_stale_version_is_refused_with_both_values(cast, olena, make_request):
    request = make_request(cast.registrar_a, olena, urgency="normal")
    services.request_update(
        actor=actor_for(cast.specialist_a),
        request_id=request.pk,
        version=1,
        changes={"urgency": "urgent"},
    )

    with pytest.raises(services.EditConflict) as exc_info:
        services.request_update(
            actor=actor_for(cast.registrar_a),
            request_id=request.pk,
            version=1,
            changes={"urgency": "critical", "needs": ["housing", "documents"]},
        )

    assert exc_info.value.conflicts == [
        {"field": "needs", "yours": ["documents", "housing"], "theirs": ["housing"]},
        {"field": "urgency", "yours": "critical", "theirs": "urgent"},
        {"field": "version", "yours": 1, "theirs": 2},
    ]
    request.refresh_from_db()
    assert (request.urgency, request.version) == ("urgent", 2)


def test_an_update_moves_the_due_date_with_the_urgency_and_is_audited(cast, olena, make_request):
    request = make_request(cast.registrar_a, olena)

    updated = services.request_update(
        actor=actor_for(cast.registrar_a),
        request_id=request.pk,
        version=1,
        changes={"urgency": "critical", "description": "Ночує на вокзалі."},
    )

    assert updated.due_date == rules.default_due_date("critical", rules.local_today())
    event = AuditEvent.objects.get(event="intake.request.updated")
    assert set(event.changed_fields) >= {"urgency", "description"}


def test_triage_queue_new_first_then_by_urgency_then_oldest(cast, olena, taras, make_request):
    normal_old = make_request(cast.registrar_a, olena, urgency="normal")
    critical = make_request(cast.registrar_a, taras, urgency="critical")
    urgent = make_request(cast.registrar_a, olena, urgency="urgent")
    normal_new = make_request(cast.registrar_a, taras, urgency="normal")
    triaged_critical = make_request(cast.registrar_a, taras, urgency="critical")
    transition(cast.registrar_a, triaged_critical, "triaged")
    closed = make_request(cast.registrar_a, olena, urgency="critical")
    transition(cast.registrar_a, closed, "closed", reason="duplicate")
    in_work = make_request(cast.registrar_a, olena, urgency="critical")
    transition(cast.registrar_a, in_work, "in_work")

    queue = selectors.triage_queue(actor=actor_for(cast.specialist_a), organisation=cast.hub_a)

    assert list(queue) == [critical, urgent, normal_old, normal_new, triaged_critical]


def test_another_hub_sees_nothing_of_the_requests(cast, olena, make_request):
    request = make_request(cast.registrar_a, olena)
    b = actor_for(cast.registrar_b)

    with pytest.raises(Http404):
        selectors.request_read(actor=b, request_id=request.pk)
    with pytest.raises(Http404):
        selectors.triage_queue(actor=b, organisation=cast.hub_a)
    with pytest.raises(Http404):
        transition(cast.registrar_b, request, "triaged")
    assert not selectors.request_list(actor=b).exists()
    assert Request.objects.get(pk=request.pk).status == Status.NEW
    denied = AuditEvent.objects.filter(action=Action.PERMISSION_DENIED, object_id=str(request.pk))
    assert denied.count() == 2  # the read and the change, each audited


def test_reading_a_request_is_audited(cast, olena, make_request):
    request = make_request(cast.registrar_a, olena)

    selectors.request_read(actor=actor_for(cast.specialist_a), request_id=request.pk)

    event = AuditEvent.objects.get(action=Action.READ)
    assert (event.actor, event.object_id) == (cast.specialist_a, str(request.pk))
    assert event.event == "intake.request.read"
