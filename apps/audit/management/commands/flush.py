"""Django's ``flush`` (empty every table), able to empty the append-only audit trail too.

The database refuses UPDATE, DELETE and TRUNCATE on ``audit_auditevent`` (migration 0002),
so the stock ``flush`` fails once an event exists — and pytest-django runs ``flush`` after
every transactional test (the live-server browser tests among them). This command lifts the
table's triggers for the flush only, inside one transaction: if anything fails, the triggers
are back as they were — and only on a test database. On any other database ``flush`` keeps
failing on a non-empty audit trail, as it should. Changing or removing single events stays
refused everywhere.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.commands import flush
from django.db import connections, transaction

AUDIT_TABLE = "audit_auditevent"


@contextmanager
def _postgres_triggers_lifted(cursor) -> Iterator[None]:
    cursor.execute(f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER USER")
    yield
    cursor.execute(f"ALTER TABLE {AUDIT_TABLE} ENABLE TRIGGER USER")


@contextmanager
def _sqlite_triggers_lifted(cursor) -> Iterator[None]:
    # SQLite cannot disable a trigger: drop it and recreate it from its stored definition.
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
        [AUDIT_TABLE],
    )
    triggers = cursor.fetchall()
    for name, _sql in triggers:
        cursor.execute(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in triggers:
        cursor.execute(sql)


_LIFTERS = {"postgresql": _postgres_triggers_lifted, "sqlite": _sqlite_triggers_lifted}


@contextmanager
def audit_triggers_lifted(connection) -> Iterator[None]:
    """The append-only triggers off while the block runs (call inside a transaction)."""
    lifter = _LIFTERS.get(connection.vendor)
    if lifter is None or AUDIT_TABLE not in connection.introspection.table_names():
        yield
        return
    with connection.cursor() as cursor, lifter(cursor):
        yield


def is_test_database(connection) -> bool:
    """Django names test databases ``test_<name>`` (pytest-xdist adds ``_gw<n>``); SQLite's
    test database lives in memory."""
    name = str(connection.settings_dict["NAME"])
    return name.startswith("test_") or "mode=memory" in name or name == ":memory:"


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if not is_test_database(connection):
            return super().handle(**options)
        with transaction.atomic(using=connection.alias), audit_triggers_lifted(connection):
            return super().handle(**options)
