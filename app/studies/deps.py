"""Access to one study: any member, writers (owner, researcher), owners. Non-members get 404."""

from typing import Annotated

from fastapi import Depends

from app.db import SessionDep
from app.deps import PathId, ViewerDep
from app.errors import Forbidden
from app.i18n import _
from app.reviews.models import Role
from app.studies.service import StudyAccess, load_access


def study_member(session: SessionDep, viewer: ViewerDep, study_id: PathId) -> StudyAccess:
    """Any member of the study (owner, researcher, reader)."""
    return load_access(session=session, user=viewer.user, study_id=study_id)


async def study_writer(access: Annotated[StudyAccess, Depends(study_member)]) -> StudyAccess:
    """A member who may change the study; readers get 403."""
    if not access.can_write:
        raise Forbidden(_("Readers can look but not change anything in this study."))
    return access


async def study_owner(access: Annotated[StudyAccess, Depends(study_member)]) -> StudyAccess:
    """The study's owner (members, revealing codings)."""
    if access.role != Role.owner:
        raise Forbidden(_("Only an owner of this study can do this."))
    return access


StudyMemberDep = Annotated[StudyAccess, Depends(study_member)]
StudyWriterDep = Annotated[StudyAccess, Depends(study_writer)]
StudyOwnerDep = Annotated[StudyAccess, Depends(study_owner)]
