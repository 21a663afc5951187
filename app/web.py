"""What the areas' HTML pages share: the frame of a review's page, and a form's round trip (validate → use case
→ redirect, or the page again with the errors at their fields)."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from app.deps import ReviewAccess
from app.errors import DomainError
from app.templating import render
from app.validation import parse_form

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")

Errors = dict[str, str]
"""A form's problems: a translated message per field (``form`` for the form as a whole)."""


def render_review(
    request: Request,
    access: ReviewAccess,
    template: str,
    context: Mapping[str, Any],
    *,
    active: str,
    extra: Mapping[str, Any],
    status_code: int | None = None,
    failed: tuple[str, ...] = ("errors",),
    conflict: str = "",
) -> Response:
    """A page of one review: its ``context`` with the review, the viewer's access, the navigation's ``active``
    tab and empty ``errors``/``values``, then ``extra`` (a form's errors and values) over it. Unless
    ``status_code`` says otherwise: 409 when ``extra`` carries a ``conflict`` (a stale edit shown beside the
    newer version), 422 when it carries errors under any of the ``failed`` keys, else 200."""
    page = {"review": access.review, "access": access, "active": active, "errors": {}, "values": {}}
    page.update(context)
    page.update(extra)
    if status_code is None:
        status_code = 409 if conflict and extra.get(conflict) else 422 if any(extra.get(k) for k in failed) else 200
    return render(request, template, page, status_code=status_code)


def see_other(url: str) -> RedirectResponse:
    """Where a form that was taken goes next (303: the browser GETs it, so a reload never posts again)."""
    return RedirectResponse(url, status_code=303)


def field_errors(exc: DomainError, default: str) -> Errors:
    """A use case's refusal as form errors: at the fields it names (a date it could not read), else at
    ``default``."""
    if isinstance(exc.detail, list):
        named = {str(item["field"]): str(item["message"]) for item in exc.detail if isinstance(item, dict)}
        if named:
            return named
    return {default: exc.message}


def submit(
    schema: type[M],
    fields: Mapping[str, Any],
    use_case: Callable[[M], R],
    *,
    then: str | Callable[[R], str],
    again: Callable[[Errors], Response],
    field: str = "form",
    at_fields: bool = False,
    passes: tuple[type[DomainError], ...] = (),
) -> Response:
    """A form's round trip: ``fields`` validated as ``schema``, ``use_case`` run with the model, then 303 to
    ``then`` (a URL, or made from what the use case answered). Bad input, or the use case's refusal (shown at
    ``field``, or with ``at_fields`` at the fields it names), answers ``again(errors)``: the page with the form
    again. Refusals of a ``passes`` kind are not the
    form's problem (a 404: the thing is gone) and go on to the error handler."""
    data, errors = parse_form(schema, fields)
    if data is None:
        return again(errors)
    try:
        done = use_case(data)
    except passes:
        raise
    except DomainError as exc:
        return again(field_errors(exc, field) if at_fields else {field: exc.message})
    return see_other(then if isinstance(then, str) else then(done))
