"""Helpers for proving that a change and its audit event share one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def statements() -> Iterator[list[tuple[str, int | None]]]:
    """Each SQL statement run in the block, with the transaction it ran in: the id of the
    outermost ``atomic`` block then open, ``None`` in autocommit."""
    log: list[tuple[str, int | None]] = []

    def note(execute, sql, params, many, context):
        blocks = connection.atomic_blocks
        log.append((sql, id(blocks[0]) if blocks else None))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield log


def transactions_of(log, *fragments: str) -> set[int | None]:
    """The transactions of the statements containing all ``fragments``."""
    return {txn for sql, txn in log if all(fragment in sql for fragment in fragments)}
