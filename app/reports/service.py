"""The report for the share-back meeting: one ``Report`` built from the review, shown as HTML, printed to PDF
(WeasyPrint) and written as Word (python-docx).

Quotes come from ``exportable_quotes`` only; evidence that is a quote without consent is dropped from the tree;
participants appear by pseudonym and role, never with contact details.
"""

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from sqlmodel import Session, col, select

import lifeline
from app.findings import figure as tree_figure
from app.findings import service as findings
from app.findings.schemas import NodeOut
from app.group_interview import service as group_interviews
from app.group_interview.models import FactorKind, GroupInterview, RoomPurpose
from app.i18n import _, language
from app.interviews.models import Interview, InterviewStatus
from app.interviews.service import exportable_quotes
from app.labels import label
from app.participants.models import Participant
from app.reports.schemas import (
    EventLine,
    PersonLine,
    PhaseBlock,
    QuoteLine,
    Report,
    RoundBlock,
    StepLine,
)
from app.reviews.models import Review, ReviewStep, StepStatus
from app.reviews.steps import PHASES, STEPS
from app.share_back import service as share_back
from app.templating import STATIC_DIR, render_text
from app.timeline import service as timeline
from app.validation import printable_deep
from app.voting import service as voting
from app.voting.models import StickerRound

ASSET_HOST = "https://assets.leerreview.invalid"
"""The base URL of the report when printed: only our bundled static files are served under it."""

ASSET_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
LIFELINE_SIZE_M = (1.1, 0.45)
"""The life-line banner drawn for the report (length, height in metres), scaled to a landscape page."""


# --- Building the report ----------------------------------------------------------------------------------------


def _phases(session: Session, review_id: int) -> list[PhaseBlock]:
    rows = {s.key: s for s in session.exec(select(ReviewStep).where(ReviewStep.review_id == review_id)).all()}
    blocks = []
    for number, title in PHASES.items():
        steps = []
        for definition in (d for d in STEPS if d.phase == number):
            row = rows.get(definition.key)
            status = row.status if row else StepStatus.open
            done = row.completed_at.date() if row and row.completed_at and status == StepStatus.done else None
            steps.append(StepLine(title=_(definition.title), status=label("step_status", status), done_on=done))
        dates = [s.done_on for s in steps if s.done_on]
        blocks.append(
            PhaseBlock(
                number=number,
                title=_(title),
                steps=steps,
                first=min(dates) if dates else None,
                last=max(dates) if dates else None,
            )
        )
    return blocks


def _people(session: Session, review_id: int) -> list[PersonLine]:
    rows = session.exec(
        select(Participant)
        .where(Participant.review_id == review_id, col(Participant.selected).is_(True))
        .order_by(col(Participant.id))
    ).all()
    return [
        PersonLine(
            pseudonym=p.pseudonym,
            role=p.role_label or label("role_category", p.role_category),
            organisation=p.organisation,
            function=p.function,
        )
        for p in rows
    ]


def _consented(nodes: list[NodeOut]) -> list[NodeOut]:
    """The nodes with every quote that may not leave the service taken out of their evidence."""
    return [
        node.model_copy(
            update={
                "evidence": [e for e in node.evidence if e.exportable],
                "children": _consented(node.children),
            }
        )
        for node in nodes
    ]


def _rounds(session: Session, review_id: int) -> tuple[list[RoundBlock], list[tuple[str, str, int]]]:
    factors = {f.id: f for f in group_interviews.list_factors(session=session, review_id=review_id)}
    rounds = session.exec(
        select(StickerRound).where(StickerRound.review_id == review_id).order_by(col(StickerRound.id))
    ).all()
    blocks: list[RoundBlock] = []
    totals: dict[int, int] = {}
    for number, sticker_round in enumerate(rounds, start=1):
        rows = []
        for result in voting.results(session=session, round_id=sticker_round.id or 0):
            factor = factors.get(result.factor_id)
            if factor is None:
                continue
            rows.append((factor.title, result.stickers))
            totals[result.factor_id] = totals.get(result.factor_id, 0) + result.stickers
        kind = _("Strengths") if sticker_round.kind == FactorKind.success else _("Points for improvement")
        blocks.append(RoundBlock(number=number, kind=kind, anonymous=sticker_round.anonymous, rows=rows))
    kinds = {FactorKind.success: _("Success factor"), FactorKind.hindering: _("Hindering factor")}
    listed = sorted(factors.values(), key=lambda f: (f.kind != FactorKind.success, -totals.get(f.id or 0, 0), f.id))
    return blocks, [(f.title, kinds[f.kind], totals.get(f.id or 0, 0)) for f in listed]


def build_report(*, session: Session, review: Review, lang: str, today: dt.date | None = None) -> Report:
    """Gather the report in ``lang``: only pseudonyms, only consented quotes."""
    review_id = review.id or 0
    with language(lang):
        stored = timeline.list_events(session=session, review_id=review_id)
        events = [e for e in stored if not e.deleted]
        shown = [timeline.event_out(e) for e in events]
        library = timeline.library_events(events)
        pins = group_interviews.pins(session=session, review_id=review_id)
        length, height = LIFELINE_SIZE_M
        # lifeline.banner_svg escapes every text it draws (tests/lifeline/test_banner.py), so it is markup.
        lifeline_svg = Markup(
            lifeline.banner_svg(
                library, pins, length_m=length, height_m=height, lang=lang, title=review.case_pseudonym or None
            )
        )
        tree = findings.tree(session=session, review_id=review_id)
        has_tree = bool(tree.root.children or tree.hindering or tree.what_works)
        rounds, factors = _rounds(session, review_id)
        interviews = session.exec(select(Interview).where(Interview.review_id == review_id)).all()
        group_interview = session.exec(
            select(GroupInterview)
            .where(GroupInterview.review_id == review_id, GroupInterview.purpose == RoomPurpose.group_interview)
            .order_by(col(GroupInterview.id))
        ).first()
        held = group_interview.opened_at if group_interview else None
        # Word and PDF refuse control characters that may be stored from before they were refused at input
        return printable_deep(
            Report(
                lang=lang,
                title=review.title,
                case_pseudonym=review.case_pseudonym,
                collaboration=review.collaboration,
                made_on=today or dt.date.today(),
                selection_criteria=review.selection_criteria,
                selection_reasons=review.selection_reasons,
                success=review.success_statement,
                people=_people(session, review_id),
                phases=_phases(session, review_id),
                interviews_held=sum(1 for i in interviews if i.status != InterviewStatus.planned),
                group_interview_on=held.date() if held else None,
                events=[
                    EventLine(
                        when=e.date_text, lane=e.lane_label, title=e.title, status=label("event_status", e.status)
                    )
                    for e in shown
                ],
                lifeline_svg=lifeline_svg if events else Markup(),
                tree_svg=tree_figure.tree_svg(tree, lang) if has_tree else Markup(),
                success_tree=_consented(tree.root.children),
                hindering=_consented(tree.hindering),
                what_works=_consented(tree.what_works),
                factors=factors,
                rounds=rounds,
                quotes=[
                    QuoteLine(speaker=q.speaker, text=q.text)
                    for q in exportable_quotes(session=session, review_id=review_id)
                ],
                member_check=share_back.member_check(session=session, review_id=review_id),
            )
        )


# --- HTML and PDF ----------------------------------------------------------------------------------------------


def report_body(report: Report) -> Markup:
    """The report's content as HTML (the same for the preview page, the share link and the PDF)."""
    with language(report.lang):
        return render_text("reports/_report.html", {"report": report, "lang": report.lang})


def report_document(report: Report) -> str:
    """The whole report as a standalone HTML document for printing (our print stylesheet, no scripts)."""
    with language(report.lang):
        return render_text("reports/print.html", {"report": report, "body": report_body(report), "lang": report.lang})


def static_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves only our bundled static files (css, svg, png) from the static
    directory, and refuses everything else: no ``file://``, no network, nothing named in user text."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = STATIC_DIR.resolve()

    class _StaticOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> Any:
            path = static_path(url, root)
            mime = ASSET_TYPES[path.suffix]
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    return _StaticOnly()


def static_path(url: str, root: Path = STATIC_DIR) -> Path:
    """The bundled file a report URL names; ``ValueError`` for anything that is not one of ours."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != ASSET_HOST or not parts.path.startswith("/static/"):
        raise ValueError(f"only bundled assets may be loaded: {url[:80]}")
    path = (root / parts.path.removeprefix("/static/")).resolve()
    if not path.is_relative_to(root.resolve()) or path.suffix not in ASSET_TYPES or not path.is_file():
        raise ValueError(f"not a bundled asset: {url[:80]}")
    return path


def print_pdf(document: str) -> bytes:
    """A standalone HTML document (our print stylesheet) as tagged PDF/UA-1 with the title and language it
    names, loading only bundled static files: the review's report and the study's."""
    import weasyprint  # deferred: slow to import, only needed for print

    html = weasyprint.HTML(string=document, base_url=ASSET_HOST + "/", url_fetcher=static_fetcher())
    return bytes(html.write_pdf(pdf_variant=lifeline.banner.PDF_VARIANT))


def report_pdf(report: Report) -> bytes:
    """The report as tagged PDF/UA-1 with its title and language (A4, page numbers; the life-line and tree
    on landscape pages)."""
    return print_pdf(report_document(report))


def report_docx(report: Report, *, author: str = "leerreview") -> bytes:
    """The report as a Word document (with the life-line and tree as pictures and a table of contents)."""
    from app.reports._docx import write_docx

    return write_docx(report, author=author)
