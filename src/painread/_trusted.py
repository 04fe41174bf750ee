"""Build models from the package's own, already verified data without re-validating.

The shipped article and bundled catalogs are checked by the test suite (schema,
anchors, hash); paying full pydantic validation for them on every cold start
buys nothing. Anything from outside the package goes through ``model_validate``.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

__all__ = ["construct"]

Model = TypeVar("Model", bound=BaseModel)
Convert = Callable[[Any], Any]
"""Turns one JSON value into the value a field holds (a tuple, an enum, a date...)."""


def construct(model: type[Model], data: dict[str, Any]) -> Model:
    """``model.model_construct`` applied recursively, converting JSON values to field types."""
    plan = _plan(model)
    values = {
        name: value if (convert := plan.get(name)) is None or value is None else convert(value)
        for name, value in data.items()
    }
    return model.model_construct(**values)


@cache
def _plan(model: type[BaseModel]) -> dict[str, Convert]:
    """The converter of every field that needs one, worked out once per model class.

    Reading the annotations again for every object would cost more than the
    construction itself (an article has about 70 model objects).
    """
    plan: dict[str, Convert] = {}
    for name, field in model.model_fields.items():
        convert = _converter(field.annotation)
        if convert is not None:
            plan[name] = convert
    return plan


def _converter(annotation: Any) -> Convert | None:
    """How to convert a JSON value to ``annotation``; ``None`` when it is used as is."""
    origin = get_origin(annotation)
    if origin is tuple:
        return _tuple_of(_converter(get_args(annotation)[0]))
    if origin is Union or origin is types.UnionType:
        (kind,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _optional(_converter(kind))
    if isinstance(annotation, type):
        return _scalar(annotation)
    return None


def _scalar(annotation: type) -> Convert | None:
    if issubclass(annotation, BaseModel):
        model: type[BaseModel] = annotation
        return lambda value: construct(model, value)
    if issubclass(annotation, Enum):
        return annotation
    if issubclass(annotation, date):
        return date.fromisoformat
    return None


def _tuple_of(item: Convert | None) -> Convert:
    if item is None:
        return tuple
    return lambda values: tuple(item(value) for value in values)


def _optional(kind: Convert | None) -> Convert | None:
    if kind is None:
        return None
    return lambda value: None if value is None else kind(value)
