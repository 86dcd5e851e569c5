"""The name vocabulary's answers remembered for a batch of writes (``vocabulary.remembered``):
each key is looked up once; the batch's own new names join the answers, and leave them again
when their savepoint is rolled back; outside a batch every lookup reads the vocabulary."""

import pytest

from apps.registry import vocabulary
from apps.registry.models import NameKey

pytestmark = pytest.mark.django_db

TYPO = (NameKey.LAST, "kovachuk")


def closest_to_typo() -> list[str]:
    return vocabulary.similar_keys({TYPO}).get(TYPO, [])


@pytest.fixture
def known_names(db):
    NameKey.objects.bulk_create(
        [NameKey(part=NameKey.LAST, key=key) for key in ("kovach", "kovalenko", "shevchuk")]
    )


def test_outside_a_batch_every_lookup_reads_the_vocabulary(known_names):
    assert closest_to_typo() == ["kovach"]

    NameKey.objects.create(part=NameKey.LAST, key="kovalchuk")

    assert closest_to_typo() == ["kovalchuk", "kovach"]


def test_a_batch_finds_the_names_it_added_and_forgets_those_rolled_back(
    known_names, django_assert_num_queries
):
    with vocabulary.remembered() as names:
        assert closest_to_typo() == ["kovach"]
        NameKey.objects.create(part=NameKey.LAST, key="kovalchuk")  # the batch's new person
        with django_assert_num_queries(0):
            assert closest_to_typo() == ["kovach"]  # remembered: not read again

        names.written([(NameKey.LAST, "kovalchuk"), (NameKey.FIRST, "olena")])
        with django_assert_num_queries(0):
            assert closest_to_typo() == ["kovalchuk", "kovach"]

        names.withdrawn([(NameKey.LAST, "kovalchuk"), (NameKey.FIRST, "olena")])
        assert closest_to_typo() == ["kovach"]


def test_a_name_added_twice_stays_until_both_are_withdrawn(known_names):
    with vocabulary.remembered() as names:
        closest_to_typo()
        names.written([(NameKey.LAST, "kovalchuk")])
        names.written([(NameKey.LAST, "kovalchuk")])
        names.withdrawn([(NameKey.LAST, "kovalchuk")])

        assert closest_to_typo() == ["kovalchuk", "kovach"]


def test_the_added_names_keep_the_lookups_limit_best_first(known_names):
    """No more keys than a lookup of the whole vocabulary would give (``WIDER``), the closest
    first: the typed key itself, once the batch adds it, then its one-letter look-alikes."""
    word = TYPO[1]
    added = [word[:i] + letter + word[i + 1 :] for letter in "xyzqwjfg" for i in range(len(word))]
    with vocabulary.remembered() as names:
        closest_to_typo()
        names.written([(NameKey.LAST, key) for key in [*added, word]])

        found = closest_to_typo()

    assert len(added) > vocabulary.WIDER and len(found) == vocabulary.WIDER
    assert found[0] == word and set(found[1:]) <= set(added)


SURNAMES = [
    "kovalchuk", "kovalenko", "koval", "kovach", "kovalyk", "kovalskyi", "kovaliv", "kobal",
    "shevchuk", "shevchenko", "bondar", "bondarenko", "melnyk", "tkachuk", "tkachenko",
]  # fmt: skip
LATER = ["kovachuk", "kovalchyk", "kovalcuk", "kowalchuk", "kovalchuka", "kvalchuk", "ovalchuk"]


@pytest.mark.parametrize(("candidates", "closest"), [(200, 15), (4, 3)])
def test_a_remembered_answer_is_the_vocabularys_answer_now(monkeypatch, candidates, closest):
    """Whatever the batch adds, a remembered answer is the one a fresh lookup gives — also when
    the added keys crowd the lookup's limits (on PostgreSQL the trigram neighbourhood's)."""
    monkeypatch.setattr(vocabulary, "TRIGRAM_CANDIDATES", candidates)
    monkeypatch.setattr(vocabulary, "CLOSEST", dict.fromkeys(vocabulary.CLOSEST, (60, closest)))
    NameKey.objects.bulk_create([NameKey(part=NameKey.LAST, key=key) for key in SURNAMES])
    wanted = {(NameKey.LAST, key) for key in ("kovalchuk", "kovachuk", "tkachuk", "bondar")}

    with vocabulary.remembered() as names:
        vocabulary.similar_keys(wanted)
        for key in LATER:
            NameKey.objects.get_or_create(part=NameKey.LAST, key=key)
            names.written([(NameKey.LAST, key)])
            remembered = vocabulary.similar_keys(wanted)
            token = vocabulary._remembered.set(None)  # a fresh lookup, as outside a batch
            try:
                assert remembered == vocabulary.similar_keys(wanted), key
            finally:
                vocabulary._remembered.reset(token)


GIVEN = ["olena", "oleksandr", "ivan", "ivanna", "petro", "mykola", "olha"]
GIVEN_LATER = ["oleg", "olga", "ivan", "iavn", "oelga", "ivana", "olha"]


def test_a_remembered_answer_is_the_vocabularys_answer_now_for_short_given_names_too():
    """Short given names the trigrams may not see (oelg for oleg: on PostgreSQL the whole
    vocabulary is read instead) and surnames close only by their typing keys (sauk for
    sashchuk): a remembered answer is still the one a fresh lookup gives, in the same order."""
    NameKey.objects.bulk_create([NameKey(part=NameKey.FIRST, key=key) for key in GIVEN])
    NameKey.objects.bulk_create([NameKey(part=NameKey.LAST, key="savchuk")])
    wanted = {
        *((NameKey.FIRST, key) for key in ("oelg", "ivna", "olna", "olha")),
        (NameKey.LAST, "sauk"),
    }
    later = [(NameKey.FIRST, key) for key in GIVEN_LATER] + [(NameKey.LAST, "sashchuk")]

    after: dict[str, dict] = {}
    with vocabulary.remembered() as names:
        vocabulary.similar_keys(wanted)
        for part, key in later:
            NameKey.objects.get_or_create(part=part, key=key)
            names.written([(part, key)])
            remembered = after[key] = vocabulary.similar_keys(wanted)
            token = vocabulary._remembered.set(None)  # a fresh lookup, as outside a batch
            try:
                assert remembered == vocabulary.similar_keys(wanted), key
            finally:
                vocabulary._remembered.reset(token)

    assert after["oleg"][(NameKey.FIRST, "oelg")] == ["oleg"]  # trigrams see nothing: whole
    assert after["sashchuk"][(NameKey.LAST, "sauk")][0] == "sashchuk"
