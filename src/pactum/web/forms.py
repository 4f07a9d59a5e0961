"""Reading numbers from submitted forms.

A form posts text. ``int()`` on it raises Python's own messages ("invalid literal for int() with
base 10"), accepts characters no officer types as digits ("²" passes ``str.isdigit``, then
``int`` refuses it) and turns 10,000 digits into a number no store holds. Each view reads its
numbers through :func:`whole_number`, which refuses such input as a :class:`ValidationProblem`
naming the field, so that the page says which field is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pactum.common.errors import ValidationProblem
from pactum.common.limits import STORE_INTEGER_MAX
from pactum.common.text import shortened

_WHOLE = re.compile(r"[+-]?[0-9]+")


def _spaced(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def parse_whole_number(raw: str, field: str, *, minimum: int | None = None,
                       maximum: int = STORE_INTEGER_MAX) -> int:
    """``raw`` (stripped) as an int in ``[minimum, maximum]``, or a problem naming ``field``."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not _WHOLE.fullmatch(text):
        raise ValidationProblem.one(field, f"'{shortened(text, 20)}' is not a whole number")
    lowest = -STORE_INTEGER_MAX if minimum is None else minimum
    if len(text.lstrip("+-")) > 19:  # beyond every bound (int() of 4,300 digits is refused anyway)
        text = "-1" + "0" * 19 if text.startswith("-") else "1" + "0" * 19
    value = int(text)
    if value < lowest:
        raise ValidationProblem.one(field, f"must be at least {_spaced(lowest)}")
    if value > maximum:
        raise ValidationProblem.one(field, f"must be at most {_spaced(maximum)}")
    return value


def whole_number(form: Mapping[str, Any], field: str, *, default: int | None = None,
                 minimum: int | None = None, maximum: int = STORE_INTEGER_MAX) -> int | None:
    """The form's ``field`` as an int; ``default`` when it is absent or blank."""
    raw = form.get(field)
    if raw is None or not str(raw).strip():
        return default
    return parse_whole_number(str(raw), field, minimum=minimum, maximum=maximum)


def required_whole_number(form: Mapping[str, Any], field: str, *, minimum: int | None = None,
                          maximum: int = STORE_INTEGER_MAX) -> int:
    """The form's ``field`` as an int; a problem naming it when it is absent or blank."""
    value = whole_number(form, field, minimum=minimum, maximum=maximum)
    if value is None:
        raise ValidationProblem.one(field, "required")
    return value
