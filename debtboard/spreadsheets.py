"""Spreadsheet safety for every CSV debtboard writes: a cell that starts like a formula is quoted."""
from typing import Any

# Spreadsheets run a cell starting with = + - @ (or a tab or CR) as a formula ("CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with a quote; leave others alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore_formula(value: Any) -> Any:
    """Undo defuse_formula on a cell read back from a CSV debtboard wrote."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value
