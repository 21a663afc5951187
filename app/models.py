"""The combined metadata: imports every area's tables, so that Alembic and ``create_all`` see them all.

Tables live with their area (``app/<area>/models.py``; the audit log in ``app.audit.models``, the live event log in
``app.live.models``, rate-limit windows in ``app.shared_limits``); what they share is in ``app.db.base``. Import a
table from its area, not from here. Every ``app/<package>/models.py`` is found by itself: a new area's tables
need no line here. ``UTCDateTime`` stays reachable here for the migrations that name it so.
"""

import importlib
from pathlib import Path
from types import ModuleType

from app.db.base import UTCDateTime, metadata
from app.shared_limits import RateLimitWindow

_APP = Path(__file__).resolve().parent


def _area_models() -> tuple[ModuleType, ...]:
    folders = sorted(d.name for d in _APP.iterdir() if (d / "models.py").is_file())
    return tuple(importlib.import_module(f"app.{name}.models") for name in folders)


AREA_MODELS = _area_models()
"""Every module that declares tables (with ``RateLimitWindow`` of ``app.shared_limits``)."""

__all__ = ["AREA_MODELS", "RateLimitWindow", "UTCDateTime", "metadata"]
