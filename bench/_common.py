"""What the server benchmarks share (live.py, load.py, throughput.py): the ``--postgres``/``--workers`` options and
a started server on a fresh database, stopped and cleaned up afterwards. Imported after the script has put the
repository on ``sys.path``."""

import argparse
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
