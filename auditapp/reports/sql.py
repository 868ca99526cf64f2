"""SQL for period labels (2026-04, 2026-Q2, 2026) that reads the same on SQLite and PostgreSQL.

Grouping by the label itself keeps one cheap string key per row, and the database hands back exactly the text
that `scoring.period_label` would make, so no row needs to reach Python to be put in its period.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["period_label_sql"]


class _MonthLabel(FunctionElement):
    type = sa.String()
    name = "month_label"
    inherit_cache = True


class _QuarterLabel(FunctionElement):
    type = sa.String()
    name = "quarter_label"
    inherit_cache = True


class _YearLabel(FunctionElement):
    type = sa.String()
    name = "year_label"
    inherit_cache = True


_LABELS = {"month": _MonthLabel, "quarter": _QuarterLabel, "year": _YearLabel}


def period_label_sql(column: Any, kind: str) -> FunctionElement:
    """The label of the month, quarter or year a date or timestamp column falls in."""
    return _LABELS[kind](column)


# PostgreSQL (and the default for any other database): to_char.
@compiles(_MonthLabel)
def _month_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(_QuarterLabel)
def _quarter_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-\"Q\"Q')"


@compiles(_YearLabel)
def _year_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY')"


# SQLite: strftime (its driver uses ? placeholders, so % needs no escaping).
@compiles(_MonthLabel, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(_QuarterLabel, "sqlite")
def _quarter_sqlite(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"(strftime('%Y', {column}) || '-Q' || ((CAST(strftime('%m', {column}) AS INTEGER) + 2) / 3))"


@compiles(_YearLabel, "sqlite")
def _year_sqlite(element, compiler, **kw):
    return f"strftime('%Y', {compiler.process(element.clauses, **kw)})"
