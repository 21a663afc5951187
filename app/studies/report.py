"""The study report (HTML preview, PDF, Word; nl/en): the question, the cases in brief, the matrix, each
overarching element with its support and illustrations, the literature comparison, the perspectives, the
agreement figures, method and dates — and the whole study as one REFI-QDA project (``.qdpx``).

``build_report`` loads everything inside the request's database turn; the files are made afterwards
(``app.downloads.LateFile``) from the plain data it returns. Cases appear as a share-link reader sees them.
"""

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID, uuid5
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup
from sqlmodel import Session

from app.db.base import utcnow
from app.group_interview import service as group_interviews
from app.i18n import N_, _, language
from app.interviews.service import exportable_quotes
from app.reports import word
from app.reports.exports import (
    QDA_NS,
    QdaUsers,
    code_xml,
    coding_xml,
    node_author,
    node_changed,
    plain_text,
    qda_time,
    qdpx_archive,
)
from app.reviews import service as reviews
from app.studies import codebook, exports, service
from app.studies.schemas import AgreementOut, ElementOut, LiteratureOut, MatrixOut
from app.studies.service import StudyAccess
from app.templating import render_text
from app.validation import printable_deep
from app.voting import service as voting


@dataclass(frozen=True)
class CaseBrief:
    """A case in brief."""

    review_id: int
    title: str
    success: str
    attributes: dict[str, str]
    factors: int


@dataclass(frozen=True)
class PerspectiveLine:
    """What each side put first in one round of one case (None: fewer than 3 voters on that side)."""

    case: str
    round_kind: str
    family_first: str | None
    professional_first: str | None


@dataclass
class StudyReport:
    """Everything the study report shows, in its language."""

    lang: str
    title: str
    research_question: str
    description: str
    made_on: dt.date
    started_on: dt.date
    cases: list[CaseBrief]
    matrix: MatrixOut
    elements: list[ElementOut]
    literature: LiteratureOut
    perspectives: list[PerspectiveLine]
    agreement: AgreementOut
    framework_title: str
    author: str = "leerreview"
    matrix_svg: Markup = field(default_factory=Markup)
    cells: dict[tuple[str, int], int] = field(default_factory=dict)


def _first(rows: list[tuple[str, int | None]]) -> str | None:
    shown = [(title, n) for title, n in rows if n is not None]
    if not shown:
        return None
    best = max(n for _title, n in shown)
    return ", ".join(title for title, n in shown if n == best) if best else "—"


def _perspectives(session: Session, review_id: int, case_title: str) -> list[PerspectiveLine]:
    titles = {f.id: f.title for f in group_interviews.list_factors(session=session, review_id=review_id)}
    lines = []
    for sticker_round in voting.list_rounds(session=session, review_id=review_id):
        if not sticker_round.perspectives:
            continue
        rows = voting.perspectives(session=session, review_id=review_id, round_id=sticker_round.id or 0)
        kind = _("Strengths") if sticker_round.kind == "success" else _("Points for improvement")
        lines.append(
            PerspectiveLine(
                case=case_title,
                round_kind=kind,
                family_first=_first([(titles.get(r.factor_id, "?"), r.family) for r in rows]),
                professional_first=_first([(titles.get(r.factor_id, "?"), r.professional) for r in rows]),
            )
        )
    return lines


def build_report(*, session: Session, access: StudyAccess, lang: str, framework_key: str) -> StudyReport:
    """Gather the study report in ``lang`` (inside the request's database turn)."""
    study_id = access.study_id
    with language(lang):
        out = service.study_out(session=session, access=access)
        matrix = service.matrix(session=session, study_id=study_id, framework_key=framework_key)  # 422 if unknown
        framework = service.framework_of(session=session, study_id=study_id, key=framework_key)
        briefs, perspectives = [], []
        for case in out.cases:
            review = reviews.get_review(session=session, review_id=case.review_id)
            title = review.case_pseudonym or review.title
            briefs.append(CaseBrief(case.review_id, title, review.success_statement, case.attributes, case.factors))
            perspectives += _perspectives(session, case.review_id, title)
        # Word and PDF refuse control characters that may be stored from before they were refused at input
        return printable_deep(
            StudyReport(
                lang=lang,
                title=out.title,
                research_question=out.research_question,
                description=out.description,
                made_on=dt.date.today(),
                started_on=out.created_at.date(),
                cases=briefs,
                matrix=matrix,
                elements=service.list_elements(session=session, study_id=study_id),
                literature=service.literature(session=session, study_id=study_id, framework_key=framework_key),
                perspectives=perspectives,
                agreement=service.agreement_of(session=session, access=access, framework_key=framework_key),
                framework_title=framework.title,
                author=access.user.name or access.user.email,
                matrix_svg=exports.matrix_svg(matrix),
                cells={(c.theme_key, c.review_id): c.factors for c in matrix.cells},
            )
        )


def report_body(report: StudyReport) -> Markup:
    """The report's content as HTML (the preview page and the PDF)."""
    with language(report.lang):
        context = {"report": report, "lang": report.lang, "method": METHOD, "heat_map_caption": HEAT_MAP_CAPTION}
        return render_text("studies/_report.html", context)


def report_pdf(report: StudyReport) -> bytes:
    """The report as tagged PDF/UA-1 with its title and language (our print stylesheet; only bundled files)."""
    from app.reports.service import print_pdf

    with language(report.lang):
        document = render_text(
            "studies/print.html", {"report": report, "body": report_body(report), "lang": report.lang}
        )
    return print_pdf(document)


def report_docx(report: StudyReport, *, now: dt.datetime | None = None) -> bytes:
    """The report as a Word document, as the HTML report shows it: a table of contents, the language of the
    report, tables with fixed widths and repeating header rows, page numbers and real document properties."""
    with language(report.lang):
        return _write_docx(report, now or utcnow())


def _widths(first: float, columns: int, last: float = 0.0) -> list[float]:
    """Column widths (cm) over the page's width: a first column, ``columns`` equal ones, an optional last one."""
    share = max(1.2, (word.PICTURE_WIDTH_CM - first - last) / max(1, columns))
    return [first, *([share] * columns), *([last] if last else [])]


def _write_docx(report: StudyReport, now: dt.datetime) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    from app.labels import label

    doc = Document()
    word.house_style(doc, f"{report.title} · {_('confidential')} · ")
    word.set_properties(
        doc, title=report.title, subject=_("Study report"), author=report.author, lang=report.lang, now=now
    )
    word.set_language(doc, report.lang)

    doc.add_paragraph(_("Study report"))
    doc.add_heading(report.title, 0)
    if report.research_question:
        doc.add_paragraph(f"{_('Research question')}: {report.research_question}")
    if report.description:
        doc.add_paragraph(report.description)
    chapters = [
        _("Cases"),
        _("Case × theme matrix"),
        _("Overarching working elements"),
        _("Comparison with the literature"),
        _("Perspectives"),
        _("Agreement between coders"),
        _("Method and dates"),
    ]
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.contents(doc, chapters)

    doc.add_heading(chapters[0], 1)
    word.table(
        doc,
        [_("Case"), _("Success"), _("Factors"), _("Attributes")],
        [
            [c.title, c.success or "—", str(c.factors), "; ".join(f"{k}: {v}" for k, v in c.attributes.items())]
            for c in report.cases
        ],
        [3.4, 7.0, 1.8, 4.4],
    )

    doc.add_heading(chapters[1], 1)
    doc.add_paragraph(f"{report.framework_title} — {_('Coded factors per theme and case')}")
    if report.matrix_svg:
        word.picture(doc, str(report.matrix_svg), _(HEAT_MAP_CAPTION))
    cases = report.matrix.cases
    word.table(
        doc,
        [_("Theme"), *[c.title for c in cases], _("Present in cases")],
        [
            [
                theme.title,
                *[str(report.cells[(theme.key, c.review_id)]) for c in cases],
                _("%(n)s of %(total)s", n=report.matrix.present[theme.key], total=len(cases)),
            ]
            for theme in report.matrix.themes
        ],
        _widths(5.0, len(cases), 2.4),
    )

    doc.add_heading(chapters[2], 1)
    if not report.elements:
        doc.add_paragraph(_("No overarching elements yet."))
    for number, element in enumerate(report.elements, start=1):
        doc.add_heading(f"{number}. {element.title}", 2)
        support = element.support
        doc.add_paragraph(
            f"{support.text} · {_('%(n)s factors', n=support.factors)} · {_('%(n)s stickers', n=support.stickers)}"
        )
        if element.explanation:
            doc.add_paragraph(element.explanation)
        for link in element.supports:
            prefix = f"{_('Counter-evidence')}: " if link.counter else ""
            doc.add_paragraph(prefix + link.title, style="List Bullet")
        for quote in element.illustrations:
            doc.add_paragraph(f"“{quote.text}” — {quote.speaker}", style="Intense Quote")

    doc.add_heading(chapters[3], 1)
    word.table(
        doc,
        [_("Element"), *[c.title for c in report.literature.cases]],
        [
            [
                row.title,
                *[label("verdict", v.verdict) + (f" — {v.note}" if v.note else "") for v in row.cases],
            ]
            for row in report.literature.rows
        ],
        _widths(5.0, len(report.literature.cases)),
    )

    doc.add_heading(chapters[4], 1)
    if report.perspectives:
        too_few = _("too few to show")
        word.table(
            doc,
            [_("Case"), _("Round"), _("Family put first"), _("Professionals put first")],
            [
                [line.case, line.round_kind, line.family_first or too_few, line.professional_first or too_few]
                for line in report.perspectives
            ],
            [3.4, 3.2, 5.0, 5.0],
        )
    else:
        doc.add_paragraph(_("No sticker round counted per side."))

    doc.add_heading(chapters[5], 1)
    agreement = report.agreement
    doc.add_paragraph(
        _("%(coders)s coders, %(units)s factors coded by two or more.", coders=agreement.coders, units=agreement.units)
    )
    if agreement.percent_agreement is not None:
        nominal, masi = _("Krippendorff's α (nominal)"), _("Krippendorff's α (MASI)")
        doc.add_paragraph(
            f"{_('Percent agreement')}: {agreement.percent_agreement:.0%} · "
            f"{nominal}: {agreement.alpha} · {masi}: {agreement.alpha_masi}"
        )
        kappas = [
            [theme.title, str(agreement.kappa[theme.key]), str(agreement.kappa_n[theme.key])]
            for theme in report.matrix.themes
            if agreement.kappa.get(theme.key) is not None
        ]
        if kappas:
            word.table(doc, [_("Theme"), "κ", "n"], kappas, [11.0, 3.0, 2.6])

    doc.add_heading(chapters[6], 1)
    doc.add_paragraph(_(METHOD))
    doc.add_paragraph(
        _("Study started %(start)s; report made %(made)s.", start=_date(report.started_on), made=_date(report.made_on))
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


HEAT_MAP_CAPTION = N_(
    "The matrix as a heat map: the darker a cell, the more coded factors; the table below holds the same numbers."
)
METHOD = N_(
    "Each case was studied with the learning-review method (interviews, the family life-line, a group interview "
    "with sticker rounds, a findings tree). Factors were coded to the framework's themes by two researchers "
    "independently and blind; disagreements were resolved with a rationale. The matrix counts the coded factors "
    "per theme and case; an element's support is computed from the cases' findings trees as they are now."
)


def _date(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


# --- REFI-QDA project ----------------------------------------------------------------------------------------


def _text_source(guid: str, name: str, text: str, selection: str, codings: list[str], users: QdaUsers) -> str:
    """A text source whose one selection (the whole text, CRLF made LF first) carries ``codings``."""
    text = plain_text(text)
    return (
        f'<TextSource guid="{guid}" name={quoteattr(plain_text(name)[:200] or "—")} '
        f'creatingUser="{users.exporter}" creationDateTime="{qda_time(None)}">'
        f"<PlainTextContent>{escape(text)}</PlainTextContent>"
        f'<PlainTextSelection guid="{selection}" startPosition="0" endPosition="{len(text)}">'
        f"{''.join(codings)}</PlainTextSelection></TextSource>"
    )


def qdpx_maker(*, session: Session, access: StudyAccess, namespace: UUID) -> Callable[[], bytes]:
    """Read the study's REFI-QDA project; the returned function zips it without the database, so that a route
    makes the bytes after its database turn (``app.downloads.LateFile``).

    The whole study as one REFI-QDA project: one ``Case`` per review, sources = factor texts and consented
    quotes, codes = framework themes (their GUIDs those of the codebook export) and the cases' findings, every
    coding with its coder and date. GUIDs are stable per study and unique per installation (``namespace``: the
    installation's own id, ``app.reports.exports.installation_id``); texts are plain (CRLF made LF) so that
    positions count the characters a reader of the XML sees."""
    study_id = access.study_id

    def guid(*parts: object) -> str:
        return str(uuid5(namespace, f"study:{study_id}:" + ":".join(map(str, parts)))).upper()

    users = QdaUsers(session, guid, access.user)
    for member in service.list_members(session=session, study_id=study_id):
        users.names.setdefault(guid("user", member.user_id), member.name)
    codes: list[str] = []
    theme_guid: dict[tuple[str, str], str] = {}
    frameworks = service.study_frameworks(session=session, study_id=study_id)
    for framework in frameworks:
        children = []
        for theme in framework.themes:
            theme_guid[(framework.key, theme.key)] = codebook.theme_guid(namespace, framework.key, theme.key)
            children.append(code_xml(theme_guid[(framework.key, theme.key)], theme.title, "#1D5B86"))
        codes.append(
            code_xml(
                guid("framework", framework.key), framework.title, "#1D5B86", children="".join(children), codable=False
            )
        )
    codings: dict[int, list[tuple[str, int | None, dt.datetime]]] = {}
    for framework in frameworks:
        for row in service.codings_of(session=session, study_id=study_id, framework_key=framework.key):
            for key in json.loads(row.theme_keys_json):
                if (framework.key, key) in theme_guid:
                    codings.setdefault(row.node_id, []).append(
                        (theme_guid[(framework.key, key)], row.coder_id or row.updated_by, row.updated_at)
                    )
    cases_xml, sources_xml = [], []
    for case in service.cases_of(session=session, study_id=study_id):
        review = reviews.get_review(session=session, review_id=case.review_id)
        title = review.case_pseudonym or review.title
        finding_codes, source_refs = [], []
        quotes = {q.id: q for q in exportable_quotes(session=session, review_id=case.review_id)}
        for unit in service.case_units(session=session, review_id=case.review_id):
            node_id = unit.line.node_id
            finding = guid("finding", node_id)
            finding_codes.append(code_xml(finding, unit.line.title, "#009E73"))
            author, changed = users.of(node_author(session, node_id)), node_changed(session, node_id)
            marks = [
                coding_xml(guid("coding", node_id, code, coder, n), code, users.of(coder), qda_time(at))
                for n, (code, coder, at) in enumerate(codings.get(node_id, []))
            ]
            marks.append(coding_xml(guid("coding-finding", node_id), finding, author, qda_time(changed)))
            source = guid("factor", node_id)
            source_refs.append(source)
            path = " › ".join(unit.line.path)
            sources_xml.append(_text_source(source, unit.line.title, path, guid("selection", node_id), marks, users))
            for quote_id in unit.quote_ids:
                quote = quotes.get(quote_id)
                if quote is None:
                    continue
                qsource = guid("quote", quote_id)
                source_refs.append(qsource)
                mark = coding_xml(guid("quote-coding", quote_id, node_id), finding, author, qda_time(changed))
                selection = guid("quote-selection", quote_id, node_id)
                sources_xml.append(_text_source(qsource, quote.speaker, quote.text, selection, [mark], users))
        codes.append(
            code_xml(
                guid("findings", case.review_id), _("Findings") + ": " + title, "#009E73",
                children="".join(finding_codes), codable=False,
            )
        )  # fmt: skip
        refs = "".join(f'<SourceRef targetGUID="{s}"/>' for s in dict.fromkeys(source_refs))
        cases_xml.append(
            f'<Case guid="{guid("case", case.review_id)}" name={quoteattr(plain_text(title))}>'
            f"<Description>{escape(plain_text(review.success_statement))}</Description>{refs}</Case>"
        )
    question = plain_text(access.study.research_question)
    project = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Project xmlns="{QDA_NS}" name={quoteattr(plain_text(access.study.title))} origin="leerreview" '
        f'creatingUserGUID="{users.exporter}" creationDateTime="{qda_time(access.study.created_at)}">'
        f"<Users>{users.xml()}</Users>"
        f"<CodeBook><Codes>{''.join(codes)}</Codes></CodeBook>"
        + (f"<Cases>{''.join(cases_xml)}</Cases>" if cases_xml else "")
        + (f"<Sources>{''.join(sources_xml)}</Sources>" if sources_xml else "")
        + (f"<Description>{escape(question)}</Description>" if question else "")
        + "</Project>"
    )
    return lambda: qdpx_archive(project)
