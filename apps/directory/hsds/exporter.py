"""``export_hsds``: the directory as HSDS 3.0 JSON files.

    DIR/organizations/<id>.json   the compiled ``organization`` shape (services: one-to-one fields)
    DIR/services/<id>.json        the compiled ``service`` shape
    DIR/taxonomies/<id>.json      the taxonomies the attributes use (``taxonomy``)
    DIR/taxonomy_terms/<id>.json  the terms the attributes use (``taxonomy_term``)

Every object is validated against the official schema before it is written; an invalid one is
not written and is reported. JSON files left in those four folders by an earlier export are
removed first, so the folder holds exactly the directory as it is now.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from apps.audit import services as audit

from . import mapping, selectors, spec
from . import taxonomies as tx

FOLDERS = {
    "organizations": "compiled/organization.json",
    "services": "compiled/service.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


@dataclass
class Invalid:
    kind: str
    id: str
    problems: list[spec.Problem]


@dataclass
class ExportReport:
    written: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FOLDERS, 0))
    invalid: list[Invalid] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.invalid


def dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def export(directory: Path, *, include_staff: bool = False) -> ExportReport:
    spec.schema_dir()  # fails early, with the reason, when the schemas are missing
    directory = Path(directory)
    report = ExportReport()
    for folder in FOLDERS:
        (directory / folder).mkdir(parents=True, exist_ok=True)
        for old in (directory / folder).glob("*.json"):
            old.unlink()

    def write(folder: str, obj: dict) -> None:
        found = spec.problems(FOLDERS[folder], obj)
        if found:
            report.invalid.append(Invalid(folder, obj.get("id", "?"), found))
            return
        (directory / folder / f"{obj['id']}.json").write_text(dumps(obj), encoding="utf-8")
        report.written[folder] += 1

    services = list(selectors.services(include_staff=include_staff))
    by_organisation: dict[int, list] = {}
    for service in services:
        by_organisation.setdefault(service.organisation_id, []).append(service)
    shaped = []
    for organisation in selectors.organisations(include_staff=include_staff):
        obj = mapping.organization(
            organisation, by_organisation.get(organisation.pk, []), staff=include_staff
        )
        shaped.append(obj)
        write("organizations", obj)
    for service in services:
        obj = mapping.service(service, staff=include_staff)
        shaped.append(obj)
        write("services", obj)
    terms = mapping.taxonomy_terms_used(shaped)
    used = {term["taxonomy_id"] for term in terms.values()}
    for taxonomy in tx.ALL:
        if taxonomy.id in used:
            write("taxonomies", taxonomy.as_hsds())
    for term in terms.values():
        write("taxonomy_terms", term)
    audit.record(
        actor=None,
        actor_label="export_hsds",
        action=audit.Action.EXPORT,
        event="directory.hsds.exported",
        reason=(
            f"{report.written['organizations']} organizations, {report.written['services']} "
            f"services{' (with staff-only)' if include_staff else ''} → {directory}"
        ),
    )
    return report
