"""The combined metadata: imports every area's tables, so that Alembic and ``create_all`` see them all.

Tables live with their area (``app/<area>/models.py``; the audit log in ``app.audit.models``, the live event log in
``app.live.models``, rate-limit windows in ``app.shared_limits``); what they share is in ``app.db.base``. Import a
table from its area, not from here. ``UTCDateTime`` stays reachable here for the migrations that name it so.
"""

from app.audit import models as audit_models
from app.auth import models as auth_models
from app.db.base import UTCDateTime, metadata
from app.documents import models as documents_models
from app.findings import models as findings_models
from app.group_interview import models as group_interview_models
from app.interviews import models as interviews_models
from app.live import models as live_models
from app.participants import models as participants_models
from app.reviews import models as reviews_models
from app.shared_limits import RateLimitWindow
from app.sharing import models as sharing_models
from app.timeline import models as timeline_models
from app.voting import models as voting_models

AREA_MODELS = (
    auth_models,
    reviews_models,
    participants_models,
    audit_models,
    timeline_models,
    group_interview_models,
    voting_models,
    live_models,
    interviews_models,
    documents_models,
    findings_models,
    sharing_models,
)
"""Every module that declares tables (with ``RateLimitWindow`` of ``app.shared_limits``)."""

__all__ = ["AREA_MODELS", "RateLimitWindow", "UTCDateTime", "metadata"]
