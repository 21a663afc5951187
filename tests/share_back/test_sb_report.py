"""The report's section "Terugkoppeling / Member check": when, which roles, per finding the reactions and the
decision, in HTML, PDF and Word; the findings tree shown is the one after the meeting."""

import io

from docx import Document

from tests.office_text import docx_text, pdf_text
from tests.share_back.meetings import Meeting, make_meeting
from tests.world import World


def held(meeting: Meeting) -> None:
    """Two phones react, one comments; the first finding is rephrased, the second removed; then it closes."""
    node, other = meeting.ids.node_id, meeting.ids.other_node_id
    first, second = meeting.phone(meeting.participants[0]), meeting.phone(meeting.participants[1])
    assert meeting.react(first, node, "agree", key="r-first-1").status_code == 201
    assert meeting.react(second, node, "partly", "Geheim commentaar van Sam", key="r-second-1").status_code == 201
    assert meeting.react(second, other, "disagree", key="r-second-2").status_code == 201
    owner = meeting.owner
    rephrase = {"decision": "rephrased", "title": "Eén casemanager met mandaat en tijd", "note": "Tijd ontbrak vaak"}
    assert owner.post(meeting.url(f"/nodes/{node}/decision"), json=rephrase).status_code == 200
    remove = {"decision": "removed", "note": "Niemand herkende dit"}
    assert owner.post(meeting.url(f"/nodes/{other}/decision"), json=remove).status_code == 200
    assert owner.post(meeting.url("/close")).status_code == 200


def test_the_report_records_the_member_check_in_pdf_and_word(meeting: Meeting) -> None:
    held(meeting)
    base = f"/api/v1/reviews/{meeting.review_id}"
    pdf = meeting.owner.get(f"{base}/report.pdf", params={"lang": "nl"})
    assert pdf.status_code == 200
    text, _pages = pdf_text(pdf.content)
    assert "Terugkoppeling / member check" in text
    after = text[text.index("Terugkoppeling / member check") :]
    assert "Eén casemanager met mandaat en tijd" in after and "Was: Eén casemanager met mandaat" in after
    assert "Geherformuleerd" in after and "Tijd ontbrak vaak" in after
    assert "Geschrapt" in after and "Niemand herkende dit" in after
    assert "Ouder" in after  # who took part: roles, never pseudonyms
    assert "Moeder" not in after and "P1" not in after
    assert "Geheim commentaar" not in text  # comments stay in the service
    # The tree shown is the one after the meeting: the new wording, and the removed finding is gone from it.
    before = text[: text.index("Terugkoppeling / member check")]
    assert "Eén casemanager met mandaat en tijd" in before and "Korte lijnen met school" not in before

    word = meeting.owner.get(f"{base}/report.docx", params={"lang": "en"})
    assert word.status_code == 200
    body, headings = docx_text(word.content)
    assert "Share-back / member check" in headings
    assert "Rephrased" in body and "Removed" in body and "Was: Eén casemanager met mandaat" in body
    assert "Niemand herkende dit" in body and "Geheim commentaar" not in body


def test_the_report_says_when_no_meeting_was_held(world: World) -> None:
    prepared = make_meeting(world, open_=False)  # prepared only: not held
    try:
        url = f"/api/v1/reviews/{prepared.review_id}/report.docx"
        body, headings = docx_text(prepared.owner.get(url, params={"lang": "en"}).content)
        assert "Share-back / member check" in headings
        assert "No share-back meeting has been held yet." in body
    finally:
        prepared.close()


def test_withdrawal_takes_reactions_out_of_the_report(meeting: Meeting) -> None:
    held(meeting)
    url = f"/api/v1/reviews/{meeting.review_id}/report.docx"

    def member_check() -> tuple[str, str]:
        content = meeting.owner.get(url, params={"lang": "nl"}).content
        body, _headings = docx_text(content)
        roles = [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text.startswith("Deelnemers:")]
        return roles[0], body[body.index("Terugkoppeling / member check") :]

    roles, before = member_check()
    assert roles == "Deelnemers: Ouder; Ouder" and "Was: Eén casemanager met mandaat 1 1 0" in before
    withdrawn = meeting.owner.post(
        f"/api/v1/reviews/{meeting.review_id}/participants/{meeting.participants[0]}"
        f"/consents/{meeting.ids.consent_id}/withdraw",
        json={"withdrawn_on": "2024-06-01", "effect": "remove"},
    )
    assert withdrawn.status_code == 200
    roles, after = member_check()
    assert roles == "Deelnemers: Ouder"  # who withdrew is no longer listed as taking part
    assert "Was: Eén casemanager met mandaat 0 1 0" in after  # ... and their reaction is gone


def test_a_new_meeting_under_way_does_not_replace_the_held_one_in_the_report(meeting: Meeting) -> None:
    held(meeting)
    assert meeting.owner.post(meeting.url()).status_code == 201
    assert meeting.owner.post(meeting.url("/open")).status_code == 200
    body, _headings = docx_text(meeting.owner.get(f"/api/v1/reviews/{meeting.review_id}/report.docx").content)
    assert "Niemand herkende dit" in body and "Tijd ontbrak vaak" in body
