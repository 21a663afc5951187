"""Schemathesis against our own /openapi.json, as an authenticated owner of the demo case.

A bounded number of examples per operation: no answer may be a 5xx, and answers must match the schema.
Streams (never-ending) and the slow print exports are left out; erasing the review would end the run early.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlmodel import Session

from app.config import Settings
from app.demo import load_demo
from app.main import create_app

EXCLUDED_PATHS = r".*(/stream|\.pdf|\.docx|/qr\.svg|\.qdpx)$"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory, migrated_template) -> Iterator[FastAPI]:  # type: ignore[no-untyped-def]
    import shutil

    from tests.fixtures import make_settings

    data_dir = tmp_path_factory.mktemp("schemathesis")
    shutil.copy(migrated_template, data_dir / "leerreview.sqlite3")
    settings: Settings = make_settings(data_dir)
    app = create_app(settings)
    with Session(app.state.engine) as session:
        load_demo(session=session)
        session.commit()
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def token(demo_app: FastAPI) -> str:
    with TestClient(demo_app) as client:
        response = client.post(
            "/api/v1/auth/token", data={"username": "onderzoeker.a@example.org", "password": "demo-leerreview"}
        )
    assert response.status_code == 200
    return str(response.json()["access_token"])


def test_api_answers_no_server_error_and_matches_its_schema(demo_app: FastAPI, token: str) -> None:
    # Schemathesis' own pytest plugin does not load with this pytest; its Python API does the same work here.
    api = schemathesis.openapi.from_asgi("/openapi.json", demo_app)
    api = api.exclude(path_regex=EXCLUDED_PATHS).exclude(method="DELETE", path="/api/v1/reviews/{review_id}")
    failures: list[str] = []
    operations = calls = 0
    for result in api.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def run(case):  # type: ignore[no-untyped-def]
            if "review_id" in (case.path_parameters or {}):
                case.path_parameters["review_id"] = 1
            nonlocal calls
            calls += 1
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}")
                return
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except Exception as exc:  # collect every mismatch, report them together
                failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:300]}")

        run()
    assert operations > 50
    assert calls >= 2 * operations, "schemathesis generated too few requests to mean anything"
    assert failures == [], "\n".join(failures[:30])
