"""Codebooks: a framework exported as REFI-QDA .qdc and CSV reads back as the study's own framework, with its
groups; bad files get a clear 422 and change nothing; the own framework works in the matrix."""

import asyncio
import threading
from xml.etree import ElementTree

import pytest

from app.errors import InvalidInput
from app.studies import codebook
from app.studies.codebook import MAX_DEPTH, QDC_NS
from tests.studies.cases import FRAMEWORK, new_study
from tests.world import World, snapshot

S = "/api/v1/studies"


def test_qdc_round_trip_keeps_themes_groups_and_guids(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/frameworks"
    qdc = world.api["reader"].get(f"{url}/{FRAMEWORK}/codebook.qdc")
    assert qdc.status_code == 200 and qdc.text.startswith("<?xml")
    assert world.api["reader"].get(f"{url}/{FRAMEWORK}/codebook.qdc").text == qdc.text  # stable GUIDs
    imported = world.api["researcher"].post(url, json={"title": "Kopie", "format": "qdc", "content": qdc.text})
    assert imported.status_code == 201, imported.text
    shipped = next(f for f in world.api["reader"].get(url).json() if f["key"] == FRAMEWORK)
    own = imported.json()
    assert own["own"] is True
    assert [t["title"] for t in own["themes"]] == [t["title"] for t in shipped["themes"]]
    matrix = world.api["reader"].get(f"{S}/{study.study_id}/matrix", params={"framework": own["key"]})
    assert matrix.status_code == 200 and len(matrix.json()["themes"]) == len(shipped["themes"])


def test_csv_import_and_export(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/frameworks"
    content = "name,description,group\nOuders aan zet,Ouders beslissen mee,Regie\n=SOM(1),,\n\nEén plan,,Samenwerking\n"
    imported = world.api["owner"].post(url, json={"title": "Eigen", "format": "csv", "content": content})
    assert imported.status_code == 201
    themes = imported.json()["themes"]
    assert [t["title"] for t in themes] == ["Regie: Ouders aan zet", "=SOM(1)", "Samenwerking: Eén plan"]
    exported = world.api["owner"].get(f"{url}/{imported.json()['key']}/codebook.csv", headers={"accept-language": "en"})
    lines = exported.text.lstrip("\ufeff").splitlines()
    assert lines[0] == '"name","description","group"'
    assert "'=SOM(1)" in lines[2]  # a spreadsheet never runs it as a formula
    # for Dutch Excel: ";" between fields; and the file reads back as it was
    dutch = world.api["owner"].get(f"{url}/{imported.json()['key']}/codebook.csv", headers={"accept-language": "nl"})
    assert dutch.text.startswith("\ufeff") and dutch.text.splitlines()[0].endswith('"name";"description";"group"')
    again = world.api["owner"].post(url, json={"title": "Terug", "format": "csv", "content": dutch.text})
    assert again.status_code == 201, again.text
    assert [t["title"] for t in again.json()["themes"]] == [t["title"] for t in themes]
    theme = themes[0]["key"]
    coding = world.api["owner"].put(
        f"{S}/{study.study_id}/codings/{study.review_id}/{study.node_id}",
        json={"framework": imported.json()["key"], "theme_keys": [theme]},
    )
    assert coding.status_code == 200


def test_bad_codebooks_are_refused_and_change_nothing(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/frameworks"
    before = snapshot(world.engine)
    bad = [
        {"title": "x", "format": "csv", "content": "titel\nRegie\n"},
        {"title": "x", "format": "csv", "content": "name\n"},
        {"title": "x", "format": "csv", "content": "name\n" + "t\n" * 501},
        {"title": "x", "format": "qdc", "content": "<not xml"},
        {"title": "x", "format": "qdc", "content": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'},
        {"title": "x", "format": "qdc", "content": "<Project/>"},
        {"title": "x", "format": "xlsx", "content": "a"},
        {"title": "x", "format": "csv", "content": "x" * 1_000_001},
    ]
    for body in bad:
        response = world.api["owner"].post(url, json=body)
        assert response.status_code == 422, (body["content"][:40], response.text)
        assert response.json()["detail"]
    assert snapshot(world.engine) == before
    assert world.api["owner"].get(f"{url}/unknown/codebook.qdc").status_code == 404


def _nested(levels: int, tail: str = "") -> str:
    codes = "".join(f'<Code guid="g{n}" name="Thema {n}" isCodable="true">' for n in range(levels))
    return (
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{QDC_NS}"><Codes>'
        + codes
        + "</Code>" * levels
        + tail
        + "</Codes></CodeBook>"
    )


def test_a_codebook_nested_deeper_than_it_is_read_is_refused_not_cut(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/frameworks"
    deepest = world.api["owner"].post(url, json={"title": "Diep", "format": "qdc", "content": _nested(MAX_DEPTH + 1)})
    assert deepest.status_code == 201, deepest.text
    assert len(deepest.json()["themes"]) == MAX_DEPTH + 1  # every level that is read is kept
    before = snapshot(world.engine)
    deeper = world.api["owner"].post(url, json={"title": "Te diep", "format": "qdc", "content": _nested(MAX_DEPTH + 2)})
    assert deeper.status_code == 422 and deeper.json()["detail"]
    assert snapshot(world.engine) == before


def test_the_bound_holds_while_the_codebook_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    fed: list[int] = []
    real_feed = ElementTree.XMLPullParser.feed

    def feed(self: ElementTree.XMLPullParser, data: str | bytes) -> None:
        fed.append(len(data))
        real_feed(self, data)

    monkeypatch.setattr(ElementTree.XMLPullParser, "feed", feed)
    text = _nested(10_000, tail="<x/>" * 250_000)  # ~1.6 MB: nested far too deep at its start
    with pytest.raises(InvalidInput):
        codebook.from_qdc(text)
    assert 0 < sum(fed) < len(text) // 10  # refused within its first chunks, not after the whole tree was built


def test_others_use_the_database_while_a_codebook_is_parsed(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/frameworks"
    qdc = world.api["reader"].get(f"{url}/{FRAMEWORK}/codebook.qdc").text
    entered, release, on_loop = threading.Event(), threading.Event(), []
    real = codebook.from_qdc

    def held(text: str) -> list[codebook.Theme]:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        entered.set()
        assert release.wait(20)
        return real(text)

    monkeypatch.setattr(codebook, "from_qdc", held)
    answers: list[int] = []
    body = {"title": "Kopie", "format": "qdc", "content": qdc}
    importing = threading.Thread(target=lambda: answers.append(world.api["owner"].post(url, json=body).status_code))
    importing.start()
    try:
        assert entered.wait(20), "the codebook was never parsed"
        # Another member reads and writes the database while the codebook is still being parsed:
        assert world.api["researcher"].get(f"{S}/{study.study_id}").status_code == 200
        renamed = world.api["owner"].patch(f"{S}/{study.study_id}", json={"title": "Tijdens het lezen"})
        assert renamed.status_code == 200, renamed.text
    finally:
        release.set()
        importing.join(20)
    assert answers == [201] and on_loop == [False]
