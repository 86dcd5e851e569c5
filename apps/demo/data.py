"""The demo hubs, as the seeds describe them (shared/seeds/000–003), and their partners.

Each hub: its community (КАТОТТГ hromada), the city it sits in, a handful of services and
rooms, and the partners the hub refers people to: the employment centre (whose staff member
is ``partner.<hub>``) and the city's social service with temporary accommodation for IDPs.
Every service has the needs it answers, referral terms, visibility and the working hours of
a Ukrainian office — Monday to Friday 9:00–18:00 with a lunch break 13:00–14:00, Kyiv time —
closed on Independence Day. Analysts are named by oblast.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from apps.directory.models import OrganisationKind, RoomKind, Sector, Visibility

# Working hours of most demo services: two rows make the lunch break.
OFFICE_HOURS = (("MO,TU,WE,TH,FR", (9, 0), (13, 0)), ("MO,TU,WE,TH,FR", (14, 0), (18, 0)))
AROUND_THE_CLOCK = (("MO,TU,WE,TH,FR,SA,SU", (0, 0), (0, 0)),)


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    name_en: str
    classifier_code: str = ""
    needs: tuple[str, ...] = ()
    sector: str = Sector.SOCIAL
    is_basic: bool = False
    visibility: str = Visibility.PUBLIC
    accepting_referrals: bool = True
    response_days: int = 3
    completion_days: int = 30
    description: str = ""
    eligibility: str = ""
    categories: tuple[str, ...] = ()
    minimum_age: int | None = None
    maximum_age: int | None = None
    application: str = (
        "Прийти в робочі години з паспортом або іншим документом, зателефонувати чи "
        "отримати направлення від хабу."
    )
    fees: str = ""  # empty: free of charge
    languages: tuple[str, ...] = ("uk",)
    capacity: int | None = None
    hours: tuple = OFFICE_HOURS  # rows of (byday, (h, m) opens, (h, m) closes)

    @property
    def closes_on_holidays(self) -> bool:
        return self.hours is not AROUND_THE_CLOCK


HOLIDAY = ((8, 24), "День Незалежності України")  # (month, day), reason


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    name_en: str
    kind: str
    address: str
    services: tuple[ServiceSpec, ...] = ()
    rooms: tuple[tuple[str, str, str, int], ...] = ()  # name, name_en, kind, capacity
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    step_free: bool = True
    accessibility: str = "Вхід з рівня тротуару, широкі двері, туалет для людей на візку."
    languages: tuple[str, ...] = ("uk",)
    phone: str = ""
    # The partner's demo user ``partner.<hub>`` belongs to the organisation that has it.
    staff_user: bool = False
    # Where it stands when not in the hub's hromada, and the units it serves then.
    community_code: str = ""
    settlement_code: str = ""
    area_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class HubSpec:
    key: str  # the <hub> in demo usernames: registrar.<hub>
    community_code: str
    settlement_code: str
    oblast_key: str  # the analyst of this oblast: analyst.<oblast_key>
    oblast_code: str
    hub: OrganisationSpec
    partners: tuple[OrganisationSpec, ...] = field(default_factory=tuple)


_IDP = ("IDP",)
_INFORMING = ServiceSpec(
    "Інформування",
    "Information",
    "001.0",
    needs=("documents", "social_payments", "other"),
    is_basic=True,
    description="Про права, соціальні виплати, пільги й послуги громади.",
    eligibility="Будь-хто з мешканців громади та внутрішньо переміщені особи.",
    languages=("uk", "en"),
)
_COUNSELLING = ServiceSpec(
    "Консультування",
    "Counselling",
    "002.0",
    needs=("social_payments", "documents", "legal_aid"),
    is_basic=True,
    description="Допомога розібратися в життєвій ситуації й скласти план дій.",
    eligibility="Особи та сім'ї у складних життєвих обставинах, ВПО.",
    categories=_IDP,
    capacity=120,
)
_CRISIS = ServiceSpec(
    "Екстрене (кризове) втручання",
    "Crisis intervention",
    "012.0",
    needs=("psychological_support", "housing"),
    is_basic=True,
    response_days=1,
    completion_days=5,
    eligibility="Особи, які постраждали від насильства, надзвичайної ситуації чи бойових дій.",
    categories=("DV", "IDP"),
)
_PSYCHOLOGICAL = ServiceSpec(
    "Психологічна підтримка",
    "Psychological support",
    needs=("psychological_support",),
    visibility=Visibility.STAFF,
    response_days=2,
    completion_days=20,
    description="Індивідуальні зустрічі з психологом хабу; записує фахівець після оцінки.",
    eligibility="Дорослі й підлітки від 14 років.",
    minimum_age=14,
    capacity=40,
)
_SUPPORT_GROUPS = ServiceSpec(
    "Групи підтримки",
    "Support groups",
    needs=("psychological_support",),
    eligibility="Ветерани та їхні сім'ї, сім'ї зниклих безвісти, ВПО.",
    categories=("UBD", "MIL_FAMILY", "MISSING_FAMILY", "IDP"),
    minimum_age=18,
)
_EMPLOYMENT = ServiceSpec(
    "Сприяння працевлаштуванню",
    "Employment support",
    needs=("employment",),
    sector=Sector.EMPLOYMENT,
    response_days=3,
    completion_days=30,
    description="Підбір вакансій, реєстрація як безробітного, ваучер на навчання.",
    eligibility="Особи працездатного віку, зокрема ВПО та ветерани.",
    minimum_age=16,
    application="Прийти з паспортом і РНОКПП або отримати направлення від хабу.",
)
_VOCATIONAL = ServiceSpec(
    "Професійне навчання та перекваліфікація",
    "Vocational training and retraining",
    needs=("retraining", "employment"),
    sector=Sector.EMPLOYMENT,
    completion_days=40,
    description="Короткі курси за професіями, яких бракує в громаді, з працевлаштуванням.",
    eligibility="Зареєстровані безробітні, ВПО, ветерани.",
    categories=("IDP", "UBD"),
    minimum_age=18,
    capacity=25,
)
_ACCOMMODATION = ServiceSpec(
    "Тимчасове житло для ВПО",
    "Temporary accommodation for IDPs",
    needs=("housing",),
    response_days=2,
    completion_days=10,
    description="Місця в модульному містечку та гуртожитках, облік у місцях тимчасового "
    "проживання.",
    eligibility="Внутрішньо переміщені особи без житла в громаді.",
    categories=_IDP,
    application="Заява й довідка ВПО; з направленням хабу — поза чергою.",
    capacity=60,
    hours=AROUND_THE_CLOCK,  # people arriving at night are settled too
)

HUBS: tuple[HubSpec, ...] = (
    HubSpec(
        key="rivne",
        community_code="UA56060470000086729",
        settlement_code="UA56060470010041018",
        oblast_key="rivne",
        oblast_code="UA56000000000066151",
        hub=OrganisationSpec(
            slug="rivne-prostir-intehratsii",
            name="Простір інтеграції",
            name_en="Integration Space",
            kind=OrganisationKind.HUB,
            address="вул. Соборна, 1",
            latitude=Decimal("50.619900"),
            longitude=Decimal("26.251600"),
            languages=("uk", "en"),
            phone="+380362600100",
            services=(_INFORMING, _COUNSELLING, _PSYCHOLOGICAL, _SUPPORT_GROUPS),
            rooms=(
                ("Кабінет психолога", "Psychologist's room", RoomKind.CONSULTATION, 3),
                ("Зала для заходів", "Events hall", RoomKind.GROUP, 40),
                ("Коворкінг", "Coworking", RoomKind.COWORKING, 12),
            ),
        ),
        partners=(
            OrganisationSpec(
                slug="rivne-tsentr-zainiatosti",
                name="Рівненський міський центр зайнятості",
                name_en="Rivne City Employment Centre",
                kind=OrganisationKind.EMPLOYMENT_CENTRE,
                address="вул. Пушкіна, 5",
                services=(_EMPLOYMENT, _VOCATIONAL),
                latitude=Decimal("50.623500"),
                longitude=Decimal("26.246200"),
                staff_user=True,
            ),
            OrganisationSpec(
                slug="rivne-uszn",
                name="Управління соціального захисту населення Рівненської міської ради",
                name_en="Rivne City Social Protection Department",
                kind=OrganisationKind.MUNICIPAL_SOCIAL_SERVICE,
                address="вул. Шевченка, 7",
                services=(_ACCOMMODATION,),
                latitude=Decimal("50.617000"),
                longitude=Decimal("26.255000"),
                step_free=False,
                accessibility="Три сходинки біля входу, кнопка виклику працівника.",
            ),
        ),
    ),
    HubSpec(
        key="novovolynsk",
        community_code="UA07020130000036300",
        settlement_code="UA07020130010041880",
        oblast_key="volyn",
        oblast_code="UA07000000000024379",
        hub=OrganisationSpec(
            slug="novovolynsk-tsentr-zhyttiestiikosti",
            name="Нововолинський центр життєстійкості",
            name_en="Novovolynsk Resilience Centre",
            kind=OrganisationKind.HUB,
            address="просп. Перемоги, 10",
            latitude=Decimal("50.726000"),
            longitude=Decimal("24.163000"),
            services=(_INFORMING, _COUNSELLING, _CRISIS, _PSYCHOLOGICAL),
            rooms=(
                ("Кабінет консультацій", "Consultation room", RoomKind.CONSULTATION, 3),
                ("Кімната для груп", "Group room", RoomKind.GROUP, 15),
                ("Дитячий куточок", "Children's corner", RoomKind.CHILDREN, 6),
            ),
        ),
        partners=(
            OrganisationSpec(
                slug="novovolynsk-tsentr-zainiatosti",
                name="Нововолинська філія Волинського обласного центру зайнятості",
                name_en="Novovolynsk Branch of the Volyn Regional Employment Centre",
                kind=OrganisationKind.EMPLOYMENT_CENTRE,
                address="вул. Луцька, 12",
                services=(_EMPLOYMENT, _VOCATIONAL),
                latitude=Decimal("50.728000"),
                longitude=Decimal("24.158000"),
                staff_user=True,
            ),
            OrganisationSpec(
                slug="novovolynsk-tsnsp",
                name="Центр надання соціальних послуг Нововолинської міської ради",
                name_en="Novovolynsk Social Services Centre",
                kind=OrganisationKind.MUNICIPAL_SOCIAL_SERVICE,
                address="вул. Шахтарська, 3",
                services=(
                    _COUNSELLING,
                    ServiceSpec(
                        "Догляд вдома",
                        "Home care",
                        "015.1",
                        needs=("home_care",),
                        is_basic=True,
                        completion_days=15,
                        eligibility="Люди похилого віку та особи з інвалідністю, які не можуть "
                        "самі себе обслуговувати.",
                        categories=("ELDERLY", "DIS_I", "DIS_II"),
                        fees="Безоплатно для малозабезпечених; для інших — за тарифом "
                        "міської ради.",
                    ),
                    _ACCOMMODATION,
                ),
                latitude=Decimal("50.731000"),
                longitude=Decimal("24.170000"),
            ),
        ),
    ),
    HubSpec(
        key="truskavets",
        community_code="UA46020090000057315",
        settlement_code="UA46020090010062870",
        oblast_key="lviv",
        oblast_code="UA46000000000026241",
        hub=OrganisationSpec(
            slug="truskavets-kovorkinh-tercentr",
            name="Коворкінг-центр для ВПО в територіальному центрі Трускавця",
            name_en="Truskavets IDP Coworking Centre at the Territorial Centre",
            kind=OrganisationKind.HUB,
            address="вул. Бориславська, 2",
            latitude=Decimal("49.280600"),
            longitude=Decimal("23.506000"),
            services=(
                _INFORMING,
                _COUNSELLING,
                ServiceSpec(
                    "Курси цифрової грамотності",
                    "Digital literacy courses",
                    needs=("digital_literacy",),
                    sector=Sector.EDUCATION,
                    eligibility="Люди похилого віку та ВПО.",
                    categories=("ELDERLY", "IDP"),
                    capacity=10,
                ),
                ServiceSpec(
                    "Семінари та тренінги",
                    "Seminars and trainings",
                    needs=("retraining", "coworking"),
                    sector=Sector.EDUCATION,
                    accepting_referrals=False,
                ),
            ),
            rooms=(
                (
                    "Коворкінг (комп'ютери, проєктор)",
                    "Coworking (computers, projector)",
                    RoomKind.COWORKING,
                    10,
                ),
                ("Кімната для тренінгів", "Training room", RoomKind.GROUP, 20),
                ("Кабінет консультацій", "Consultation room", RoomKind.CONSULTATION, 2),
            ),
        ),
        partners=(
            OrganisationSpec(
                slug="drohobych-tsentr-zainiatosti",
                name="Дрогобицька філія обласного центру зайнятості",
                name_en="Drohobych Branch of the Regional Employment Centre",
                kind=OrganisationKind.EMPLOYMENT_CENTRE,
                address="вул. Грушевського, 50",
                services=(_EMPLOYMENT, _VOCATIONAL),
                latitude=Decimal("49.350000"),
                longitude=Decimal("23.505000"),
                staff_user=True,
                # In Drohobych, serving the whole Drohobych raion (Truskavets included).
                community_code="UA46020030000019252",
                settlement_code="UA46020030010069501",
                area_codes=("UA46020000000075920",),
            ),
            OrganisationSpec(
                slug="truskavets-uszn",
                name="Управління соціального захисту населення Трускавецької міської ради",
                name_en="Truskavets City Social Protection Department",
                kind=OrganisationKind.MUNICIPAL_SOCIAL_SERVICE,
                address="вул. Бориславська, 2",
                services=(_ACCOMMODATION,),
                latitude=Decimal("49.280900"),
                longitude=Decimal("23.506400"),
            ),
        ),
    ),
    HubSpec(
        key="vinnytsia",
        community_code="UA05020030000031457",
        settlement_code="UA05020030010063857",
        oblast_key="vinnytsia",
        oblast_code="UA05000000000010236",
        hub=OrganisationSpec(
            slug="vinnytsia-intehrovani-posluhy-ditiam",
            name="Центр інтегрованих соціальних послуг для дітей Вінниці",
            name_en="Vinnytsia Integrated Children's Services Centre",
            kind=OrganisationKind.HUB,
            address="вул. Соборна, 59",
            latitude=Decimal("49.233100"),
            longitude=Decimal("28.468200"),
            services=(
                _COUNSELLING,
                ServiceSpec(
                    "Раннє втручання",
                    "Early intervention",
                    needs=("childcare_education", "rehabilitation"),
                    eligibility="Діти з порушеннями розвитку або ризиком їх виникнення та їхні "
                    "батьки.",
                    categories=("DIS_CHILD",),
                    minimum_age=0,
                    maximum_age=4,
                    completion_days=20,
                ),
                ServiceSpec(
                    "Асистент дитини",
                    "Child assistant",
                    needs=("childcare_education",),
                    visibility=Visibility.STAFF,
                    categories=("DIS_CHILD",),
                    maximum_age=17,
                ),
                ServiceSpec(
                    "Тимчасовий відпочинок для батьків",
                    "Respite for parents",
                    needs=("childcare_education",),
                    eligibility="Батьки, які доглядають дитину з інвалідністю.",
                    categories=("DIS_CHILD",),
                ),
            ),
            rooms=(
                ("Сенсорна кімната", "Sensory room", RoomKind.CHILDREN, 4),
                ("Кабінет консультацій", "Consultation room", RoomKind.CONSULTATION, 3),
                ("Зала для занять", "Activity hall", RoomKind.GROUP, 20),
            ),
        ),
        partners=(
            OrganisationSpec(
                slug="vinnytsia-tsentr-zainiatosti",
                name="Вінницький міський центр зайнятості",
                name_en="Vinnytsia City Employment Centre",
                kind=OrganisationKind.EMPLOYMENT_CENTRE,
                address="вул. Магістратська, 7",
                services=(_EMPLOYMENT, _VOCATIONAL),
                latitude=Decimal("49.234000"),
                longitude=Decimal("28.471000"),
                staff_user=True,
            ),
            OrganisationSpec(
                slug="vinnytsia-dsp",
                name="Департамент соціальної політики Вінницької міської ради",
                name_en="Vinnytsia City Social Policy Department",
                kind=OrganisationKind.MUNICIPAL_SOCIAL_SERVICE,
                address="вул. Соборна, 36",
                services=(_ACCOMMODATION,),
                latitude=Decimal("49.232000"),
                longitude=Decimal("28.466000"),
            ),
        ),
    ),
)

# Staff roles held in each hub (partner staff belong to the hub's partner organisation).
HUB_ROLES = ("registrar", "specialist", "psychologist", "facilitator", "coordinator")
DEMO_PASSWORD = "Prostir-demo-2026"  # noqa: S105 - printed by `make demo`; demo data only
