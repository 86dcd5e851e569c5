"""The official HSDS 3.0 schemas, read from the shared directory beside the checkout.

The table schemas (``schema/*.json``) ``$ref`` each other by relative name (``phone.json``)
and ``openapi.json`` refers to them by their GitHub URL; both are resolved to the local files
through one ``referencing.Registry``, so nothing is fetched at run time.

Validation is strict the way the specification checks its own examples: every object schema
gets ``additionalProperties: false`` (an unknown field is a problem) and formats are checked
(uuid, date, date-time, email, uri).
"""

import copy
import json
import os
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
SPEC_DIRNAME = "hsds-3.0"


class SpecMissing(RuntimeError):
    """The HSDS 3.0 schemas are not where they should be."""


def shared_dir() -> Path:
    return Path(os.environ.get("PROSTIR_SHARED_DIR") or settings.BASE_DIR.parent / "shared")


def spec_dir() -> Path:
    path = shared_dir() / SPEC_DIRNAME
    if not (path / "schema" / "compiled" / "service.json").is_file():
        raise SpecMissing(
            f"HSDS 3.0 schemas not found in {path} (expected schema/ and schema/compiled/ of "
            "openreferral/specification 3.0); set PROSTIR_SHARED_DIR to the directory that "
            "holds hsds-3.0/"
        )
    return path


def schema_dir() -> Path:
    return spec_dir() / "schema"


def examples_dir() -> Path:
    return spec_dir() / "examples"


def _strict(schema: Any) -> Any:
    """A copy in which every object schema with ``properties`` refuses other properties."""
    if isinstance(schema, dict):
        out = {key: _strict(value) for key, value in schema.items()}
        if isinstance(out.get("properties"), dict) and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


@cache
def _documents() -> dict[str, dict]:
    """Every schema file by its name relative to ``schema/`` (``phone.json``,
    ``compiled/service.json``), made strict."""
    root = schema_dir()
    documents = {}
    for path in sorted(root.rglob("*.json")):
        name = path.relative_to(root).as_posix()
        documents[name] = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: (doc if name == "openapi.json" else _strict(doc)) for name, doc in documents.items()
    }


@cache
def registry() -> Registry:
    """The schemas under their GitHub URLs (``$ref``s between them are relative to those)."""
    resources = [
        (BASE_URL + name, Resource.from_contents(doc, default_specification=DRAFT202012))
        for name, doc in _documents().items()
    ]
    return Registry().with_resources(resources)


def document(name: str) -> dict:
    return copy.deepcopy(_documents()[name])


FORMATS = FormatChecker()


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    if not parts.scheme or not (parts.netloc or parts.path):
        raise ValueError("not an absolute URI")
    return " " not in value


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if "T" not in value.upper():
        raise ValueError("not a date-time")
    parsed = datetime.fromisoformat(value.replace("z", "Z"))
    if parsed.tzinfo is None:
        raise ValueError("a date-time needs its offset")
    return True


@cache
def validator(name: str) -> Draft202012Validator:
    """A strict validator for the schema ``name`` (``compiled/service.json``, ``taxonomy.json``)."""
    schema = {"$ref": BASE_URL + name}
    return Draft202012Validator(schema, registry=registry(), format_checker=FORMATS)


@cache
def component_validator(pointer: str) -> Draft202012Validator:
    """A validator for a part of ``openapi.json`` (``#/paths/~1services/get/…``), as published
    (the API's answers must follow the spec's shapes; the schema is not made strict here)."""
    schema = {"$ref": BASE_URL + "openapi.json" + pointer}
    return Draft202012Validator(schema, registry=registry(), format_checker=FORMATS)


@dataclass(frozen=True)
class Problem:
    """One problem with one object: where it is in the object (``$.locations[0].name``), which
    rule of the schema it breaks (``properties/locations/items/required``), and what."""

    where: str
    schema_path: str
    message: str

    def as_dict(self) -> dict:
        return {"where": self.where, "schema_path": self.schema_path, "message": self.message}


def _schema_path(error) -> str:
    # The first step is the $ref of the wrapper schema: leave it out.
    steps = [str(step) for step in error.absolute_schema_path]
    if steps and steps[0] == "$ref":
        steps = steps[1:]
    return "/".join(steps)


def problems(name: str, instance: Any) -> list[Problem]:
    """Every problem of ``instance`` against the schema ``name``, in document order."""
    found = sorted(
        validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))
    )
    return [Problem(e.json_path, _schema_path(e), e.message) for e in found]
