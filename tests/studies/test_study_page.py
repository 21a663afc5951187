"""The study page's own forms, without scripts: editing, reordering and removing overarching elements (with
counter-evidence, history and a clear 409 on a stale edit), overriding a literature verdict with a note, case
attributes that filter and group the matrix, a cell's evidence, and the perspectives per case and across the
study (a side with fewer than 3 voters: "too few to show")."""

from typing import Any

from sqlmodel import Session, select

from app.audit.models import AuditEntry
from app.findings.models import FindingEvidence
from app.participants.models import RoleCategory
from tests.studies.cases import FRAMEWORK, StudyIds, code_in_tree, new_study
from tests.voting.test_perspectives import _sticker, _voter
from tests.world import World, snapshot

S = "/api/v1/studies"


def _elements(world: World, study: StudyIds) -> list[dict[str, Any]]:
    """The study's elements in their order, as a reader sees them."""
    elements: list[dict[str, Any]] = world.api["reader"].get(f"{S}/{study.study_id}/elements").json()
    return elements


def _element(world: World, study: StudyIds) -> dict[str, Any]:
    return next(e for e in _elements(world, study) if e["id"] == study.element_id)


def _add_second_element(world: World, study: StudyIds) -> dict[str, Any]:
    """The researcher adds "Tweede element" on the study page (after the study's own); it, as the API shows it."""
    added = world.pages["researcher"].post(f"/studies/{study.study_id}/elements", {"element_title": "Tweede element"})
    assert added.status_code == 303
    return _elements(world, study)[1]


def _matrix_table(html: str) -> str:
    start = html.index('id="matrix-table"')
    return html[start : html.index("</table>", start)]


def test_edit_an_element_on_the_page_with_counter_evidence_and_history(world: World) -> None:
    study = new_study(world)
    page = f"/studies/{study.study_id}"
    browser = world.pages["researcher"]
    edited = browser.post(
        f"{page}/elements/{study.element_id}",
        {
            "version": "1",
            "element_title": "Ouders beslissen mee",
            "element_explanation": "In elke casus.",
            "support": f"{study.review_id}:{study.node_id}",
            "counter": f"{study.review_id}:{study.other_node_id}",
        },
    )
    assert edited.status_code == 303 and edited.headers["location"].endswith(f"#element-{study.element_id}")
    element = _element(world, study)
    assert (element["title"], element["version"]) == ("Ouders beslissen mee", 2)
    assert element["support"]["factors"] == 1 and element["support"]["counter"] == 1
    assert {(s["node_id"], s["counter"]) for s in element["supports"]} == {
        (study.node_id, False),
        (study.other_node_id, True),
    }
    shown = browser.get(page).text
    assert "Counter-evidence" in shown and "version 2" in shown
    tampered = browser.post(
        f"{page}/elements/{study.element_id}",
        {"version": "2", "element_title": "Ouders beslissen mee", "support": f"{study.review_id}:{2**40}"},
    )
    assert tampered.status_code == 422 and "This is not a factor of a case" in tampered.text
    assert _element(world, study)["version"] == 2  # refused, not saved with that link dropped
    history = world.api["reader"].get(f"{S}/{study.study_id}/elements/{study.element_id}/versions").json()
    assert [(v["version"], v["change"], v["title"], v["counter"]) for v in history] == [
        (2, "update", "Ouders beslissen mee", 1),
        (1, "create", "Ouders zijn de belangrijkste partner", 0),
    ]
    assert history[0]["by"] == world.users["researcher"].name


def test_a_stale_edit_on_the_page_says_so_shows_the_newer_version_and_keeps_the_users_text(world: World) -> None:
    study = new_study(world)
    page = f"/studies/{study.study_id}"
    link = f"{study.review_id}:{study.node_id}"  # the form sends the ticked links with every edit
    first = world.pages["owner"].post(
        f"{page}/elements/{study.element_id}",
        {"version": "1", "element_title": "Versie van de eigenaar", "element_explanation": "Uitleg", "support": link},
    )
    assert first.status_code == 303
    stale = world.pages["researcher"].post(
        f"{page}/elements/{study.element_id}",
        {"version": "1", "element_title": "Mijn eigen formulering", "support": link},
    )
    assert stale.status_code == 409
    assert "someone else changed this element in the meantime" in stale.text
    assert "Versie van de eigenaar" in stale.text  # the newer version, shown
    assert "You both changed: Statement." in stale.text  # the explanation only the owner changed: no clash
    form = stale.text[stale.text.index(f'action="/studies/{study.study_id}/elements/{study.element_id}"') :]
    form = form[: form.index("</form>")]
    assert 'value="Mijn eigen formulering"' in form  # the user's own change, kept
    assert ">Uitleg</textarea>" in form  # the other's change to a field the user left alone, taken over
    assert 'name="version" value="2"' in form  # saving again is based on the newer version
    assert f'value="{link}" checked' in form
    assert _element(world, study)["title"] == "Versie van de eigenaar"  # nothing overwritten
    again = world.pages["researcher"].post(
        f"{page}/elements/{study.element_id}",
        {"version": "2", "element_title": "Mijn eigen formulering", "element_explanation": "Uitleg", "support": link},
    )
    assert again.status_code == 303
    element = _element(world, study)
    assert (element["title"], element["explanation"], element["version"]) == ("Mijn eigen formulering", "Uitleg", 3)


def test_reorder_and_remove_elements_on_the_page(world: World) -> None:
    study = new_study(world)
    page = f"/studies/{study.study_id}"
    browser = world.pages["researcher"]
    second = _add_second_element(world, study)
    moved = browser.post(f"{page}/elements/{second['id']}/move", {"version": str(second["version"]), "position": "0"})
    assert moved.status_code == 303
    order = [e["title"] for e in _elements(world, study)]
    assert order == ["Tweede element", "Ouders zijn de belangrijkste partner"]
    bad = browser.post(f"{page}/elements/{second['id']}/move", {"version": "1", "position": "hoog"})
    assert bad.status_code == 422 and "Choose a place in the order" in bad.text
    moved_version = str(second["version"] + 1)
    stale = browser.post(f"{page}/elements/{second['id']}/delete", {"version": str(second["version"])})
    assert stale.status_code == 409 and "Someone else changed this element" in stale.text
    assert browser.post(f"{page}/elements/{second['id']}/delete", {"version": moved_version}).status_code == 303
    assert [e["id"] for e in _elements(world, study)] == [study.element_id]
    # Removed, not erased: listed with who removed it, its history kept, and it can be restored.
    shown = browser.get(page).text
    removed_list = shown[shown.index('id="removed-elements"') :]
    assert "Tweede element" in removed_list and "removed by Researcher" in removed_list
    history = world.api["reader"].get(f"{S}/{study.study_id}/elements/{second['id']}/versions").json()
    assert [v["change"] for v in history] == ["delete", "update", "create"]
    again = browser.post(f"{page}/elements/{second['id']}/delete", {"version": str(int(moved_version) + 1)})
    assert again.status_code == 409 and "This element was removed" in again.text
    restored = browser.post(f"{page}/elements/{second['id']}/restore", {"version": str(int(moved_version) + 1)})
    assert restored.status_code == 303
    order = [e["title"] for e in _elements(world, study)]
    assert order == ["Ouders zijn de belangrijkste partner", "Tweede element"]  # back at the end
    assert 'id="removed-elements"' not in browser.get(page).text


def test_override_a_literature_verdict_on_the_page(world: World) -> None:
    study = new_study(world)
    page = f"/studies/{study.study_id}"
    url = f"{page}/literature/{study.review_id}/continuity"
    bad = world.pages["researcher"].post(url, {"framework": FRAMEWORK, "verdict": "misschien"})
    assert bad.status_code == 422
    done = world.pages["researcher"].post(
        url, {"framework": FRAMEWORK, "verdict": "partly", "note": "Alleen in de laatste fase"}
    )
    assert done.status_code == 303 and done.headers["location"].endswith("#literature")
    shown = world.pages["reader"].get(page).text
    assert "Proposed: not seen" in shown and "Alleen in de laatste fase" in shown
    assert f"overridden by {world.users['researcher'].name}" in shown
    with Session(world.engine) as session:
        logged = session.exec(
            select(AuditEntry).where(
                AuditEntry.action == "study.literature", AuditEntry.target == f"study:{study.study_id}"
            )
        ).all()
    assert [entry.detail for entry in logged] == [f"{FRAMEWORK}:continuity:review:{study.review_id}"]


def test_case_attributes_from_the_page_filter_and_group_the_matrix(world: World) -> None:
    other = world.new_review("Tweede casus")
    code_in_tree(world, other.review_id, other.node_id, "one-family-plan")
    study = new_study(world, extra_case=other.review_id)
    page = f"/studies/{study.study_id}"
    browser = world.pages["researcher"]
    wrong = browser.post(f"{page}/cases/{study.review_id}", {"attributes": "gemeente Utrecht"})
    assert wrong.status_code == 422 and "on a line of its own" in wrong.text
    too_long = browser.post(f"{page}/cases/{study.review_id}", {"attributes": "gemeente: " + "x" * 201})
    assert too_long.status_code == 422
    many = "\n".join(f"kenmerk {i}: {i}" for i in range(31))
    too_many = browser.post(f"{page}/cases/{study.review_id}", {"attributes": many})
    assert too_many.status_code == 422 and "At most 30 attributes per case" in too_many.text
    assert (
        browser.post(f"{page}/cases/{study.review_id}", {"attributes": "gemeente: Utrecht\n\nleeftijd: 12"}).status_code
        == 303
    )
    assert browser.post(f"{page}/cases/{other.review_id}", {"attributes": "gemeente: Zeist"}).status_code == 303
    cases = {c["review_id"]: c["attributes"] for c in world.api["reader"].get(f"{S}/{study.study_id}").json()["cases"]}
    assert cases[study.review_id] == {"gemeente": "Utrecht", "leeftijd": "12"}

    filtered = browser.get(page, params={"filter": "gemeente=Zeist"}).text
    table = filtered[
        filtered.index('id="matrix-table"') : filtered.index("</table>", filtered.index('id="matrix-table"'))
    ]
    assert "Tweede casus" in table and "Casus studie" not in table
    grouped = browser.get(page, params={"group": "gemeente"}).text
    table = grouped[grouped.index('id="matrix-table"') : grouped.index("</table>", grouped.index('id="matrix-table"'))]
    assert "gemeente: Utrecht" in table and "gemeente: Zeist" in table
    assert table.index("Casus studie") < table.index("Tweede casus")  # Utrecht before Zeist
    unknown = browser.get(page, params={"framework": "no-such", "filter": "x", "group": "y", "cell": "z"})
    assert unknown.status_code == 200  # a mistyped address shows the default view


def test_a_cells_evidence_opens_without_scripts(world: World) -> None:
    study = new_study(world)
    page = f"/studies/{study.study_id}"
    closed = world.pages["reader"].get(page).text
    link = f"?cell={study.review_id}%3Aone-family-plan#cell-detail"
    assert link in closed and 'class="cell-factor"' not in closed
    opened = world.pages["reader"].get(page, params={"cell": f"{study.review_id}:one-family-plan"}).text
    detail = opened[opened.index('id="cell-detail"') :]
    assert 'class="cell-factor"' in detail and "Place in the tree" in detail


def test_perspectives_per_case_and_across_the_study(world: World) -> None:
    ids = world.new_review("Casus met stickers", group_interview=True)
    with Session(world.engine) as session:
        for node, factor in ((ids.node_id, ids.factor_id), (ids.other_node_id, ids.other_factor_id)):
            session.add(FindingEvidence(review_id=ids.review_id, node_id=node, kind="factor", ref_id=factor))
        session.commit()
    code_in_tree(world, ids.review_id, ids.node_id, "one-family-plan")
    code_in_tree(world, ids.review_id, ids.other_node_id, "firm-mandate")
    study = new_study(world, extra_case=ids.review_id)
    # The world's own participant (a parent) has a sticker on the other factor: with a child, 2 family voters.
    _sticker(world, ids.review_id, ids.round_id, ids.factor_id, _voter(world, ids.review_id, RoleCategory.child))
    professionals = [_voter(world, ids.review_id, RoleCategory.professional) for _ in range(3)]
    for person in professionals:
        _sticker(world, ids.review_id, ids.round_id, ids.other_factor_id, person)

    url = f"{S}/{study.study_id}/perspectives"
    two = world.api["reader"].get(url, params={"framework": FRAMEWORK}).json()
    (line,) = [r for r in two["rounds"] if r["review_id"] == ids.review_id]
    assert line["family"] == {"shown": False, "factors": [], "stickers": 0}  # 2 family voters: too few to show
    assert line["professional"]["shown"] and line["professional"]["stickers"] == 3
    assert line["same_first"] is None and two["compared"] == 0
    assert [t["key"] for t in two["themes"]["professional"]] == ["firm-mandate"]
    assert two["themes"]["family"] == []
    assert "too few to show" in world.pages["reader"].get(f"/studies/{study.study_id}").text

    _sticker(world, ids.review_id, ids.round_id, ids.factor_id, _voter(world, ids.review_id, RoleCategory.parent))
    three = world.api["reader"].get(url).json()
    (line,) = [r for r in three["rounds"] if r["review_id"] == ids.review_id]
    assert line["family"]["shown"] and line["family"]["stickers"] == 2 and len(line["family"]["factors"]) == 1
    assert line["family"]["factors"] != line["professional"]["factors"]
    assert (three["compared"], three["same_first"], line["same_first"]) == (1, 0, False)
    assert [(t["key"], t["rounds"]) for t in three["themes"]["family"]] == [("one-family-plan", 1)]
    shown = world.pages["reader"].get(f"/studies/{study.study_id}").text
    section = shown[shown.index('id="perspectives"') :]
    assert "In 0 of 1 rounds where both sides can be shown" in section


def test_a_move_without_a_version_is_refused_and_moves_nothing(world: World) -> None:
    """A move must say which version it saw: without one it would skip the stale-edit check."""
    study = new_study(world)
    page = f"/studies/{study.study_id}"
    browser = world.pages["researcher"]
    second = _add_second_element(world, study)
    for version in ("", "oud"):
        refused = browser.post(f"{page}/elements/{second['id']}/move", {"version": version, "position": "0"})
        assert refused.status_code == 422
    order = [e["title"] for e in _elements(world, study)]
    assert order == ["Ouders zijn de belangrijkste partner", "Tweede element"]


def test_over_long_attributes_are_refused_not_cut(world: World) -> None:
    """Cutting the text would store a half last line as if it had been meant."""
    study = new_study(world)
    page = f"/studies/{study.study_id}"
    browser = world.pages["researcher"]
    assert browser.post(f"{page}/cases/{study.review_id}", {"attributes": "gemeente: Utrecht"}).status_code == 303
    text = "\n".join(f"k{i}: {'x' * 180}" for i in range(120))
    refused = browser.post(f"{page}/cases/{study.review_id}", {"attributes": text})
    assert refused.status_code == 422 and "20000" in refused.text.replace(".", "").replace(",", "")
    cases = {c["review_id"]: c["attributes"] for c in world.api["reader"].get(f"{S}/{study.study_id}").json()["cases"]}
    assert cases[study.review_id] == {"gemeente": "Utrecht"}


def test_numbers_that_int_cannot_read_in_a_form_or_a_link_are_refused_not_a_server_error(world: World) -> None:
    """ "²" passes str.isdigit but not int(); a 5,000-digit number passes neither int() nor a bound."""
    study = new_study(world)
    page = f"/studies/{study.study_id}"
    browser = world.pages["researcher"]
    before = snapshot(world.engine)
    element = f"{page}/elements/{study.element_id}"
    for version in ("²", "9" * 5000):
        assert browser.post(f"{element}/move", {"version": version, "position": "0"}).status_code == 422
        assert browser.post(f"{element}/move", {"version": "1", "position": version}).status_code == 422
        assert browser.post(f"{element}/delete", {"version": version}).status_code == 409
        refused = browser.post(element, {"version": "1", "element_title": "x", "support": f"{version}:1"})
        assert refused.status_code == 422 and "This is not a factor of a case" in refused.text
    assert browser.get(f"{page}?cell=²:one-face").status_code == 200
    assert snapshot(world.engine) == before


def test_editing_or_moving_an_element_removed_in_another_tab_says_so_at_the_removed_list(world: World) -> None:
    study = new_study(world)
    page = f"/studies/{study.study_id}"
    browser = world.pages["researcher"]
    element = f"{page}/elements/{study.element_id}"
    assert browser.post(f"{element}/delete", {"version": "1"}).status_code == 303
    edited = browser.post(element, {"version": "2", "element_title": "Toch nog wijzigen"})
    moved = browser.post(f"{element}/move", {"version": "2", "position": "0"})
    for answer in (edited, moved):
        assert answer.status_code == 409
        removed_list = answer.text[answer.text.index('id="removed-elements"') :]
        assert "This element was removed. Restore it before changing it." in removed_list
    assert _elements(world, study) == []
