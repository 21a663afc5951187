"""A real leerreview server in a subprocess on loopback, a room built through its API, and SSE readers.

Used by the live tests (tests/live) and by bench/live.py. No fixed sleeps: readiness is polled on /healthz
and events are awaited with deadlines.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
OWNER_EMAIL = "facilitator@example.org"
# How long a test waits for an event before it calls the wait a hang: generous, since the machine may be loaded;
# latency is measured in bench/, never asserted in a test.
HANG_SECONDS = 20.0


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path, port: int, database_url: str | None = None) -> dict[str, str]:
    """The environment of a server: its data directory, database, a fixed secret and generous login limits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEERREVIEW_")}
    env.update(
        LEERREVIEW_DATA_DIR=str(data_dir),
        LEERREVIEW_SECRET_KEY="live-test-secret-key",
        LEERREVIEW_BASE_URL=f"http://127.0.0.1:{port}",
        LEERREVIEW_LOGIN_ATTEMPTS_PER_MINUTE="10000",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["LEERREVIEW_DATABASE_URL"] = database_url
    return env


def prepare_database(data_dir: Path, database_url: str | None = None, *, migrate: bool = True) -> None:
    """Migrate the database (SQLite in ``data_dir`` or ``database_url``) and create the facilitator's account."""
    from sqlmodel import Session

    from app.auth.service import create_user
    from app.config import Settings
    from app.db import make_engine
    from app.migrate import upgrade

    settings = Settings(data_dir=data_dir, database_url=database_url, secret_key="live-test-secret-key")
    if migrate:
        upgrade(settings)
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            create_user(session=session, email=OWNER_EMAIL, name="Facilitator", password=PASSWORD)
            session.commit()
    finally:
        engine.dispose()


class LiveServer:
    """``leerreview serve`` in a subprocess; start, wait until /healthz answers, kill or stop."""

    def __init__(
        self,
        data_dir: Path,
        *,
        database_url: str | None = None,
        port: int | None = None,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.env = env or {}
        self.database_url = database_url
        self.port = port or free_port()
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> LiveServer:
        command = [sys.executable, "-c", "from app.cli import main; main()", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", str(self.workers)]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_env(self.data_dir, self.port, self.database_url) | self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
                try:
                    if client.get(f"{self.url}/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)  # polling interval while waiting for readiness (a condition with a deadline)
        raise RuntimeError(f"server not ready within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole process group, as a crash would (no shutdown hooks, no flushing)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), then kill if it does not go within 10 s."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()


def owner_client(base_url: str) -> httpx.Client:
    """An API client logged in with a bearer token as the facilitator."""
    client = httpx.Client(base_url=base_url, timeout=30.0, headers={"accept-language": "en"})
    response = client.post("/api/v1/auth/token", data={"username": OWNER_EMAIL, "password": PASSWORD})
    response.raise_for_status()
    client.headers["authorization"] = f"Bearer {response.json()['access_token']}"
    return client


@dataclass
class LivePhone:
    """A joined phone: the cookie and CSRF token it needs (a fresh client per thread is cheap)."""

    participant_id: int
    cookies: dict[str, str]
    csrf: str

    def client(self, base_url: str, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(**self._client_options(base_url, timeout))

    def async_client(self, base_url: str, timeout: float = 30.0) -> httpx.AsyncClient:
        return httpx.AsyncClient(**self._client_options(base_url, timeout))

    def _client_options(self, base_url: str, timeout: float) -> dict[str, Any]:
        headers = {"x-csrf-token": self.csrf, "accept-language": "en"}
        return {"base_url": base_url, "cookies": self.cookies, "headers": headers, "timeout": timeout}


def post_at_once(base_url: str, posts: list[tuple[LivePhone, str, dict[str, Any]]]) -> list[int]:
    """Send every ``(phone, url, json)`` POST at the same moment (one thread and connection each, one barrier);
    the answers' status codes in the order given (-1 where the connection broke)."""
    barrier = threading.Barrier(len(posts))
    statuses = [0] * len(posts)
    clients = [phone.client(base_url, timeout=60.0) for phone, _url, _body in posts]

    def send(n: int) -> None:
        _phone, url, body = posts[n]
        barrier.wait(30)
        try:
            statuses[n] = clients[n].post(url, json=body).status_code
        except httpx.TransportError:
            statuses[n] = -1

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for client in clients:
        client.close()
    return statuses


@dataclass
class LiveRoom:
    """A review with an open group interview, joined phones, factors and (optionally) an open round."""

    base_url: str
    owner: httpx.Client
    review_id: int
    interview_id: int
    code: str
    participants: list[int]
    factors: list[int]
    phones: list[LivePhone] = field(default_factory=list)
    round_id: int | None = None

    def url(self, tail: str = "") -> str:
        return f"/api/v1/reviews/{self.review_id}{tail}"

    def stickers_url(self) -> str:
        return self.url(f"/rounds/{self.round_id}/stickers")

    def results(self, round_id: int | None = None) -> dict[int, int]:
        response = self.owner.get(self.url(f"/rounds/{round_id or self.round_id}/results"))
        response.raise_for_status()
        return {row["factor_id"]: row["stickers"] for row in response.json()}

    def close(self) -> None:
        self.owner.close()

    def __enter__(self) -> LiveRoom:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def new_round(self, **settings: Any) -> int:
        created = self.owner.post(self.url("/rounds"), json={"kind": "success", **settings})
        created.raise_for_status()
        self.round_id = int(created.json()["id"])
        self.owner.post(self.url(f"/rounds/{self.round_id}/open")).raise_for_status()
        return self.round_id


def build_room(
    base_url: str,
    *,
    participants: int = 30,
    factors: int = 5,
    join: bool = True,
    round_settings: dict[str, Any] | None = None,
    owner: httpx.Client | None = None,
) -> LiveRoom:
    """Everything through the API: review, consented participants, open group interview, factors, phones."""
    api = owner or owner_client(base_url)

    def ok(response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise AssertionError(
                f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
            )
        return response.json() if response.content else None

    review = ok(api.post("/api/v1/reviews", json={"title": "Live room", "collaboration": "Wijkteam"}))
    base = f"/api/v1/reviews/{review['id']}"
    people: list[int] = []
    for n in range(participants):
        person = ok(
            api.post(f"{base}/participants", json={"pseudonym": f"Deelnemer {n + 1}", "role_category": "parent"})
        )
        ok(
            api.post(
                f"{base}/participants/{person['id']}/consents",
                json={"scope": "group_interview", "given_on": "2024-03-01", "method": "verbal"},
            )
        )
        people.append(person["id"])
    created = ok(api.post(f"{base}/group-interview"))
    ok(api.post(f"{base}/group-interview/open"))
    factor_ids = [
        ok(api.post(f"{base}/factors", json={"kind": "success", "title": f"Factor {n + 1}"}))["id"]
        for n in range(factors)
    ]
    room = LiveRoom(base_url, api, review["id"], created["id"], created["join_code"], people, factor_ids)
    if join:
        for person_id in people:
            with httpx.Client(base_url=base_url, timeout=30.0) as phone:
                joined = phone.post("/api/v1/join", json={"code": room.code, "participant_id": person_id})
                ok(joined)
                room.phones.append(LivePhone(person_id, dict(phone.cookies), joined.json()["csrf_token"]))
    if round_settings is not None:
        room.new_round(**round_settings)
    return room


@dataclass
class Event:
    """One Server-Sent Event."""

    id: int | None
    kind: str
    data: str
    received: float

    def json(self) -> Any:
        return json.loads(self.data)


def parse_sse(block: str, received: float) -> Event | None:
    """One SSE message block (without the blank line) as an Event; None for comments and retry lines."""
    event_id, kind, data = None, "message", []
    for line in block.split("\n"):
        if line.startswith(":") or not line:
            continue
        name, _sep, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "id" and value.isdigit():
            event_id = int(value)
        elif name == "event":
            kind = value
        elif name == "data":
            data.append(value)
    if not data and kind == "message":
        return None
    return Event(event_id, kind, "\n".join(data), received)


class SSEReader:
    """Reads one SSE stream over a raw socket in a thread into a queue; wait for events with deadlines.

    A raw socket (not httpx) so that ``close()`` can shut the connection down at once from another thread.
    """

    def __init__(
        self,
        base_url: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        cookies: dict[str, str] | None = None,
        last_event_id: int | None = None,
    ) -> None:
        self.events: queue.Queue[Event] = queue.Queue()
        self.seen: list[Event] = []
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.error: BaseException | None = None
        self.ended = threading.Event()
        self._connected = threading.Event()
        host, port = base_url.removeprefix("http://").split(":")
        lines = [f"GET {path} HTTP/1.1", f"host: {host}:{port}", "accept: text/event-stream"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if cookies:
            lines.append("cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        if last_event_id is not None:
            lines.append(f"last-event-id: {last_event_id}")
        self._sock = socket.create_connection((host, int(port)), timeout=15)
        self._sock.settimeout(None)
        self._sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"sse-{secrets.token_hex(2)}")
        self._thread.start()
        if not self._connected.wait(15):
            raise TimeoutError(f"no answer from {path}")

    def _recv(self) -> bytes:
        data = self._sock.recv(65536)
        if not data:
            raise ConnectionError("stream closed by the server")
        return data

    def _run(self) -> None:
        raw = b""
        try:
            while b"\r\n\r\n" not in raw:
                raw += self._recv()
            head, raw = raw.split(b"\r\n\r\n", 1)
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            self.status = int(status_line.split()[1])
            self.headers = {k.strip().lower(): v.strip() for k, _s, v in (h.partition(":") for h in header_lines)}
            self._connected.set()
            chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"
            text = ""
            while True:
                if chunked:
                    while b"\r\n" not in raw:
                        raw += self._recv()
                    size_line, raw = raw.split(b"\r\n", 1)
                    size = int(size_line.split(b";")[0], 16)
                    if size == 0:
                        raise ConnectionError("stream ended")
                    while len(raw) < size + 2:
                        raw += self._recv()
                    body, raw = raw[:size], raw[size + 2 :]
                else:
                    body, raw = (raw or self._recv()), b""
                text += body.decode()
                while "\n\n" in text:
                    block, text = text.split("\n\n", 1)
                    event = parse_sse(block, time.perf_counter())
                    if event is not None:
                        self.events.put(event)
        except BaseException as exc:  # closed by us, or the server went away
            self.error = exc
        finally:
            self._connected.set()
            self.ended.set()

    def next(self, timeout: float = 5.0, kind: str | None = None) -> Event:
        """The next event (of ``kind``, skipping others), or TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {kind or 'event'} within {timeout} s; seen {[e.kind for e in self.seen]}")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(event)
            if kind is None or event.kind == kind:
                return event

    def until(self, predicate: Callable[[Event], bool], timeout: float = 5.0) -> Event:
        """Read events until one satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.001, deadline - time.monotonic()))
            if predicate(event):
                return event

    def drain(self, quiet: float = 0.3) -> list[Event]:
        """Everything already received, plus what arrives until ``quiet`` seconds pass without an event."""
        out: list[Event] = []
        while True:
            try:
                event = self.events.get(timeout=quiet)
            except queue.Empty:
                return out
            self.seen.append(event)
            out.append(event)

    def received(self) -> list[Event]:
        """Every event received so far but not read yet (without waiting)."""
        out: list[Event] = []
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return out
            self.seen.append(event)
            out.append(event)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        self._thread.join(5)


def sticker_totals(results: dict[int, int]) -> int:
    return sum(results.values())


def iter_tallies(events: list[Event], round_id: int) -> Iterator[dict[int, int]]:
    for event in events:
        if event.kind == "tally" and event.json()["round_id"] == round_id:
            yield {row["factor_id"]: row["stickers"] for row in event.json()["results"]}
