"""HTTP routes of studies (API v1): studies, members, cases, the matrix and its exports, codings and agreement,
overarching elements."""

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app import audit
from app.db import SessionDep, without_turn
from app.deps import PathId, SettingsDep, ViewerDep
from app.downloads import CsvSeparator, LateFile, download
from app.findings.schemas import FrameworkOut
from app.i18n import current_language
from app.reports.exports import installation_id
from app.reviews.schemas import MemberCreate, MemberOut
from app.studies import codebook, exports, report, service
from app.studies.deps import StudyMemberDep, StudyOwnerDep, StudyWriterDep
from app.studies.schemas import (
    AgreementOut,
    CaseCreate,
    CaseOut,
    CaseUpdate,
    CellOut,
    CodebookImport,
    CodingOut,
    CodingResolve,
    CodingSet,
    CodingsOut,
    ElementCreate,
    ElementOut,
    ElementRestore,
    ElementUpdate,
    ElementVersionOut,
    LiteratureOut,
    MatrixOut,
    PerspectivesOut,
    StudyCreate,
    StudyOut,
    StudyUpdate,
    VerdictSet,
)
from app.studies.service import StudyAccess
from app.validation import MAX_ID
from lifeline.csvio import separator_for

api = APIRouter(tags=["studies"])

FrameworkKey = Annotated[
    str, Query(min_length=1, max_length=60, pattern=r"^[a-z0-9-]+$", description="A framework's key")
]
ThemeKey = Annotated[str, Path(min_length=1, max_length=80)]
Attribute = Annotated[str | None, Query(max_length=60, description="Only cases with this attribute …")]
Value = Annotated[str | None, Query(max_length=200, description="… set to this value")]
Measure = Annotated[Literal["factors", "evidence", "stickers", "sticker_share"], Query()]
Lang = Annotated[Literal["nl", "en"] | None, Query(description="The report's language (default: the request's)")]


def _logged(session: SessionDep, access: StudyAccess, kind: str) -> None:
    audit.record_export(session, actor=access.actor, target=f"study:{access.study.id}", kind=kind)


@api.get("/studies", response_model=list[StudyOut])
def list_studies(session: SessionDep, viewer: ViewerDep) -> list[StudyOut]:
    """Every study the caller is a member of."""
    return [
        service.study_out(
            session=session, access=service.load_access(session=session, user=viewer.user, study_id=s.id or 0)
        )
        for s, _role in service.studies_of(session=session, user=viewer.user)
    ]


@api.post("/studies", response_model=StudyOut, status_code=201)
def create_study(session: SessionDep, viewer: ViewerDep, data: StudyCreate) -> StudyOut:
    """Start a study; the caller becomes its owner."""
    study = service.create_study(session=session, user=viewer.user, data=data)
    access = service.load_access(session=session, user=viewer.user, study_id=study.id or 0)
    return service.study_out(session=session, access=access)


@api.get("/studies/{study_id}", response_model=StudyOut)
def read_study(session: SessionDep, access: StudyMemberDep) -> StudyOut:
    """One study with its cases."""
    return service.study_out(session=session, access=access)


@api.patch("/studies/{study_id}", response_model=StudyOut)
def update_study(session: SessionDep, access: StudyWriterDep, data: StudyUpdate) -> StudyOut:
    """Change the title, description or research question."""
    service.update_study(session=session, access=access, data=data)
    return service.study_out(session=session, access=access)


@api.get("/studies/{study_id}/members", response_model=list[MemberOut])
def list_members(session: SessionDep, access: StudyMemberDep) -> list[MemberOut]:
    """The members of the study."""
    return service.list_members(session=session, study_id=access.study_id)


@api.post("/studies/{study_id}/members", response_model=MemberOut, status_code=201)
def add_member(session: SessionDep, access: StudyOwnerDep, data: MemberCreate) -> MemberOut:
    """Give an account a role in the study (owners only); it grants nothing in the cases' reviews."""
    return service.add_member(session=session, access=access, data=data)


@api.post("/studies/{study_id}/cases", response_model=CaseOut, status_code=201)
def add_case(session: SessionDep, access: StudyWriterDep, data: CaseCreate) -> CaseOut:
    """Take a review in as a case (only an owner of that review: 404 when no member of it, 403 when no owner)."""
    case = service.add_case(session=session, access=access, data=data)
    return next(c for c in service.study_out(session=session, access=access).cases if c.review_id == case.review_id)


@api.patch("/studies/{study_id}/cases/{review_id}", response_model=CaseOut)
def update_case(session: SessionDep, access: StudyWriterDep, review_id: PathId, data: CaseUpdate) -> CaseOut:
    """Replace a case's attributes (municipality, domains of problems, age of the child, …)."""
    service.update_case(session=session, access=access, review_id=review_id, data=data)
    return next(c for c in service.study_out(session=session, access=access).cases if c.review_id == review_id)


@api.delete("/studies/{study_id}/cases/{review_id}", status_code=204)
def remove_case(session: SessionDep, access: StudyWriterDep, review_id: PathId) -> Response:
    """Take a case out of the study (the review itself is untouched)."""
    service.remove_case(session=session, access=access, review_id=review_id)
    return Response(status_code=204)


@api.get("/studies/{study_id}/frameworks", response_model=list[FrameworkOut])
def list_frameworks(session: SessionDep, access: StudyMemberDep) -> list[FrameworkOut]:
    """The frameworks the study codes with."""
    return service.study_frameworks(session=session, study_id=access.study_id)


FrameworkPath = Annotated[str, Path(min_length=1, max_length=60)]  # an unknown key is a 404 (framework_of)


@api.post("/studies/{study_id}/frameworks", response_model=FrameworkOut, status_code=201)
async def import_codebook(
    request: Request, session: SessionDep, access: StudyWriterDep, data: CodebookImport
) -> FrameworkOut:
    """Import a codebook (REFI-QDA .qdc or CSV with name, description, group) as the study's own framework."""
    read = codebook.from_qdc if data.format == "qdc" else codebook.from_csv
    themes = await without_turn(request, read, data.content)  # parsing: off the loop, outside the turn
    store = partial(service.import_framework, session=session, access=access, title=data.title, themes=themes)
    return await run_in_threadpool(store)


@api.get("/studies/{study_id}/frameworks/{key}/codebook.qdc", response_class=Response)
def export_qdc(session: SessionDep, settings: SettingsDep, access: StudyMemberDep, key: FrameworkPath) -> Response:
    """A framework as a REFI-QDA codebook (GUIDs stable per installation)."""
    framework = service.framework_of(session=session, study_id=access.study_id, key=key)
    installation = installation_id(settings)
    content = codebook.to_qdc(framework, lambda theme: codebook.theme_guid(installation, framework.key, theme))
    _logged(session, access, "codebook.qdc")
    return download(content, f"{framework.key}.qdc")


@api.get("/studies/{study_id}/frameworks/{key}/codebook.csv", response_class=Response)
def export_codebook_csv(
    session: SessionDep, access: StudyMemberDep, key: FrameworkPath, sep: CsvSeparator = None
) -> Response:
    """A framework's themes as CSV (name, description, group): ``;`` for Dutch, ``,`` for English, or ``sep``."""
    framework = service.framework_of(session=session, study_id=access.study_id, key=key)
    _logged(session, access, "codebook.csv")
    content = codebook.to_csv(framework, separator_for(current_language(), sep))
    return download(content, f"{framework.key}.csv")


def _matrix(
    session: SessionDep,
    access: StudyMemberDep,
    framework: FrameworkKey = service.DEFAULT_FRAMEWORK,
    attribute: Attribute = None,
    value: Value = None,
) -> MatrixOut:
    """The matrix a request asks for (the JSON, CSV and Excel routes share the query): a framework, optionally
    only the cases whose ``attribute`` is ``value``."""
    return service.matrix(
        session=session, study_id=access.study_id, framework_key=framework, attribute=attribute, value=value
    )


MatrixDep = Annotated[MatrixOut, Depends(_matrix)]


@api.get("/studies/{study_id}/matrix", response_model=MatrixOut)
def matrix(data: MatrixDep) -> MatrixOut:
    """Themes × cases for a framework: coded factors, evidence, stickers and sticker share per cell."""
    return data


@api.get("/studies/{study_id}/matrix/{review_id}/{theme}", response_model=CellOut)
def matrix_cell(
    session: SessionDep,
    access: StudyMemberDep,
    review_id: PathId,
    theme: ThemeKey,
    framework: FrameworkKey = service.DEFAULT_FRAMEWORK,
) -> CellOut:
    """The factors behind one cell, with their tree path and evidence."""
    return service.cell(
        session=session, study_id=access.study_id, framework_key=framework, theme_key=theme, review_id=review_id
    )


@api.get("/studies/{study_id}/matrix.csv", response_class=Response)
def matrix_csv(
    session: SessionDep, access: StudyMemberDep, data: MatrixDep, measure: Measure = "factors", sep: CsvSeparator = None
) -> Response:
    """The matrix as CSV (one measure): ``;`` for Dutch, ``,`` for English, or the ``sep`` asked for."""
    text = exports.matrix_csv(data, measure, separator_for(current_language(), sep))
    _logged(session, access, "matrix.csv")
    return download(text, f"study-{access.study.id}-matrix.csv")


@api.get("/studies/{study_id}/matrix.xlsx", response_class=Response)
def matrix_xlsx(session: SessionDep, access: StudyMemberDep, data: MatrixDep) -> Response:
    """The matrix as an Excel workbook: one sheet per measure."""
    _logged(session, access, "matrix.xlsx")
    title, author, lang = access.study.title, access.user.name or access.user.email, current_language()
    # The workbook is made after the database turn, in the file queue, as the reports' PDFs and Word files are.
    return LateFile(
        lambda: exports.matrix_xlsx(data, title=title, author=author, lang=lang),
        filename=f"study-{access.study.id}-matrix.xlsx",
    )


@api.put("/studies/{study_id}/codings/{review_id}/{node_id}", response_model=CodingOut)
def set_coding(
    session: SessionDep, access: StudyWriterDep, review_id: PathId, node_id: PathId, data: CodingSet
) -> CodingOut:
    """Record the caller's own coding of one factor (blind: others do not see it until they coded every unit)."""
    return service.set_coding(session=session, access=access, review_id=review_id, node_id=node_id, data=data)


@api.put("/studies/{study_id}/resolved/{review_id}/{node_id}", response_model=CodingOut)
def resolve_coding(
    session: SessionDep, access: StudyWriterDep, review_id: PathId, node_id: PathId, data: CodingResolve
) -> CodingOut:
    """Resolve a disagreement: the agreed themes with a rationale become the study's coding of that factor."""
    return service.resolve_coding(session=session, access=access, review_id=review_id, node_id=node_id, data=data)


@api.get("/studies/{study_id}/codings", response_model=CodingsOut)
def list_codings(
    session: SessionDep, access: StudyMemberDep, framework: FrameworkKey = service.DEFAULT_FRAMEWORK
) -> CodingsOut:
    """The caller's codings; everyone's once the caller coded every unit or the owner revealed."""
    return service.codings(session=session, access=access, framework_key=framework)


@api.post("/studies/{study_id}/codings/reveal", status_code=204)
def reveal_codings(
    session: SessionDep, access: StudyOwnerDep, framework: FrameworkKey = service.DEFAULT_FRAMEWORK
) -> Response:
    """Lift the blinding of a framework's codings for every member (owners only)."""
    service.reveal(session=session, access=access, framework_key=framework)
    return Response(status_code=204)


@api.get("/studies/{study_id}/agreement", response_model=AgreementOut)
def agreement(
    session: SessionDep, access: StudyMemberDep, framework: FrameworkKey = service.DEFAULT_FRAMEWORK
) -> AgreementOut:
    """Agreement between coders: percent agreement, Cohen's κ per theme, Krippendorff's α (nominal and MASI)."""
    return service.agreement_of(session=session, access=access, framework_key=framework)


@api.get("/studies/{study_id}/elements", response_model=list[ElementOut])
def list_elements(session: SessionDep, access: StudyMemberDep, deleted: bool = False) -> list[ElementOut]:
    """The overarching elements in their order, with support computed from the trees as they are now
    (``deleted=true``: the removed ones, which can be restored)."""
    return service.list_elements(session=session, study_id=access.study_id, deleted=deleted)


@api.post("/studies/{study_id}/elements", response_model=ElementOut, status_code=201)
def create_element(session: SessionDep, access: StudyWriterDep, data: ElementCreate) -> ElementOut:
    """A new overarching element; every support must be a node of one of the study's cases (else 422)."""
    element = service.create_element(session=session, access=access, data=data)
    return service.element_out(session=session, element=element)


@api.patch("/studies/{study_id}/elements/{element_id}", response_model=ElementOut)
def update_element(session: SessionDep, access: StudyWriterDep, element_id: PathId, data: ElementUpdate) -> ElementOut:
    """Change or reorder an element; a stale ``version`` answers 409 with the current element."""
    element = service.update_element(session=session, access=access, element_id=element_id, data=data)
    return service.element_out(session=session, element=element)


@api.get("/studies/{study_id}/elements/{element_id}/versions", response_model=list[ElementVersionOut])
def element_versions(session: SessionDep, access: StudyMemberDep, element_id: PathId) -> list[ElementVersionOut]:
    """An element's history, newest first: each version's statement, who made it and when."""
    return service.element_versions(session=session, study_id=access.study_id, element_id=element_id)


@api.get("/studies/{study_id}/perspectives", response_model=PerspectivesOut)
def perspectives(
    session: SessionDep, access: StudyMemberDep, framework: FrameworkKey = service.DEFAULT_FRAMEWORK
) -> PerspectivesOut:
    """Per case and across the study: which factors the family and the professionals put first (a side with
    fewer than 3 voters in a round: "too few to show"), and the framework's themes those factors carry."""
    return service.perspectives(session=session, study_id=access.study_id, framework_key=framework)


ElementVersion = Annotated[int, Query(ge=1, le=MAX_ID, description="the version the change is based on")]


@api.delete("/studies/{study_id}/elements/{element_id}", status_code=204)
def delete_element(
    session: SessionDep, access: StudyWriterDep, element_id: PathId, version: ElementVersion
) -> Response:
    """Remove an element from the study's list based on ``version`` (409 when stale or already removed); it keeps
    its history and can be restored."""
    service.delete_element(session=session, access=access, element_id=element_id, version=version)
    return Response(status_code=204)


@api.post("/studies/{study_id}/elements/{element_id}/restore", response_model=ElementOut)
def restore_element(
    session: SessionDep, access: StudyWriterDep, element_id: PathId, data: ElementRestore
) -> ElementOut:
    """Bring a removed element back (at the end of the list), based on ``version`` (409 when stale)."""
    element = service.restore_element(session=session, access=access, element_id=element_id, version=data.version)
    return service.element_out(session=session, element=element)


@api.get("/studies/{study_id}/literature", response_model=LiteratureOut)
def literature(
    session: SessionDep, access: StudyMemberDep, framework: FrameworkKey = service.DEFAULT_FRAMEWORK
) -> LiteratureOut:
    """Comparison with the literature: per framework element and case, recognised / partly / not seen."""
    return service.literature(session=session, study_id=access.study_id, framework_key=framework)


@api.put("/studies/{study_id}/literature/{review_id}/{theme}", status_code=204)
def set_verdict(
    session: SessionDep, access: StudyWriterDep, review_id: PathId, theme: ThemeKey, data: VerdictSet
) -> Response:
    """Override the proposed verdict for one element in one case, with a note."""
    service.set_verdict(session=session, access=access, review_id=review_id, theme_key=theme, data=data)
    return Response(status_code=204)


def _report(
    session: SessionDep, access: StudyMemberDep, lang: Lang = None, framework: FrameworkKey = service.DEFAULT_FRAMEWORK
) -> report.StudyReport:
    """The study report a request asks for (the PDF and Word routes share the query): in ``lang`` (default: the
    request's), the matrix of ``framework``."""
    return report.build_report(session=session, access=access, lang=lang or current_language(), framework_key=framework)


StudyReportDep = Annotated[report.StudyReport, Depends(_report)]


@api.get("/studies/{study_id}/report.pdf", response_class=Response)
def report_pdf(session: SessionDep, access: StudyMemberDep, data: StudyReportDep) -> Response:
    """The study report as PDF (made after the database work)."""
    _logged(session, access, "study.report.pdf")
    return LateFile(lambda: report.report_pdf(data), filename=f"study-{access.study.id}.pdf")


@api.get("/studies/{study_id}/report.docx", response_class=Response)
def report_docx(session: SessionDep, access: StudyMemberDep, data: StudyReportDep) -> Response:
    """The study report as a Word document."""
    _logged(session, access, "study.report.docx")
    return LateFile(lambda: report.report_docx(data), filename=f"study-{access.study.id}.docx")


@api.get("/studies/{study_id}/export.qdpx", response_class=Response)
def export_qdpx(session: SessionDep, settings: SettingsDep, access: StudyOwnerDep) -> Response:
    """The whole study as one REFI-QDA project (owners only: it holds every coder's coding)."""
    make = report.qdpx_maker(session=session, access=access, namespace=installation_id(settings))
    _logged(session, access, "study.qdpx")
    return LateFile(make, filename=f"study-{access.study.id}.qdpx")
