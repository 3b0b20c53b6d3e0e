"""Fast inserts for the large append-only tables that mining and scoring write (commits, changes, scores)."""
import json
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model


def write_connection(model: type[Model]) -> BaseDatabaseWrapper:
    """The connection `model`'s rows are written through."""
    return connections[router.db_for_write(model)]


def rows_insert(*, model: type[Model], fields: Sequence[str], rows: Sequence[tuple]) -> int:
    """Insert `rows` (values in `fields` order, already adapted for the connection); return their number.

    bulk_create builds a model instance and compiles SQL for every value: for tens of thousands of
    rows that costs several times what producing the data does (bench/bench_mining.py). PostgreSQL
    gets the rows through COPY (psycopg's `cursor.copy`, about 5x faster than INSERTs there), other
    databases through one executemany. Callers adapt datetimes with
    `connection.ops.adapt_datetimefield_value` and pass plain ints, floats, strings without NUL bytes,
    booleans and None.
    """
    if not rows:
        return 0
    connection = write_connection(model)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
    return len(rows)


def instances_insert(*, model: type[Model], instances: Sequence[Model]) -> int:
    """Insert unsaved model instances through rows_insert, adapting JSON and datetimes by hand.

    For a few thousand wide rows this is several times faster than bulk_create, whose per-value
    `prepare_value` dominates (scoring's FileScore rows: 1.3 s -> 0.2 s on sympy).
    """
    if not instances:
        return 0
    connection = write_connection(model)
    adapters = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        adapters.append((field.name, field.attname, _adapter(field, connection)))
    rows = [
        tuple(adapt(getattr(instance, attname)) for _name, attname, adapt in adapters)
        for instance in instances
    ]
    return rows_insert(model=model, fields=[name for name, _attname, _adapt in adapters], rows=rows)


class EncodedJson(str):
    """A JSONField value already encoded (by whoever built the row, e.g. scoring's forked child): stored as is."""


def values_insert(*, model: type[Model], rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert rows given as {attname: value} (`scan_id` for a foreign key) through rows_insert.

    Every row has the keys of the first; JSON and datetimes are adapted as in instances_insert (a JSON
    value may come encoded already, as an EncodedJson). For rows built in bulk this skips model
    instances, whose construction costs more than the values.
    """
    if not rows:
        return 0
    connection = write_connection(model)
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    attnames = list(rows[0])
    adapting = [(index, adapter) for index, attname in enumerate(attnames)
                if (adapter := _adapter(by_attname[attname], connection)) is not _unchanged]
    pick = itemgetter(*attnames)
    values = []
    for row in rows:
        picked = pick(row) if len(attnames) > 1 else (pick(row),)
        if adapting:
            picked = list(picked)
            for index, adapt in adapting:
                picked[index] = adapt(picked[index])
        values.append(tuple(picked))
    return rows_insert(model=model, fields=[by_attname[attname].name for attname in attnames], rows=values)


def _unchanged(value: Any) -> Any:
    return value


def _adapter(field, connection: BaseDatabaseWrapper):
    internal = field.get_internal_type()
    if internal == "JSONField":
        return lambda value: (
            None if value is None else value if isinstance(value, EncodedJson) else json.dumps(value, cls=field.encoder)
        )
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return _unchanged
