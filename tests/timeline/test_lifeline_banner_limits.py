"""A banner costs CPU seconds per metre: its length and pages are capped with a clear 422, and files are made a
few at a time per process (issue 11, item 13)."""

import threading
import time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import lifeline
from app.downloads import LateFile, file_queue
from tests.world import BASE_URL, ENGLISH


def _banner(review_id: int, kind: str) -> str:
    return f"/api/v1/reviews/{review_id}/lifeline.{kind}"


@pytest.mark.parametrize("kind", ["svg", "pdf"])
def test_a_banner_longer_than_twenty_metres_is_refused(team: Any, api_as: Any, kind: str) -> None:
    reader = api_as(team.reader)
    response = reader.get(_banner(team.review_id, kind), params={"length_m": 50}, headers=ENGLISH)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "length_m", "message": "This must be at most 20.0."}]


def test_a_banner_over_too_many_pages_is_refused_before_it_is_made(team: Any, api_as: Any) -> None:
    reader = api_as(team.reader)
    params = {"length_m": 20, "paper": "A4", "overlap_mm": 100}
    response = reader.get(_banner(team.review_id, "pdf"), params=params, headers=ENGLISH)
    pages = lifeline.banner_page_count(20, "A4", 100)
    assert pages > 80
    assert response.status_code == 422
    assert response.json()["detail"] == (
        f"This banner would take {pages} pages; at most 80. Choose A3, a shorter banner or less overlap."
    )


def test_files_are_made_at_most_file_jobs_at_a_time(app: FastAPI) -> None:
    app.state.settings.file_jobs = 2
    release, lock = threading.Event(), threading.Lock()
    running = peak = 0

    def make() -> bytes:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        assert release.wait(20)
        with lock:
            running -= 1
        return b"%PDF-1.7"

    @app.get("/api/v1/test-file")
    def late() -> LateFile:
        return LateFile(make, media_type="application/pdf", filename="x.pdf")

    @app.get("/api/v1/test-file-queue")
    async def queue_now() -> dict[str, int]:  # async: the queue belongs to the app's event loop
        queue = file_queue(app)
        return {"waiting": queue.waiting, "running": queue.running}

    with TestClient(app, base_url=BASE_URL) as client:
        statuses: list[int] = []
        threads = [
            threading.Thread(target=lambda: statuses.append(client.get("/api/v1/test-file").status_code))
            for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while client.get("/api/v1/test-file-queue").json() != {"waiting": 1, "running": 2}:
            assert time.monotonic() < deadline, "two files were not being made with a third waiting"
        assert peak == 2
        release.set()
        for thread in threads:
            thread.join(20)
    assert statuses == [200, 200, 200] and peak == 2
