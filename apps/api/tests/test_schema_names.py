"""The OpenAPI document names each body schema by its class name: two apps' schemas of the
same name would be documented as one (the requests' transition once showed the referrals'
fields). Every schema the API uses must have its own name."""

from collections import defaultdict

from ninja import Schema

from apps.api.api import api


def _schemas(cls=Schema):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_every_api_schema_has_its_own_name():
    api.get_openapi_schema()  # imports every router and its schemas
    by_name = defaultdict(set)
    for schema in _schemas():
        if schema.__module__.startswith("apps."):
            by_name[schema.__name__].add(schema.__module__)
    clashes = {name: modules for name, modules in by_name.items() if len(modules) > 1}
    assert not clashes, clashes
