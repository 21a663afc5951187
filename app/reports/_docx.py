"""The report as a Word document (python-docx): a table of contents, headings, tables with repeating header
rows and fixed column widths, nested lists, the life-line and the findings tree as pictures (our SVGs drawn
to PNG with CairoSVG), page numbers in the footer, the document's language and real document properties.
"""

import datetime as dt
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.shared import Pt, RGBColor

from app.db.base import utcnow
from app.findings.schemas import NodeOut
from app.i18n import N_, _, language, ngettext
from app.reports.schemas import Report
from app.reports.word import MUTED, contents, house_style, picture, set_language, set_properties, table

KIND_NAMES = {
    "success_factor": N_("Success factor"),
    "contributing": N_("Contributing factor"),
    "hindering": N_("Hindering factor"),
    "recommendation": N_("Recommendation"),
    "what_works": N_("What works"),
}


def _date(value: object) -> str:
    return value.strftime("%d-%m-%Y") if hasattr(value, "strftime") else "—"


def _muted(document: DocxDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    run.font.color.rgb = MUTED


def _node_section(document: DocxDocument, heading: str, nodes: list[NodeOut], empty: str) -> None:
    """A chapter of tree nodes under ``heading``; ``empty`` said where there are none yet."""
    document.add_heading(heading, level=1)
    if nodes:
        _nodes(document, nodes)
    else:
        _muted(document, empty)


def _nodes(document: DocxDocument, nodes: list[NodeOut], level: int = 0) -> None:
    style = "List Number" if level == 0 else ("List Bullet 2" if level == 1 else "List Bullet 3")
    for node in nodes:
        paragraph = document.add_paragraph(style=style)
        kind = paragraph.add_run(_(KIND_NAMES.get(node.kind, node.kind)).upper() + "  ")
        kind.font.size = Pt(7.5)
        kind.font.color.rgb = MUTED
        title = paragraph.add_run(node.title)
        title.bold = True
        if node.stickers:
            paragraph.add_run(
                "  (" + ngettext("%(num)s sticker", "%(num)s stickers", node.stickers) + ")"
            ).font.color.rgb = MUTED
        if node.explanation:
            paragraph.add_run("\n" + node.explanation)
        if node.themes:
            themes = paragraph.add_run("\n" + _("Themes") + ": " + "; ".join(t.title for t in node.themes))
            themes.font.size = Pt(8)
        for item in node.evidence:
            evidence = paragraph.add_run("\n• " + item.label + (f" ({item.note})" if item.note else ""))
            evidence.font.size = Pt(8)
            evidence.font.color.rgb = MUTED
        _nodes(document, node.children, level + 1)


def write_docx(report: Report, *, author: str = "leerreview", now: dt.datetime | None = None) -> bytes:
    """Write the report as .docx bytes in the report's language; ``author`` is who made it."""
    with language(report.lang):
        return _write(report, author, now or utcnow())


def _properties(document: DocxDocument, report: Report, author: str, now: dt.datetime) -> None:
    """The document's own properties (what Word shows under File > Info), not the template's."""
    set_properties(
        document,
        title=report.title,
        subject=_("Learning review — report for the share-back meeting"),
        author=author,
        lang=report.lang,
        now=now,
        keywords=report.case_pseudonym,
    )


def _write(report: Report, author: str, now: dt.datetime) -> bytes:
    document = Document()
    house_style(document, f"{report.title} · {_('confidential')} · ")
    _properties(document, report, author, now)
    set_language(document, report.lang)

    # Cover
    eyebrow = document.add_paragraph()
    run = eyebrow.add_run(_("Learning review — report for the share-back meeting").upper())
    run.font.size, run.bold = Pt(9), True
    run.font.color.rgb = RGBColor(0xB0, 0x7A, 0x1A)
    document.add_heading(report.title, level=0)
    table(
        document,
        [_("Case"), report.case_pseudonym or "—"],
        [
            [_("Collaboration"), report.collaboration or "—"],
            [_("Date of this report"), _date(report.made_on)],
        ],
        [5.0, 11.5],
    )
    confidential = document.add_paragraph()
    confidential.add_run(
        _(
            "Confidential — pseudonyms only. This report is about a child and their family; "
            "do not pass it on beyond the people involved."
        )
    ).italic = True
    confidential.runs[0].add_break(WD_BREAK.PAGE)
    contents(
        document,
        [
            _("The case in brief"),
            _("The method followed"),
            _("The life-line"),
            _("The success and the findings tree"),
            _("Factors and stickers"),
            _("In their own words"),
            _("Hindering factors and recommendations"),
            _("What works"),
        ],
    )

    document.add_heading(_("The case in brief"), level=1)
    if report.case_pseudonym:
        document.add_paragraph(f"{_('Case')}: {report.case_pseudonym}")
    if report.selection_criteria:
        document.add_heading(_("Why this case"), level=2)
        document.add_paragraph(report.selection_criteria)
    if report.selection_reasons:
        document.add_paragraph(report.selection_reasons)
    document.add_heading(_("Who took part"), level=2)
    if report.people:
        table(
            document,
            [_("Pseudonym"), _("Role"), _("Organisation"), _("Function")],
            [[p.pseudonym, p.role, p.organisation or "—", p.function or "—"] for p in report.people],
            [3.4, 3.6, 5.4, 4.2],
        )
    else:
        _muted(document, _("No participants recorded."))

    document.add_heading(_("The method followed"), level=1)
    document.add_paragraph(
        _(
            "The review followed the learning-review method in three phases: preparation, data collection "
            "(individual interviews, the life-line and the file study) and analysis with a group interview, in "
            "which everyone involved corrected the life-line, named what worked and what hindered, and "
            "prioritised with stickers."
        )
    )
    rows = []
    for phase in report.phases:
        dates = _date(phase.first) + (f" – {_date(phase.last)}" if phase.last and phase.last != phase.first else "")
        for index, step in enumerate(phase.steps):
            head = f"{phase.number}. {phase.title}" + (f"\n{dates}" if phase.first else "") if index == 0 else ""
            rows.append([head, step.title, step.status, _date(step.done_on)])
    table(document, [_("Phase"), _("Step"), _("Status"), _("Completed on")], rows, [4.2, 7.0, 2.6, 2.7])
    summary = ngettext("%(num)s interview held.", "%(num)s interviews held.", report.interviews_held)
    if report.group_interview_on:
        summary += " " + _("Group interview: %(date)s.", date=_date(report.group_interview_on))
    _muted(document, summary)

    document.add_heading(_("The life-line"), level=1)
    if report.events:
        if report.lifeline_svg:
            picture(
                document,
                str(report.lifeline_svg),
                _(
                    "The family's life-line with the factors named in the group interview. "
                    "Vague dates are drawn as vague."
                ),
            )
        table(
            document,
            [_("When"), _("Lane"), _("Event"), _("Status")],
            [[e.when, e.lane, e.title, e.status] for e in report.events],
            [3.6, 2.8, 7.6, 2.5],
        )
    else:
        _muted(document, _("The life-line has no events yet."))

    document.add_heading(_("The success and the findings tree"), level=1)
    success = document.add_paragraph(style="Intense Quote")
    success.add_run(report.success or _("The success of the case is not written yet."))
    if report.tree_svg:
        picture(
            document,
            str(report.tree_svg),
            _("The findings tree: the success at the root, the main success factors as branches."),
        )
    if report.success_tree:
        _nodes(document, report.success_tree)
    else:
        _muted(document, _("No success factors yet."))

    document.add_heading(_("Factors and stickers"), level=1)
    if report.factors:
        table(
            document,
            [_("Factor"), _("Kind"), _("Stickers")],
            [[title, kind, str(n)] for title, kind, n in report.factors],
            [9.5, 4.5, 2.5],
        )
        for sticker_round in report.rounds:
            heading = _("Sticker round %(n)s: %(kind)s", n=sticker_round.number, kind=sticker_round.kind)
            document.add_heading(heading + (f" ({_('anonymous')})" if sticker_round.anonymous else ""), level=2)
            table(document, [_("Factor"), _("Stickers")], [[t, str(n)] for t, n in sticker_round.rows], [12.0, 2.5])
    else:
        _muted(document, _("No factors from a group interview yet."))

    document.add_heading(_("In their own words"), level=1)
    if report.quotes:
        for quote in report.quotes:
            paragraph = document.add_paragraph(style="Quote")
            paragraph.add_run(f"“{quote.text}”")
            paragraph.add_run(f"\n— {quote.speaker}").italic = False
    else:
        _muted(document, _("No quotes: nobody has (still) given consent for quotes in the report."))

    hindering = _("Hindering factors and recommendations")
    _node_section(document, hindering, report.hindering, _("No hindering factors yet."))
    _node_section(document, _("What works"), report.what_works, _("Nothing listed yet."))

    _member_check(document, report)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _member_check(document: DocxDocument, report: Report) -> None:
    """The share-back meeting: when, which roles, per finding the reactions (counts) and the decision."""
    document.add_heading(_("Share-back / member check"), level=1)
    check = report.member_check
    if check is None:
        _muted(document, _("No share-back meeting has been held yet."))
        return
    document.add_paragraph(
        _(
            "The analysis and the findings tree were discussed with everyone involved on %(date)s. Everyone said "
            "per finding whether they recognised it; the researchers then decided what to keep, rephrase or "
            "remove. The findings tree in this report is the one after the meeting; the earlier wording stays in "
            "the tree's history.",
            date=_date(check.held_on),
        )
    )
    document.add_paragraph(f"{_('Taking part')}: {'; '.join(check.roles) if check.roles else '—'}")
    rows = []
    for row in check.rows:
        title = f"{row.section}: {row.title}"
        if row.title_before:
            title += "\n" + _("Was: %(title)s", title=row.title_before)
        rows.append([title, str(row.agree), str(row.partly), str(row.disagree), row.decision, row.note or "—"])
    table(
        document,
        [_("Finding"), _("Recognised"), _("Partly"), _("Not recognised"), _("Decision"), _("Note")],
        rows,
        [4.4, 2.5, 1.9, 2.5, 2.7, 2.6],  # wide enough for "Recognised", "Geherformuleerd" on one line
    )
    _muted(document, _("Reactions are anonymous: the report gives counts, never who reacted how."))
