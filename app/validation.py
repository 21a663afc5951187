"""Turn pydantic's validation errors into clear messages in the user's language, and keep control characters
out of every text a user sends (``Clean``) and out of every file the service writes (``printable``)."""

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Request
from pydantic import BaseModel, BeforeValidator, Field, ValidationError
from starlette.datastructures import FormData

from app.i18n import N_, _
from lifeline.text import printable

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def _clean(value: Any) -> Any:
    return printable(value) if isinstance(value, str) else value


Clean = BeforeValidator(_clean)
"""Put after ``StringConstraints`` in every text field of a request schema: control characters pasted in (NUL,
U+000B from Word) are removed before the length rules apply, so nothing stored can break an export."""


def printable_deep(value: T) -> T:
    """A copy of ``value`` (text, lists, tuples, dicts, dataclasses, pydantic models) with every text
    ``printable``: for files made from data stored before control characters were refused at input."""
    out: Any
    if isinstance(value, str):
        out = type(value)(printable(value)) if type(value) is not str else printable(value)
    elif isinstance(value, list | tuple):
        out = type(value)(printable_deep(v) for v in value)
    elif isinstance(value, dict):
        out = {k: printable_deep(v) for k, v in value.items()}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: printable_deep(getattr(value, f.name)) for f in dataclasses.fields(value)}
        out = dataclasses.replace(value, **changes)
    elif isinstance(value, BaseModel):
        out = value.model_copy(update={k: printable_deep(v) for k, v in value.__dict__.items()})
    else:
        out = value
    return cast(T, out)


MAX_ID = 2**31 - 1


def whole_number(text: str, *, digits: int = 9) -> int | None:
    """``text`` as a whole number of at most ``digits`` ASCII digits, else None (``str.isdigit`` also takes "²",
    which ``int`` refuses, and ``int`` of a very long digit string raises: a form value must never be a 500)."""
    return int(text) if 0 < len(text) <= digits and text.isascii() and text.isdigit() else None


"""The largest id (and version number) a request may name: PostgreSQL's ``integer``."""
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An id in a request body or query (``app.deps.PathId`` in a path)."""

_MESSAGES = {
    "missing": N_("This field is required."),
    "string_too_long": N_("This text is too long (at most %(max_length)s characters)."),
    "string_too_short": N_("This text is too short (at least %(min_length)s characters)."),
    "string_empty": N_("This field cannot be empty."),
    "too_long": N_("Too many items (at most %(max_length)s)."),
    "enum": N_("Choose one of: %(expected)s."),
    "literal_error": N_("Choose one of: %(expected)s."),
    "int_parsing": N_("This must be a whole number."),
    "int_type": N_("This must be a whole number."),
    "bool_parsing": N_("This must be yes or no."),
    "bool_type": N_("This must be yes or no."),
    "date_from_datetime_parsing": N_("This must be a date (YYYY-MM-DD)."),
    "date_parsing": N_("This must be a date (YYYY-MM-DD)."),
    "date_type": N_("This must be a date (YYYY-MM-DD)."),
    "datetime_parsing": N_("This must be a date and time (YYYY-MM-DDTHH:MM)."),
    "datetime_from_date_parsing": N_("This must be a date and time (YYYY-MM-DDTHH:MM)."),
    "datetime_type": N_("This must be a date and time (YYYY-MM-DDTHH:MM)."),
    "string_type": N_("This must be text."),
    "list_type": N_("This must be a list."),
    "model_attributes_type": N_("This must be an object."),
    "dict_type": N_("This must be an object."),
    "json_invalid": N_("The request body is not valid JSON."),
    "extra_forbidden": N_("This field is not known."),
    "greater_than_equal": N_("This must be at least %(ge)s."),
    "less_than_equal": N_("This must be at most %(le)s."),
    "greater_than": N_("This must be more than %(gt)s."),
    "less_than": N_("This must be less than %(lt)s."),
    "value_error": N_("This value is not valid."),
    "string_pattern_mismatch": N_("This value is not valid."),
}


def _field(loc: Sequence[Any]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "form", "header", "cookie")]
    return ".".join(parts) or "body"


def describe_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """One ``{"field", "message"}`` per problem, the message translated and free of internals."""
    described = []
    for error in errors:
        kind = str(error.get("type", "value_error"))
        ctx = dict(error.get("ctx") or {})
        if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
            message = str(ctx["error"])  # our own validators raise already-translated messages
        else:
            if kind == "string_too_short" and str(ctx.get("min_length")) == "1":
                kind = "string_empty"  # "at least 1 characters" reads wrong in both languages
            template = _MESSAGES.get(kind, _MESSAGES["value_error"])
            values = {key: str(value) for key, value in ctx.items()}
            try:
                message = _(template, **values) if "%(" in template else _(template)
            except (KeyError, ValueError):
                message = _(_MESSAGES["value_error"])
        described.append({"field": _field(error.get("loc", ())), "message": message})
    return described


async def _submitted(request: Request) -> FormData:
    """The submitted form, parsed in the event loop from the body the middleware has already read (bounded)."""
    return await request.form()


# A page handler that takes ``form: Submitted`` can be a plain ``def``: FastAPI runs it in the thread pool, so its
# database work and rendering never run on the event loop (where they would hold up every other request).
Submitted = Annotated[FormData, Depends(_submitted)]


def text_fields(form: FormData, *, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """The text fields of a submitted form (files left out), as a plain dict; an empty ``optional`` field
    (an untouched date input) becomes None."""
    values: dict[str, Any] = {key: value for key, value in form.items() if isinstance(value, str)}
    for field in optional:
        if field in values and not values[field]:
            values[field] = None
    return values


def parse_form(schema: type[M], data: Mapping[str, Any]) -> tuple[M | None, dict[str, str]]:
    """Validate form data with a pydantic schema: (model, {}) or (None, {field: message})."""
    cleaned = {key: value for key, value in data.items() if key != "csrf_token"}
    try:
        return schema.model_validate(cleaned), {}
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for item in describe_errors(exc.errors()):
            problems.setdefault(item["field"], item["message"])
        return None, problems
