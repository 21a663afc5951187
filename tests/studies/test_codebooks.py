"""Codebooks: a framework exported as REFI-QDA .qdc and CSV reads back as the study's own framework, with its
groups; bad files get a clear 422 and change nothing; the own framework works in the matrix."""

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
