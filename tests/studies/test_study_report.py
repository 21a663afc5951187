"""The study report as PDF and Word holds the elements with their support; the study as a REFI-QDA project is
valid against the official schema (tests/reports/refi_qda/Project.xsd), with one Case per review and codings with
their coders, and GUIDs that differ between installations."""

import io
import re
import zipfile
from pathlib import Path
from uuid import uuid4

import pytest
from docx import Document
from lxml import etree
from pypdf import PdfReader
from sqlmodel import Session

from app import db
from app.findings.models import FindingNode
from app.studies import exports, report, service
from app.studies.schemas import MatrixOut
from tests.docx_checks import assert_real_word_document
from tests.pdf_tags import assert_tagged
from tests.studies.cases import FRAMEWORK, StudyIds, add_node, new_study, owners_only_review
from tests.world import World

SCHEMA = Path(__file__).parents[1] / "reports" / "refi_qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}
S = "/api/v1/studies"
ONE = uuid4()


def _coded_study(world: World) -> StudyIds:
    study = new_study(world)
    for role, keys in (("owner", ["one-face"]), ("researcher", ["one-face", "firm-mandate"])):
        url = f"{S}/{study.study_id}/codings/{study.review_id}/{study.node_id}"
        assert world.api[role].put(url, json={"framework": FRAMEWORK, "theme_keys": keys}).status_code == 200
    return study


def test_pdf_and_docx_hold_the_elements(world: World) -> None:
    study = _coded_study(world)
    pdf = world.api["reader"].get(f"{S}/{study.study_id}/report.pdf", params={"lang": "nl"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ouders zijn de belangrijkste partner" in " ".join(text.split())
    assert "Eén casemanager met mandaat" in " ".join(text.split())
    docx = world.api["reader"].get(f"{S}/{study.study_id}/report.docx", params={"lang": "en"})
    assert docx.status_code == 200
    words = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "1. Ouders zijn de belangrijkste partner" in words
    assert "in 1 of 1 cases" in words
    assert "Percent agreement: 0%" in words  # the two coders chose different sets for the one shared unit
    assert world.api["reader"].get(f"{S}/{study.study_id}/report.pdf", params={"lang": "de"}).status_code == 422


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pdf_is_tagged_and_docx_a_real_word_document(world: World, lang: str) -> None:
    study = _coded_study(world)
    pdf = world.api["reader"].get(f"{S}/{study.study_id}/report.pdf", params={"lang": lang})
    assert_tagged(pdf.content, lang=lang, title="Drie casussen")
    docx = world.api["reader"].get(f"{S}/{study.study_id}/report.docx", params={"lang": lang})
    document = assert_real_word_document(docx.content, lang=lang, title="Drie casussen")
    assert document.core_properties.author == "Reader"  # who made it
    pictures = document.inline_shapes  # the matrix as a heat map, as the study page draws it
    assert len(pictures) == 1 and pictures[0]._inline.docPr.get("descr")
    matrix = document.tables[1]
    theme = {"nl": "Thema", "en": "Theme"}[lang]
    assert [c.text for c in matrix.rows[0].cells][:2] == [theme, "Casus studie"]
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[0] == {"nl": "Inhoud", "en": "Contents"}[lang] and len(headings) == 8


def test_report_page_previews_the_report(world: World) -> None:
    study = new_study(world)
    page = world.pages["reader"].get(f"/studies/{study.study_id}/report")
    assert page.status_code == 200
    assert "Ouders zijn de belangrijkste partner" in page.text
    assert "export.qdpx" not in page.text  # only owners export the project


def _project(content: bytes) -> etree._Element:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return etree.fromstring(archive.read("project.qde"))


def test_qdpx_is_valid_against_the_schema(world: World) -> None:
    study = _coded_study(world)
    other = owners_only_review(world, "Casus De Vries")
    add_node(world, other, "Ouders aan tafel")
    assert world.api["owner"].post(f"{S}/{study.study_id}/cases", json={"review_id": other}).status_code == 201
    response = world.api["owner"].get(f"{S}/{study.study_id}/export.qdpx")
    assert response.status_code == 200
    project = _project(response.content)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(project), schema.error_log
    assert len(project.findall("q:Cases/q:Case", NS)) == 2
    users = {u.get("guid"): u.get("name") for u in project.findall("q:Users/q:User", NS)}
    coders = {c.get("creatingUser") for c in project.iter("{urn:QDA-XML:project:1.0}Coding") if c.get("creatingUser")}
    assert {users[c] for c in coders} == {"Owner", "Researcher"}
    guids = [e.get("guid") for e in project.iter() if e.get("guid")]
    assert len(guids) == len(set(guids))
    names = {c.get("name") for c in project.iter("{urn:QDA-XML:project:1.0}Code")}
    assert "Ouders aan tafel" in names and "Eén casemanager met mandaat" in names


def test_guids_are_stable_but_differ_between_installations(world: World) -> None:
    study = new_study(world)
    with Session(world.engine) as session:
        access = service.load_access(session=session, user=world.users["owner"], study_id=study.study_id)
        first = _project(report.qdpx_maker(session=session, access=access, namespace=ONE)())
        again = _project(report.qdpx_maker(session=session, access=access, namespace=ONE)())
        elsewhere = _project(report.qdpx_maker(session=session, access=access, namespace=uuid4())())
    case = "q:Cases/q:Case"
    assert first.find(case, NS).get("guid") == again.find(case, NS).get("guid")
    assert first.find(case, NS).get("guid") != elsewhere.find(case, NS).get("guid")
    assert {e.get("guid") for e in first.iter() if e.get("guid")}.isdisjoint(
        {e.get("guid") for e in elsewhere.iter() if e.get("guid")}
    )


def test_every_coding_has_its_user_and_date_and_positions_survive_crlf(world: World) -> None:
    study = _coded_study(world)
    with Session(world.engine) as session:  # a title pasted from Windows (CRLF) and with a control character
        node = session.get(FindingNode, study.node_id)
        assert node is not None
        node.title = "Eén plan\r\nvoor het hele gezin\x07"
        session.add(node)
        session.commit()
    response = world.api["owner"].get(f"{S}/{study.study_id}/export.qdpx")
    project = _project(response.content)
    assert etree.XMLSchema(etree.parse(str(SCHEMA))).validate(project)
    users = {u.get("guid") for u in project.findall("q:Users/q:User", NS)}
    codings = list(project.iter(f"{{{NS['q']}}}Coding"))
    assert codings
    for coding in codings:
        assert coding.get("creatingUser") in users
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", coding.get("creationDateTime") or "")
    for source in project.iter(f"{{{NS['q']}}}TextSource"):
        text = source.findtext("q:PlainTextContent", namespaces=NS) or ""
        assert "\r" not in text and "\x07" not in text
        for selection in source.findall("q:PlainTextSelection", NS):
            assert int(selection.get("endPosition") or 0) == len(text)  # what the reader of the XML counts
    assert any("Eén plan\nvoor het hele gezin" in (s.findtext("q:PlainTextContent", namespaces=NS) or "")
               for s in project.iter(f"{{{NS['q']}}}TextSource"))  # fmt: skip
    # the themes carry the GUIDs of the codebook export, so a codebook imported first matches the project
    qdc = world.api["owner"].get(f"{S}/{study.study_id}/frameworks/{FRAMEWORK}/codebook.qdc")
    codebook = {c.get("guid") for c in etree.fromstring(qdc.content).iter("{urn:QDA-XML:codebook:1.0}Code")}
    coded = {c.find("q:CodeRef", NS).get("targetGUID") for c in codings}
    assert coded & codebook


def test_an_unknown_framework_is_a_clear_422(world: World) -> None:
    study = new_study(world)
    for path in ("report.pdf", "report.docx", "literature", "matrix", "agreement", "codings"):
        response = world.api["owner"].get(f"{S}/{study.study_id}/{path}", params={"framework": "nope"})
        assert response.status_code == 422, path
        assert response.json()["detail"] == "Unknown framework: nope."


def test_the_heat_map_writes_every_number_legibly() -> None:
    data = MatrixOut.model_validate(
        {
            "framework": FRAMEWORK,
            "themes": [{"key": f"t{n}", "title": f"Thema <{n}>"} for n in range(5)],
            "cases": [{"review_id": 1, "title": "Casus & co"}],
            "cells": [
                {
                    "theme_key": f"t{n}",
                    "review_id": 1,
                    "factors": n,
                    "evidence": 0,
                    "stickers": 0,
                    "sticker_share": None,
                }
                for n in range(5)
            ],
            "present": {f"t{n}": 1 for n in range(5)},
        }
    )
    svg = etree.fromstring(str(exports.matrix_svg(data)).encode())
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "Casus & co" in texts and "Thema <4>" in texts and {"0", "1", "2", "3", "4"} <= set(texts)

    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for step in range(11):
        fill, ink = exports._heat(step / 10)
        low, high = sorted((luminance(fill), luminance(ink)))
        assert (high + 0.05) / (low + 0.05) >= 3.0  # large bold numbers: WCAG AA for large text


def test_the_project_is_zipped_after_the_database_turn(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    study = _coded_study(world)
    turn_held: list[bool] = []
    real = report.qdpx_archive

    def zip_and_look(project: str, files: dict[str, bytes] | None = None) -> bytes:
        gates = [per_app[id(world.app)] for per_app in list(db._gates.values()) if id(world.app) in per_app]
        turn_held.append(any(g.writer is not None and g.writer.locked() for g in gates))
        return real(project, files)

    monkeypatch.setattr(report, "qdpx_archive", zip_and_look)
    response = world.api["owner"].get(f"{S}/{study.study_id}/export.qdpx")
    assert response.status_code == 200 and zipfile.is_zipfile(io.BytesIO(response.content))
    assert turn_held == [False]  # zipped once, while others could use the database
