"""Share-back reactions under concurrency, against a real server: every phone taps several reactions to the same
finding at the same moment (retries included); each person ends with exactly one reaction, nothing answers 5xx,
and the console's stream converges to the exact count. On SQLite and on PostgreSQL (the upsert differs)."""

from collections import Counter
from typing import Any

import httpx
import pytest

from tests.live.liveserver import LivePhone, LiveServer, SSEReader, owner_client, post_at_once

pytestmark = pytest.mark.slow
PHONES = 6
TAPS = ("agree", "partly", "disagree", "agree", "partly", "disagree")


def _ok(response: httpx.Response) -> Any:
    assert response.status_code < 400, f"{response.request.url}: {response.status_code} {response.text}"
    return response.json() if response.content else None


def _meeting(server: LiveServer) -> tuple[httpx.Client, str, int, list[LivePhone]]:
    """A review with a finding, an open share-back meeting and joined phones, all through the API."""
    owner = owner_client(server.url)
    review = _ok(owner.post("/api/v1/reviews", json={"title": "Terugkoppeling live"}))
    base = f"/api/v1/reviews/{review['id']}"
    node = _ok(owner.post(f"{base}/findings-tree/nodes", json={"title": "Eén casemanager met mandaat"}))
    people = []
    for n in range(PHONES):
        person = _ok(
            owner.post(f"{base}/participants", json={"pseudonym": f"Deelnemer {n}", "role_category": "parent"})
        )
        consent = {"scope": "group_interview", "given_on": "2024-03-01", "method": "verbal"}
        _ok(owner.post(f"{base}/participants/{person['id']}/consents", json=consent))
        people.append(person["id"])
    code = _ok(owner.post(f"{base}/share-back"))["join_code"]
    _ok(owner.post(f"{base}/share-back/open"))
    phones = []
    for person_id in people:
        with httpx.Client(base_url=server.url, timeout=30.0) as phone:
            joined = _ok(phone.post("/api/v1/join", json={"code": code, "participant_id": person_id}))
            phones.append(LivePhone(person_id, dict(phone.cookies), joined["csrf_token"]))
    return owner, base, int(node["id"]), phones


def _stampede(server: LiveServer, base: str, node_id: int, phones: list[LivePhone]) -> list[tuple[int, str, int]]:
    """Every phone sends all its taps at once, and every tap twice with the same key (a retry): one barrier."""
    attempts = [
        (phone, reaction, f"tap{phone.participant_id:05d}-{n:03d}")
        for phone in phones
        for n, reaction in enumerate(TAPS)
    ]
    attempts += attempts
    url = f"{base}/share-back/reactions"
    posts = [
        (phone, url, {"node_id": node_id, "reaction": r, "comment": f"{r} {key}", "client_key": key})
        for phone, r, key in attempts
    ]
    statuses = post_at_once(server.url, posts)
    return [(phone.participant_id, key, status) for (phone, _r, key), status in zip(attempts, statuses, strict=True)]


def _check(server: LiveServer) -> None:
    owner, base, node_id, phones = _meeting(server)
    screen = SSEReader(
        server.url, f"{base}/share-back/stream", headers={"authorization": owner.headers["authorization"]}
    )
    try:
        screen.next(kind="state")
        outcomes = _stampede(server, base, node_id, phones)
        assert Counter(status for _p, _k, status in outcomes) == {201: len(outcomes)}  # no 5xx, nothing lost
        summary = {row["node_id"]: row for row in _ok(owner.get(f"{base}/share-back/summary"))}[node_id]
        assert summary["agree"] + summary["partly"] + summary["disagree"] == PHONES  # one per person
        assert len(summary["comments"]) == PHONES
        for phone in phones:
            with phone.client(server.url) as client:
                mine = _ok(client.get("/api/v1/participant/state"))["mine"]
            assert list(mine) == [str(node_id)]
            assert mine[str(node_id)]["client_key"].startswith(f"tap{phone.participant_id:05d}-")  # one of its own taps
            assert (
                mine[str(node_id)]["comment"] == f"{mine[str(node_id)]['reaction']} {mine[str(node_id)]['client_key']}"
            )
        # The console's stream ends at the exact count (the last tally is counted after every reaction before it).
        last = screen.until(
            lambda e: e.kind == "reactions" and sum(e.json()[r] for r in ("agree", "partly", "disagree")) == PHONES
        )
        assert set(last.json()) == {"node_id", "agree", "partly", "disagree", "comments"}
        assert "Traceback" not in server.log()  # concurrent upserts never surface as errors
    finally:
        screen.close()
        owner.close()


def test_one_reaction_per_person_under_concurrent_taps_on_sqlite(sqlite_server: LiveServer) -> None:
    _check(sqlite_server)


def test_one_reaction_per_person_under_concurrent_taps_on_postgresql(pg_server: LiveServer) -> None:
    _check(pg_server)
