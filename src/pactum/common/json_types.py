"""JSON bodies of the API take JSON's own types: a value of another JSON type is refused with 422
at its location, not converted.

The request models are shared with the web forms (which submit text: ``"3"``, ``"on"``) and the
CLI, so they validate in pydantic's lax mode, which turns ``"3"`` and ``true`` into the whole
number 3 and 1, ``"1"`` and ``0`` into booleans and the number 0 into the date 1970-01-01. For a
JSON body that silently changes what a client sent (a language of ``123`` stored as ``"123"``, an
account deactivated by ``"active": 0``), so each API route declares its body as
``JsonBody[Model]``: the body is validated by :func:`strict_model` of the model, a subclass with
the same fields, defaults, constraints and validators in which, also in nested models, lists and
dicts (the CLI reads its JSON files with the same :func:`strict_model`):

- a boolean is ``true`` or ``false`` (pydantic's ``Strict``);
- a number is a JSON number, not text nor a boolean (``Strict`` for decimals; a whole number keeps
  pydantic's default for a float such as ``3.0``, accepted, or ``2.5``, refused);
- a date or a time is JSON text (ISO 8601), not a number of seconds;
- text was already refused as a number, a boolean, a list or an object (pydantic's default).

Dates arrive as text, so model-wide strict mode (which refuses text for a date when validating
decoded JSON, as FastAPI does) is not used. The subclass is an instance of the model for the
services; the OpenAPI schema is the model's.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    GetCoreSchemaHandler,
    Strict,
    ValidationError,
    create_model,
)
from pydantic_core import CoreSchema, PydanticCustomError

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def _whole_number(value: Any) -> Any:
    if isinstance(value, (str, bool)):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def _date_text(what: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, (int, float)):  # bool included
            raise PydanticCustomError(f"{what}_type", f"Input should be a valid {what}, written as text")
        return value

    return check


_SCALARS: dict[Any, Any] = {
    bool: Annotated[bool, Strict()],
    int: Annotated[int, BeforeValidator(_whole_number)],
    float: Annotated[float, Strict()],
    datetime: Annotated[datetime, BeforeValidator(_date_text("datetime"))],
    date: Annotated[date, BeforeValidator(_date_text("date"))],
    time: Annotated[time, BeforeValidator(_date_text("time"))],
}
_CONTAINERS = (list, set, frozenset, tuple, dict)
_MODELS: dict[type[BaseModel], type[Any]] = {}


def _strict(tp: Any) -> Any:
    """``tp`` with JSON's types (see the module); ``tp`` itself when nothing in it changes."""
    if tp in _SCALARS:
        return _SCALARS[tp]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return strict_model(tp)
    origin = get_origin(tp)
    if origin is None:
        return tp
    args = get_args(tp)
    if origin is Annotated:
        if args[0] in _SCALARS:  # the type's own constraints first, then the check of the JSON type
            base, *check = get_args(_SCALARS[args[0]])
            return Annotated[(base, *args[1:], *check)]  # type: ignore[valid-type]
        inner = _strict(args[0])
        return tp if inner is args[0] else Annotated[(inner, *args[1:])]  # type: ignore[valid-type]
    if origin in (Union, types.UnionType):
        new = tuple(_strict(a) for a in args)
        return tp if all(n is a for n, a in zip(new, args, strict=True)) else Union[new]  # noqa: UP007
    if origin in _CONTAINERS:
        new = tuple(a if a is Ellipsis else _strict(a) for a in args)
        return tp if all(n is a for n, a in zip(new, args, strict=True)) else origin[new]
    return tp  # Literal, enums, custom types: validated as before


def strict_model(model: type[M]) -> type[M]:
    """The subclass of ``model`` that validates JSON's types (the model itself when none of its
    fields is a boolean, a number or a date, also inside)."""
    if model in _MODELS:
        return _MODELS[model]
    _MODELS[model] = model  # a model that contains itself keeps its own type there
    changed: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        new = _strict(info.annotation)
        if new is not info.annotation:
            changed[name] = (new, info)
    if changed:
        derived = create_model(model.__name__, __base__=model, __module__=model.__module__,
                               __doc__=model.__doc__, **changed)
        derived.__qualname__ = model.__qualname__
        _MODELS[model] = derived
    return _MODELS[model]


class _JsonTypes:
    """``Annotated`` marker: validate the annotated model as :func:`strict_model` of it."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return handler(_strict(source))

    def __repr__(self) -> str:
        return "JsonTypes"


JSON_TYPES = _JsonTypes()

#: A route's JSON body: ``body: JsonBody[Model]``.
JsonBody = Annotated[T, JSON_TYPES]

#: The errors the strict types add to pydantic's defaults.
STRICT_ERROR_TYPES = frozenset({"int_type", "bool_type", "float_type", "date_type", "datetime_type",
                                "time_type"})


def type_errors(model: type[BaseModel], values: Mapping[str, Any], loc: tuple[str | int, ...]
                ) -> list[dict[str, Any]]:
    """The values of a free-form JSON object (some fields of ``model``, e.g. a follow-up item's
    changes) that have the wrong JSON type, as request errors at ``loc`` + field. Only the type
    is checked here: what the values mean is left to the service, which validates the whole item."""
    try:
        strict_model(model).model_validate(dict(values))
    except ValidationError as exc:
        # the fields not given (an edit names only what changes) and what the values mean are
        # the service's to judge: only the JSON types are refused here
        return [{**e, "loc": (*loc, *e["loc"])} for e in exc.errors(include_url=False)
                if e["type"] in STRICT_ERROR_TYPES and e["loc"] and e["loc"][0] in values]
    return []
