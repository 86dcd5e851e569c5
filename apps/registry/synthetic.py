"""Synthetic registry data at scale: realistic Ukrainian persons in households, spread over the
hubs of the database, for demos and for measuring the search at 1,000,000 persons.

Decisions:

* **Deterministic for a seed.** Persons are made in batches of ``BATCH_SIZE``; batch ``b`` of
  seed ``s`` draws from its own ``random.Random`` seeded by ``(s, b)``, so a batch does not
  depend on the ones before it. Ids are not random either: a synthetic id is
  ``SYNTHETIC_MARK · seed · kind · index`` (see ``synthetic_id``), so the persons of a seed are
  one range of the primary key.
* **A rerun adds cleanly.** ``generate(persons=N, seed=S)`` makes sure persons ``0 … N-1`` of
  seed ``S`` exist: the ones already there are skipped (a rerun changes nothing, a larger ``N``
  adds only the rest). Mixing seeds in one database is refused: the identifiers of two seeds
  are not allocated apart (below).
* **Only on a database without real persons, never on a production site** (``HTTPS`` on):
  fake people must not mix with real ones. The persons go to the hubs (organisations of kind
  hub) already in the database — ``load_demo`` makes the four demo hubs; with no hub the run
  is refused (the registry does not load the demo: the demo sits above it).
* **Identifiers are valid and unique.** A РНОКПП encodes the birth date and the sex
  (``identifiers``); its 5,000 serials per birth date and sex are shared out as
  ``RNOKPP_SLOTS_PER_BATCH`` per batch, the 9,999 УНЗР record numbers per date as
  ``UNZR_SLOTS_PER_BATCH``, so at most ``MAX_PERSONS`` persons per seed. A person who would
  overflow a slot gets no such number (as people who refused a РНОКПП have none). Phones,
  ID-card and passport numbers come from the person's index through a bijection, so they never
  repeat.
* **Names** come from compact frequency tables (rank order, Zipf weights): surnames with their
  feminine forms (``feminine_surname``), given names by sex, patronymics from the father's
  given name by the Ukrainian rules (``patronymic``). A household shares the surname (in the
  form of each member's sex); children take the patronymic of the father.
* **Fast.** Search keys are computed once per distinct name part (``functools.cache``), the
  rows are plain tuples, and on PostgreSQL each batch goes in with ``COPY`` (psycopg 3), on
  SQLite with ``executemany``, one transaction per batch with its audit events; indexes and
  constraints stay in place.
* **Audit.** One CREATE event per batch and hub (``registry.synthetic.created``) says how many
  synthetic persons were added there, in the transaction of the batch.
* **Requests** come from the intake app, which registers a batch hook
  (``register_batch_hook``); it receives every batch's new persons inside the batch's
  transaction.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from apps.audit import services as audit
from apps.geo.models import Category as UnitCategory
from apps.geo.models import Unit

from .identifiers import (
    RNOKPP_EPOCH,
    DocumentType,
    Sex,
    rnokpp_check_digit,
    unzr_check_digit,
)
from .models import (
    Category,
    Document,
    Household,
    HouseholdMember,
    Person,
    PersonCategory,
    PersonPhone,
    Relationship,
)
from .names import latin_key, name_key, surname_sound, transliterate

__all__ = [
    "BATCH_SIZE",
    "MAX_PERSONS",
    "Batch",
    "GenerationRefused",
    "SyntheticPerson",
    "audit_batch",
    "feminine_surname",
    "generate",
    "patronymic",
    "register_batch_hook",
    "synthetic_id",
]

BATCH_SIZE = 10_000
RNOKPP_SLOTS_PER_BATCH = 25  # 1,000 serials x 5 sex digits = 5,000 per birth date and sex
UNZR_SLOTS_PER_BATCH = 49  # record numbers 0001-9999 per birth date
MAX_BATCHES = min(5_000 // RNOKPP_SLOTS_PER_BATCH, 9_999 // UNZR_SLOTS_PER_BATCH)
MAX_PERSONS = MAX_BATCHES * BATCH_SIZE
MAX_SEED = 0xFFFF
#: Ages are counted at this date, so a seed gives the same people whatever the day.
REFERENCE_DATE = date(2026, 1, 1)

# --- ids --------------------------------------------------------------------------------------

#: The top 48 bits of every synthetic id ("5e7e71c" ~ "synthetic").
SYNTHETIC_MARK = 0x5E7E71C0FFEE
_PERSON, _HOUSEHOLD = 1, 2


def synthetic_id(seed: int, kind: int, index: int) -> uuid.UUID:
    """``mark (48 bits) · seed (16) · kind (8) · index (56)``: ids of one seed and kind are one
    range of the key, in the order they are made."""
    return uuid.UUID(int=(SYNTHETIC_MARK << 80) | (seed << 64) | (kind << 56) | index)


def _id_range(seed: int | None = None, kind: int = _PERSON) -> tuple[uuid.UUID, uuid.UUID]:
    if seed is None:
        return uuid.UUID(int=SYNTHETIC_MARK << 80), uuid.UUID(int=((SYNTHETIC_MARK + 1) << 80) - 1)
    return synthetic_id(seed, kind, 0), synthetic_id(seed, kind, (1 << 56) - 1)


# --- name tables ------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Common Ukrainian surnames, most frequent first, in the masculine form.
SURNAMES = _words(
    """
Мельник Шевченко Коваленко Бондаренко Бойко Ткаченко Кравченко Ковальчук Коваль Олійник
Шевчук Поліщук Бондар Ткачук Марченко Мороз Лисенко Руденко Савченко Петренко Кравчук
Клименко Павленко Кузьменко Савчук Левченко Харченко Пономаренко Карпенко Мазур Литвиненко
Гончаренко Кушнір Романенко Мартинюк Костенко Приходько Швець Марчук Гаврилюк Антонюк
Ярошенко Федоренко Тимошенко Захарченко Іваненко Остапенко Панченко Кириленко Білик Гуменюк
Лук'яненко Ковальов Вакуленко Сидоренко Ковальський Вишневський Заболотний Білий Чорний Дячук
Гордієнко Яковенко Степаненко Грищенко Юрченко Зінченко Онищенко Сорока Козак Пилипенко
Семенко Гриценко Костюк Дмитренко Лісовий Кравець Головко Сердюк Кульчицький Чайковський
Величко Демченко Сидорчук Хоменко Кучер Ярмоленко Євтушенко Щербак Щербина Жук Чумак Цимбал
Федорчук Ігнатенко Ільченко Яремчук Ющенко Задорожний Нестеренко Присяжнюк Волошин Дем'яненко
Прокоп'юк Мар'яненко Іванов Попов Петров Соколов Кузнєцов Медведєв Смирнов Бережний Гнатюк
Стасюк Лесик Кобзар Дорошенко Сахно Оліфіренко Тарасенко Вовк Гайдай Мирошниченко Рибак
Науменко Денисенко Тищенко Власенко Діденко Кононенко Юрчишин Гуцуляк Стецько Возняк Пелих
"""
)

#: Given names, most frequent first (roughly Ukraine's adults of all ages: the Soviet-era names of
#: the older generations, Олександр … Анатолій, Валерій, Геннадій, beside the names of the young,
#: Максим, Артем, Матвій …). A hundred per sex, with ``GIVEN_NAME_SHAPE`` weights: the first
#: name about 9 % of one sex, the first ten about 43 %, as in the country's registers (the
#: most common name, Олександр, is carried by well under a tenth of men); the rarer names beyond
#: a hundred are left out.
MALE_NAMES = _words(
    """
Олександр Сергій Володимир Андрій Микола Іван Юрій Василь Віктор Дмитро Олексій Михайло
Петро Анатолій Олег Ігор Валерій Віталій Євген Роман Богдан Максим Павло Артем Вадим Руслан
Ярослав Денис Григорій Степан Леонід Костянтин Борис Геннадій Тарас Валентин В'ячеслав
Владислав Федір Назар Станіслав Антон Ілля Кирило Данило Едуард Георгій Аркадій Ростислав
Мирослав Матвій Микита Тимофій Марко Остап Захар Яків Святослав Всеволод Любомир Орест Олесь
Зіновій Йосип Семен Тимур Гліб Давид Лука Лев Арсеній Маркіян Нестор Панас Прохор Савелій
Юліан Адам Ярема Веніамін Філіп Харитон Ян Герман Сава Кузьма Омелян Трохим Тихон Вікентій
Альберт Северин Єгор Радим Мар'ян Левко Іларіон Арсен Мирон Устим
"""
)

FEMALE_NAMES = _words(
    """
Олена Наталія Тетяна Ірина Світлана Людмила Оксана Ольга Галина Валентина Марія Юлія
Ганна Надія Катерина Лариса Любов Віра Ніна Алла Інна Вікторія Анастасія Лідія Тамара Раїса
Зінаїда Яна Олеся Аліна Дарина Софія Марина Мар'яна Христина Жанна Антоніна Валерія Ксенія
Вероніка Уляна Соломія Поліна Діана Ярослава Богдана Злата Мирослава Іванна Євгенія Єлизавета
Лілія Майя Стефанія Емілія Ангеліна Каріна Кіра Маргарита Василина Роксолана Орися Устина
Таїсія Євдокія Параска Регіна Олександра Дарія Мілана Єва Леся Зоя Марта Віталіна Сніжана
Інеса Фаїна Ельвіра Римма Клавдія Любомира Нонна Неля Віолетта Ада Аріна Василиса Руслана
Станіслава Ореста Тереза Ельза Домініка Ліна Кристина Владислава Ярина Емма Нелля
"""
)

#: Patronymics the general rules get wrong: (son's, daughter's).
SPECIAL_PATRONYMICS = {
    "Микола": ("Миколайович", "Миколаївна"),
    "Ілля": ("Ілліч", "Іллівна"),
    "Лука": ("Лукич", "Луківна"),
    "Яків": ("Якович", "Яківна"),
    "Григорій": ("Григорович", "Григорівна"),
    "Федір": ("Федорович", "Федорівна"),
    "Василь": ("Васильович", "Василівна"),
    "Лев": ("Львович", "Львівна"),
}

_FEMININE_ENDINGS = (
    ("ський", "ська"),
    ("цький", "цька"),
    ("зький", "зька"),
    ("ний", "на"),
    ("ий", "а"),
    ("ов", "ова"),
    ("ев", "ева"),
    ("єв", "єва"),
    ("ін", "іна"),
    ("їн", "їна"),
    ("ин", "ина"),
)


def feminine_surname(surname: str) -> str:
    """The woman's form of a masculine surname: -ський → -ська, -ий → -а, -ов/-ев/-єв/-ін/-ин
    take -а; the others (-енко, -ук, -юк, -ич, -ко, a consonant) do not change."""
    for masculine, feminine in _FEMININE_ENDINGS:
        if surname.endswith(masculine):
            return surname[: -len(masculine)] + feminine
    return surname


def patronymic(father: str, sex: str) -> str:
    """The patronymic from the father's given name: Олександр → Олександрович/Олександрівна,
    Сергій → Сергійович/Сергіївна, Дмитро → Дмитрович/Дмитрівна, Микита → Микитович/
    Микитівна, Ігор → Ігорович/Ігорівна; the exceptions (Микола, Ілля, Лука, Яків, Григорій,
    Федір, Василь, Лев) from ``SPECIAL_PATRONYMICS``."""
    male = sex == Sex.MALE
    if father in SPECIAL_PATRONYMICS:
        return SPECIAL_PATRONYMICS[father][0 if male else 1]
    if father.endswith("ій"):
        return father[:-2] + ("ійович" if male else "іївна")
    stem = father[:-1] if father[-1] in "оа" else father
    return stem + ("ович" if male else "івна")


# --- shares -----------------------------------------------------------------------------------

#: Age bands of Ukraine's population (5 years each from 0; share in per mille), roughly.
AGE_BANDS = (40, 50, 55, 50, 45, 55, 70, 80, 75, 70, 65, 70, 65, 60, 45, 30, 25, 10, 4)
HOUSEHOLD_KINDS = (("single", 32), ("couple", 20), ("family", 33), ("single_parent", 15))
CHILDREN = ((1, 55), (2, 36), (3, 7), (4, 2))
MOBILE_CODES = ("50", "66", "95", "99", "67", "68", "96", "97", "98", "63", "73", "93")
PASSPORT_SERIES = _words("КВ СР МЕ ВК НК АА ВА ВВ ВМ ЕК КА КМ КН КС МК НВ ОО СН ТТ ЮА")
IDP_SHARE = 0.35
MILITARY_SHARE, VETERAN_SHARE, WAR_DISABLED_SHARE = 0.06, 0.10, 0.15
FALLEN_SHARE, MISSING_SHARE, CAPTIVE_SHARE = 0.08, 0.04, 0.01
DISABILITY_SHARES = ((Category.DIS_I, 0.01), (Category.DIS_II, 0.03), (Category.DIS_III, 0.03))
DIS_CHILD_SHARE, ELDERLY_SHARE, LOW_INCOME_SHARE, DV_SHARE = 0.015, 0.7, 0.12, 0.02
RNOKPP_SHARE, PHONE_SHARE = 0.97, 0.85


#: Surnames are drawn from ``SURNAMES`` then ``TAIL_SURNAMES`` as one ranked list, the weight of
#: rank r being 1 / r ** ``SURNAME_EXPONENT``: Мельник about 0.2 % of persons, the 120 common
#: surnames about 6 %, and every surname of the tail rarer than every common one (Ukraine has
#: hundreds of thousands of surnames; the most common one, Мельник, is carried by one person in
#: four or five hundred).
SURNAME_EXPONENT = 0.4
#: Given names (and the fathers' names of patronymics): the weight of rank r is
#: 1 / (r + offset) ** exponent, a flatter head than a plain Zipf draw.
GIVEN_NAME_SHAPE = (2, 1.0)
_TAIL_STARTS = _words(
    """
Ба Бо Бу Ва Во Га Го Гу Да До Ду Жу За Зо Ка Ко Ку Ла Ле Ли Лу Ма Ми Мо На Не Ни Па Пе По Ра
Ро Ру Са Се Со Та Те То Ту Фе Ха Хо Ца Че Чо Ша Ше Шу Яр
"""
)
_TAIL_MIDDLES = _words("б в г д л м н р с т х ш ч щ ль рк ст вч лк нт")
_TAIL_ENDINGS = _words("енко ук чук ишин ський ець ак ан ич ін ович ко")


def _tail_surnames() -> tuple[str, ...]:
    """Plausible rarer surnames made from syllables (50 x 20 x 12 = 12,000), in a fixed
    shuffled order so that the frequency ranks do not follow the alphabet."""
    names = [s + m + e for e in _TAIL_ENDINGS for s in _TAIL_STARTS for m in _TAIL_MIDDLES]
    random.Random("prostir-synthetic-surnames").shuffle(names)  # noqa: S311 - not a secret
    return tuple(names)


TAIL_SURNAMES = _tail_surnames()


def _cumulative(weights: Iterable[float]) -> list[float]:
    return list(accumulate(weights))


def _zipf(count: int, exponent: float) -> list[float]:
    return _cumulative(1 / (rank**exponent) for rank in range(1, count + 1))


def _zipf_mandelbrot(count: int, offset: float, exponent: float) -> list[float]:
    return _cumulative(1 / ((rank + offset) ** exponent) for rank in range(1, count + 1))


ALL_SURNAMES = SURNAMES + TAIL_SURNAMES
_SURNAME_WEIGHTS = _zipf(len(ALL_SURNAMES), SURNAME_EXPONENT)
_MALE_WEIGHTS = _zipf_mandelbrot(len(MALE_NAMES), *GIVEN_NAME_SHAPE)
_FEMALE_WEIGHTS = _zipf_mandelbrot(len(FEMALE_NAMES), *GIVEN_NAME_SHAPE)
_AGE_WEIGHTS = _cumulative(AGE_BANDS)
_KINDS = [kind for kind, _weight in HOUSEHOLD_KINDS]
_KIND_WEIGHTS = _cumulative(weight for _kind, weight in HOUSEHOLD_KINDS)
_CHILD_COUNTS = [count for count, _weight in CHILDREN]
_CHILD_WEIGHTS = _cumulative(weight for _count, weight in CHILDREN)
_BANDS = range(len(AGE_BANDS))


# --- what a batch is --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A hub and its community: where a household is served."""

    community_id: str
    organisation_id: int
    origins: tuple[str, ...]  # other communities IDPs may come from


@dataclass(slots=True)
class SyntheticPerson:
    """One generated person, as the request hook sees it."""

    index: int
    id: uuid.UUID
    last_name: str
    first_name: str
    patronymic: str
    birth_date: date
    sex: str
    community_id: str
    organisation_id: int
    categories: list[str] = field(default_factory=list)
    household_id: uuid.UUID | None = None
    relationship: str = ""
    phone: str = ""
    documents: list[tuple[str, str]] = field(default_factory=list)
    origin_unit_id: str | None = None


@dataclass
class Batch:
    """The persons of one batch (only those new to the database) and its households."""

    seed: int
    number: int
    persons: list[SyntheticPerson]
    households: list[tuple[uuid.UUID, Place]]
    rng: random.Random


BatchHook = Callable[[Batch], None]
_BATCH_HOOKS: list[BatchHook] = []


def register_batch_hook(hook: BatchHook) -> None:
    """Adds synthetic data of another part of the product (intake's requests) to every batch.

    A hook is called once per batch, inside the batch's transaction, after its persons are
    stored, with only the persons new to the database; it draws randomness from ``batch.rng``
    only, so the data stays deterministic for a seed. Apps register in ``AppConfig.ready``, so
    the registry does not depend on them."""
    if hook not in _BATCH_HOOKS:
        _BATCH_HOOKS.append(hook)


def _run_batch_hooks(batch: Batch) -> None:
    for hook in _BATCH_HOOKS:
        hook(batch)


# --- generating one batch ---------------------------------------------------------------------


class _BatchMaker:
    """Draws the households of batch ``number`` until it holds ``size`` persons."""

    def __init__(self, seed: int, number: int, size: int, places: list[Place]) -> None:
        self.seed, self.number, self.size, self.places = seed, number, size, places
        # Synthetic data, not secrets: a seeded, reproducible generator is the point.
        self.rng = random.Random(f"prostir-synthetic:{seed}:{number}")  # noqa: S311
        self.first_index = number * BATCH_SIZE
        self.persons: list[SyntheticPerson] = []
        self.households: list[tuple[uuid.UUID, Place]] = []
        self.rnokpp_used: Counter = Counter()
        self.unzr_used: Counter = Counter()

    def make(self) -> Batch:
        household_no = 0
        while len(self.persons) < self.size:
            self._household(household_no)
            household_no += 1
        return Batch(self.seed, self.number, self.persons, self.households, self.rng)

    # people

    def _age(self, low: int, high: int) -> int:
        while True:
            band = self.rng.choices(_BANDS, cum_weights=_AGE_WEIGHTS)[0]
            age = band * 5 + self.rng.randrange(5)
            if low <= age <= high:
                return age

    def _birth_date(self, age: int) -> date:
        start = date(REFERENCE_DATE.year - age - 1, 1, 1)
        return start + timedelta(days=self.rng.randrange(365))

    def _given(self, sex: str) -> str:
        names, weights = (
            (MALE_NAMES, _MALE_WEIGHTS) if sex == Sex.MALE else (FEMALE_NAMES, _FEMALE_WEIGHTS)
        )
        return self.rng.choices(names, cum_weights=weights)[0]

    def _surname(self) -> str:
        return self.rng.choices(ALL_SURNAMES, cum_weights=_SURNAME_WEIGHTS)[0]

    def _plan(self, sex: str, age: int, surname: str, father: str, relationship: str) -> dict:
        return {
            "sex": sex,
            "age": age,
            "surname": surname if sex == Sex.MALE else feminine_surname(surname),
            "first": self._given(sex),
            "patronymic": patronymic(father, sex),
            "relationship": relationship,
        }

    def _members(self) -> list[dict]:
        """The household as planned, head first (before it is cut to the batch size)."""
        rng = self.rng
        kind = rng.choices(_KINDS, cum_weights=_KIND_WEIGHTS)[0]
        surname = self._surname()
        if kind == "single":
            age = self._age(18, 95)
            sex = Sex.FEMALE if rng.random() < (0.65 if age >= 60 else 0.5) else Sex.MALE
            return [self._plan(sex, age, surname, self._given(Sex.MALE), Relationship.HEAD)]
        if kind in ("couple", "family"):
            husband_age = self._age(20, 95) if kind == "couple" else self._age(21, 58)
            wife_age = max(18, husband_age + rng.randint(-7, 3))
            husband = self._plan(
                Sex.MALE, husband_age, surname, self._given(Sex.MALE), Relationship.HEAD
            )
            wife = self._plan(
                Sex.FEMALE, wife_age, surname, self._given(Sex.MALE), Relationship.SPOUSE
            )
            if rng.random() < 0.3:  # the wife is the head of one household in three
                husband["relationship"], wife["relationship"] = (
                    Relationship.SPOUSE,
                    Relationship.HEAD,
                )
                adults = [wife, husband]
            else:
                adults = [husband, wife]
            if kind == "couple":
                return adults
            return adults + self._children(husband["first"], surname, min(husband_age, wife_age))
        parent_sex = Sex.FEMALE if rng.random() < 0.9 else Sex.MALE
        parent_age = self._age(20, 55)
        parent = self._plan(
            parent_sex, parent_age, surname, self._given(Sex.MALE), Relationship.HEAD
        )
        father = parent["first"] if parent_sex == Sex.MALE else self._given(Sex.MALE)
        return [parent, *self._children(father, surname, parent_age)]

    def _children(self, father: str, surname: str, youngest_parent_age: int) -> list[dict]:
        count = self.rng.choices(_CHILD_COUNTS, cum_weights=_CHILD_WEIGHTS)[0]
        oldest = max(0, min(17, youngest_parent_age - 19))
        return [
            self._plan(
                self.rng.choice((Sex.MALE, Sex.FEMALE)),
                self.rng.randint(0, oldest),
                surname,
                father,
                Relationship.CHILD,
            )
            for _ in range(count)
        ]

    # categories

    def _categories(self, members: list[dict]) -> list[list[str]]:
        rng = self.rng
        shared: list[str] = []
        each: list[list[str]] = [[] for _ in members]
        children = [m for m in members if m["relationship"] == Relationship.CHILD]
        if rng.random() < IDP_SHARE:
            shared.append(Category.IDP)
        if len(children) >= 3:
            shared.append(Category.LARGE_FAMILY)
        if (children or members[0]["age"] >= 60) and rng.random() < LOW_INCOME_SHARE:
            shared.append(Category.LOW_INCOME)
        head = members[0]
        male_adult = next(
            (i for i, m in enumerate(members) if m["sex"] == Sex.MALE and 20 <= m["age"] <= 60),
            None,
        )
        if male_adult is not None:
            draw = rng.random()
            if draw < MILITARY_SHARE:
                each[male_adult].append(Category.MILITARY)
                for i in range(len(members)):
                    if i != male_adult:
                        each[i].append(Category.MIL_FAMILY)
            elif draw < MILITARY_SHARE + VETERAN_SHARE:
                each[male_adult].append(Category.UBD)
                if rng.random() < WAR_DISABLED_SHARE:
                    each[male_adult].append(Category.WAR_DISABLED)
        elif children and head["sex"] == Sex.FEMALE:
            draw = rng.random()
            for code, share in (
                (Category.FALLEN_FAMILY, FALLEN_SHARE),
                (Category.MISSING_FAMILY, MISSING_SHARE),
                (Category.CAPTIVE_FAMILY, CAPTIVE_SHARE),
            ):
                if draw < share:
                    shared.append(code)
                    break
                draw -= share
        for i, member in enumerate(members):
            each[i][:0] = shared
            self._personal_categories(member, each[i])
            if not each[i]:
                each[i].append(Category.RESIDENT)
        return each

    def _personal_categories(self, member: dict, codes: list[str]) -> None:
        rng = self.rng
        if member["age"] < 18:
            if rng.random() < DIS_CHILD_SHARE:
                codes.append(Category.DIS_CHILD)
            return
        draw = rng.random()
        for code, share in DISABILITY_SHARES:
            if draw < share:
                codes.append(code)
                break
            draw -= share
        if member["age"] >= 60 and rng.random() < ELDERLY_SHARE:
            codes.append(Category.ELDERLY)
        if member["sex"] == Sex.FEMALE and rng.random() < DV_SHARE:
            codes.append(Category.DV)

    # identifiers

    def _rnokpp(self, birth: date, sex: str) -> str:
        key = (birth, sex)
        used = self.rnokpp_used[key]
        if used >= RNOKPP_SLOTS_PER_BATCH or self.rng.random() >= RNOKPP_SHARE:
            return ""
        self.rnokpp_used[key] += 1
        slot = self.number * RNOKPP_SLOTS_PER_BATCH + used
        sex_digit = 2 * (slot % 5) + (1 if sex == Sex.MALE else 0)
        first_nine = f"{(birth - RNOKPP_EPOCH).days:05d}{slot // 5:03d}{sex_digit}"
        return first_nine + str(rnokpp_check_digit(first_nine))

    def _unzr(self, birth: date) -> str:
        used = self.unzr_used[birth]
        if used >= UNZR_SLOTS_PER_BATCH:
            return ""
        self.unzr_used[birth] += 1
        first_twelve = f"{birth:%Y%m%d}{self.number * UNZR_SLOTS_PER_BATCH + used + 1:04d}"
        return f"{first_twelve[:8]}-{first_twelve[8:]}{unzr_check_digit(first_twelve)}"

    def _documents(self, person: SyntheticPerson, age: int) -> None:
        rng, index, docs = self.rng, person.index, person.documents
        rnokpp = self._rnokpp(person.birth_date, person.sex)
        if rnokpp:
            docs.append((DocumentType.RNOKPP, rnokpp))
        has_unzr = rng.random() < (0.9 if person.birth_date.year >= 2013 else 0.4)
        unzr = self._unzr(person.birth_date) if has_unzr else ""
        if unzr:
            docs.append((DocumentType.UNZR, unzr))
            if age >= 14:
                docs.append((DocumentType.ID_CARD, f"{(index * 7_919 + 1) % 10**9:09d}"))
        elif age >= 16 and rng.random() < 0.6:
            series = PASSPORT_SERIES[index % len(PASSPORT_SERIES)]
            number = (index // len(PASSPORT_SERIES) * 7_919) % 10**6
            docs.append((DocumentType.PASSPORT, f"{series}{number:06d}"))
        if Category.IDP in person.categories:
            docs.append(
                (DocumentType.IDP_CERTIFICATE, f"{5600 + index % 400}-{index * 7_919:010d}")
            )

    def _phone(self, index: int, age: int) -> str:
        if age < 14 or self.rng.random() >= PHONE_SHARE:
            return ""
        return f"+380{self.rng.choice(MOBILE_CODES)}{(index * 7_919 + 4_242) % 10**7:07d}"

    # one household

    def _household(self, household_no: int) -> None:
        members = self._members()
        categories = self._categories(members)
        place = self.rng.choice(self.places)
        origin = None
        if Category.IDP in categories[0] and place.origins:
            origin = self.rng.choice(place.origins)
        household_id = None
        if len(members) > 1:
            household_id = synthetic_id(self.seed, _HOUSEHOLD, self.first_index * 4 + household_no)
            self.households.append((household_id, place))
        for member, codes in zip(members, categories, strict=True):
            if len(self.persons) == self.size:
                return  # the batch is full: the household is cut (a rerun completes it)
            index = self.first_index + len(self.persons)
            person = SyntheticPerson(
                index=index,
                id=synthetic_id(self.seed, _PERSON, index),
                last_name=member["surname"],
                first_name=member["first"],
                patronymic=member["patronymic"],
                birth_date=self._birth_date(member["age"]),
                sex=member["sex"],
                community_id=place.community_id,
                organisation_id=place.organisation_id,
                categories=codes,
                household_id=household_id,
                relationship=member["relationship"],
                origin_unit_id=origin,
            )
            person.phone = self._phone(index, member["age"])
            self._documents(person, member["age"])
            self.persons.append(person)


def make_batch(seed: int, number: int, size: int, places: list[Place]) -> Batch:
    """Batch ``number`` of ``seed`` with ``size`` persons (``BATCH_SIZE`` but for the last)."""
    return _BatchMaker(seed, number, size, places).make()


# --- rows -------------------------------------------------------------------------------------


@cache
def _surname_keys(surname: str) -> tuple[str, str, str, str]:
    return (
        name_key(surname, "surname"),
        latin_key(surname, "surname"),
        surname_sound(surname),
        transliterate(surname),
    )


@cache
def _given_keys(name: str) -> tuple[str, str, str]:
    return name_key(name, "given"), latin_key(name, "given"), transliterate(name)


@cache
def _patronymic_keys(name: str) -> tuple[str, str]:
    return name_key(name, "patronymic"), latin_key(name, "patronymic")


class _Table:
    """The columns of a model as ``COPY``/``INSERT`` want them: every concrete column but an
    auto-increment key, in model order; what a row does not give takes the field's default
    (so a column another app adds later with a default needs nothing here)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [
            f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)
        ]
        self.columns = [f.column for f in self.fields]
        # As the database takes them: a JSON default (``{}``) must go in as JSON, not a dict.
        self.defaults = {
            f.column: f.get_db_prep_value(f.get_default(), connection, prepared=False)
            for f in self.fields
        }

    def row(self, values: dict) -> tuple:
        defaults = self.defaults
        return tuple(values[c] if c in values else defaults[c] for c in self.columns)


class _Rows:
    """The rows of one batch, per table, in the database's representation."""

    def __init__(self, tables: dict[str, _Table], now, postgres: bool) -> None:
        self.tables, self.now = tables, now
        self.uid = (lambda u: u) if postgres else (lambda u: u.hex)
        self.day = (lambda d: d) if postgres else (lambda d: d.isoformat())
        self.rows: dict[str, list[tuple]] = {name: [] for name in tables}

    def household(self, household_id: uuid.UUID, place: Place) -> None:
        self.rows["household"].append(
            self.tables["household"].row(
                {
                    "id": self.uid(household_id),
                    "community_id": place.community_id,
                    "organisation_id": place.organisation_id,
                    "created_at": self.now,
                    "version": 1,
                }
            )
        )

    def person(self, p: SyntheticPerson) -> None:
        key_last, latin_last, sound, last_latin_name = _surname_keys(p.last_name)
        key_first, latin_first, first_latin_name = _given_keys(p.first_name)
        key_middle, latin_middle = _patronymic_keys(p.patronymic)
        pid = self.uid(p.id)
        self.rows["person"].append(
            self.tables["person"].row(
                {
                    "id": pid,
                    "community_id": p.community_id,
                    "organisation_id": p.organisation_id,
                    "last_name": p.last_name,
                    "first_name": p.first_name,
                    "patronymic": p.patronymic,
                    "last_name_latin": last_latin_name,
                    "first_name_latin": first_latin_name,
                    "birth_date": self.day(p.birth_date),
                    "sex": str(p.sex),
                    "current_unit_id": p.community_id,
                    "origin_unit_id": p.origin_unit_id,
                    "key_last": key_last,
                    "key_first": key_first,
                    "key_patronymic": key_middle,
                    "latin_last": latin_last,
                    "latin_first": latin_first,
                    "latin_patronymic": latin_middle,
                    "surname_sound": sound,
                    "birth_year": p.birth_date.year,
                    "version": 1,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        )
        tables, rows = self.tables, self.rows
        for doc_type, number in p.documents:
            rows["document"].append(
                tables["document"].row(
                    {
                        "person_id": pid,
                        "type": str(doc_type),
                        "number": number,
                        "created_at": self.now,
                    }
                )
            )
        if p.phone:
            rows["phone"].append(
                tables["phone"].row({"person_id": pid, "number": p.phone, "is_primary": True})
            )
        for code in p.categories:
            rows["category"].append(tables["category"].row({"person_id": pid, "code": str(code)}))
        if p.household_id is not None:
            rows["member"].append(
                tables["member"].row(
                    {
                        "household_id": self.uid(p.household_id),
                        "person_id": pid,
                        "relationship": str(p.relationship),
                        "joined_on": self.day(REFERENCE_DATE),
                    }
                )
            )


def _tables() -> dict[str, _Table]:
    """In the order they are written (households before their members)."""
    return {
        "household": _Table(Household),
        "person": _Table(Person),
        "document": _Table(Document),
        "phone": _Table(PersonPhone),
        "category": _Table(PersonCategory),
        "member": _Table(HouseholdMember),
    }


def _write(tables: dict[str, _Table], rows: _Rows) -> None:
    """Every table's rows: ``COPY`` on PostgreSQL, ``executemany`` elsewhere."""
    with connection.cursor() as cursor:
        for name, table in tables.items():
            batch = rows.rows[name]
            if not batch:
                continue
            quoted = ", ".join(connection.ops.quote_name(c) for c in table.columns)
            db_table = connection.ops.quote_name(table.model._meta.db_table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {db_table} ({quoted}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                # Names from the model's metadata, quoted; the values are parameters.
                sql = f"INSERT INTO {db_table} ({quoted}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, batch)


# --- the run ----------------------------------------------------------------------------------


class GenerationRefused(Exception):
    """The database is not one synthetic persons may go to (``message`` says why)."""


@dataclass
class Summary:
    persons: int = 0
    skipped: int = 0
    households: int = 0
    rows: int = 0
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _places() -> list[Place]:
    """The hubs of the database with their communities. Read through ``Person``'s relation so
    the registry does not import the directory (a sibling context)."""
    organisation = Person._meta.get_field("organisation").related_model
    hubs = list(
        organisation.objects.filter(kind="hub", community__isnull=False)
        .order_by("pk")
        .values_list("pk", "community_id")
    )
    communities = sorted({community for _pk, community in hubs})
    communities_kinds = [UnitCategory.HROMADA, UnitCategory.SPECIAL_CITY]
    hromadas = list(
        Unit.objects.filter(category__in=communities_kinds)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [
        Place(
            community_id=community,
            organisation_id=pk,
            origins=tuple(code for code in hromadas if code not in communities),
        )
        for pk, community in hubs
    ]


def check_database(seed: int) -> list[Place]:
    """The hubs to spread persons over, or ``GenerationRefused``."""
    if not 0 <= seed <= MAX_SEED:
        raise GenerationRefused(f"The seed must be between 0 and {MAX_SEED}.")
    if settings.HTTPS:
        raise GenerationRefused(
            "HTTPS is on: this looks like a production site; synthetic persons are refused."
        )
    low, high = _id_range()
    if Person.objects.exclude(pk__gte=low, pk__lte=high).exists():
        raise GenerationRefused(
            "This database holds real (not synthetic) persons: synthetic ones are not mixed in."
        )
    seed_low, seed_high = _id_range(seed)
    other = (
        Person.objects.filter(pk__gte=low, pk__lte=high)
        .exclude(pk__gte=seed_low, pk__lte=seed_high)
        .values_list("pk", flat=True)
        .first()
    )
    if other is not None:
        raise GenerationRefused(
            f"This database holds synthetic persons of seed {(other.int >> 64) & MAX_SEED}: "
            "add to them with that seed, or use an empty database."
        )
    places = _places()
    if not places:
        raise GenerationRefused(
            "No hub in this database: load the demo hubs first "
            "(PROSTIR_DEMO=true python manage.py load_demo)."
        )
    return places


def _existing(model: type[models.Model], ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    ids = list(ids)
    if not ids:
        return set()
    return set(
        model.objects.filter(pk__gte=min(ids), pk__lte=max(ids)).values_list("pk", flat=True)
    )


def audit_batch(batch: Batch, rows, *, event: str, object_type: str, noun: str) -> None:
    """One CREATE event per hub for the synthetic ``rows`` (anything with ``community_id`` and
    ``organisation_id``) a batch added, in the batch's transaction: "N synthetic <noun>"."""
    per_hub = Counter((r.community_id, r.organisation_id) for r in rows)
    for (community, organisation), count in sorted(per_hub.items()):
        audit.record(
            actor=None,
            actor_label="generate_synthetic",
            action=audit.Action.CREATE,
            event=event,
            object_type=object_type,
            object_id=f"seed {batch.seed} batch {batch.number}",
            community=community,
            organisation=organisation,
            changed_fields=[noun],
            reason=f"{count} synthetic {noun}",
        )


def _store(batch: Batch, tables: dict[str, _Table]) -> tuple[int, int, int]:
    """Stores the persons of ``batch`` not there yet: (persons, households, rows) written."""
    there = _existing(Person, (p.id for p in batch.persons))
    new = [p for p in batch.persons if p.id not in there]
    if not new:
        return 0, 0, 0
    households_there = _existing(Household, (h for h, _place in batch.households))
    rows = _Rows(tables, timezone.now(), connection.vendor == "postgresql")
    households = [(h, place) for h, place in batch.households if h not in households_there]
    for household_id, place in households:
        rows.household(household_id, place)
    for person in new:
        rows.person(person)
    _write(tables, rows)
    batch.persons = new
    audit_batch(
        batch,
        new,
        event="registry.synthetic.created",
        object_type="registry.person",
        noun="persons",
    )
    _run_batch_hooks(batch)
    return len(new), len(households), sum(len(r) for r in rows.rows.values())


def generate(
    *, persons: int, seed: int, progress: Callable[[Summary], None] | None = None
) -> Summary:
    """Makes sure persons ``0 … persons-1`` of ``seed`` exist (see the module docstring);
    ``GenerationRefused`` when this database is not for synthetic persons. One transaction per
    batch: an interrupted run leaves whole batches, and a rerun completes it."""
    if not 0 < persons <= MAX_PERSONS:
        raise GenerationRefused(f"The number of persons must be between 1 and {MAX_PERSONS:,}.")
    places = check_database(seed)
    tables = _tables()
    summary = Summary()
    started = time.perf_counter()
    for number in range(-(-persons // BATCH_SIZE)):
        size = min(BATCH_SIZE, persons - number * BATCH_SIZE)
        low = synthetic_id(seed, _PERSON, number * BATCH_SIZE)
        high = synthetic_id(seed, _PERSON, number * BATCH_SIZE + size - 1)
        if Person.objects.filter(pk__gte=low, pk__lte=high).count() == size:
            summary.skipped += size
            continue
        batch = make_batch(seed, number, size, places)
        with transaction.atomic():
            written, households, rows = _store(batch, tables)
        summary.persons += written
        summary.skipped += size - written
        summary.households += households
        summary.rows += rows
        summary.seconds = time.perf_counter() - started
        if progress is not None:
            progress(summary)
    summary.seconds = time.perf_counter() - started
    return summary
