"""Fixtures of the report and export tests: the demo case (with a withdrawn quote) shared per module."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reports.demo_case import Demo, build_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[Demo]:
    """The demo case, loaded once per module; tests only read it or add their own rows."""
    built = build_demo(tmp_path_factory.mktemp("reports"), migrated_template)
    yield built
    built.api.close()
    built.app.state.engine.dispose()
