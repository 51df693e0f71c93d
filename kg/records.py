"""Frozen records as JSON text and back (pure), so that the store can keep what it was built from.

Works for any of ``kg.model``'s dataclasses from their type hints: nested records, tuples,
optional values and dates.

>>> from kg.model import Paper, Section
>>> p = Paper("2407.21705", "Tora", ("Long Qin",), None, (Section("summary", "", "text", 4),),
...           dt.date(2024, 8, 1), "d.md", 2)
>>> from_json(Paper, to_json(p)) == p
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_json(record: object) -> str:
    """Compact, key-sorted JSON of a dataclass record (tuples as arrays, dates as ISO text)."""
    return json.dumps(record, default=_plain_record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def from_json(cls: type[T], text: str) -> T:
    """The record of type ``cls`` that ``to_json`` wrote; a field missing from the text takes its default."""
    value: T = _build(cls, json.loads(text))
    return value


def _plain_record(value: object) -> Any:
    """What JSON cannot write itself: a record as a dict of its fields, a date as ISO text. (The
    encoder calls it for these only, and writes the rest in C: a build writes every listing of
    every paper, some 250,000 values on the corpus.)"""
    if isinstance(value, dt.date):
        return value.isoformat()
    names = _field_names(type(value))  # type: ignore[arg-type]  # a type is hashable
    if names is None:
        raise TypeError(f"{type(value).__name__} is not a record")
    return {name: getattr(value, name) for name in names}


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass, ``None`` for any other type."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(tp)
        return tuple(_build(args[0], v) for v in value)
    if origin is typing.Literal:
        return value
    if tp is dt.date:
        return dt.date.fromisoformat(value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = _hints(tp)
        return tp(**{f.name: _build(hints[f.name], value[f.name]) for f in dataclasses.fields(tp) if f.name in value})
    return value
