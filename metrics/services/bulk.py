"""Fast inserts for the large append-only tables that mining and scoring write (commits, changes, scores)."""
from collections.abc import Sequence

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model


def write_connection(model: type[Model]) -> BaseDatabaseWrapper:
    """The connection `model`'s rows are written through."""
    return connections[router.db_for_write(model)]


def rows_insert(*, model: type[Model], fields: Sequence[str], rows: Sequence[tuple]) -> int:
    """INSERT `rows` (values in `fields` order, already adapted for the connection) with one executemany.

    bulk_create builds a model instance and compiles SQL for every value: for tens of thousands of
    rows that costs several times what producing the data does (bench/bench_mining.py). Callers adapt
    datetimes with `connection.ops.adapt_datetimefield_value` and pass plain ints, floats, strings,
    booleans and None. Returns the number of rows.
    """
    if not rows:
        return 0
    connection = write_connection(model)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})", rows)
    return len(rows)
