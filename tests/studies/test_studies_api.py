"""The study API: cases, the matrix and its cells, blind coding and agreement, elements with computed support."""

import csv
import datetime as dt
import io
import re

from openpyxl import load_workbook
from sqlmodel import Session

from app.documents.models import Document
from app.findings.models import FindingEvidence, FindingNode
from app.interviews.models import Quote
from app.participants.models import ConsentScope, Participant, RoleCategory
from app.reviews.models import Review, Role
from app.studies import exports
from app.studies.schemas import MatrixOut
from tests.studies.cases import FRAMEWORK, StudyIds, add_member, add_node, code_in_tree, new_study, owners_only_review
from tests.world import World, consent_row, snapshot

S = "/api/v1/studies"


def _second_case(world: World, study: StudyIds) -> int:
    """A second case, owned by the owner only (the researcher and reader are no members of its review)."""
    review_id = owners_only_review(world, "Casus De Vries")
    response = world.api["owner"].post(f"{S}/{study.study_id}/cases", json={"review_id": review_id})
    assert response.status_code == 201, response.text
    return review_id


def test_create_and_list_a_study(world: World) -> None:
    response = world.api["researcher"].post(S, json={"title": "Integrale hulp", "description": "Drie casussen"})
    assert response.status_code == 201
    body = response.json()
    assert body["role"] == "owner" and body["cases"] == []
    assert body["id"] in {s["id"] for s in world.api["researcher"].get(S).json()}
    assert world.api["researcher"].post(S, json={"title": ""}).status_code == 422
    assert world.api["researcher"].post(S, json={"title": "x" * 201}).status_code == 422


def test_members_are_listed_in_the_order_added_and_added_once(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/members"
    added = world.api["owner"].post(url, json={"email": "outsider@example.org", "role": "reader"})
    assert added.status_code == 201 and added.json()["role"] == "reader"
    twice = world.api["owner"].post(url, json={"email": "outsider@example.org", "role": "researcher"})
    assert twice.status_code == 409 and "already a member of this study" in twice.json()["detail"]
    listed = world.api["owner"].get(url).json()
    assert [(m["email"], m["role"]) for m in listed] == [
        ("owner@example.org", "owner"),
        ("researcher@example.org", "researcher"),
        ("reader@example.org", "reader"),
        ("outsider@example.org", "reader"),
    ]


def test_only_an_owner_of_a_review_adds_it_as_a_case(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/cases"
    # The researcher writes in the study and is a researcher of this review, but not its owner.
    assert world.api["researcher"].post(url, json={"review_id": study.free_review_id}).status_code == 403
    # A review the researcher is no member of at all looks like a missing one.
    hidden = owners_only_review(world)
    assert world.api["researcher"].post(url, json={"review_id": hidden}).json()["detail"]
    assert world.api["researcher"].post(url, json={"review_id": hidden}).status_code == 404
    assert world.api["researcher"].post(url, json={"review_id": 2**31 - 1}).status_code == 404
    assert world.api["owner"].post(url, json={"review_id": study.review_id}).status_code == 409
    too_many = {"review_id": study.free_review_id, "attributes": {f"k{i}": "v" for i in range(31)}}
    assert world.api["owner"].post(url, json=too_many).status_code == 422
    added = world.api["owner"].post(url, json={"review_id": study.free_review_id, "attributes": {"gemeente": "Ede"}})
    assert added.status_code == 201 and added.json()["attributes"] == {"gemeente": "Ede"}


def test_matrix_counts_factors_evidence_and_stickers(world: World) -> None:
    study = new_study(world)
    other = _second_case(world, study)
    node_id = add_node(world, other, "Ouders aan tafel")
    code_in_tree(world, other, node_id, "one-family-plan", "one-face")
    code_in_tree(world, study.review_id, study.other_node_id, "one-family-plan")
    response = world.api["reader"].get(f"{S}/{study.study_id}/matrix", params={"framework": FRAMEWORK})
    assert response.status_code == 200
    data = response.json()
    assert [c["review_id"] for c in data["cases"]] == [study.review_id, other]
    cells = {(c["theme_key"], c["review_id"]): c for c in data["cells"]}
    assert cells[("one-family-plan", study.review_id)]["factors"] == 2
    assert cells[("one-family-plan", study.review_id)]["evidence"] == 1  # the life-line event of the first node
    assert cells[("one-family-plan", other)]["factors"] == 1
    assert cells[("one-face", study.review_id)]["factors"] == 0
    assert cells[("one-face", other)]["stickers"] == 0 and cells[("one-face", other)]["sticker_share"] is None
    assert data["present"]["one-family-plan"] == 2 and data["present"]["one-face"] == 1
    assert {t["key"] for t in data["themes"]} >= {"one-family-plan", "one-face"}
    filtered = world.api["owner"].patch(f"{S}/{study.study_id}/cases/{other}", json={"attributes": {"gemeente": "Ede"}})
    assert filtered.status_code == 200
    only = world.api["owner"].get(
        f"{S}/{study.study_id}/matrix", params={"framework": FRAMEWORK, "attribute": "gemeente", "value": "Ede"}
    )
    assert [c["review_id"] for c in only.json()["cases"]] == [other]
    assert world.api["owner"].get(f"{S}/{study.study_id}/matrix", params={"framework": "nope"}).status_code == 422


HOSTILE_CASE = "=1+1;zie notulen;=2+2"


def _hostile_study(world: World) -> StudyIds:
    """A study whose case is named like a formula, with a formula after a ``;`` as well."""
    study = new_study(world)
    with Session(world.engine) as session:
        review = session.get(Review, study.review_id)
        assert review is not None
        review.title = HOSTILE_CASE
        session.add(review)
        session.commit()
    return study


def test_matrix_csv_is_for_dutch_excel_and_never_a_formula(world: World) -> None:
    study = _hostile_study(world)
    url = f"{S}/{study.study_id}/matrix.csv"
    dutch = world.api["owner"].get(url, params={"framework": FRAMEWORK}, headers={"accept-language": "nl"})
    assert dutch.status_code == 200 and dutch.headers["content-type"].startswith("text/csv")
    assert dutch.text.startswith("\ufeff")  # Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(dutch.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Thema", "'=1+1;zie notulen;'=2+2", "Aanwezig in casussen", "Casussen"]
    matrix = (
        world.api["owner"]
        .get(f"{S}/{study.study_id}/matrix", params={"framework": FRAMEWORK}, headers={"accept-language": "nl"})
        .json()
    )
    title = next(t["title"] for t in matrix["themes"] if t["key"] == "one-family-plan")
    plan = next(row for row in rows if row[0] == title)
    assert plan[1:] == ["1", "1", "1"]  # two numbers, never "1/1" (which Excel reads as a date)
    for row in rows:
        for cell in row:
            assert not re.search(r"(^|[;,\t\n])[=+\-@]", cell), cell
    share = world.api["owner"].get(
        url, params={"framework": FRAMEWORK, "measure": "sticker_share"}, headers={"accept-language": "nl"}
    )
    assert share.status_code == 200
    english = world.api["owner"].get(url, params={"framework": FRAMEWORK}, headers={"accept-language": "en"})
    rows = list(csv.reader(io.StringIO(english.text.lstrip("\ufeff"))))
    assert rows[0] == ["Theme", "'=1+1;zie notulen;'=2+2", "Present in cases", "Cases"]
    tabs = world.api["owner"].get(url, params={"framework": FRAMEWORK, "sep": "tab"})
    assert next(iter(csv.reader(io.StringIO(tabs.text.lstrip("\ufeff")), delimiter="\t")))[0] == "Theme"
    assert world.api["owner"].get(url, params={"sep": "|"}).status_code == 422


def test_a_fraction_gets_a_decimal_comma_for_dutch_excel() -> None:
    data = MatrixOut.model_validate(
        {
            "framework": FRAMEWORK,
            "themes": [{"key": "t", "title": "Thema"}],
            "cases": [{"review_id": 1, "title": "Casus"}],
            "cells": [
                {"theme_key": "t", "review_id": 1, "factors": 1, "evidence": 0, "stickers": 1, "sticker_share": 0.25}
            ],
            "present": {"t": 1},
        }
    )
    assert exports.matrix_csv(data, "sticker_share", ";").splitlines()[1] == '"Thema";"0,25";"1";"1"'
    assert exports.matrix_csv(data, "sticker_share", ",").splitlines()[1] == '"Thema","0.25","1","1"'


def test_matrix_xlsx_has_typed_cells_and_a_header_that_stays_in_view(world: World) -> None:
    study = _hostile_study(world)
    xlsx = world.api["owner"].get(
        f"{S}/{study.study_id}/matrix.xlsx", params={"framework": FRAMEWORK}, headers={"accept-language": "nl"}
    )
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Factoren", "Onderbouwing", "Stickers", "Aandeel stickers"]
    assert book.properties.title == "Drie casussen" and book.properties.creator == "Owner"
    sheet = book["Factoren"]
    assert sheet.freeze_panes == "B2"
    header = [cell for cell in sheet[1]]
    assert [c.value for c in header] == ["Thema", HOSTILE_CASE, "Aanwezig in casussen", "Casussen"]
    assert all(c.font.bold for c in header)
    assert header[1].data_type == "s"  # shown as typed, never run as a formula
    plan = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == 1)
    assert [c.value for c in plan[1:]] == [1, 1, 1] and plan[1].data_type == "n"
    assert plan[0].font.bold


def test_a_cell_shows_factors_with_tree_path_and_only_shareable_evidence(world: World) -> None:
    """A study member who is no member of the case's review sees what a share-link reader sees: no documents,
    no quotes without consent — and the review itself stays closed to them."""
    study = new_study(world)
    other = _second_case(world, study)
    with Session(world.engine) as session:
        top = FindingNode(review_id=other, kind="success_factor", title="Ouders aan tafel")
        session.add(top)
        session.flush()
        child = FindingNode(review_id=other, parent_id=top.id, kind="contributing", title="Vaste gesprekstafel")
        consenting = Participant(review_id=other, pseudonym="Moeder", role_category=RoleCategory.parent)
        silent = Participant(review_id=other, pseudonym="Vader", role_category=RoleCategory.parent)
        document = Document(review_id=other, title="Geheim verslag van de school")
        session.add_all([child, consenting, silent, document])
        session.flush()
        session.add(consent_row(other, consenting.id, ConsentScope.quotes, given_on=dt.date(2024, 1, 1)))
        shown = Quote(
            review_id=other, participant_id=consenting.id or 0, text="Eindelijk werd er geluisterd", speaker="moeder"
        )
        hidden = Quote(review_id=other, participant_id=silent.id or 0, text="Niet voor buiten", speaker="vader")
        session.add_all([shown, hidden])
        session.flush()
        for kind, ref in (("document", document.id), ("quote", shown.id), ("quote", hidden.id)):
            session.add(FindingEvidence(review_id=other, node_id=child.id or 0, kind=kind, ref_id=ref or 0))
        session.commit()
        child_id = child.id or 0
    code_in_tree(world, other, child_id, "one-face")
    response = world.api["researcher"].get(f"{S}/{study.study_id}/matrix/{other}/one-face")
    assert response.status_code == 200
    body = response.json()
    [factor] = body["factors"]
    assert factor["node_id"] == child_id
    assert factor["path"][-2:] == ["Ouders aan tafel", "Vaste gesprekstafel"]
    labels = " ".join(e["label"] for e in factor["evidence"])
    assert "Eindelijk werd er geluisterd" in labels
    assert "Niet voor buiten" not in labels and "Geheim verslag" not in labels
    assert {e["kind"] for e in factor["evidence"]} == {"quote"}
    assert world.api["researcher"].get(f"/api/v1/reviews/{other}").status_code == 404
    assert world.api["researcher"].get(f"/api/v1/reviews/{other}/findings-tree").status_code == 404
    assert world.api["researcher"].get(f"{S}/{study.study_id}/matrix/{other}/unknown-theme").status_code == 404
    assert world.api["researcher"].get(f"{S}/{study.study_id}/matrix/{2**31 - 1}/one-face").status_code == 404


def _code(world: World, role: str, study: StudyIds, node_id: int, *keys: str) -> int:
    url = f"{S}/{study.study_id}/codings/{study.review_id}/{node_id}"
    return int(world.api[role].put(url, json={"framework": FRAMEWORK, "theme_keys": list(keys)}).status_code)


def test_coding_is_blind_until_every_unit_is_coded(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/codings"
    assert _code(world, "researcher", study, study.node_id, "one-face") == 200
    assert _code(world, "researcher", study, study.other_node_id, "firm-mandate") == 200
    assert _code(world, "owner", study, study.node_id, "one-face", "firm-mandate") == 200
    mine = world.api["owner"].get(url, params={"framework": FRAMEWORK}).json()
    assert mine["blind"] is True and mine["units"] == 2 and mine["coded_by_me"] == 1
    assert {c["coder"] for c in mine["codings"]} == {"Owner"}
    blind = world.api["owner"].get(f"{S}/{study.study_id}/agreement", params={"framework": FRAMEWORK}).json()
    assert blind["disagreements"] is None
    # The researcher coded every unit: they now see the owner's coding too.
    theirs = world.api["researcher"].get(url, params={"framework": FRAMEWORK}).json()
    assert theirs["blind"] is False and {c["coder"] for c in theirs["codings"]} == {"Owner", "Researcher"}
    # The reader codes nothing and stays blind until the owner reveals.
    assert world.api["reader"].get(url, params={"framework": FRAMEWORK}).json()["codings"] == []
    assert world.api["owner"].post(f"{url}/reveal", params={"framework": FRAMEWORK}).status_code == 204
    assert len(world.api["reader"].get(url, params={"framework": FRAMEWORK}).json()["codings"]) == 3


def test_agreement_and_resolving_a_disagreement(world: World) -> None:
    study = new_study(world)
    _code(world, "owner", study, study.node_id, "one-face")
    _code(world, "owner", study, study.other_node_id, "firm-mandate")
    _code(world, "researcher", study, study.node_id, "one-face")
    _code(world, "researcher", study, study.other_node_id, "one-face")
    result = world.api["owner"].get(f"{S}/{study.study_id}/agreement", params={"framework": FRAMEWORK}).json()
    assert result["coders"] == 2 and result["units"] == 2
    assert result["percent_agreement"] == 0.5
    # one-face: 11 vs 10 → p_o = ½, p_e = ½·1 + ½·0 = ½ → κ = 0; firm-mandate: 01 vs 00 → p_o = ½, p_e = ½ → 0
    assert result["kappa"]["one-face"] == 0 and result["kappa"]["firm-mandate"] == 0
    assert result["kappa"]["continuity"] is None  # nobody chose it: no variation
    [disagreement] = result["disagreements"]
    assert disagreement["node_id"] == study.other_node_id
    assert disagreement["codings"] == {"Owner": ["firm-mandate"], "Researcher": ["one-face"]}
    resolve = f"{S}/{study.study_id}/resolved/{study.review_id}/{study.other_node_id}"
    body = {"framework": FRAMEWORK, "theme_keys": ["firm-mandate"], "rationale": "Mandaat staat centraal"}
    assert world.api["researcher"].put(resolve, json=body).status_code == 200
    again = world.api["owner"].get(f"{S}/{study.study_id}/agreement", params={"framework": FRAMEWORK}).json()
    assert again["disagreements"][0]["resolved"] == ["firm-mandate"]
    # The resolved coding is the study's coding: the matrix counts it.
    cells = world.api["owner"].get(f"{S}/{study.study_id}/matrix").json()["cells"]
    assert next(c for c in cells if c["theme_key"] == "firm-mandate")["factors"] == 1
    bad = {"framework": FRAMEWORK, "theme_keys": ["no-such-theme"]}
    url = f"{S}/{study.study_id}/codings/{study.review_id}/{study.node_id}"
    assert world.api["owner"].put(url, json=bad).status_code == 422
    missing = f"{S}/{study.study_id}/codings/{study.review_id}/{2**31 - 1}"
    assert world.api["owner"].put(missing, json={"framework": FRAMEWORK, "theme_keys": []}).status_code == 404


def test_element_support_follows_the_tree(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/elements"
    [element] = world.api["reader"].get(url).json()
    assert element["support"] == {
        "cases": 1,
        "of_cases": 1,
        "factors": 1,
        "stickers": 0,
        "counter": 0,
        "text": "in 1 of 1 cases",
    }
    removed = world.api["owner"].delete(f"/api/v1/reviews/{study.review_id}/findings-tree/nodes/{study.node_id}")
    assert removed.status_code == 204
    [element] = world.api["reader"].get(url).json()
    assert element["support"]["cases"] == 0 and element["support"]["factors"] == 0
    assert element["supports"][0]["present"] is False


def test_element_edits_are_versioned_and_supports_checked(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/elements"
    outside = owners_only_review(world)
    outside_node = add_node(world, outside, "Elders")
    bad = {"title": "Mandaat", "supports": [{"review_id": outside, "node_id": outside_node}]}
    assert world.api["owner"].post(url, json=bad).status_code == 422
    wrong_node = {"title": "Mandaat", "supports": [{"review_id": study.review_id, "node_id": outside_node}]}
    assert world.api["owner"].post(url, json=wrong_node).status_code == 422
    created = world.api["owner"].post(
        url,
        json={
            "title": "Mandaat",
            "explanation": "Heldere afspraken over rollen",
            "theme_keys": ["firm-mandate"],
            "supports": [{"review_id": study.review_id, "node_id": study.other_node_id}],
        },
    )
    assert created.status_code == 201
    element = created.json()
    assert element["support"]["factors"] == 1 and element["position"] == 1
    first = world.api["owner"].patch(f"{url}/{element['id']}", json={"version": 1, "position": 0})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = world.api["researcher"].patch(f"{url}/{element['id']}", json={"version": 1, "title": "Oud"})
    assert stale.status_code == 409
    assert [e["title"] for e in world.api["owner"].get(url).json()] == [
        "Mandaat",
        "Ouders zijn de belangrijkste partner",
    ]


def test_a_review_member_sees_nothing_of_a_study_they_are_no_member_of(world: World) -> None:
    """A review member who is no study member sees nothing of the study."""
    study = new_study(world)
    add_member(world, study.review_id, "outsider", Role.reader)
    assert world.api["outsider"].get(f"{S}/{study.study_id}/matrix").status_code == 404


def test_literature_comparison_is_proposed_from_the_coding_and_overridable(world: World) -> None:
    study = new_study(world)
    hindering_id = add_node(world, study.review_id, "Wisselingen", "hindering", branch="hindering")
    code_in_tree(world, study.review_id, hindering_id, "one-face")
    url = f"{S}/{study.study_id}/literature"
    rows = {r["key"]: r for r in world.api["reader"].get(url, params={"framework": FRAMEWORK}).json()["rows"]}
    assert rows["one-family-plan"]["cases"][0]["verdict"] == "recognised"  # on a success factor
    assert rows["one-face"]["cases"][0]["verdict"] == "partly"  # only on a hindering factor
    assert rows["continuity"]["cases"][0]["verdict"] == "not_seen"
    assert rows["one-family-plan"]["recognised_in"] == 1
    put = f"{url}/{study.review_id}/one-face"
    body = {"framework": FRAMEWORK, "verdict": "recognised", "note": "Eén vast gezicht in de laatste fase"}
    assert world.api["researcher"].put(put, json=body).status_code == 204
    assert world.api["researcher"].put(put, json=body | {"verdict": "maybe"}).status_code == 422
    assert world.api["researcher"].put(f"{url}/{study.review_id}/no-such", json=body).status_code == 422
    cell = next(r for r in world.api["reader"].get(url).json()["rows"] if r["key"] == "one-face")["cases"][0]
    assert cell.pop("at")  # when, and who
    assert cell == {
        "review_id": study.review_id,
        "proposed": "partly",
        "verdict": "recognised",
        "overridden": True,
        "note": "Eén vast gezicht in de laatste fase",
        "by": world.users["researcher"].name,
    }
    proposal = next(r for r in world.api["reader"].get(url).json()["rows"] if r["key"] == "continuity")["cases"][0]
    assert (proposal["by"], proposal["at"]) == (None, None)


def test_element_and_resolution_from_the_page_forms(world: World) -> None:
    study = new_study(world)
    browser = world.pages["researcher"]
    page = f"/studies/{study.study_id}"
    empty = browser.post(f"{page}/elements", {"element_title": ""})
    assert empty.status_code == 422 and "This field cannot be empty." in empty.text
    outside = browser.post(f"{page}/elements", {"element_title": "Elders", "support": f"{2**31 - 1}:1"})
    assert outside.status_code == 422 and "is not a case of this study" in outside.text
    made = browser.post(
        f"{page}/elements", {"element_title": "Vaste gezichten", "support": f"{study.review_id}:{study.node_id}"}
    )
    assert made.status_code == 303
    titles = [e["title"] for e in world.api["reader"].get(f"{S}/{study.study_id}/elements").json()]
    assert titles[-1] == "Vaste gezichten"
    no_reason = browser.post(
        f"{page}/resolved/{study.review_id}/{study.node_id}", {"framework": FRAMEWORK, "theme": "one-face"}
    )
    assert no_reason.status_code == 422
    resolved = browser.post(
        f"{page}/resolved/{study.review_id}/{study.node_id}",
        {"framework": FRAMEWORK, "theme": "one-face", "rationale": "Samen besproken"},
    )
    assert resolved.status_code == 303
    cells = world.api["owner"].get(f"{S}/{study.study_id}/matrix").json()["cells"]
    assert next(c for c in cells if c["theme_key"] == "one-face")["factors"] == 1
    assert next(c for c in cells if c["theme_key"] == "one-family-plan")["factors"] == 0  # resolved replaces the tree's


def test_removing_an_element_keeps_it_restorable_and_needs_the_current_version(world: World) -> None:
    study = new_study(world)
    url = f"{S}/{study.study_id}/elements"
    element = f"{url}/{study.element_id}"
    before = snapshot(world.engine)
    assert world.api["owner"].delete(element).status_code == 422  # which version it is based on must be said
    assert world.api["owner"].delete(f"{element}?version=0").status_code == 422
    assert snapshot(world.engine) == before
    edited = world.api["researcher"].patch(element, json={"version": 1, "title": "Regie bij de ouders"})
    assert edited.status_code == 200
    stale = world.api["owner"].delete(f"{element}?version=1")
    assert stale.status_code == 409 and stale.json()["conflict"]["current"]["title"] == "Regie bij de ouders"
    assert world.api["owner"].delete(f"{element}?version=2").status_code == 204
    assert world.api["reader"].get(url).json() == []
    [removed] = world.api["reader"].get(url, params={"deleted": "true"}).json()
    assert removed["title"] == "Regie bij de ouders" and removed["version"] == 3
    refused = world.api["owner"].patch(element, json={"version": 3, "title": "Nog eens"})
    assert refused.status_code == 409 and "Restore it" in refused.json()["detail"]
    assert world.api["owner"].delete(f"{element}?version=3").status_code == 409
    restored = world.api["owner"].post(f"{element}/restore", json={"version": 3})
    assert restored.status_code == 200 and restored.json()["version"] == 4
    assert [e["id"] for e in world.api["reader"].get(url).json()] == [study.element_id]
    history = world.api["reader"].get(f"{element}/versions").json()
    assert [v["change"] for v in history] == ["restore", "delete", "update", "create"]
    again = world.api["owner"].post(f"{element}/restore", json={"version": 4})
    assert again.status_code == 409 and again.json()["detail"] == "This element is not removed."
