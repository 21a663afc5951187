"""Control characters (NUL, U+000B pasted from Word): refused at input by every request schema, and stripped by
every file the service makes from text stored before (Word, PDF, SVG, REFI-QDA, CSV)."""

import importlib
import io
import pkgutil
import typing
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

import docx
import pytest
from pydantic import BaseModel
from sqlmodel import Session, col, select

import app
from app.findings.models import FindingNode
from app.group_interview.models import Factor
from app.interviews.models import InterviewNote, Quote
from app.timeline.models import LifelineEvent
from app.validation import Clean, printable
from tests.reports.demo_case import Demo

HOSTILE = "Ruzie\x00 om\x0b de\x1b sleutel\x7f"


def test_printable_keeps_tabs_and_newlines_and_breaks_word_line_breaks() -> None:
    assert printable("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert printable(HOSTILE) == "Ruzie om\n de sleutel"
    assert printable("\ud800x\ufffe") == "x"


def _texts(annotation: object) -> Iterator[tuple[object, bool]]:
    """Every text type in an annotation, with whether it carries ``Clean``."""
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *meta = typing.get_args(annotation)
        for found, _clean in _texts(inner):
            yield found, _clean or Clean in meta
        return
    if annotation is str:
        yield annotation, False
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return
    for arg in typing.get_args(annotation):
        yield from _texts(arg)


def _request_schemas() -> Iterator[type[BaseModel]]:
    """Every request schema of the service (they forbid unknown fields; responses are named …Out, …Result)."""
    for info in pkgutil.walk_packages(app.__path__, "app."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
                and value.model_config.get("extra") == "forbid"
                and not value.__name__.endswith(("Out", "Result"))
            ):
                yield value


def test_every_text_field_of_every_request_schema_cleans_control_characters() -> None:
    """Every text field (also in lists) of every request schema carries ``Clean``; forms use the same schemas."""
    checked = 0
    for model in _request_schemas():
        for name, field in model.model_fields.items():
            annotation = typing.Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
            for _text, cleaned in _texts(annotation):
                checked += 1
                assert cleaned, f"{model.__name__}.{name} takes text without Clean"
    assert checked > 40


def test_a_control_character_sent_in_a_factor_title_is_not_stored(demo: Demo) -> None:
    response = demo.api.post(
        f"/api/v1/reviews/{demo.review_id}/factors", json={"kind": "success", "title": HOSTILE, "description": "a\x00"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "Ruzie om\n de sleutel"
    with Session(demo.engine) as session:
        stored = session.get(Factor, response.json()["id"])
        assert stored is not None and stored.title == printable(HOSTILE) and stored.description == "a"


@pytest.fixture(scope="module")
def stored(demo: Demo) -> Demo:
    """Control characters stored before input refused them: in a factor, a node, an event, a note, a quote."""
    with Session(demo.engine) as session:
        factor = session.exec(select(Factor).where(Factor.review_id == demo.review_id)).first()
        node = session.exec(
            select(FindingNode).where(FindingNode.review_id == demo.review_id, col(FindingNode.parent_id).is_not(None))
        ).first()
        event = session.exec(select(LifelineEvent).where(LifelineEvent.review_id == demo.review_id)).first()
        note = session.exec(select(InterviewNote).where(InterviewNote.review_id == demo.review_id)).first()
        quote = session.exec(select(Quote).where(Quote.review_id == demo.review_id)).first()
        assert factor and node and event and note and quote
        factor.title, factor.description = HOSTILE, HOSTILE
        node.title = node.explanation = HOSTILE
        event.title = HOSTILE
        note.text = note.text + HOSTILE
        session.add_all([factor, node, event, note])
        session.commit()
    return demo


def test_word_report_with_stored_control_characters_opens(stored: Demo) -> None:
    response = stored.api.get(f"/api/v1/reviews/{stored.review_id}/report.docx")

    assert response.status_code == 200, response.text
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Ruzie om" in text and "\x00" not in text


def test_pdf_report_with_stored_control_characters(stored: Demo) -> None:
    response = stored.api.get(f"/api/v1/reviews/{stored.review_id}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("path", ["findings-tree.svg", "lifeline.svg"])
def test_svgs_with_stored_control_characters_are_xml(stored: Demo, path: str) -> None:
    response = stored.api.get(f"/api/v1/reviews/{stored.review_id}/{path}")

    assert response.status_code == 200, response.text
    root = ElementTree.fromstring(response.content)
    assert "Ruzie" in "".join(root.itertext())


def test_qdpx_with_stored_control_characters_is_xml(stored: Demo) -> None:
    response = stored.api.get(f"/api/v1/reviews/{stored.review_id}/export.qdpx")

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    project = ElementTree.fromstring(archive.read("project.qde"))
    names = [c.get("name") for c in project.iter("{urn:QDA-XML:project:1.0}Code")]
    assert "Ruzie om\n de sleutel" in names
    for name in archive.namelist():
        assert b"\x00" not in archive.read(name)


@pytest.mark.parametrize("path", ["factors.csv", "lifeline.csv"])
def test_csv_with_stored_control_characters_is_clean(stored: Demo, path: str) -> None:
    response = stored.api.get(f"/api/v1/reviews/{stored.review_id}/{path}")

    assert response.status_code == 200
    assert "Ruzie om" in response.text
    assert not any(ch in response.text for ch in "\x00\x0b\x1b\x7f")


@pytest.fixture(scope="module")
def stored_study(stored: Demo) -> tuple[Demo, int]:
    """The demo study, its title and question with control characters stored before input refused them."""
    from app.studies.models import Study

    with Session(stored.engine) as session:
        study = session.exec(select(Study)).first()
        assert study is not None
        study.title, study.research_question = HOSTILE, HOSTILE
        session.add(study)
        session.commit()
        return stored, study.id or 0


@pytest.mark.parametrize("path", ["report.docx", "report.pdf", "matrix.csv", "matrix.xlsx", "export.qdpx"])
def test_study_exports_with_stored_control_characters(stored_study: tuple[Demo, int], path: str) -> None:
    demo, study_id = stored_study
    response = demo.api.get(f"/api/v1/studies/{study_id}/{path}")
    assert response.status_code == 200, response.text
    if path.endswith(".docx"):
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
        assert "Ruzie om" in text and "\x00" not in text
    elif path.endswith(".csv"):
        assert not any(ch in response.text for ch in "\x00\x0b\x1b\x7f")
    elif path.endswith(".xlsx"):
        from openpyxl import load_workbook

        assert load_workbook(io.BytesIO(response.content)).properties.title == printable(HOSTILE)
    elif path.endswith(".qdpx"):
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        project = ElementTree.fromstring(archive.read("project.qde"))
        assert project.get("name") == printable(HOSTILE)
        texts = "".join(project.itertext())
        assert "Ruzie om" in texts and not any(ch in texts for ch in "\x00\x0b\x1b\x7f")
