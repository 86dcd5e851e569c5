"""The taxonomies Prostir publishes its codes in, attached to HSDS objects through
``attribute`` (DOMAIN.md §9: "KATOTTG and the MSP classifier become taxonomies attached through
attribute").

Every taxonomy has a fixed id and every term an id derived from the taxonomy's and the code,
so two exports of the same directory are identical and an import recognises the terms by id
(or, for another publisher's copy, by the taxonomy's name).

``prostir`` is the taxonomy of Prostir's own properties that HSDS has no field for (visibility,
referral terms, capacity, …): its attributes carry the value in ``value``.
"""

import uuid
from dataclasses import dataclass

NAMESPACE = uuid.UUID("8a4f3b0e-6f53-5d8e-9b52-2b7c1f0d4e11")


def stable_id(*parts: object) -> str:
    """A UUID derived from ``parts`` (the first usually an object's own uuid)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str
    uri: str = ""
    version: str = ""

    @property
    def id(self) -> str:
        return stable_id("taxonomy", self.key)

    def term_id(self, code: str) -> str:
        return stable_id("taxonomy", self.key, "term", code)

    def as_hsds(self) -> dict:
        out = {"id": self.id, "name": self.name, "description": self.description}
        if self.uri:
            out["uri"] = self.uri
        if self.version:
            out["version"] = self.version
        return out


KATOTTG = Taxonomy(
    "katottg",
    "KATOTTG",
    "Кодифікатор адміністративно-територіальних одиниць та територій територіальних громад "
    "(КАТОТТГ), наказ Мінрегіону № 290 від 26.11.2020",
    "https://zakon.rada.gov.ua/laws/show/z0290-20",
)
CLASSIFIER = Taxonomy(
    "msp-classifier",
    "MSP social services classifier",
    "Класифікатор соціальних послуг, наказ Мінсоцполітики № 429 від 23.06.2020",
    "https://zakon.rada.gov.ua/laws/show/z0643-20",
)
SECTOR = Taxonomy("sector", "Prostir sectors", "Сфера послуги (соціальна, медична, правова, …)")
NEED = Taxonomy("need", "Prostir needs", "Потреби, на які відповідає послуга (таксономія звернень)")
CATEGORY = Taxonomy("person-category", "Prostir person categories", "Категорії отримувачів послуги")
ORGANISATION_KIND = Taxonomy("organisation-kind", "Prostir organisation kinds", "Вид організації")
PROSTIR = Taxonomy(
    "prostir",
    "Prostir properties",
    "Властивості Простору, для яких HSDS 3.0 не має поля; значення — у value",
)

ALL = (KATOTTG, CLASSIFIER, SECTOR, NEED, CATEGORY, ORGANISATION_KIND, PROSTIR)
BY_ID = {taxonomy.id: taxonomy for taxonomy in ALL}
BY_NAME = {taxonomy.name: taxonomy for taxonomy in ALL}

# The terms of ``PROSTIR``: code → description.
PROPERTIES = {
    "name_en": "Назва англійською",
    "visibility": "Видимість: public (публічна) або staff (лише для працівників)",
    "basic_service": "Базова соціальна послуга (true/false)",
    "is_free": "Безоплатна (true/false)",
    "accepting_referrals": "Приймає направлення (true/false)",
    "response_days": "Відповісти на направлення за (робочих днів)",
    "completion_days": "Виконати направлення за (робочих днів)",
    "capacity": "Місткість (осіб на місяць)",
    "step_free": "Вхід без сходинок (true/false)",
    "schedule_exception": (
        "Виняток у розкладі на одну дату: closed (зачинено) або hours (інші години)"
    ),
}


def term(taxonomy: Taxonomy, code: str, name: str, description: str = "") -> dict:
    """A ``taxonomy_term`` object with its taxonomy."""
    return {
        "id": taxonomy.term_id(code),
        "code": code,
        "name": name,
        "description": description or name,
        "taxonomy": taxonomy.name,
        "taxonomy_id": taxonomy.id,
        "taxonomy_detail": taxonomy.as_hsds(),
    }


def attribute(
    link_id: str, link_entity: str, taxonomy: Taxonomy, code: str, name: str, value: str = ""
) -> dict:
    """An ``attribute`` linking the object ``link_id`` (an ``organization``, ``service``, …) to
    a term; ``value`` for the terms that carry one."""
    out = {
        "id": stable_id(link_id, "attribute", taxonomy.key, code),
        "link_id": link_id,
        "link_type": taxonomy.key,
        "link_entity": link_entity,
        "taxonomy_term_id": taxonomy.term_id(code),
        "taxonomy_term": term(
            taxonomy, code, name, PROPERTIES.get(code, "") if taxonomy is PROSTIR else ""
        ),
    }
    if value:
        out["value"] = value
    return out


def property_attribute(link_id: str, link_entity: str, code: str, value: object) -> dict:
    if isinstance(value, bool):
        value = "true" if value else "false"
    return attribute(link_id, link_entity, PROSTIR, code, code, str(value))


def taxonomy_of(attribute: dict) -> Taxonomy | None:
    """The Prostir taxonomy an attribute's term belongs to, by id or by the taxonomy's name."""
    term = attribute.get("taxonomy_term") or {}
    detail = term.get("taxonomy_detail") or {}
    for candidate in (term.get("taxonomy_id"), detail.get("id")):
        if candidate in BY_ID:
            return BY_ID[candidate]
    for candidate in (term.get("taxonomy"), detail.get("name")):
        if candidate in BY_NAME:
            return BY_NAME[candidate]
    return None
