"""``export_hsds``: the directory as HSDS 3.0 JSON files.

    DIR/organizations/<id>.json   the compiled ``organization`` shape (services: one-to-one fields)
    DIR/services/<id>.json        the compiled ``service`` shape
    DIR/taxonomies/<id>.json      the taxonomies the attributes use (``taxonomy``)
    DIR/taxonomy_terms/<id>.json  the terms the attributes use (``taxonomy_term``)

Every object is validated against the official schema before it is written; an invalid one is
not written and is reported. The files are written into a temporary folder beside DIR; only
when every object is valid do its four folders replace those in DIR, so DIR holds exactly the
directory as it is now, and a failed export leaves DIR as it was.
"""

import json
import shutil
import tempfile
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
    directory = Path(directory).absolute()
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        report = _write_all(staging, include_staff)
        if report.ok:
            _swap(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if report.ok:
        audit.record(
            actor=None,
            actor_label="export_hsds",
            action=audit.Action.EXPORT,
            event="directory.hsds.exported",
            reason=(
                f"{report.written['organizations']} organizations, "
                f"{report.written['services']} services"
                f"{' (with staff-only)' if include_staff else ''} → {directory}"
            ),
        )
    return report


def _swap(staging: Path, directory: Path) -> None:
    """The new folders in place of the old ones; the old ones end up in ``staging``."""
    directory.mkdir(exist_ok=True)
    for folder in FOLDERS:
        target = directory / folder
        if target.exists():
            target.rename(staging / f"old-{folder}")
        (staging / folder).rename(target)


def _write_all(directory: Path, include_staff: bool) -> ExportReport:
    report = ExportReport()
    for folder in FOLDERS:
        (directory / folder).mkdir()

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
    return report
