"""What the server benchmarks share (live.py, load.py, throughput.py): the ``--postgres``/``--workers`` options,
a started server on a fresh database, stopped and cleaned up afterwards, and a cheap HTTP client (:class:`RawHttp`).
Imported after the script has put the repository on ``sys.path``."""

import argparse
import asyncio
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.live.liveserver import LiveServer, prepare_database
from tests.pg import create_database, drop_database


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """``--postgres ADMIN_URL`` and ``--workers N``."""
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="run on a fresh PostgreSQL database in this cluster")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (PostgreSQL only)")


@dataclass(frozen=True)
class Bench:
    """The running server, its data folder, which database it runs on ("SQLite" or "PostgreSQL") and its workers."""

    server: LiveServer
    data_dir: Path
    database: str
    workers: int


@contextmanager
def bench_server(args: argparse.Namespace, name: str) -> Iterator[Bench]:
    """A server on a fresh database: with ``--postgres`` a new database ``leerreview_<name>…`` in that cluster
    (dropped afterwards, and ``--workers`` processes), else SQLite and one worker; its data folder is a temporary
    ``leerreview-<name>-…``. The server is stopped when the block ends."""
    database_url = create_database(args.postgres, prefix=f"leerreview_{name}") if args.postgres else None
    workers = args.workers if database_url else 1
    try:
        with tempfile.TemporaryDirectory(prefix=f"leerreview-{name}-") as tmp:
            data_dir = Path(tmp)
            prepare_database(data_dir, database_url)
            server = LiveServer(data_dir, database_url=database_url, workers=workers).start()
            try:
                yield Bench(server, data_dir, "PostgreSQL" if database_url else "SQLite", workers)
            finally:
                server.stop()
    finally:
        if database_url:
            drop_database(args.postgres, database_url)


class RawHttp:
    """HTTP/1.1 keep-alive connections over raw asyncio sockets, for load generators in Python: a request is
    pre-formatted bytes (:func:`post_json`), an answer its status and body. A request costs this client a small
    fraction of what httpx costs, so that a benchmark's client (on the same two cores) does not become what it
    measures. Only what our JSON answers need: a ``content-length`` body; ``connection: close`` is honoured."""

    def __init__(self, port: int, connections: int) -> None:
        self.port = port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(connections)

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        """Send one request on a free connection (a new one when none is idle); its status and body."""
        async with self.slots:
            reader, writer = self.idle.pop() if self.idle else await asyncio.open_connection("127.0.0.1", self.port)
            try:
                writer.write(raw)
                head = await reader.readuntil(b"\r\n\r\n")
                found = _LENGTH.search(head)
                body = await reader.readexactly(int(found.group(1))) if found else b""
            except BaseException:
                writer.close()
                raise
            if _CLOSE.search(head):
                writer.close()
            else:
                self.idle.append((reader, writer))
            return int(head[9:12]), body

    def close(self) -> None:
        for _reader, writer in self.idle:
            writer.close()
        self.idle.clear()


_LENGTH = re.compile(rb"\r\ncontent-length: *(\d+)", re.IGNORECASE)
_CLOSE = re.compile(rb"\r\nconnection: *close", re.IGNORECASE)


def post_json(port: int, path: str, body: str, headers: dict[str, str]) -> bytes:
    """A POST with a JSON body, as :class:`RawHttp` sends it."""
    data = body.encode()
    lines = [f"POST {path} HTTP/1.1", f"host: 127.0.0.1:{port}", "content-type: application/json"]
    lines += [f"content-length: {len(data)}", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data
