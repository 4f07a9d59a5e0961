"""Reading numbers from submitted forms.

A form posts text. ``int()`` on it raises Python's own messages ("invalid literal for int() with
base 10"), accepts characters no officer types as digits ("²" passes ``str.isdigit``, then
``int`` refuses it) and turns 10,000 digits into a number no store holds. Each view reads its
numbers through :func:`whole_number`, which refuses such input as a :class:`ValidationProblem`
naming the field, so that the page says which field is wrong.

A form the app refuses before its view runs (a value holding the NUL character) is shown again on
its own page too: the view registers that page with :func:`refused_form_page`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from starlette.datastructures import ImmutableMultiDict, UploadFile
from starlette.responses import Response

from pactum.common.errors import ValidationProblem
from pactum.common.limits import STORE_INTEGER_MAX
from pactum.common.text import shortened

_WHOLE = re.compile(r"[+-]?[0-9]+")
#: The shape of a state code read back from an address or a form (``IT``); whether it is one of the
#: Pact's states is the services' check.
STATE_CODE = re.compile(r"[A-Z]{2}")


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


# ------------------------------------------------------------------ forms refused before the view


#: How a view renders its page again with what was typed and the problems:
#: ``page(request, services, principal, typed, problem, **path_params)``.
RefusedPage = Callable[..., Response]

_REFUSED_PAGES: dict[Callable[..., Any], tuple[RefusedPage, bool]] = {}

_F = TypeVar("_F", bound=Callable[..., Any])


def refused_form_page(page: RefusedPage, *, anonymous: bool = False) -> Callable[[_F], _F]:
    """Register, for the view it decorates (put it below ``@router.post``), the page shown when its
    form is refused before the view runs.

    The app-wide check refuses a form value holding the NUL character before any view reads the
    form (:func:`pactum.api.deps.reject_nul_characters`). Without this the officer got a bare error
    page and lost what they typed; with it, :mod:`pactum.web.app` calls ``page`` with the form as
    typed (``typed``: each field's text, its NUL characters dropped) and a
    :class:`ValidationProblem` naming each refused field, so that the page is the one the form was
    on, the field says what is wrong and the rest of the text is kept — as when the view itself
    refuses the form. ``principal`` is the logged-in user; a page for no one logged in (the login
    form) says ``anonymous=True`` and may get None."""

    def register(view: _F) -> _F:
        _REFUSED_PAGES[view] = (page, anonymous)
        return view

    return register


def refused_page_of(endpoint: Any) -> tuple[RefusedPage, bool] | None:
    """The page registered by :func:`refused_form_page` for ``endpoint`` (a view), if any, and
    whether it is shown to no one logged in."""
    return _REFUSED_PAGES.get(endpoint)


def typed_text(form: Any) -> ImmutableMultiDict[str, str]:
    """A submitted form as the page keeps it: every value of every field (``get``, ``getlist``,
    ``items`` as on the form), its text without NUL characters, which no page can show and no store
    holds; uploaded files left out."""
    return ImmutableMultiDict([(k, v.replace("\x00", "")) for k, v in form.multi_items() if isinstance(v, str)])


#: The largest file a form uploads for an import (a follow-up file, reception reports, applicants).
MAX_UPLOAD_BYTES = 512 * 1024


async def uploaded_text(upload: Any, field: str = "file", max_bytes: int = MAX_UPLOAD_BYTES) -> str | None:
    """The text of a file chosen on a form (None when none was chosen), a byte order mark dropped;
    a problem of ``field`` when it is larger than ``max_bytes``, not UTF-8 or holds the NUL character,
    each naming the line, so that nothing of it is read."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    raw = await upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        size = f"{max_bytes // 1_000_000} MB" if max_bytes >= 1_000_000 else f"{max_bytes // 1024} KB"
        raise ValidationProblem.one(field, f"the file is larger than {size}: split it")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValidationProblem.one(field, f"line {line}: not UTF-8 text: byte 0x{raw[exc.start]:02x} "
                                           "(save the file as UTF-8)") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValidationProblem.one(field, f"line {line}: the NUL character, which no text holds")
    return text
