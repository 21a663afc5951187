"""HTTP routes of studies (API v1): studies, members, cases, the matrix and its exports, codings and agreement,
overarching elements."""

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from app import audit
from app.db import SessionDep
from app.deps import PathId, SettingsDep, ViewerDep
from app.downloads import LateFile
from app.findings.schemas import FrameworkOut
from app.i18n import current_language
from app.reports.exports import safe_cell
from app.reviews.schemas import MemberCreate, MemberOut
from app.studies import codebook, report, service
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
    ElementUpdate,
    LiteratureOut,
    MatrixOut,
    StudyCreate,
    StudyOut,
    StudyUpdate,
    VerdictSet,
)
from app.studies.service import StudyAccess

api = APIRouter(tags=["studies"])

FrameworkKey = Annotated[
    str, Query(min_length=1, max_length=60, pattern=r"^[a-z0-9-]+$", description="A framework's key")
]
ThemeKey = Annotated[str, Path(min_length=1, max_length=80)]
Attribute = Annotated[str | None, Query(max_length=60, description="Only cases with this attribute …")]
Value = Annotated[str | None, Query(max_length=200, description="… set to this value")]
Measure = Annotated[Literal["factors", "evidence", "stickers", "sticker_share"], Query()]
ReviewId = PathId
Lang = Annotated[Literal["nl", "en"] | None, Query(description="The report's language (default: the request's)")]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _logged(session: SessionDep, access: StudyAccess, kind: str) -> None:
    audit.record_export(session, actor=access.actor, target=f"study:{access.study.id}", kind=kind)


def _attachment(content: bytes | str, name: str, media_type: str) -> Response:
    return Response(content, media_type=media_type, headers={"content-disposition": f'attachment; filename="{name}"'})


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
    return service.list_members(session=session, study_id=access.study.id or 0)


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
def update_case(session: SessionDep, access: StudyWriterDep, review_id: ReviewId, data: CaseUpdate) -> CaseOut:
    """Replace a case's attributes (municipality, domains of problems, age of the child, …)."""
    service.update_case(session=session, access=access, review_id=review_id, data=data)
    return next(c for c in service.study_out(session=session, access=access).cases if c.review_id == review_id)


@api.delete("/studies/{study_id}/cases/{review_id}", status_code=204)
def remove_case(session: SessionDep, access: StudyWriterDep, review_id: ReviewId) -> Response:
    """Take a case out of the study (the review itself is untouched)."""
    service.remove_case(session=session, access=access, review_id=review_id)
    return Response(status_code=204)


@api.get("/studies/{study_id}/frameworks", response_model=list[FrameworkOut])
def list_frameworks(session: SessionDep, access: StudyMemberDep) -> list[FrameworkOut]:
    """The frameworks the study codes with."""
    return service.study_frameworks(session=session, study_id=access.study.id or 0)


FrameworkPath = Annotated[str, Path(min_length=1, max_length=60)]  # an unknown key is a 404 (framework_of)


@api.post("/studies/{study_id}/frameworks", response_model=FrameworkOut, status_code=201)
def import_codebook(session: SessionDep, access: StudyWriterDep, data: CodebookImport) -> FrameworkOut:
    """Import a codebook (REFI-QDA .qdc or CSV with name, description, group) as the study's own framework."""
    themes = codebook.from_qdc(data.content) if data.format == "qdc" else codebook.from_csv(data.content)
    return service.import_framework(session=session, access=access, title=data.title, themes=themes)


@api.get("/studies/{study_id}/frameworks/{key}/codebook.qdc", response_class=Response)
def export_qdc(session: SessionDep, settings: SettingsDep, access: StudyMemberDep, key: FrameworkPath) -> Response:
    """A framework as a REFI-QDA codebook (GUIDs stable per installation)."""
    framework = service.framework_of(session=session, study_id=access.study.id or 0, key=key)
    salt = settings.resolved_secret_key()[:16]
    content = codebook.to_qdc(framework, lambda theme: codebook.theme_guid(salt, framework.key, theme))
    _logged(session, access, "codebook.qdc")
    return _attachment(content, f"{framework.key}.qdc", "application/xml")


@api.get("/studies/{study_id}/frameworks/{key}/codebook.csv", response_class=Response)
def export_codebook_csv(session: SessionDep, access: StudyMemberDep, key: FrameworkPath) -> Response:
    """A framework's themes as CSV (name, description, group)."""
    framework = service.framework_of(session=session, study_id=access.study.id or 0, key=key)
    _logged(session, access, "codebook.csv")
    return _attachment(codebook.to_csv(framework), f"{framework.key}.csv", "text/csv; charset=utf-8")


@api.get("/studies/{study_id}/matrix", response_model=MatrixOut)
def matrix(
    session: SessionDep,
    access: StudyMemberDep,
    framework: FrameworkKey = service.DEFAULT_FRAMEWORK,
    attribute: Attribute = None,
    value: Value = None,
) -> MatrixOut:
    """Themes × cases for a framework: coded factors, evidence, stickers and sticker share per cell."""
    return service.matrix(
        session=session, study_id=access.study.id or 0, framework_key=framework, attribute=attribute, value=value
    )


@api.get("/studies/{study_id}/matrix/{review_id}/{theme}", response_model=CellOut)
def matrix_cell(
    session: SessionDep,
    access: StudyMemberDep,
    review_id: ReviewId,
    theme: ThemeKey,
    framework: FrameworkKey = service.DEFAULT_FRAMEWORK,
) -> CellOut:
    """The factors behind one cell, with their tree path and evidence."""
    return service.cell(
        session=session, study_id=access.study.id or 0, framework_key=framework, theme_key=theme, review_id=review_id
    )


@api.get("/studies/{study_id}/matrix.csv", response_class=Response)
def matrix_csv(
    session: SessionDep,
    access: StudyMemberDep,
    framework: FrameworkKey = service.DEFAULT_FRAMEWORK,
    measure: Measure = "factors",
    attribute: Attribute = None,
    value: Value = None,
) -> Response:
    """The matrix as CSV (one measure)."""
    data = service.matrix(
        session=session, study_id=access.study.id or 0, framework_key=framework, attribute=attribute, value=value
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in service.matrix_rows(data, measure):
        writer.writerow([safe_cell(v) for v in row])
    _logged(session, access, "matrix.csv")
    return _attachment("\ufeff" + buffer.getvalue(), f"study-{access.study.id}-matrix.csv", "text/csv; charset=utf-8")


@api.get("/studies/{study_id}/matrix.xlsx", response_class=Response)
def matrix_xlsx(
    session: SessionDep,
    access: StudyMemberDep,
    framework: FrameworkKey = service.DEFAULT_FRAMEWORK,
    attribute: Attribute = None,
    value: Value = None,
) -> Response:
    """The matrix as an Excel workbook: one sheet per measure."""
    data = service.matrix(
        session=session, study_id=access.study.id or 0, framework_key=framework, attribute=attribute, value=value
    )
    _logged(session, access, "matrix.xlsx")
    return _attachment(service.matrix_xlsx(data), f"study-{access.study.id}-matrix.xlsx", XLSX)


@api.put("/studies/{study_id}/codings/{review_id}/{node_id}", response_model=CodingOut)
def set_coding(
    session: SessionDep, access: StudyWriterDep, review_id: ReviewId, node_id: PathId, data: CodingSet
) -> CodingOut:
    """Record the caller's own coding of one factor (blind: others do not see it until they coded every unit)."""
    return service.set_coding(session=session, access=access, review_id=review_id, node_id=node_id, data=data)


@api.put("/studies/{study_id}/resolved/{review_id}/{node_id}", response_model=CodingOut)
def resolve_coding(
    session: SessionDep, access: StudyWriterDep, review_id: ReviewId, node_id: PathId, data: CodingResolve
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
def list_elements(session: SessionDep, access: StudyMemberDep) -> list[ElementOut]:
    """The overarching elements in their order, with support computed from the trees as they are now."""
    return service.list_elements(session=session, study_id=access.study.id or 0)


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


@api.delete("/studies/{study_id}/elements/{element_id}", status_code=204)
def delete_element(session: SessionDep, access: StudyWriterDep, element_id: PathId) -> Response:
    """Remove an element."""
    service.delete_element(session=session, access=access, element_id=element_id)
    return Response(status_code=204)


@api.get("/studies/{study_id}/literature", response_model=LiteratureOut)
def literature(
    session: SessionDep, access: StudyMemberDep, framework: FrameworkKey = service.DEFAULT_FRAMEWORK
) -> LiteratureOut:
    """Comparison with the literature: per framework element and case, recognised / partly / not seen."""
    return service.literature(session=session, study_id=access.study.id or 0, framework_key=framework)


@api.put("/studies/{study_id}/literature/{review_id}/{theme}", status_code=204)
def set_verdict(
    session: SessionDep, access: StudyWriterDep, review_id: ReviewId, theme: ThemeKey, data: VerdictSet
) -> Response:
    """Override the proposed verdict for one element in one case, with a note."""
    service.set_verdict(session=session, access=access, review_id=review_id, theme_key=theme, data=data)
    return Response(status_code=204)


@api.get("/studies/{study_id}/report.pdf", response_class=Response)
def report_pdf(
    session: SessionDep, access: StudyMemberDep, lang: Lang = None, framework: FrameworkKey = service.DEFAULT_FRAMEWORK
) -> Response:
    """The study report as PDF (made after the database work)."""
    data = report.build_report(session=session, access=access, lang=lang or current_language(), framework_key=framework)
    _logged(session, access, "study.report.pdf")
    return LateFile(
        lambda: report.report_pdf(data), media_type="application/pdf", filename=f"study-{access.study.id}.pdf"
    )


@api.get("/studies/{study_id}/report.docx", response_class=Response)
def report_docx(
    session: SessionDep, access: StudyMemberDep, lang: Lang = None, framework: FrameworkKey = service.DEFAULT_FRAMEWORK
) -> Response:
    """The study report as a Word document."""
    data = report.build_report(session=session, access=access, lang=lang or current_language(), framework_key=framework)
    _logged(session, access, "study.report.docx")
    return LateFile(lambda: report.report_docx(data), media_type=DOCX, filename=f"study-{access.study.id}.docx")


@api.get("/studies/{study_id}/export.qdpx", response_class=Response)
def export_qdpx(session: SessionDep, settings: SettingsDep, access: StudyOwnerDep) -> Response:
    """The whole study as one REFI-QDA project (owners only: it holds every coder's coding)."""
    content = report.qdpx(session=session, access=access, installation=settings.resolved_secret_key())
    _logged(session, access, "study.qdpx")
    return _attachment(content, f"study-{access.study.id}.qdpx", "application/zip")
