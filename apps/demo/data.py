"""The demo hubs, as the seeds describe them (shared/seeds/000–003), and their partners.

Each hub: its community (КАТОТТГ hromada), the city it sits in, a handful of services and
rooms, and a partner organisation the hub refers people to. Analysts are named by oblast.
"""

from dataclasses import dataclass, field

from apps.directory.models import OrganisationKind, RoomKind


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    name_en: str
    classifier_code: str = ""


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    name_en: str
    kind: str
    address: str
    services: tuple[ServiceSpec, ...] = ()
    rooms: tuple[tuple[str, str, str, int], ...] = ()  # name, name_en, kind, capacity


@dataclass(frozen=True)
class HubSpec:
    key: str  # the <hub> in demo usernames: registrar.<hub>
    community_code: str
    settlement_code: str
    oblast_key: str  # the analyst of this oblast: analyst.<oblast_key>
    oblast_code: str
    hub: OrganisationSpec
    partners: tuple[OrganisationSpec, ...] = field(default_factory=tuple)


_INFORMING = ServiceSpec("Інформування", "Information", "001.0")
_COUNSELLING = ServiceSpec("Консультування", "Counselling", "002.0")
_CRISIS = ServiceSpec("Екстрене (кризове) втручання", "Crisis intervention", "012.0")
_PSYCHOLOGICAL = ServiceSpec("Психологічна підтримка", "Psychological support")
_SUPPORT_GROUPS = ServiceSpec("Групи підтримки", "Support groups")
_EMPLOYMENT = ServiceSpec("Сприяння працевлаштуванню", "Employment support")

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
                services=(_EMPLOYMENT,),
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
            services=(_INFORMING, _COUNSELLING, _CRISIS, _PSYCHOLOGICAL),
            rooms=(
                ("Кабінет консультацій", "Consultation room", RoomKind.CONSULTATION, 3),
                ("Кімната для груп", "Group room", RoomKind.GROUP, 15),
                ("Дитячий куточок", "Children's corner", RoomKind.CHILDREN, 6),
            ),
        ),
        partners=(
            OrganisationSpec(
                slug="novovolynsk-tsnsp",
                name="Центр надання соціальних послуг Нововолинської міської ради",
                name_en="Novovolynsk Social Services Centre",
                kind=OrganisationKind.MUNICIPAL_SOCIAL_SERVICE,
                address="вул. Шахтарська, 3",
                services=(_COUNSELLING, ServiceSpec("Догляд вдома", "Home care", "015.1")),
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
            services=(
                _INFORMING,
                _COUNSELLING,
                ServiceSpec("Курси цифрової грамотності", "Digital literacy courses"),
                ServiceSpec("Семінари та тренінги", "Seminars and trainings"),
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
                address="вул. Грушевського, 50, Дрогобич",
                services=(_EMPLOYMENT,),
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
            services=(
                _COUNSELLING,
                ServiceSpec("Раннє втручання", "Early intervention"),
                ServiceSpec("Асистент дитини", "Child assistant"),
                ServiceSpec("Тимчасовий відпочинок для батьків", "Respite for parents"),
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
                services=(_EMPLOYMENT,),
            ),
        ),
    ),
)

# Staff roles held in each hub (partner staff belong to the hub's partner organisation).
HUB_ROLES = ("registrar", "specialist", "psychologist", "facilitator", "coordinator")
DEMO_PASSWORD = "Prostir-demo-2026"  # noqa: S105 - printed by `make demo`; demo data only
