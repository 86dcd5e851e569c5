"""The household page and its changes, the merge page, and transfers of access as pages."""

from datetime import date

import pytest
from django.urls import reverse

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.registry import services
from apps.registry.models import AccessTransfer, Household, HouseholdMember, Person, TransferStatus

from .conftest import rnokpp_of

pytestmark = pytest.mark.django_db


def household_url(household):
    return reverse("registry:household-detail", args=[household.pk])


@pytest.fixture
def household(cast, maria_person):
    return services.household_create(actor=actor_for(cast.registrar_a), head_id=maria_person.pk)


# --- households ---------------------------------------------------------------------------------


def test_a_household_is_created_from_the_card(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)

    response = client.post(reverse("registry:household-create", args=[maria_person.pk]))

    household = Household.objects.get()
    assert response.status_code == 302 and response["Location"] == household_url(household)
    page = client.get(household_url(household)).content.decode()
    assert "Шевчук Марія Іванівна" in page and "Голова домогосподарства" in page
    assert f"{reverse('registry:register')}?member_of={household.pk}" in page
    card = client.get(reverse("registry:person-detail", args=[maria_person.pk])).content.decode()
    assert household_url(household) in card


def test_a_member_is_found_by_search_and_added(signed_in, cast, household, relative):
    petro = relative("Петро", "2010-05-05")
    client = signed_in(cast.registrar_a)

    found = client.get(household_url(household), {"q": "Шевчук Петро"})

    ((candidate, form),) = found.context["candidates"]
    assert candidate == petro and form["version"].value() == household.version
    response = client.post(
        reverse("registry:household-member-add", args=[household.pk]),
        {"person": str(petro.pk), "relationship": "child", "version": household.version},
    )
    assert response.status_code == 302
    member = HouseholdMember.objects.get(person=petro)
    assert (member.household_id, member.relationship) == (household.pk, "child")
    again = client.get(household_url(household), {"q": "Шевчук Петро"})
    assert again.context["candidates"] == []


def test_a_stale_version_is_refused_with_a_message(signed_in, cast, household, relative):
    petro, ivan = relative("Петро", "2010-05-05"), relative("Іван", "1950-01-01")
    services.household_member_add(
        actor=actor_for(cast.coordinator_a),
        household_id=household.pk,
        version=1,
        person_id=ivan.pk,
        relationship="parent",
    )
    client = signed_in(cast.registrar_a)

    response = client.post(
        reverse("registry:household-member-add", args=[household.pk]),
        {"person": str(petro.pk), "relationship": "child", "version": 1},
        follow=True,
    )

    assert "Домогосподарство щойно змінив хтось інший" in response.content.decode()
    assert not HouseholdMember.objects.filter(person=petro).exists()
    assert response.context["paste_form"]["version"].value() == 2


def test_bad_input_names_the_field(signed_in, cast, household, bohdana):
    client = signed_in(cast.registrar_a)
    url = reverse("registry:household-member-add", args=[household.pk])

    bad_choice = client.post(url, {"person": "not-an-id", "relationship": "head", "version": 1})
    out_of_scope = client.post(
        url, {"person": str(bohdana.pk), "relationship": "child", "version": 1}, follow=True
    )

    texts = [str(m) for m in bad_choice.wsgi_request._messages]
    assert any(t.startswith("Ідентифікатор особи:") for t in texts)
    assert any(t.startswith("Ким доводиться голові:") for t in texts)
    assert "Немає особи з таким ідентифікатором" in out_of_scope.content.decode()
    assert "Вінничук" not in out_of_scope.content.decode()
    assert household.members.count() == 1


def test_the_head_changes_and_a_membership_ends_into_history(signed_in, cast, household, relative):
    petro = relative("Петро", "2010-05-05")
    actor = actor_for(cast.registrar_a)
    son = services.household_member_add(
        actor=actor, household_id=household.pk, version=1, person_id=petro.pk, relationship="child"
    )
    head = household.members.get(relationship="head")
    client = signed_in(cast.registrar_a)

    client.post(
        reverse("registry:household-head-change", args=[household.pk]),
        {"member": son.pk, "previous_head_relationship": "parent", "version": 2},
    )
    client.post(
        reverse("registry:household-member-end", args=[household.pk, head.pk]), {"version": 3}
    )

    son.refresh_from_db()
    head.refresh_from_db()
    assert son.relationship == "head"
    assert (head.relationship, head.left_on) == ("parent", date.today())
    page = client.get(household_url(household))
    assert [m.member for m in page.context["history"]] == [head]
    assert "Колишні члени" in page.content.decode()


def test_the_head_cannot_leave(signed_in, cast, household):
    head = household.members.get()
    response = signed_in(cast.registrar_a).post(
        reverse("registry:household-member-end", args=[household.pk, head.pk]),
        {"version": 1},
        follow=True,
    )
    assert "спершу призначте іншого голову" in response.content.decode()
    head.refresh_from_db()
    assert head.left_on is None


def test_a_household_of_another_community_is_not_found(signed_in, cast, bohdana):
    household = services.household_create(actor=actor_for(cast.registrar_b), head_id=bohdana.pk)
    client = signed_in(cast.registrar_a)
    assert client.get(household_url(household)).status_code == 404
    end = reverse("registry:household-member-end", args=[household.pk, household.members.get().pk])
    assert client.post(end, {"version": 1}).status_code == 404
    assert client.post(reverse("registry:household-create", args=[bohdana.pk])).status_code == 404


def test_readers_without_the_right_to_write_see_no_forms(signed_in, cast, household):
    body = signed_in(cast.admin).get(household_url(household)).content.decode()
    assert "Додати члена" in body
    # A coordinator of another hub is out of scope; a partner has no registry at all.
    assert signed_in(cast.partner_staff_a).get(household_url(household)).status_code == 404


# --- merging ------------------------------------------------------------------------------------


@pytest.fixture
def twin(cast, register):
    """Марія registered again, in Latin and without her РНОКПП."""
    data = {
        "last_name": "Shevchuk",
        "first_name": "Mariia",
        "birth_date": "1985-03-14",
        "sex": "female",
        "phone": "050 111 22 33",
        "community": cast.community_a.code,
    }
    return register(cast.registrar_a, data, confirm_not_duplicate=True)


def merge_url(person):
    return reverse("registry:person-merge", args=[person.pk])


def test_a_coordinator_picks_compares_and_merges(signed_in, cast, maria_person, twin):
    client = signed_in(cast.coordinator_a)

    picked = client.get(merge_url(maria_person))
    assert picked.context["candidates"] == [twin]
    compared = client.get(merge_url(maria_person), {"duplicate": str(twin.pk)})
    body = compared.content.decode()
    assert "+380501112233" in body and rnokpp_of(date(1985, 3, 14)) in body
    merged = client.post(
        merge_url(maria_person), {"duplicate": str(twin.pk), "reason": "Той самий РНОКПП"}
    )

    assert merged.status_code == 302
    assert Person.objects.get(pk=twin.pk).merged_into_id == maria_person.pk
    old_card = client.get(reverse("registry:person-detail", args=[twin.pk]))
    assert old_card["Location"] == reverse("registry:person-detail", args=[maria_person.pk])
    reads = AuditEvent.objects.filter(event="registry.person.read", object_id=str(twin.pk))
    assert reads.exists()


def test_a_merge_needs_a_reason(signed_in, cast, maria_person, twin):
    response = signed_in(cast.coordinator_a).post(
        merge_url(maria_person), {"duplicate": str(twin.pk), "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert Person.objects.get(pk=twin.pk).merged_into_id is None


def test_a_record_cannot_be_merged_with_itself(signed_in, cast, maria_person):
    response = signed_in(cast.coordinator_a).post(
        merge_url(maria_person), {"duplicate": str(maria_person.pk), "reason": "помилка"}
    )
    assert response.context["form"].non_field_errors() == [
        "Запис не можна об'єднати з самим собою."
    ]


def test_merging_is_for_coordinators_and_within_scope(signed_in, cast, maria_person, bohdana):
    assert signed_in(cast.registrar_a).get(merge_url(maria_person)).status_code == 403
    client = signed_in(cast.coordinator_a)
    assert client.get(merge_url(bohdana)).status_code == 404
    pasted = client.get(merge_url(maria_person), {"duplicate": str(bohdana.pk)})
    assert pasted.status_code == 200
    assert "Немає запису з таким ідентифікатором" in pasted.content.decode()
    assert "Вінничук" not in pasted.content.decode()
    post = client.post(merge_url(maria_person), {"duplicate": str(bohdana.pk), "reason": "x"})
    assert Person.objects.get(pk=bohdana.pk).merged_into_id is None
    assert post.status_code == 200


# --- transfers ----------------------------------------------------------------------------------


def request_form_of(client) -> str:
    """The ``transfer_ref`` of the request form the search page shows for Марія."""
    page = client.get(reverse("registry:search"), {"q": "Шевчук Марія"})
    (result,) = page.context["results"]
    assert result["person"] is None and result["transfer_ref"]
    assert 'action="/persons/transfers/new/"' in page.content.decode()
    return result["transfer_ref"]


def test_a_hub_asks_and_the_holder_grants(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_b)
    ref = request_form_of(client)

    asked = client.post(
        reverse("registry:transfer-request"), {"transfer_ref": ref, "reason": "Переїхала"}
    )

    assert asked.status_code == 302 and asked["Location"] == reverse("registry:transfers")
    outgoing = client.get(reverse("registry:transfers"))
    body = outgoing.content.decode()
    assert cast.hub_a.name in body and "Очікує рішення" in body and "Шевчук" not in body
    transfer = AccessTransfer.objects.get()

    coordinator = signed_in(cast.coordinator_a)
    incoming = coordinator.get(reverse("registry:transfers")).content.decode()
    assert "Переїхала" in incoming and cast.hub_b.name in incoming
    assert "Шевчук Марія Іванівна" in incoming
    coordinator.post(
        reverse("registry:transfer-decide", args=[transfer.pk]),
        {"decision": "grant", "note": "Передано"},
    )

    assert Person.objects.get(pk=maria_person.pk).organisation == cast.hub_b
    granted = signed_in(cast.registrar_b).get(reverse("registry:transfers")).content.decode()
    assert reverse("registry:person-detail", args=[maria_person.pk]) in granted


def test_a_request_without_a_reason_shows_the_form_again(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_b)
    ref = request_form_of(client)

    response = client.post(reverse("registry:transfer-request"), {"transfer_ref": ref})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert 'href="#id_reason"' in response.content.decode()
    assert not AccessTransfer.objects.exists()


def test_a_forged_reference_is_refused(signed_in, cast, maria_person):
    response = signed_in(cast.registrar_b).post(
        reverse("registry:transfer-request"), {"transfer_ref": "forged", "reason": "Переїхала"}
    )
    assert "Недійсне посилання на особу" in response.content.decode()
    assert not AccessTransfer.objects.exists()


def test_the_holder_refuses_and_a_decision_is_made_once(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_b)
    client.post(
        reverse("registry:transfer-request"),
        {"transfer_ref": request_form_of(client), "reason": "Переїхала"},
    )
    transfer = AccessTransfer.objects.get()
    coordinator = signed_in(cast.coordinator_a)
    url = reverse("registry:transfer-decide", args=[transfer.pk])

    coordinator.post(url, {"decision": "refuse"})
    again = coordinator.post(url, {"decision": "grant"}, follow=True)

    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED
    assert "Щодо цього запиту вже є рішення." in again.content.decode()
    assert Person.objects.get(pk=maria_person.pk).organisation == cast.hub_a


def test_the_requester_cancels(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_b)
    client.post(
        reverse("registry:transfer-request"),
        {"transfer_ref": request_form_of(client), "reason": "Переїхала"},
    )
    transfer = AccessTransfer.objects.get()
    client.post(reverse("registry:transfer-cancel", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED


def test_who_sees_which_list(signed_in, cast):
    registrar = signed_in(cast.registrar_a).get(reverse("registry:transfers"))
    assert registrar.context["incoming"] is None and registrar.context["outgoing"] == []
    assert "Передачі осіб" in registrar.content.decode()
    assert signed_in(cast.partner_staff_a).get(reverse("registry:transfers")).status_code == 403
    assert signed_in(cast.registrar_a).post(
        reverse("registry:transfer-request"), {"transfer_ref": "x", "reason": "y"}
    ).status_code in {200}


def test_only_the_holder_decides(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_b)
    client.post(
        reverse("registry:transfer-request"),
        {"transfer_ref": request_form_of(client), "reason": "Переїхала"},
    )
    transfer = AccessTransfer.objects.get()
    url = reverse("registry:transfer-decide", args=[transfer.pk])
    assert signed_in(cast.coordinator_b).post(url, {"decision": "grant"}).status_code == 404
    assert signed_in(cast.registrar_a).post(url, {"decision": "grant"}).status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED
