"""HTML pages of studies: the list with a form for a new study, and one study's page (cases, members, the
matrix as a plotly heat map whose cells open the factors behind them, overarching elements, agreement).

The matrix is drawn by ``static/js/studies.js`` from the JSON API; the page carries a plain table of the same
figures, so it reads without scripts too.
"""

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from app.db import SessionDep
from app.deps import PathId, ViewerDep
from app.errors import DomainError
from app.i18n import current_language
from app.reviews import service as reviews
from app.reviews.models import Role
from app.reviews.schemas import MemberCreate
from app.studies import report, service
from app.studies.deps import StudyMemberDep, StudyOwnerDep, StudyWriterDep
from app.studies.schemas import CaseCreate, CodingResolve, ElementCreate, StudyCreate, SupportIn
from app.studies.service import StudyAccess
from app.templating import render, script_data
from app.validation import form_values, parse_form
from app.vendor import plotly_css_url, plotly_js_url

pages = APIRouter(include_in_schema=False)
ReviewId = PathId


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
async def create_study_page(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Create a study from the form."""
    values = await form_values(request)
    data, errors = parse_form(StudyCreate, values)
    if data is None:
        return _list(request, session, viewer, errors=errors, values=values)
    study = service.create_study(session=session, user=viewer.user, data=data)
    return RedirectResponse(f"/studies/{study.id}", status_code=303)


def _study(request: Request, session: SessionDep, access: StudyAccess, **extra: object) -> Response:
    study_id = access.study.id or 0
    out = service.study_out(session=session, access=access)
    cases = {c.review_id for c in out.cases}
    own_reviews = [
        r
        for r, role in reviews.reviews_of(session=session, user=access.user)
        if role == Role.owner and r.id not in cases
    ]
    frameworks = service.study_frameworks(session=session, study_id=study_id)
    trees = service.side_by_side(session=session, study_id=study_id, framework_key=service.DEFAULT_FRAMEWORK)
    matrix = service.matrix(session=session, study_id=study_id, framework_key=service.DEFAULT_FRAMEWORK)
    attributes = sorted({(k, v) for c in out.cases for k, v in c.attributes.items()})
    context: dict[str, object] = {
        "study": out,
        "access": access,
        "members": service.list_members(session=session, study_id=study_id),
        "own_reviews": own_reviews,
        "frameworks": frameworks,
        "matrix": matrix,
        "cells": {(c.theme_key, c.review_id): c for c in matrix.cells},
        "attributes": attributes,
        "elements": service.list_elements(session=session, study_id=study_id),
        "trees": trees,
        "units": script_data(
            [
                {"case": c.title, "review": c.review_id, "nodes": [[u.node_id, u.title] for u in lines]}
                for c, lines in trees
            ]
        ),
        "theme_colour": {t.key: i % 16 for i, t in enumerate(matrix.themes)},
        "literature": service.literature(session=session, study_id=study_id, framework_key=service.DEFAULT_FRAMEWORK),
        "agreement": service.agreement_of(session=session, access=access, framework_key=service.DEFAULT_FRAMEWORK),
        "config": script_data(
            {
                "study": study_id,
                "framework": service.DEFAULT_FRAMEWORK,
                "canWrite": access.can_write,
                "me": access.user.id,
                "frameworks": [f.model_dump(mode="json") for f in frameworks],
            }
        ),
        "plotly_js": plotly_js_url(),
        "plotly_css": plotly_css_url(),
        "errors": {},
        "values": {},
    }
    context.update(extra)
    return render(request, "studies/study.html", context, status_code=422 if extra.get("errors") else 200)


@pages.get("/studies/{study_id}")
def study_page(request: Request, session: SessionDep, access: StudyMemberDep) -> Response:
    """One study: its cases, the case × theme matrix, the overarching elements and the coders' agreement."""
    return _study(request, session, access)


@pages.post("/studies/{study_id}/cases")
async def add_case_page(request: Request, session: SessionDep, access: StudyWriterDep) -> Response:
    """Add one of the user's own reviews as a case."""
    values = await form_values(request)
    data, errors = parse_form(CaseCreate, values)
    if data is None:
        return _study(request, session, access, errors=errors, values=values)
    try:
        service.add_case(session=session, access=access, data=data)
    except DomainError as exc:
        return _study(request, session, access, errors={"review_id": exc.message}, values=values)
    return RedirectResponse(f"/studies/{access.study.id}#cases", status_code=303)


@pages.post("/studies/{study_id}/members")
async def add_member_page(request: Request, session: SessionDep, access: StudyOwnerDep) -> Response:
    """Add a member to the study (owners only)."""
    values = await form_values(request)
    data, errors = parse_form(MemberCreate, values)
    if data is None:
        return _study(request, session, access, errors=errors, values=values)
    try:
        service.add_member(session=session, access=access, data=data)
    except DomainError as exc:
        return _study(request, session, access, errors={"email": exc.message}, values=values)
    return RedirectResponse(f"/studies/{access.study.id}#members", status_code=303)


@pages.get("/studies/{study_id}/report")
def report_page(request: Request, session: SessionDep, access: StudyMemberDep) -> Response:
    """The study report as HTML, with PDF and Word downloads."""
    lang = current_language()
    data = report.build_report(session=session, access=access, lang=lang, framework_key=service.DEFAULT_FRAMEWORK)
    return render(
        request, "studies/report.html", {"study": access.study, "access": access, "body": report.report_body(data)}
    )


@pages.post("/studies/{study_id}/elements")
async def create_element_page(request: Request, session: SessionDep, access: StudyWriterDep) -> Response:
    """Add an overarching element from the form: a statement, an explanation and the supporting factors."""
    form = await request.form()
    supports = []
    for value in form.getlist("support")[:200]:
        review, _sep, node = str(value).partition(":")
        if review.isdigit() and node.isdigit():
            supports.append(SupportIn(review_id=int(review), node_id=int(node)))
    values = {"title": str(form.get("element_title", "")), "explanation": str(form.get("element_explanation", ""))}
    data, errors = parse_form(ElementCreate, {**values, "supports": supports})
    if data is None:
        return _study(request, session, access, errors={f"element_{k}": v for k, v in errors.items()}, values=values)
    try:
        service.create_element(session=session, access=access, data=data)
    except DomainError as exc:
        return _study(request, session, access, errors={"element_title": exc.message}, values=values)
    return RedirectResponse(f"/studies/{access.study.id}#elements", status_code=303)


@pages.post("/studies/{study_id}/resolved/{review_id}/{node_id}")
async def resolve_page(
    request: Request, session: SessionDep, access: StudyWriterDep, review_id: ReviewId, node_id: PathId
) -> Response:
    """Resolve a disagreement from the agreement section: the agreed themes with a rationale."""
    form = await request.form()
    values = {
        "framework": str(form.get("framework", "")),
        "theme_keys": [str(v) for v in form.getlist("theme")[:60]],
        "rationale": str(form.get("rationale", "")),
    }
    data, errors = parse_form(CodingResolve, values)
    if data is None:
        return _study(request, session, access, errors={"resolve": "; ".join(errors.values())})
    try:
        service.resolve_coding(session=session, access=access, review_id=review_id, node_id=node_id, data=data)
    except DomainError as exc:
        return _study(request, session, access, errors={"resolve": exc.message})
    return RedirectResponse(f"/studies/{access.study.id}#agreement", status_code=303)
