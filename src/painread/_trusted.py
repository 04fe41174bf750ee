"""Build models from the package's own, already verified data without re-validating.

The shipped article and bundled catalogs are checked by the test suite (schema,
anchors, hash); paying full pydantic validation for them on every cold start
buys nothing. Anything from outside the package goes through ``model_validate``.
"""

from __future__ import annotations

import types
from datetime import date
from enum import Enum
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

__all__ = ["construct"]

Model = TypeVar("Model", bound=BaseModel)


def construct(model: type[Model], data: dict[str, Any]) -> Model:
    """``model.model_construct`` applied recursively, converting JSON values to field types."""
    values = {
        name: _convert(model.model_fields[name].annotation, value) for name, value in data.items()
    }
    return model.model_construct(**values)


def _convert(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(annotation)
    if origin is tuple:
        (item, *_) = get_args(annotation)
        return tuple(_convert(item, element) for element in value)
    if origin is Union or origin is types.UnionType:
        (kind,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _convert(kind, value)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return construct(annotation, value)
        if issubclass(annotation, Enum):
            return annotation(value)
        if issubclass(annotation, date):
            return date.fromisoformat(value)
    return value
