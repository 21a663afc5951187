"""HTML pages of studies: the list with a form for a new study, and one study's page (cases, members, the
matrix as a plotly heat map whose cells open the factors behind them, overarching elements, agreement).

The matrix is drawn by ``static/js/studies.js`` from the JSON API; the page carries a plain table of the same
figures, so it reads without scripts too.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel
from starlette.datastructures import FormData

from app.db import SessionDep
from app.deps import PathId, ViewerDep
from app.errors import Conflict, DomainError, InvalidInput, NotFound
from app.i18n import _, current_language
from app.reviews import service as reviews
from app.reviews.models import Role
from app.reviews.schemas import MemberCreate
from app.studies import report, service
from app.studies.deps import StudyMemberDep, StudyOwnerDep, StudyWriterDep
from app.studies.schemas import (
    MAX_ATTRIBUTES,
    CaseCreate,
    CaseLine,
    CaseUpdate,
    CodingResolve,
    ElementCreate,
    ElementUpdate,
    StudyCreate,
    SupportIn,
    VerdictSet,
)
from app.studies.service import StudyAccess
from app.templating import render, script_data
from app.validation import MAX_ID, Submitted, parse_form, text_fields, whole_number
from app.vendor import plotly_css_url, plotly_js_url
from app.web import see_other, submit

pages = APIRouter(include_in_schema=False)
ThemeKey = Annotated[str, Path(min_length=1, max_length=80)]
MAX_LINKS = 200
MAX_ATTRIBUTE_TEXT = 20_000


@dataclass(frozen=True)
class MatrixView:
    """How the study page shows the matrix (query parameters, so it works without scripts): the framework, the
    cell measure, an attribute filter (``key=value``) and the attribute the cases are grouped by."""

    framework: str = service.DEFAULT_FRAMEWORK
    measure: str = "factors"
    filter: str = ""
    group: str = ""
    cell: str = ""

    def query(self, **changes: str) -> str:
        """This view as a query string, with some parameters changed (defaults left out)."""
        values = {**asdict(self), **changes}
        defaults = asdict(MatrixView())
        return urlencode({k: v for k, v in values.items() if v and v != defaults[k]})

    @property
    def opened(self) -> tuple[int, str] | None:
        """The cell asked for (``review:theme``), shown below the matrix without scripts."""
        review, sep, theme = self.cell.partition(":")
        review_id = whole_number(review)
        return (review_id, theme) if sep and review_id and theme else None

    @property
    def attribute(self) -> tuple[str | None, str | None]:
        """The filter as (attribute, value); (None, None) when all cases are shown."""
        key, sep, value = self.filter.partition("=")
        return (key, value) if sep and key else (None, None)


def matrix_view(
    framework: Annotated[str, Query(max_length=60)] = service.DEFAULT_FRAMEWORK,
    measure: Annotated[Literal["factors", "evidence", "stickers", "sticker_share"], Query()] = "factors",
    filter: Annotated[str, Query(max_length=262)] = "",
    group: Annotated[str, Query(max_length=60)] = "",
    cell: Annotated[str, Query(max_length=100)] = "",
) -> MatrixView:
    """The matrix view asked for in the query string."""
    return MatrixView(framework=framework, measure=measure, filter=filter, group=group, cell=cell)


MatrixViewDep = Annotated[MatrixView, Depends(matrix_view)]


def _list(request: Request, session: SessionDep, viewer: ViewerDep, **extra: object) -> Response:
    context: dict[str, object] = {
        "studies": service.studies_of(session=session, user=viewer.user),
        "errors": {},
        "values": {},
    }
    context.update(extra)
    return render(request, "studies/list.html", context, status_code=422 if extra.get("errors") else 200)


@pages.get("/studies")
def studies_page(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Every study of the user, and a form for a new one."""
    return _list(request, session, viewer)


@pages.post("/studies/new")
def create_study_page(request: Request, form: Submitted, session: SessionDep, viewer: ViewerDep) -> Response:
    """Create a study from the form."""
    values = text_fields(form)
    return submit(
        StudyCreate,
        values,
        lambda data: service.create_study(session=session, user=viewer.user, data=data),
        then=lambda study: f"/studies/{study.id}",
        again=lambda errors: _list(request, session, viewer, errors=errors, values=values),
    )


def _study(
    request: Request,
    session: SessionDep,
    access: StudyAccess,
    view: MatrixView | None = None,
    *,
    status: int | None = None,
    **extra: object,
) -> Response:
    view = view or MatrixView()
    study_id = access.study_id
    out = service.study_out(session=session, access=access)
    cases = {c.review_id for c in out.cases}
    own_reviews = [
        r
        for r, role in reviews.reviews_of(session=session, user=access.user)
        if role == Role.owner and r.id not in cases
    ]
    frameworks = service.study_frameworks(session=session, study_id=study_id)
    if view.framework not in {f.key for f in frameworks}:
        view = replace(view, framework=service.DEFAULT_FRAMEWORK, cell="")
    key = view.framework
    opened = None
    if view.opened:
        review_id, theme = view.opened
        try:
            opened = service.cell(
                session=session, study_id=study_id, framework_key=key, theme_key=theme, review_id=review_id
            )
        except DomainError:
            opened = None  # a stale or mistyped link shows the matrix without a detail
    trees = service.side_by_side(session=session, study_id=study_id, framework_key=key)
    attribute, value = view.attribute
    matrix = service.matrix(session=session, study_id=study_id, framework_key=key, attribute=attribute, value=value)
    attributes = sorted({(k, v) for c in out.cases for k, v in c.attributes.items()})
    case_attributes = {c.review_id: c.attributes for c in out.cases}
    groups = _groups(matrix.cases, case_attributes, view.group)
    elements = service.list_elements(session=session, study_id=study_id)
    removed = service.list_elements(session=session, study_id=study_id, deleted=True)
    context: dict[str, object] = {
        "study": out,
        "access": access,
        "view": view,
        "members": service.list_members(session=session, study_id=study_id),
        "own_reviews": own_reviews,
        "frameworks": frameworks,
        "matrix": matrix,
        "columns": [c for _label, group in groups for c in group],
        "groups": groups,
        "cells": {(c.theme_key, c.review_id): c for c in matrix.cells},
        "opened": opened,
        "attributes": attributes,
        "attribute_keys": sorted({k for k, _v in attributes}),
        "case_titles": {c.review_id: c.case_pseudonym or c.title for c in out.cases},
        "elements": elements,
        "removed_elements": removed,
        "history": {
            e.id: service.element_versions(session=session, study_id=study_id, element_id=e.id)
            for e in elements + removed
        },
        "trees": trees,
        "units": script_data(
            [
                {"case": c.title, "review": c.review_id, "nodes": [[u.node_id, u.title] for u in lines]}
                for c, lines in trees
            ]
        ),
        "theme_colour": {t.key: i % 16 for i, t in enumerate(matrix.themes)},
        "literature": service.literature(session=session, study_id=study_id, framework_key=key),
        "perspectives": service.perspectives(session=session, study_id=study_id, framework_key=key),
        "agreement": service.agreement_of(session=session, access=access, framework_key=key),
        "config": script_data(
            {
                "study": study_id,
                "framework": key,
                "defaultFramework": service.DEFAULT_FRAMEWORK,
                "canWrite": access.can_write,
                "me": access.user.id,
                "frameworks": [f.model_dump(mode="json") for f in frameworks],
                "attributes": {str(k): v for k, v in case_attributes.items()},
            }
        ),
        "plotly_js": plotly_js_url(),
        "plotly_css": plotly_css_url(),
        "errors": {},
        "values": {},
        "conflict": None,
    }
    context.update(extra)
    if status is None:
        status = 409 if extra.get("conflict") else 422 if extra.get("errors") else 200
    return render(request, "studies/study.html", context, status_code=status)


def _groups(
    columns: list[CaseLine], attributes: dict[int, dict[str, str]], group: str
) -> list[tuple[str | None, list[CaseLine]]]:
    """The matrix's cases grouped by one attribute (cases without it last), or one group of all."""
    if not group:
        return [(None, columns)]
    by: dict[str, list[CaseLine]] = {}
    for column in columns:
        by.setdefault(attributes.get(column.review_id, {}).get(group, ""), []).append(column)
    return [(label or "—", by[label]) for label in sorted(by, key=lambda v: (v == "", v))]


@pages.get("/studies/{study_id}")
def study_page(request: Request, session: SessionDep, access: StudyMemberDep, view: MatrixViewDep) -> Response:
    """One study: its cases, the case × theme matrix, the overarching elements and the coders' agreement."""
    return _study(request, session, access, view)


def _submit(
    request: Request,
    form: FormData,
    session: SessionDep,
    access: StudyAccess,
    schema: type[BaseModel],
    use_case: Callable[..., object],
    *,
    field: str,
    anchor: str,
) -> Response:
    """A form of the study page: ``use_case(session=, access=, data=)`` with the validated form, then back to
    the page at ``anchor``; bad input, or the use case's refusal (shown at ``field``), shows the page again."""
    values = text_fields(form)
    return submit(
        schema,
        values,
        lambda data: use_case(session=session, access=access, data=data),
        then=f"/studies/{access.study.id}#{anchor}",
        again=lambda errors: _study(request, session, access, errors=errors, values=values),
        field=field,
    )


@pages.post("/studies/{study_id}/cases")
def add_case_page(request: Request, form: Submitted, session: SessionDep, access: StudyWriterDep) -> Response:
    """Add one of the user's own reviews as a case."""
    return _submit(request, form, session, access, CaseCreate, service.add_case, field="review_id", anchor="cases")


@pages.post("/studies/{study_id}/members")
def add_member_page(request: Request, form: Submitted, session: SessionDep, access: StudyOwnerDep) -> Response:
    """Add a member to the study (owners only)."""
    return _submit(request, form, session, access, MemberCreate, service.add_member, field="email", anchor="members")


@pages.get("/studies/{study_id}/report")
def report_page(request: Request, session: SessionDep, access: StudyMemberDep) -> Response:
    """The study report as HTML, with PDF and Word downloads."""
    lang = current_language()
    data = report.build_report(session=session, access=access, lang=lang, framework_key=service.DEFAULT_FRAMEWORK)
    return render(
        request, "studies/report.html", {"study": access.study, "access": access, "body": report.report_body(data)}
    )


def _links(form: FormData) -> list[SupportIn]:
    """The factors ticked as support (``support``) or counter-evidence (``counter``), as ``review:node`` values;
    a factor ticked as both counts as counter-evidence. A value that is no such pair is refused (422), never
    dropped: dropping it would silently unlink a factor."""
    links: dict[tuple[int, int], SupportIn] = {}
    values = [
        (str(v), counter) for name, counter in (("support", False), ("counter", True)) for v in form.getlist(name)
    ]
    if len(values) > MAX_LINKS:
        raise InvalidInput(_("At most %(n)s linked factors per element.", n=MAX_LINKS))
    for value, counter in values:
        review, _sep, node = value.partition(":")
        review_id, node_id = whole_number(review, digits=10), whole_number(node, digits=10)
        if not (review_id and node_id and review_id <= MAX_ID and node_id <= MAX_ID):
            raise InvalidInput(_("This is not a factor of a case: %(value)s.", value=value[:40]))
        links[(review_id, node_id)] = SupportIn(review_id=review_id, node_id=node_id, counter=counter)
    return list(links.values())


def _element_values(form: FormData) -> dict[str, str]:
    return {"title": str(form.get("element_title", "")), "explanation": str(form.get("element_explanation", ""))}


@pages.post("/studies/{study_id}/elements")
def create_element_page(request: Request, form: Submitted, session: SessionDep, access: StudyWriterDep) -> Response:
    """Add an overarching element from the form: a statement, an explanation, supporting factors and
    counter-evidence."""
    values = _element_values(form)
    try:
        links = _links(form)
    except DomainError as exc:
        return _study(request, session, access, errors={"element_title": exc.message}, values=values)
    return submit(
        ElementCreate,
        {**values, "supports": links},
        lambda data: service.create_element(session=session, access=access, data=data),
        then=lambda element: f"/studies/{access.study.id}#element-{element.id}",
        again=lambda errors: _study(
            request, session, access, errors={f"element_{k}": v for k, v in errors.items()}, values=values
        ),
        field="title",
    )


def _version(form: FormData) -> int:
    return whole_number(str(form.get("version", ""))) or 0


def _links_of(supports: object) -> set[tuple[int, int, bool]]:
    """Links (snapshot dicts, SupportIn or SupportOut) as comparable (review, node, counter) triples."""
    found = set()
    for s in supports if isinstance(supports, list) else []:
        item = s if isinstance(s, dict) else s.model_dump()
        found.add((int(item["review_id"]), int(item["node_id"]), bool(item.get("counter"))))
    return found


def _stale(
    request: Request, session: SessionDep, access: StudyAccess, element_id: int, base: int, mine: dict[str, Any]
) -> Response:
    """The page again (409) with a clear message on the element: someone saved a newer version. The form holds a
    three-way merge: the user's own changes (against the version they started from) over the newer version; the
    fields both changed are named, so nothing is overwritten unseen."""
    element = service.get_element(session=session, study_id=access.study_id, element_id=element_id)
    current = service.element_out(session=session, element=element)
    start = service.element_snapshot(session=session, element_id=element_id, version=base) or {}
    newer = {"title": current.title, "explanation": current.explanation, "supports": current.supports}
    merged: dict[str, Any] = {}
    clashes: list[str] = []
    fields = (("title", _("Statement")), ("explanation", _("Explanation")), ("supports", _("Links")))
    for name, label in fields:
        if name not in mine:
            merged[name] = newer[name]
            continue
        key: Callable[[Any], object] = _links_of if name == "supports" else str
        mine_changed = key(mine[name]) != key(start.get(name, [] if name == "supports" else ""))
        merged[name] = mine[name] if mine_changed or not start else newer[name]
        if mine_changed and key(newer[name]) != key(start.get(name, [] if name == "supports" else "")):
            clashes.append(label)
    conflict = {"element_id": element_id, "current": current, "mine": merged, "clashes": clashes}
    return _study(request, session, access, conflict=conflict)


@pages.post("/studies/{study_id}/elements/{element_id}")
def update_element_page(
    request: Request, form: Submitted, session: SessionDep, access: StudyWriterDep, element_id: PathId
) -> Response:
    """Change an element from its edit form (statement, explanation, support and counter-evidence); a stale
    version answers 409 with the newer version shown beside the user's own text."""
    values = _element_values(form)
    try:
        links = _links(form)
    except DomainError as exc:
        problems = {f"edit_{element_id}": exc.message}
        return _study(request, session, access, errors=problems, values={"edit": element_id, **values})
    data, errors = parse_form(ElementUpdate, {**values, "version": _version(form), "supports": links})
    if data is None:
        problems = {f"edit_{element_id}": "; ".join(errors.values())}
        return _study(request, session, access, errors=problems, values={"edit": element_id, **values})
    try:
        service.update_element(session=session, access=access, element_id=element_id, data=data)
    except service.RemovedOrNot as exc:  # removed in another tab meanwhile: said where it is listed now
        return _study(request, session, access, errors={"removed": exc.message}, status=409)
    except Conflict:
        return _stale(request, session, access, element_id, data.version, {**values, "supports": data.supports or []})
    except NotFound:
        raise
    except DomainError as exc:
        return _study(request, session, access, errors={f"edit_{element_id}": exc.message}, values=values)
    return see_other(f"/studies/{access.study.id}#element-{element_id}")


@pages.post("/studies/{study_id}/elements/{element_id}/move")
def move_element_page(
    request: Request, form: Submitted, session: SessionDep, access: StudyWriterDep, element_id: PathId
) -> Response:
    """Move an element one place up or down in the study's order."""
    position = whole_number(str(form.get("position", "")), digits=4)
    version = _version(form)
    if position is None or not version:
        return _study(request, session, access, errors={f"edit_{element_id}": _("Choose a place in the order.")})
    data = ElementUpdate(version=version, position=min(position, 1000))
    try:
        service.update_element(session=session, access=access, element_id=element_id, data=data)
    except service.RemovedOrNot as exc:
        return _study(request, session, access, errors={"removed": exc.message}, status=409)
    except Conflict:
        return _stale(request, session, access, element_id, data.version, {})
    return see_other(f"/studies/{access.study.id}#element-{element_id}")


@pages.post("/studies/{study_id}/elements/{element_id}/delete")
def delete_element_page(
    request: Request, form: Submitted, session: SessionDep, access: StudyWriterDep, element_id: PathId
) -> Response:
    """Remove an element (after the browser's confirmation on the page); it is kept, with its history, under
    "Removed elements" and can be restored. A stale version shows the page again with the newer element."""
    version = _version(form)
    try:
        service.delete_element(session=session, access=access, element_id=element_id, version=version)
    except service.RemovedOrNot as exc:  # removed already: said at the list of removed elements
        return _study(request, session, access, errors={"removed": exc.message}, status=409)
    except Conflict as exc:  # stale: said on the element, which the page shows as it is now
        return _study(request, session, access, errors={f"edit_{element_id}": exc.message}, status=409)
    return see_other(f"/studies/{access.study.id}#elements")


@pages.post("/studies/{study_id}/elements/{element_id}/restore")
def restore_element_page(
    request: Request, form: Submitted, session: SessionDep, access: StudyWriterDep, element_id: PathId
) -> Response:
    """Bring a removed element back to the end of the list."""
    version = _version(form)
    try:
        service.restore_element(session=session, access=access, element_id=element_id, version=version)
    except Conflict as exc:
        return _study(request, session, access, errors={"removed": exc.message}, status=409)
    return see_other(f"/studies/{access.study.id}#element-{element_id}")


@pages.post("/studies/{study_id}/literature/{review_id}/{theme}")
def verdict_page(
    request: Request, form: Submitted, session: SessionDep, access: StudyWriterDep, review_id: PathId, theme: ThemeKey
) -> Response:
    """Override the proposed literature verdict for one element in one case, with a note."""

    def set_verdict(data: VerdictSet) -> str:
        service.set_verdict(session=session, access=access, review_id=review_id, theme_key=theme, data=data)
        return f"?framework={data.framework}" if data.framework != service.DEFAULT_FRAMEWORK else ""

    return submit(
        VerdictSet,
        text_fields(form),
        set_verdict,
        then=lambda view: f"/studies/{access.study.id}{view}#literature",
        again=lambda errors: _study(request, session, access, errors={"verdict": "; ".join(errors.values())}),
    )


def parse_attributes(text: str) -> dict[str, str]:
    """Case attributes from the form's text, one ``key: value`` a line (blank lines skipped)."""
    found: dict[str, str] = {}
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_ATTRIBUTES:
        raise ValueError(_("At most %(n)s attributes per case.", n=MAX_ATTRIBUTES))
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise ValueError(_("Write each attribute as “name: value” on a line of its own."))
        found[key.strip()] = value.strip()
    return found


@pages.post("/studies/{study_id}/cases/{review_id}")
def case_attributes_page(
    request: Request, form: Submitted, session: SessionDep, access: StudyWriterDep, review_id: PathId
) -> Response:
    """Replace a case's attributes from the form (one ``name: value`` a line)."""
    values = text_fields(form)
    text = str(values.get("attributes", ""))
    field = f"attributes_{review_id}"
    if len(text) > MAX_ATTRIBUTE_TEXT:
        message = _("At most %(n)s characters.", n=MAX_ATTRIBUTE_TEXT)
        return _study(request, session, access, errors={field: message}, values={field: text[:MAX_ATTRIBUTE_TEXT]})
    try:
        attributes = parse_attributes(text)
    except ValueError as exc:
        return _study(request, session, access, errors={field: str(exc)}, values={field: text})
    data, errors = parse_form(CaseUpdate, {"attributes": attributes})
    if data is None:
        return _study(request, session, access, errors={field: "; ".join(errors.values())}, values={field: text})
    service.update_case(session=session, access=access, review_id=review_id, data=data)
    return see_other(f"/studies/{access.study.id}#cases")


@pages.post("/studies/{study_id}/resolved/{review_id}/{node_id}")
def resolve_page(
    request: Request, form: Submitted, session: SessionDep, access: StudyWriterDep, review_id: PathId, node_id: PathId
) -> Response:
    """Resolve a disagreement from the agreement section: the agreed themes with a rationale."""
    values = {
        "framework": str(form.get("framework", "")),
        "theme_keys": [str(v) for v in form.getlist("theme")[:60]],
        "rationale": str(form.get("rationale", "")),
    }
    return submit(
        CodingResolve,
        values,
        lambda data: service.resolve_coding(
            session=session, access=access, review_id=review_id, node_id=node_id, data=data
        ),
        then=f"/studies/{access.study.id}#agreement",
        again=lambda errors: _study(request, session, access, errors={"resolve": "; ".join(errors.values())}),
    )
