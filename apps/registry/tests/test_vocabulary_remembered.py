"""The name vocabulary's answers remembered for a batch of writes (``vocabulary.remembered``):
each key is looked up once; the batch's own new names join the answers, and leave them again
when their savepoint is rolled back; outside a batch every lookup reads the vocabulary."""

import pytest

from apps.registry import vocabulary
from apps.registry.models import NameKey

pytestmark = pytest.mark.django_db

TYPO = (NameKey.LAST, "kovachuk")


def closest_to_typo() -> set[str]:
    return vocabulary.similar_keys({TYPO}).get(TYPO, set())


@pytest.fixture
def known_names(db):
    NameKey.objects.bulk_create(
        [NameKey(part=NameKey.LAST, key=key) for key in ("kovach", "kovalenko", "shevchuk")]
    )


def test_outside_a_batch_every_lookup_reads_the_vocabulary(known_names):
    assert closest_to_typo() == {"kovach"}

    NameKey.objects.create(part=NameKey.LAST, key="kovalchuk")

    assert closest_to_typo() == {"kovach", "kovalchuk"}


def test_a_batch_finds_the_names_it_added_and_forgets_those_rolled_back(
    known_names, django_assert_num_queries
):
    with vocabulary.remembered() as names:
        assert closest_to_typo() == {"kovach"}
        NameKey.objects.create(part=NameKey.LAST, key="kovalchuk")  # the batch's new person
        with django_assert_num_queries(0):
            assert closest_to_typo() == {"kovach"}  # remembered: not read again

        names.written([(NameKey.LAST, "kovalchuk"), (NameKey.FIRST, "olena")])
        with django_assert_num_queries(0):
            assert closest_to_typo() == {"kovach", "kovalchuk"}

        names.withdrawn([(NameKey.LAST, "kovalchuk"), (NameKey.FIRST, "olena")])
        assert closest_to_typo() == {"kovach"}


def test_a_name_added_twice_stays_until_both_are_withdrawn(known_names):
    with vocabulary.remembered() as names:
        closest_to_typo()
        names.written([(NameKey.LAST, "kovalchuk")])
        names.written([(NameKey.LAST, "kovalchuk")])
        names.withdrawn([(NameKey.LAST, "kovalchuk")])

        assert closest_to_typo() == {"kovach", "kovalchuk"}


def test_the_added_names_keep_the_parts_limit(known_names):
    """No more keys than a lookup of the whole vocabulary would give (``CLOSEST``)."""
    _cutoff, limit = vocabulary.CLOSEST[NameKey.LAST]
    word = TYPO[1]
    added = [word[:i] + letter + word[i + 1 :] for letter in "xyz" for i in range(len(word))]
    with vocabulary.remembered() as names:
        closest_to_typo()
        names.written([(NameKey.LAST, key) for key in added])

        found = closest_to_typo()

    assert len(added) > limit and len(found) == limit and found <= {*added, "kovach"}


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
