"""Browser tests: a real uvicorn server on a free port and Debian's Chromium driven through Playwright.

- ``live_server`` (session): migrates a fresh SQLite database in a temporary data directory, loads the demo
  case (``leerreview demo``), starts ``python -m uvicorn app.asgi:app`` and waits until ``/healthz`` answers.
- ``browser`` (session): Chromium from ``/usr/bin/chromium`` (no Playwright browser download).
- ``page`` (per test): a fresh context (own cookies) on the live server; at teardown it fails the test when the
  page requested anything from another host (the product makes no third-party requests) or threw an
  uncaught JavaScript error.
- ``screenshot``: saves ``tests/artifacts/<name>.png`` (git-ignored).
- ``login``: logs in through the real form.

Without Chromium these tests fail under CI (``CI=true``) and are skipped locally with the reason.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, expect, sync_playwright

from tests.pg import running_in_ci

CHROMIUM = os.environ.get("LEERREVIEW_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
DEMO_OWNER = ("onderzoeker.a@example.org", "demo-leerreview")
STARTUP_SECONDS = 30.0


@dataclass
class LiveServer:
    """The running service."""

    url: str
    data_dir: Path
    log: Path

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> None:
    """Run the ``leerreview`` command with this interpreter (works without the console script on PATH)."""
    result = subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"leerreview {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The service on 127.0.0.1:<free port> with the demo case loaded in a fresh SQLite database."""
    workdir = tmp_path_factory.mktemp("live")  # also the working directory: no developer .env is read
    data_dir = workdir / "data"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEERREVIEW_")}
    env.update(
        {
            "LEERREVIEW_DATA_DIR": str(data_dir),
            "LEERREVIEW_SECRET_KEY": "browser-test-secret-key",
            "LEERREVIEW_BASE_URL": url,
            "LEERREVIEW_DEFAULT_LANGUAGE": "nl",
            "PYTHONUNBUFFERED": "1",
        }
    )
    _cli(["migrate"], env, workdir)
    _cli(["demo"], env, workdir)

    log = workdir / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.asgi:app", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=workdir,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer /healthz in {STARTUP_SECONDS}s:\n{log.read_text()}")
            time.sleep(0.1)
        yield LiveServer(url=url, data_dir=data_dir, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium (Debian's), shared by all browser tests."""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: run `make test` (installs Debian's chromium) or apt-get install chromium"
        if running_in_ci():
            pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page in a fresh context (Dutch browser, laptop-sized window) that may only talk to the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": 1280, "height": 860},
        accept_downloads=False,
    )
    context.set_default_timeout(10_000)
    foreign: list[str] = []
    page_errors: list[str] = []

    def on_request(request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != live_server.netloc:
            foreign.append(f"{request.method} {request.url}")

    context.on("request", on_request)
    new_page = context.new_page()
    new_page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        yield new_page
    finally:
        context.close()
    assert not foreign, "the page made requests to other hosts (third-party requests are forbidden):\n" + "\n".join(
        foreign
    )
    assert not page_errors, "uncaught JavaScript errors on the page:\n" + "\n".join(page_errors)


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """``screenshot("dashboard")`` saves the whole page to ``tests/artifacts/dashboard.png``."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page: Page) -> Callable[..., None]:
    """Log in through the form: ``login()`` as the demo owner, or ``login(email, password)``."""

    def log_in(email: str = DEMO_OWNER[0], password: str = DEMO_OWNER[1]) -> None:
        page.goto("/login")
        page.locator("#f-email").fill(email)
        page.locator("#f-password").fill(password)
        page.locator("form[action='/login'] button").click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/")
        expect(page.locator("form[action='/logout']")).to_be_visible()

    return log_in
