"""The file study API: documents, attachments checked by content with nothing stored on refusal, downloads for
members only as attachments, and findings that confirm, correct or add life-line events."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import User
from app.config import Settings
from tests.documents.files import EXE, JPEG, PDF, PNG, docx, multipart, odt, plain_zip
from tests.world import snapshot

A = "/api/v1/reviews/{}"


@pytest.fixture
def owner(team: Any, api_as: Callable[[User], TestClient]) -> TestClient:
    return api_as(team.owner)


def _document(client: TestClient, review_id: int, **extra: Any) -> dict[str, Any]:
    body = {"title": "Behandelplan Noor", "kind": "treatment_plan", "dated": "2022-06-14", **extra}
    response = client.post(f"{A.format(review_id)}/documents", json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def _upload(client: TestClient, review_id: int, document_id: int, name: str, content: bytes) -> Any:
    body, content_type = multipart(name, content)
    return client.put(
        f"{A.format(review_id)}/documents/{document_id}/file",
        content=body,
        headers={"content-type": content_type, "accept-language": "en"},
    )


def _stored_files(settings: Settings) -> list[Path]:
    return sorted(p for p in settings.upload_dir.rglob("*") if p.is_file())


def test_the_fixed_interface_creates_a_document(team: Any, owner: TestClient) -> None:
    data = _document(owner, team.review_id)
    assert (data["title"], data["kind"], data["dated"], data["file"], data["findings"]) == (
        "Behandelplan Noor",
        "treatment_plan",
        "2022-06-14",
        None,
        [],
    )
    assert owner.post(f"{A.format(team.review_id)}/documents", json={"title": "x", "kind": "diary"}).status_code == 422
    changed = owner.patch(
        f"{A.format(team.review_id)}/documents/{data['id']}", json={"author_organisation": "Jeugd-GGZ De Linde"}
    ).json()
    assert changed["author_organisation"] == "Jeugd-GGZ De Linde" and changed["dated"] == "2022-06-14"


@pytest.mark.parametrize(
    ("name", "content", "kind", "media_type"),
    [
        ("behandelplan.pdf", PDF, "pdf", "application/pdf"),
        ("scan.png", PNG, "png", "image/png"),
        ("foto.jpg", JPEG, "jpeg", "image/jpeg"),
        ("verslag.docx", docx(), "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("verslag.odt", odt(), "odt", "application/vnd.oasis.opendocument.text"),
        ("verslag overleg", PDF, "pdf", "application/pdf"),
    ],
)
def test_accepted_files_are_stored_with_a_random_name_and_downloaded_as_attachment(
    team: Any,
    owner: TestClient,
    api_as: Callable[[User], TestClient],
    settings: Settings,
    name: str,
    content: bytes,
    kind: str,
    media_type: str,
) -> None:
    document = _document(owner, team.review_id)
    response = _upload(owner, team.review_id, document["id"], name, content)
    assert response.status_code == 200, response.text
    file = response.json()["file"]
    assert (file["type"], file["size"]) == (kind, len(content))
    assert file["name"].startswith(name) and file["name"].lower().endswith((".pdf", ".png", ".jpg", ".docx", ".odt"))
    stored = _stored_files(settings)
    assert len(stored) == 1 and stored[0].parent == settings.upload_dir / f"review-{team.review_id}"
    assert name not in stored[0].name and stored[0].read_bytes() == content

    for user in (team.owner, team.researcher, team.reader):
        download = api_as(user).get(file["url"])
        assert download.status_code == 200
        assert download.content == content
        assert download.headers["content-type"].startswith(media_type)
        assert download.headers["content-disposition"].startswith("attachment;")
        assert download.headers["x-content-type-options"] == "nosniff"
    assert api_as(team.outsider).get(file["url"]).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("behandelplan.pdf", EXE, "only PDF"),
        ("verslag.docx", plain_zip(), "only PDF"),
        ("groot.pdf", PDF + b"\0" * (21 * 1024 * 1024), "20 MB"),
        ("leeg.pdf", b"", "empty"),
        ("../../x.pdf", PDF, "folders"),
        ("..\\..\\x.pdf", PDF, "folders"),
        ("/etc/passwd.pdf", PDF, "folders"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(
    team: Any, owner: TestClient, app: Any, settings: Settings, name: str, content: bytes, message: str
) -> None:
    document = _document(owner, team.review_id)
    assert _upload(owner, team.review_id, document["id"], "eerst.pdf", PDF).status_code == 200
    files_before = {p: p.read_bytes() for p in _stored_files(settings)}
    before = snapshot(app.state.engine)

    response = _upload(owner, team.review_id, document["id"], name, content)

    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert snapshot(app.state.engine) == before
    assert {p: p.read_bytes() for p in _stored_files(settings)} == files_before
    assert owner.get(f"{A.format(team.review_id)}/documents/{document['id']}").json()["file"]["name"] == "eerst.pdf"


def test_a_replaced_file_is_removed_and_erasing_the_review_removes_every_file(
    team: Any, owner: TestClient, settings: Settings
) -> None:
    document = _document(owner, team.review_id)
    _upload(owner, team.review_id, document["id"], "eerst.pdf", PDF)
    _upload(owner, team.review_id, document["id"], "tweede.png", PNG)
    stored = _stored_files(settings)
    assert [p.read_bytes() for p in stored] == [PNG]
    assert owner.delete(f"{A.format(team.review_id)}/documents/{document['id']}/file").json()["file"] is None
    assert _stored_files(settings) == []
    _upload(owner, team.review_id, document["id"], "derde.pdf", PDF)
    assert owner.delete(A.format(team.review_id)).status_code == 204
    assert _stored_files(settings) == []


def test_a_file_upload_needs_the_file_field(team: Any, owner: TestClient) -> None:
    document = _document(owner, team.review_id)
    response = owner.put(f"{A.format(team.review_id)}/documents/{document['id']}/file", files={"other": ("a.pdf", PDF)})
    assert response.status_code == 422 and response.json()["detail"]


def _event(client: TestClient, review_id: int, when: str = "sept. 2021") -> dict[str, Any]:
    response = client.post(
        f"{A.format(review_id)}/lifeline/events",
        json={"title": "Ondertoezichtstelling", "when": when, "lane": "safety"},
    )
    assert response.status_code == 201
    data: dict[str, Any] = response.json()
    return data


def test_a_document_confirms_an_event(team: Any, owner: TestClient) -> None:
    document = _document(owner, team.review_id, title="Rapportage OTS", kind="other", dated="2021-11-02")
    event = _event(owner, team.review_id)
    url = f"{A.format(team.review_id)}/documents/{document['id']}/findings"
    finding = owner.post(url, json={"kind": "confirm", "event_id": event["id"], "note": "Staat in het rapport."})
    assert finding.status_code == 201, finding.text
    assert (finding.json()["kind"], finding.json()["event_version"]) == ("confirm", 2)
    now = owner.get(f"{A.format(team.review_id)}/lifeline/events/{event['id']}").json()
    assert now["status"] == "confirmed"
    assert now["sources"][-1] == {"kind": "document", "ref_id": document["id"], "label": "Rapportage OTS, 02-11-2021"}
    # Confirming again adds no version.
    assert owner.post(url, json={"kind": "confirm", "event_id": event["id"]}).json()["event_version"] == 2


def test_a_correction_is_a_new_version_and_the_old_one_stays(team: Any, owner: TestClient) -> None:
    document = _document(owner, team.review_id, title="Rapportage OTS", kind="other")
    event = _event(owner, team.review_id)
    url = f"{A.format(team.review_id)}/documents/{document['id']}/findings"
    response = owner.post(
        url, json={"kind": "correct", "event_id": event["id"], "version": 1, "changes": {"when": "okt. 2021"}}
    )
    assert response.status_code == 201, response.text
    history = owner.get(f"{A.format(team.review_id)}/lifeline/events/{event['id']}/history").json()
    assert [(h["version"], h["when"]) for h in history] == [(1, "sept. 2021"), (2, "okt. 2021")]
    assert history[1]["sources"][-1]["kind"] == "document"
    stale = owner.post(
        url, json={"kind": "correct", "event_id": event["id"], "version": 1, "changes": {"when": "nov. 2021"}}
    )
    assert stale.status_code == 409 and stale.json()["conflict"]["current"]["when"] == "okt. 2021"
    incomplete = owner.post(url, json={"kind": "correct", "event_id": event["id"], "version": 2})
    assert incomplete.status_code == 422


def test_a_long_note_is_kept_whole_on_the_finding_and_starts_the_version_reason(team: Any, owner: TestClient) -> None:
    document = _document(owner, team.review_id, title="Rapportage OTS", kind="other")
    url = f"{A.format(team.review_id)}/documents/{document['id']}/findings"
    note = "Het rapport beschrijft de start uitvoerig. " * 40  # 1,720 characters: a note may hold 2,000
    confirmed, corrected = _event(owner, team.review_id), _event(owner, team.review_id)
    bodies = [
        {"kind": "confirm", "event_id": confirmed["id"], "note": note},
        {"kind": "correct", "event_id": corrected["id"], "version": 1, "changes": {"when": "okt. 2021"}, "note": note},
        {"kind": "add", "event": {"title": "Start OTS", "when": "okt. 2021", "lane": "safety"}, "note": note},
    ]
    for body in bodies:
        response = owner.post(url, json=body)
        assert response.status_code == 201, response.text
        assert response.json()["note"] == note.strip()
        history = owner.get(f"{A.format(team.review_id)}/lifeline/events/{response.json()['event_id']}/history")
        assert history.json()[-1]["reason"] == note[:500].strip()


def test_a_document_adds_an_event(team: Any, owner: TestClient) -> None:
    document = _document(owner, team.review_id, title="Verslag overleg", kind="meeting_report")
    url = f"{A.format(team.review_id)}/documents/{document['id']}/findings"
    response = owner.post(
        url,
        json={"kind": "add", "event": {"title": "Wekelijks overleg", "when": "feb. 2022", "lane": "care"}},
    )
    assert response.status_code == 201, response.text
    events = owner.get(f"{A.format(team.review_id)}/lifeline/events").json()
    assert [(e["title"], e["status"], e["sources"][0]["kind"]) for e in events] == [
        ("Wekelijks overleg", "confirmed", "document")
    ]
    assert owner.post(url, json={"kind": "add"}).status_code == 422
    unknown = owner.post(url, json={"kind": "confirm", "event_id": 2**31 - 1})
    assert unknown.status_code == 404


def test_the_guide_counts_studied_documents(team: Any, owner: TestClient) -> None:
    _document(owner, team.review_id)
    _document(owner, team.review_id, title="Verslag overleg")
    steps = {s["key"]: s for s in owner.get(f"{A.format(team.review_id)}/steps").json()}
    assert steps["file_study_done"]["hint"] in {"2 documents studied", "2 documenten bestudeerd"}


def test_the_document_form_takes_one_file_and_refuses_a_second_while_it_is_parsed(world: Any, ids: Any) -> None:
    browser = world.pages["owner"]
    before = snapshot(world.engine)
    two_files = [("file", ("a.pdf", PDF, "application/pdf")), ("file", ("b.pdf", PDF, "application/pdf"))]
    response = browser.post(f"/reviews/{ids.review_id}/documents", {"title": "Twee", "kind": "other"}, files=two_files)
    assert response.status_code == 400 and "The request was refused." in response.text
    assert snapshot(world.engine) == before
    one = browser.post(f"/reviews/{ids.review_id}/documents", {"title": "Een", "kind": "other"}, files=two_files[:1])
    assert one.status_code == 303
