"""Bad input to the share-back meeting: 422 (404 for another review's finding) with a clear message in the user's
language, nothing stored, no traceback."""

import pytest

from tests.world import Ids, World, row_counts

S = "/api/v1/reviews/{review}/share-back"
BAD = [
    ("/reactions", {"node_id": "{node}", "reaction": "yes", "client_key": "abcdefgh"}, "reaction", "Choose one of:"),
    ("/reactions", {"node_id": "{node}", "reaction": "agree", "client_key": "kort"}, "client_key", "too short"),
    ("/reactions", {"node_id": "{node}", "reaction": "agree", "client_key": "<script>1</script>"}, "client_key", ""),
    (
        "/reactions",
        {"node_id": "{node}", "reaction": "agree", "client_key": "abcdefgh", "comment": "x" * 281},
        "comment",
        "too long",
    ),
    ("/reactions", {"node_id": 0, "reaction": "agree", "client_key": "abcdefgh"}, "node_id", "at least 1"),
    ("/reactions", {"node_id": "{node}", "reaction": "agree", "client_key": "abcdefgh", "who": 1}, "who", "not known"),
    ("/nodes/{node}/decision", {"decision": "maybe"}, "decision", "Choose one of:"),
    ("/nodes/{node}/decision", {"decision": "rephrased"}, "", "Give the new wording"),
    ("/nodes/{node}/decision", {"decision": "rephrased", "title": ""}, "title", "cannot be empty"),
    ("/nodes/{node}/decision", {"decision": "kept", "note": "x" * 2001}, "note", "too long"),
    ("/nodes/{node}/decision", {"decision": "added"}, "", "own form"),
    ("/findings", {"title": "Nieuw", "branch": "elsewhere"}, "branch", ""),
    ("/findings", {"title": "x" * 301}, "title", "too long"),
    ("/show", {"node_id": "many"}, "node_id", "whole number"),
    ("/tablet", {"participant_id": 2**31}, "participant_id", "at most"),
]


def _fill(value: object, ids: Ids) -> object:
    return ids.node_id if value == "{node}" else value


@pytest.mark.parametrize(("tail", "body", "field", "message"), BAD, ids=lambda v: str(v)[:40])
def test_bad_input_is_refused_with_a_message_and_stores_nothing(
    world: World, ids: Ids, tail: str, body: dict[str, object], field: str, message: str
) -> None:
    url = S.format(review=ids.review_id) + tail.format(node=ids.node_id)
    before = row_counts(world.engine)
    response = world.api["owner"].post(url, json={k: _fill(v, ids) for k, v in body.items()})
    assert response.status_code == 422, response.text
    answer = response.json()
    assert message in answer["detail"] or any(message in e["message"] for e in answer.get("errors", []))
    if field:
        assert any(e["field"] == field for e in answer["errors"]), answer
    assert "Traceback" not in response.text
    assert row_counts(world.engine) == before


def test_a_finding_of_another_review_is_not_found(world: World, ids: Ids) -> None:
    other = world.new_review("Andere casus")
    base = S.format(review=ids.review_id)
    before = row_counts(world.engine)
    owner = world.api["owner"]
    for tail, body in (
        (f"/nodes/{other.node_id}/decision", {"decision": "kept"}),
        ("/show", {"node_id": other.node_id}),
        ("/reactions", {"node_id": other.node_id, "reaction": "agree", "client_key": "other-review"}),
    ):
        response = owner.post(base + tail, json=body)
        assert response.status_code == 404, (tail, response.text)
    under_other = {"title": "Onder een vreemde", "parent_id": other.node_id}
    assert owner.post(base + "/findings", json=under_other).status_code == 404
    assert row_counts(world.engine) == before


def test_messages_follow_the_language(world: World, ids: Ids) -> None:
    url = S.format(review=ids.review_id) + f"/nodes/{ids.node_id}/decision"
    dutch = world.api["owner"].post(url, json={"decision": "rephrased"}, headers={"accept-language": "nl"})
    assert dutch.status_code == 422 and dutch.json()["detail"] == "Geef de nieuwe formulering van de bevinding."
