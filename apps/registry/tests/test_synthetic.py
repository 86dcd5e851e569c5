"""Synthetic persons: deterministic, valid identifiers, coherent households, clean reruns, and
refusals (SQLite and PostgreSQL alike: the rows go in through COPY on PostgreSQL)."""

from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.registry import selectors, synthetic
from apps.registry.identifiers import (
    DocumentType,
    Sex,
    rnokpp_birth_date,
    rnokpp_sex,
    unzr_birth_date,
    validate_document,
    validate_phone,
)
from apps.registry.models import (
    Document,
    HouseholdMember,
    NameKey,
    Person,
    PersonCategory,
    PersonPhone,
    Relationship,
)
from apps.registry.names import person_keys

pytestmark = pytest.mark.django_db

PERSONS = 600


@pytest.fixture(autouse=True)
def _registry_alone(monkeypatch):
    """The registry's generator on its own: the batch hooks of other apps (intake's requests)
    are tested with those apps."""
    monkeypatch.setattr(synthetic, "_BATCH_HOOKS", [])


@pytest.fixture
def generated(cast):
    summary = synthetic.generate(persons=PERSONS, seed=3)
    assert summary.persons == PERSONS
    return summary


def snapshot():
    return sorted(
        Person.objects.values_list(
            "id", "last_name", "first_name", "patronymic", "birth_date", "sex", "organisation_id"
        )
    )


# --- the names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("father", "son", "daughter"),
    [
        ("Олександр", "Олександрович", "Олександрівна"),
        ("Ігор", "Ігорович", "Ігорівна"),
        ("Ілля", "Ілліч", "Іллівна"),
        ("Сергій", "Сергійович", "Сергіївна"),
        ("Дмитро", "Дмитрович", "Дмитрівна"),
        ("Микола", "Миколайович", "Миколаївна"),
        ("Микита", "Микитович", "Микитівна"),
        ("Василь", "Васильович", "Василівна"),
        ("Федір", "Федорович", "Федорівна"),
        ("Григорій", "Григорович", "Григорівна"),
    ],
)
def test_patronymics_follow_the_ukrainian_rules(father, son, daughter):
    assert synthetic.patronymic(father, Sex.MALE) == son
    assert synthetic.patronymic(father, Sex.FEMALE) == daughter


@pytest.mark.parametrize(
    ("masculine", "feminine"),
    [
        ("Ковальський", "Ковальська"),
        ("Кульчицький", "Кульчицька"),
        ("Білий", "Біла"),
        ("Заболотний", "Заболотна"),
        ("Ковальов", "Ковальова"),
        ("Волошин", "Волошина"),
        ("Шевченко", "Шевченко"),
        ("Ковальчук", "Ковальчук"),
        ("Мельник", "Мельник"),
    ],
)
def test_surnames_take_the_feminine_form(masculine, feminine):
    assert synthetic.feminine_surname(masculine) == feminine


# --- what is generated --------------------------------------------------------------------------


def test_the_same_seed_makes_the_same_people_and_another_seed_others(cast, generated):
    first = snapshot()
    other_seed = synthetic.make_batch(4, 0, PERSONS, synthetic._places())

    Person.objects.all().delete()
    synthetic.generate(persons=PERSONS, seed=3)

    assert snapshot() == first
    names = {(p[1], p[2], p[3], p[4]) for p in first}
    others = {(p.last_name, p.first_name, p.patronymic, p.birth_date) for p in other_seed.persons}
    assert len(names & others) < PERSONS // 10


def test_every_identifier_is_valid_and_agrees_with_the_person(generated):
    persons = {p.pk: p for p in Person.objects.all()}
    documents = list(Document.objects.all())
    rnokpps = [d for d in documents if d.type == DocumentType.RNOKPP]
    assert len(rnokpps) > PERSONS * 0.9
    for document in documents:
        person = persons[document.person_id]
        validated = validate_document(
            document.type, document.number, birth_date=person.birth_date, sex=person.sex
        )
        assert validated.normalised == document.number
        assert not validated.warnings, (document, validated.warnings)
        if document.type == DocumentType.RNOKPP:
            assert rnokpp_birth_date(document.number) == person.birth_date
            assert rnokpp_sex(document.number) == person.sex
        if document.type == DocumentType.UNZR:
            assert unzr_birth_date(document.number) == person.birth_date
    personal = [(d.type, d.number) for d in documents if d.type != DocumentType.IDP_CERTIFICATE]
    assert len(personal) == len(set(personal))
    phones = list(PersonPhone.objects.values_list("number", flat=True))
    assert phones and all(validate_phone(number) == number for number in phones)
    assert len(phones) == len(set(phones))


def test_names_keys_and_sexes_agree(generated):
    for person in Person.objects.all():
        keys = person_keys(person.last_name, person.first_name, person.patronymic)
        assert (person.key_last, person.latin_first, person.surname_sound) == (
            keys.last,
            keys.first_latin,
            keys.surname_sound,
        )
        assert person.latin_patronymic == keys.patronymic_latin
        ending = ("ич", "іч") if person.sex == Sex.MALE else ("івна", "ївна")
        assert person.patronymic.endswith(ending), person
        assert person.birth_year == person.birth_date.year
        assert person.organisation.community_id == person.community_id


def test_households_share_a_surname_and_children_their_fathers_patronymic(generated):
    households = defaultdict(list)
    for member in HouseholdMember.objects.select_related("person"):
        households[member.household_id].append(member)
    assert len(households) > PERSONS / 10
    for members in households.values():
        (head,) = [m for m in members if m.relationship == Relationship.HEAD]
        stem = head.person.last_name[:3]
        assert all(m.person.last_name.startswith(stem) for m in members)
        assert len({m.person.organisation_id for m in members}) == 1
        adults = [m for m in members if m.relationship != Relationship.CHILD]
        father = next((m.person for m in adults if m.person.sex == Sex.MALE), None)
        for child in (m.person for m in members if m.relationship == Relationship.CHILD):
            assert child.birth_date > max(a.person.birth_date for a in adults)
            if father is not None:
                assert child.patronymic == synthetic.patronymic(father.first_name, child.sex)


def test_categories_are_plausible(generated):
    shares = defaultdict(int)
    for code in PersonCategory.objects.values_list("code", flat=True):
        shares[code] += 1
    assert 0.2 < shares["IDP"] / PERSONS < 0.5
    idps = Person.objects.filter(categories__code="IDP")
    assert all(p.documents.filter(type=DocumentType.IDP_CERTIFICATE).exists() for p in idps)
    assert not PersonCategory.objects.filter(code="ELDERLY", person__birth_year__gt=1966).exists()


def test_the_name_vocabulary_learns_every_key_and_search_finds_a_generated_person(cast, generated):
    assert set(NameKey.objects.filter(part="last").values_list("key", flat=True)) == set(
        Person.objects.values_list("latin_last", flat=True)
    )
    person = Person.objects.order_by("pk")[17]

    (best, *_rest) = selectors.person_search(
        actor=actor_for(cast.coordinator_a),
        q=f"{person.first_name_latin} {person.last_name_latin}",
        birth_date=person.birth_date,
    )

    assert best.person == person


# --- reruns and refusals ------------------------------------------------------------------------


def test_a_rerun_adds_nothing_and_a_larger_one_only_the_rest(cast, generated):
    before = snapshot()
    events = AuditEvent.objects.filter(event="registry.synthetic.created").count()

    again = synthetic.generate(persons=PERSONS, seed=3)
    more = synthetic.generate(persons=PERSONS + 250, seed=3)

    assert (again.persons, again.skipped) == (0, PERSONS)
    assert (more.persons, more.skipped) == (250, PERSONS)
    assert set(before) <= set(snapshot())
    assert Person.objects.count() == PERSONS + 250
    assert HouseholdMember.objects.count() == len(
        set(HouseholdMember.objects.values_list("person_id", flat=True))
    )
    assert AuditEvent.objects.filter(event="registry.synthetic.created").count() > events


def test_each_batch_is_audited_per_hub(cast, generated):
    events = AuditEvent.objects.filter(event="registry.synthetic.created")
    assert {e.organisation_id for e in events} == {cast.hub_a.pk, cast.hub_b.pk}
    assert sum(int(e.reason.split()[0]) for e in events) == PERSONS


def test_real_persons_another_seed_and_no_hubs_are_refused(cast, generated, maria, register):
    with pytest.raises(synthetic.GenerationRefused, match="seed 3"):
        synthetic.generate(persons=10, seed=4)

    register(cast.registrar_a, maria, confirm_not_duplicate=True)
    with pytest.raises(synthetic.GenerationRefused, match="real"):
        synthetic.generate(persons=10, seed=3)


def test_the_command_refuses_without_hubs_and_on_a_production_site(db, settings):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("generate_synthetic", persons=5, seed=1)
    settings.HTTPS = True
    with pytest.raises(CommandError, match="production"):
        call_command("generate_synthetic", persons=5, seed=1)
    assert not Person.objects.exists()


def test_the_command_reports_what_it_added(cast, capsys):
    call_command("generate_synthetic", persons=40, seed=9)

    assert "40 persons added" in capsys.readouterr().out
    assert Person.objects.count() == 40
