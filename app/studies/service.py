"""Use cases of studies (cross-case synthesis): members and cases, the case × theme matrix, blind two-coder
coding with agreement figures, and overarching working elements (werkzame elementen) with computed support.

Cases are read through other areas' services only. A study shows each case as a share-link reader sees it —
the findings tree, factors, stickers, consented quotes and life-line titles — never notes, documents,
interviews or participants' details, whoever looks (a study never widens who sees a case's raw data).
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, event
from sqlmodel import Session, col, select

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.auth.service import user_names
from app.db.base import from_row, utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.findings import service as findings
from app.findings.schemas import FrameworkOut, NodeOut, ThemeOut
from app.group_interview import service as group_interviews
from app.i18n import _
from app.interviews.service import exportable_quotes
from app.reviews import service as reviews
from app.reviews.models import Role
from app.reviews.schemas import MemberCreate, MemberOut
from app.security import can_write
from app.studies import agreement
from app.studies.models import (
    Study,
    StudyCase,
    StudyCoding,
    StudyElement,
    StudyElementSupport,
    StudyElementVersion,
    StudyFramework,
    StudyLiteratureVerdict,
    StudyMember,
)
from app.studies.schemas import (
    AgreementOut,
    CaseCreate,
    CaseLine,
    CaseOut,
    CaseUpdate,
    Cell,
    CellOut,
    CodingOut,
    CodingResolve,
    CodingSet,
    CodingsOut,
    Disagreement,
    ElementCreate,
    ElementOut,
    ElementUpdate,
    ElementVersionOut,
    EvidenceLine,
    FactorLine,
    Illustration,
    LiteratureOut,
    LiteratureRow,
    MatrixOut,
    PerspectiveRound,
    PerspectivesOut,
    SideFirst,
    SideTheme,
    StudyCreate,
    StudyOut,
    StudyUpdate,
    Support,
    SupportIn,
    SupportOut,
    ThemeLine,
    VerdictCell,
    VerdictSet,
)
from app.voting import service as voting

SHARED_EVIDENCE = frozenset({"event", "round", "factor", "quote"})
"""Evidence kinds a share-link reader sees; documents and interviews stay inside their review."""
MAX_CASES = 50
DEFAULT_FRAMEWORK = "working-elements"
"""The framework a matrix, coding or agreement uses when none is named."""


# --- Access -----------------------------------------------------------------------------------------------------


@dataclass
class StudyAccess:
    """A study together with the viewer's membership in it."""

    study: Study
    member: StudyMember
    user: User

    @property
    def study_id(self) -> int:
        """The study's id (the row is loaded, so it has one)."""
        return self.study.id or 0

    @property
    def role(self) -> Role:
        """The viewer's role in this study."""
        return self.member.role

    @property
    def can_write(self) -> bool:
        """Whether the viewer may change this study."""
        return can_write(self.member.role)

    @property
    def actor(self) -> Actor:
        """The viewer as who did something (the audit log's ``user:7``)."""
        return Actor.of(self.user)


def load_access(*, session: Session, user: User, study_id: int) -> StudyAccess:
    """The study and the viewer's membership; 404 when either is missing (existence stays hidden)."""
    study = session.get(Study, study_id)
    member = (
        session.exec(
            select(StudyMember).where(StudyMember.study_id == study_id, StudyMember.user_id == user.id)
        ).first()
        if study
        else None
    )
    if study is None or member is None:
        raise NotFound(_("This study does not exist or you have no access to it."))
    return StudyAccess(study=study, member=member, user=user)


def _audit(session: Session, access: StudyAccess, action: str, detail: str = "") -> None:
    audit.record(session, actor=access.actor, action=action, target=f"study:{access.study.id}", detail=detail)


# --- Studies, members, cases -------------------------------------------------------------------------------------


def create_study(*, session: Session, user: User, data: StudyCreate) -> Study:
    """A new study; the caller becomes its owner."""
    study = Study(**data.model_dump(), created_by=user.id)
    session.add(study)
    session.flush()
    session.add(StudyMember(study_id=study.id or 0, user_id=user.id or 0, role=Role.owner))
    audit.record(session, actor=Actor.of(user), action="study.create", target=f"study:{study.id}")
    return study


def studies_of(*, session: Session, user: User) -> list[tuple[Study, Role]]:
    """Every study the user is a member of, newest first."""
    rows = session.exec(
        select(Study, StudyMember)
        .join(StudyMember, col(StudyMember.study_id) == col(Study.id))
        .where(StudyMember.user_id == user.id)
        .order_by(col(Study.id).desc())
    ).all()
    return [(study, member.role) for study, member in rows]


def update_study(*, session: Session, access: StudyAccess, data: StudyUpdate) -> Study:
    """Change the title, description or research question."""
    for name, value in data.model_dump(exclude_none=True).items():
        setattr(access.study, name, value)
    access.study.updated_at = utcnow()
    session.add(access.study)
    _audit(session, access, "study.update")
    return access.study


def _cases(session: Session, study_id: int) -> list[StudyCase]:
    return list(
        session.exec(
            select(StudyCase).where(StudyCase.study_id == study_id).order_by(col(StudyCase.position), col(StudyCase.id))
        )
    )


def cases_of(*, session: Session, study_id: int) -> list[StudyCase]:
    """The study's cases in their order."""
    return _cases(session, study_id)


def _case_out(session: Session, case: StudyCase) -> CaseOut:
    review = reviews.get_review(session=session, review_id=case.review_id)
    return CaseOut(
        review_id=case.review_id,
        title=review.title,
        case_pseudonym=review.case_pseudonym,
        attributes=json.loads(case.attributes_json),
        factors=len(case_units(session=session, review_id=case.review_id)),
    )


def study_out(*, session: Session, access: StudyAccess) -> StudyOut:
    """A study with its cases as the API answers it."""
    study = access.study
    return from_row(
        StudyOut, study, role=access.role, cases=[_case_out(session, c) for c in _cases(session, study.id or 0)]
    )


def list_members(*, session: Session, study_id: int) -> list[MemberOut]:
    """The members of a study with their roles."""
    return reviews.members_of(session=session, table=StudyMember, where=StudyMember.study_id == study_id)


def add_member(*, session: Session, access: StudyAccess, data: MemberCreate) -> MemberOut:
    """Give an existing account a role in the study (owners only). It grants nothing in the cases' reviews."""
    user = reviews.active_account(session=session, email=data.email)
    study_id = access.study_id
    member = reviews.add_member_row(
        session=session,
        member=StudyMember(study_id=study_id, user_id=user.id or 0, role=data.role),
        where=StudyMember.study_id == study_id,
        user=user,
        taken=_("%(name)s is already a member of this study.", name=user.name),
    )
    _audit(session, access, "study.member.add", f"user:{user.id}:{data.role}")
    return reviews.member_out(member, user)


def add_case(*, session: Session, access: StudyAccess, data: CaseCreate) -> StudyCase:
    """Take a review into the study; only an owner of that review may (404 when not a member of it, 403 when
    not its owner)."""
    role = reviews.role_of(session=session, review_id=data.review_id, user_id=access.user.id or 0)
    if role is None:
        raise NotFound(_("This review does not exist or you have no access to it."))
    if role != Role.owner:
        raise Forbidden(_("Only an owner of a review can add it to a study."))
    cases = _cases(session, access.study_id)
    if any(c.review_id == data.review_id for c in cases):
        raise Conflict(_("This review is already a case of this study."))
    if len(cases) >= MAX_CASES:
        raise InvalidInput(_("A study holds at most %(n)s cases.", n=MAX_CASES))
    case = StudyCase(
        study_id=access.study_id,
        review_id=data.review_id,
        attributes_json=json.dumps(data.attributes, ensure_ascii=False),
        position=len(cases),
        added_by=access.user.id,
    )
    session.add(case)
    session.flush()
    _audit(session, access, "study.case.add", f"review:{data.review_id}")
    return case


def _case(session: Session, study_id: int, review_id: int) -> StudyCase:
    case = session.exec(
        select(StudyCase).where(StudyCase.study_id == study_id, StudyCase.review_id == review_id)
    ).first()
    if case is None:
        raise NotFound(_("This review is not a case of this study."))
    return case


def update_case(*, session: Session, access: StudyAccess, review_id: int, data: CaseUpdate) -> StudyCase:
    """Replace a case's attributes."""
    case = _case(session, access.study_id, review_id)
    case.attributes_json = json.dumps(data.attributes, ensure_ascii=False)
    session.add(case)
    _audit(session, access, "study.case.update", f"review:{review_id}")
    return case


def remove_case(*, session: Session, access: StudyAccess, review_id: int) -> None:
    """Take a case out of the study (its codings and element links in this study go with it)."""
    study_id = access.study_id
    case = _case(session, study_id, review_id)
    session.exec(
        delete(StudyCoding).where(col(StudyCoding.study_id) == study_id, col(StudyCoding.review_id) == review_id)
    )
    session.exec(
        delete(StudyElementSupport).where(
            col(StudyElementSupport.study_id) == study_id, col(StudyElementSupport.review_id) == review_id
        )
    )
    session.delete(case)
    _audit(session, access, "study.case.remove", f"review:{review_id}")


# --- A case as the study sees it ---------------------------------------------------------------------------------


@dataclass
class Unit:
    """A factor (findings-tree node) of a case, with what a share-link reader may see of it."""

    line: FactorLine
    themes: dict[str, set[str]] = field(default_factory=dict)
    quote_ids: list[int] = field(default_factory=list)
    factor_ids: list[int] = field(default_factory=list)


_UNITS = "studies.case_units"
"""Where ``case_units`` keeps its answers within one session (a study page reads each tree several times)."""


@event.listens_for(Session, "after_flush")
def _forget_units(session: Session, _context: object) -> None:
    """Any write in the session may change a tree: read them anew."""
    session.info.pop(_UNITS, None)


def case_units(*, session: Session, review_id: int) -> list[Unit]:
    """Every node in the case's findings tree (merged nodes folded in, deleted ones left out) with its tree path,
    its own coding per framework and its shareable evidence (read once per session until something is written)."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # pending changes are written first (and forget what was read before them)
    cache: dict[int, list[Unit]] = session.info.setdefault(_UNITS, {})
    if review_id not in cache:
        cache[review_id] = _read_units(session, review_id)
    return cache[review_id]


def _read_units(session: Session, review_id: int) -> list[Unit]:
    tree = findings.tree(session=session, review_id=review_id)
    units: list[Unit] = []

    def walk(nodes: list[NodeOut], path: list[str]) -> None:
        for node in nodes:
            themes: dict[str, set[str]] = defaultdict(set)
            for theme in node.themes:
                themes[theme.framework_key].add(theme.key)
            shown = [e for e in node.evidence if e.kind in SHARED_EVIDENCE and e.exportable]
            units.append(
                Unit(
                    line=FactorLine(
                        review_id=review_id,
                        node_id=node.id,
                        title=node.title,
                        path=[*path, node.title],
                        branch=node.branch,
                        stickers=node.stickers,
                        theme_keys=[],
                        evidence=[EvidenceLine(kind=e.kind, label=e.label) for e in shown],
                    ),
                    themes=dict(themes),
                    quote_ids=[e.ref_id for e in shown if e.kind == "quote"],
                    factor_ids=[e.ref_id for e in node.evidence if e.kind == "factor"],
                )
            )
            walk(node.children, [*path, node.title])

    walk(tree.root.children, [tree.root.title])
    walk(tree.hindering, [_("Hindering factors")])
    walk(tree.what_works, [_("What works")])
    return units


def study_frameworks(*, session: Session, study_id: int) -> list[FrameworkOut]:
    """The frameworks a study codes with: the three shipped ones and the study's own (imported codebooks)."""
    shipped = [f for f in findings.frameworks(session=session, review_id=0) if not f.own]
    own = session.exec(
        select(StudyFramework).where(StudyFramework.study_id == study_id).order_by(col(StudyFramework.id))
    ).all()
    return shipped + [
        FrameworkOut(
            id=f.id or 0,
            key=f.key,
            title=f.title,
            own=True,
            themes=[
                ThemeOut(
                    id=0,
                    framework_key=f.key,
                    key=t["key"],
                    title=f"{t['group']}: {t['name']}" if t.get("group") else t["name"],
                )
                for t in json.loads(f.themes_json)
            ],
        )
        for f in own
    ]


def _framework(session: Session, key: str, study_id: int) -> FrameworkOut:
    for framework in study_frameworks(session=session, study_id=study_id):
        if framework.key == key:
            return framework
    raise InvalidInput(_("Unknown framework: %(key)s.", key=key[:80]))


def _check_themes(framework: FrameworkOut, keys: list[str]) -> list[str]:
    known = {t.key for t in framework.themes}
    unknown = sorted(set(keys) - known)
    if unknown:
        raise InvalidInput(_("Unknown theme: %(ids)s.", ids=", ".join(k[:80] for k in unknown[:10])))
    return sorted(set(keys))


def _all_units(session: Session, study_id: int) -> dict[int, list[Unit]]:
    return {c.review_id: case_units(session=session, review_id=c.review_id) for c in _cases(session, study_id)}


def _resolved(session: Session, study_id: int, framework: str) -> dict[int, StudyCoding]:
    rows = session.exec(
        select(StudyCoding).where(
            StudyCoding.study_id == study_id,
            StudyCoding.framework_key == framework,
            col(StudyCoding.coder_id).is_(None),
        )
    ).all()
    return {r.node_id: r for r in rows}


def _study_coding(unit: Unit, framework: str, resolved: dict[int, StudyCoding]) -> set[str]:
    """The study's coding of a unit: the resolved coding if there is one, else the case's own tree coding."""
    row = resolved.get(unit.line.node_id)
    if row is not None:
        return set(json.loads(row.theme_keys_json))
    return unit.themes.get(framework, set())


# --- The matrix --------------------------------------------------------------------------------------------------


def _filtered_cases(session: Session, study_id: int, attribute: str | None, value: str | None) -> list[StudyCase]:
    cases = _cases(session, study_id)
    if attribute:
        cases = [c for c in cases if json.loads(c.attributes_json).get(attribute) == (value or "")]
    return cases


def matrix(
    *, session: Session, study_id: int, framework_key: str, attribute: str | None = None, value: str | None = None
) -> MatrixOut:
    """Themes × cases: per cell the coded factors, their evidence and stickers, and the sticker share."""
    framework = _framework(session, framework_key, study_id)
    resolved = _resolved(session, study_id, framework_key)
    cases = _filtered_cases(session, study_id, attribute, value)
    columns: list[CaseLine] = []
    cells: list[Cell] = []
    present: dict[str, int] = {t.key: 0 for t in framework.themes}
    for case in cases:
        review = reviews.get_review(session=session, review_id=case.review_id)
        columns.append(CaseLine(review_id=case.review_id, title=review.case_pseudonym or review.title))
        units = case_units(session=session, review_id=case.review_id)
        total = voting.sticker_total(session=session, review_id=case.review_id)
        for theme in framework.themes:
            coded = [u for u in units if theme.key in _study_coding(u, framework_key, resolved)]
            stickers = sum(u.line.stickers for u in coded)
            if coded:
                present[theme.key] += 1
            cells.append(
                Cell(
                    theme_key=theme.key,
                    review_id=case.review_id,
                    factors=len(coded),
                    evidence=sum(len(u.line.evidence) for u in coded),
                    stickers=stickers,
                    sticker_share=round(stickers / total, 4) if total else None,
                )
            )
    return MatrixOut(
        framework=framework_key,
        themes=[ThemeLine(key=t.key, title=t.title) for t in framework.themes],
        cases=columns,
        cells=cells,
        present=present,
    )


def side_by_side(*, session: Session, study_id: int, framework_key: str) -> list[tuple[CaseLine, list[FactorLine]]]:
    """Every case's findings tree as a list of factors in tree order (depth = len(path) − 1), each with the study's
    coding for the framework: the small multiples of the study page."""
    _framework(session, framework_key, study_id)
    resolved = _resolved(session, study_id, framework_key)
    out = []
    for case in _cases(session, study_id):
        review = reviews.get_review(session=session, review_id=case.review_id)
        lines = [
            u.line.model_copy(update={"theme_keys": sorted(_study_coding(u, framework_key, resolved))})
            for u in case_units(session=session, review_id=case.review_id)
        ]
        out.append((CaseLine(review_id=case.review_id, title=review.case_pseudonym or review.title), lines))
    return out


def cell(*, session: Session, study_id: int, framework_key: str, theme_key: str, review_id: int) -> CellOut:
    """The factors behind one cell, with their tree path and evidence."""
    _case(session, study_id, review_id)
    framework = _framework(session, framework_key, study_id)
    theme = next((t for t in framework.themes if t.key == theme_key), None)
    if theme is None:
        raise NotFound(_("Unknown theme: %(ids)s.", ids=theme_key[:80]))
    review = reviews.get_review(session=session, review_id=review_id)
    resolved = _resolved(session, study_id, framework_key)
    lines = []
    for unit in case_units(session=session, review_id=review_id):
        coding = _study_coding(unit, framework_key, resolved)
        if theme_key in coding:
            lines.append(unit.line.model_copy(update={"theme_keys": sorted(coding)}))
    return CellOut(
        theme_key=theme_key,
        theme_title=theme.title,
        review_id=review_id,
        case_title=review.case_pseudonym or review.title,
        factors=lines,
    )


# --- Codings, blindness and agreement -------------------------------------------------------------------------


def _unit_of(session: Session, study_id: int, review_id: int, node_id: int) -> Unit:
    _case(session, study_id, review_id)
    for unit in case_units(session=session, review_id=review_id):
        if unit.line.node_id == node_id:
            return unit
    raise NotFound(_("This node is not in the findings tree of that case."))


def _coded_themes(
    session: Session, access: StudyAccess, review_id: int, node_id: int, data: CodingSet | CodingResolve
) -> list[str]:
    """The themes a coding gives, checked against its framework; 404 for a node not in that case's tree."""
    keys = _check_themes(_framework(session, data.framework, access.study_id), data.theme_keys)
    _unit_of(session, access.study_id, review_id, node_id)
    return keys


def _coding_out(row: StudyCoding, coder: str) -> CodingOut:
    return from_row(CodingOut, row, coder=coder, theme_keys=json.loads(row.theme_keys_json))


def _save_coding(
    session: Session, access: StudyAccess, row: StudyCoding, keys: list[str], *, action: str, coder: str
) -> CodingOut:
    """Save a coding with ``keys`` as the caller's change of now, log ``action`` and answer it as ``coder``'s."""
    row.theme_keys_json, row.updated_at, row.updated_by = json.dumps(keys), utcnow(), access.user.id
    session.add(row)
    session.flush()
    _audit(session, access, action, f"{row.framework_key}:node:{row.node_id}")
    return _coding_out(row, coder)


def set_coding(*, session: Session, access: StudyAccess, review_id: int, node_id: int, data: CodingSet) -> CodingOut:
    """Record the caller's own coding of one node (a coder never changes another's)."""
    study_id = access.study_id
    keys = _coded_themes(session, access, review_id, node_id, data)
    row = session.exec(
        select(StudyCoding).where(
            StudyCoding.study_id == study_id,
            StudyCoding.node_id == node_id,
            StudyCoding.framework_key == data.framework,
            StudyCoding.coder_id == access.user.id,
        )
    ).first() or StudyCoding(
        study_id=study_id, review_id=review_id, node_id=node_id, framework_key=data.framework, coder_id=access.user.id
    )
    return _save_coding(session, access, row, keys, action="study.coding", coder=access.user.name)


def _revealed(study: Study) -> set[str]:
    return set(json.loads(study.revealed_json))


def reveal(*, session: Session, access: StudyAccess, framework_key: str) -> None:
    """The owner lifts the blinding of a framework's coding for every member."""
    _framework(session, framework_key, access.study_id)
    revealed = _revealed(access.study) | {framework_key}
    access.study.revealed_json = json.dumps(sorted(revealed))
    session.add(access.study)
    _audit(session, access, "study.reveal", framework_key)


def _codings(session: Session, study_id: int, framework: str) -> list[StudyCoding]:
    return list(
        session.exec(
            select(StudyCoding)
            .where(StudyCoding.study_id == study_id, StudyCoding.framework_key == framework)
            .order_by(col(StudyCoding.id))
        )
    )


def codings_of(*, session: Session, study_id: int, framework_key: str) -> list[StudyCoding]:
    """Every coding of a framework in the study (all coders and the resolved ones): for exports, never shown
    to a coder who is still blind."""
    return _codings(session, study_id, framework_key)


def _blind(access: StudyAccess, framework: str, unit_ids: set[int], rows: list[StudyCoding]) -> bool:
    if framework in _revealed(access.study):
        return False
    mine = {r.node_id for r in rows if r.coder_id == access.user.id}
    return not unit_ids or not unit_ids <= mine


def codings(*, session: Session, access: StudyAccess, framework_key: str) -> CodingsOut:
    """The caller's codings; everyone's (and the resolved ones) once the caller coded every unit or the owner
    revealed."""
    study_id = access.study_id
    _framework(session, framework_key, study_id)
    unit_ids = {u.line.node_id for units in _all_units(session, study_id).values() for u in units}
    rows = [r for r in _codings(session, study_id, framework_key) if r.node_id in unit_ids]
    blind = _blind(access, framework_key, unit_ids, rows)
    names = {m.user_id: m.name for m in list_members(session=session, study_id=study_id)}
    shown = [r for r in rows if r.coder_id == access.user.id or not blind]
    return CodingsOut(
        framework=framework_key,
        blind=blind,
        units=len(unit_ids),
        coded_by_me=sum(1 for r in rows if r.coder_id == access.user.id),
        codings=[_coding_out(r, names.get(r.coder_id or 0, "?") if r.coder_id else _("resolved")) for r in shown],
    )


def agreement_of(*, session: Session, access: StudyAccess, framework_key: str) -> AgreementOut:
    """Agreement between the coders of a framework; the list of disagreements only for an unblinded caller."""
    study_id = access.study_id
    framework = _framework(session, framework_key, study_id)
    all_units = {u.line.node_id: u for units in _all_units(session, study_id).values() for u in units}
    rows = [r for r in _codings(session, study_id, framework_key) if r.node_id in all_units]
    coded: dict[int, dict[int, frozenset[str]]] = defaultdict(dict)
    for r in rows:
        if r.coder_id is not None:
            coded[r.node_id][r.coder_id] = frozenset(json.loads(r.theme_keys_json))
    coders = {c for codes in coded.values() for c in codes}
    kappa, kappa_n = agreement.kappa_per_theme(coded, [t.key for t in framework.themes])
    alpha = agreement.krippendorff_alpha(coded)
    blind = _blind(access, framework_key, set(all_units), rows)
    disagreements = None
    if not blind:
        names = {m.user_id: m.name for m in list_members(session=session, study_id=study_id)}
        resolved = {r.node_id: r for r in rows if r.coder_id is None}
        disagreements = [
            Disagreement(
                review_id=all_units[node_id].line.review_id,
                node_id=node_id,
                title=all_units[node_id].line.title,
                codings={names.get(c, str(c)): sorted(v) for c, v in codes.items()},
                resolved=json.loads(resolved[node_id].theme_keys_json) if node_id in resolved else None,
                rationale=resolved[node_id].rationale if node_id in resolved else "",
            )
            for node_id, codes in coded.items()
            if len(codes) >= 2 and len(set(codes.values())) > 1
        ]
    rounded = {k: (round(v, 4) if v is not None else None) for k, v in kappa.items()}
    pa = agreement.percent_agreement(coded)
    masi = agreement.krippendorff_alpha(coded, agreement.masi)
    return AgreementOut(
        framework=framework_key,
        coders=len(coders),
        units=len(agreement.pairable(coded)),
        percent_agreement=round(pa, 4) if pa is not None else None,
        kappa=rounded,
        kappa_n=kappa_n,
        alpha=round(alpha, 4) if alpha is not None else None,
        alpha_masi=round(masi, 4) if masi is not None else None,
        alpha_interval=agreement.bootstrap_alpha(coded),
        disagreements=disagreements,
    )


def resolve_coding(
    *, session: Session, access: StudyAccess, review_id: int, node_id: int, data: CodingResolve
) -> CodingOut:
    """Record the agreed coding of a node with its rationale; it becomes the study's coding of that node."""
    study_id = access.study_id
    keys = _coded_themes(session, access, review_id, node_id, data)
    row = _resolved(session, study_id, data.framework).get(node_id) or StudyCoding(
        study_id=study_id, review_id=review_id, node_id=node_id, framework_key=data.framework, coder_id=None
    )
    row.rationale = data.rationale
    return _save_coding(session, access, row, keys, action="study.coding.resolve", coder=_("resolved"))


# --- Overarching elements ------------------------------------------------------------------------------------


def _elements(session: Session, study_id: int, *, deleted: bool = False) -> list[StudyElement]:
    """The study's elements in their order: those in its list, or (``deleted``) the removed ones."""
    return list(
        session.exec(
            select(StudyElement)
            .where(StudyElement.study_id == study_id, StudyElement.deleted == deleted)
            .order_by(col(StudyElement.position), col(StudyElement.id))
        )
    )


def _supports(session: Session, element_id: int) -> list[StudyElementSupport]:
    return list(
        session.exec(
            select(StudyElementSupport)
            .where(StudyElementSupport.element_id == element_id)
            .order_by(col(StudyElementSupport.id))
        )
    )


def element_out(*, session: Session, element: StudyElement, units: dict[int, list[Unit]] | None = None) -> ElementOut:
    """An element with its support computed from the cases' trees as they are now."""
    units = units if units is not None else _all_units(session, element.study_id)
    by_node = {u.line.node_id: u for case in units.values() for u in case}
    supports: list[SupportOut] = []
    present: list[Unit] = []
    counter = 0
    for link in _supports(session, element.id or 0):
        unit = by_node.get(link.node_id) if link.review_id in units else None
        supports.append(
            SupportOut(
                review_id=link.review_id,
                node_id=link.node_id,
                title=unit.line.title if unit else _("(no longer in the tree)"),
                counter=link.counter,
                present=unit is not None,
                stickers=unit.line.stickers if unit else 0,
            )
        )
        if unit is not None:
            if link.counter:
                counter += 1
            else:
                present.append(unit)
    cases = len({u.line.review_id for u in present})
    illustrations: list[Illustration] = []
    for review_id in sorted({u.line.review_id for u in present}):
        wanted = {q for u in present if u.line.review_id == review_id for q in u.quote_ids}
        if wanted:
            illustrations += [
                Illustration(review_id=review_id, speaker=q.speaker, text=q.text)
                for q in exportable_quotes(session=session, review_id=review_id)
                if q.id in wanted
            ]
    return from_row(
        ElementOut,
        element,
        theme_keys=json.loads(element.theme_keys_json),
        supports=supports,
        support=Support(
            cases=cases,
            of_cases=len(units),
            factors=len(present),
            stickers=sum(u.line.stickers for u in present),
            counter=counter,
            text=_("in %(n)s of %(total)s cases", n=cases, total=len(units)),
        ),
        illustrations=illustrations,
    )


def list_elements(*, session: Session, study_id: int, deleted: bool = False) -> list[ElementOut]:
    """The study's overarching elements in their order, each with its computed support (``deleted``: the
    removed ones, which keep their history and can be restored)."""
    units = _all_units(session, study_id)
    elements = _elements(session, study_id, deleted=deleted)
    return [element_out(session=session, element=e, units=units) for e in elements]


def get_element(*, session: Session, study_id: int, element_id: int) -> StudyElement:
    """One element of this study."""
    element = session.get(StudyElement, element_id)
    if element is None or element.study_id != study_id:
        raise NotFound(_("This element does not exist."))
    return element


def _check_supports(session: Session, study_id: int, supports: list[SupportIn]) -> list[SupportIn]:
    cases = {c.review_id for c in _cases(session, study_id)}
    seen: dict[int, SupportIn] = {}
    for support in supports:
        if support.review_id not in cases:
            raise InvalidInput(_("Review %(id)s is not a case of this study.", id=support.review_id))
        seen[support.node_id] = support
    for review_id in {s.review_id for s in seen.values()}:
        known = {u.line.node_id for u in case_units(session=session, review_id=review_id)}
        missing = sorted(s.node_id for s in seen.values() if s.review_id == review_id and s.node_id not in known)
        if missing:
            raise InvalidInput(_("Node %(ids)s is not in the findings tree of that case.", ids=missing[0]))
    return list(seen.values())


def _snapshot(session: Session, element: StudyElement, change: str, user: User) -> None:
    links = [
        {"review_id": s.review_id, "node_id": s.node_id, "counter": s.counter}
        for s in _supports(session, element.id or 0)
    ]
    snapshot = {
        "title": element.title,
        "explanation": element.explanation,
        "theme_keys": json.loads(element.theme_keys_json),
        "position": element.position,
        "supports": links,
    }
    session.add(
        StudyElementVersion(
            element_id=element.id or 0,
            version=element.version,
            change=change,
            changed_by=user.id,
            snapshot_json=json.dumps(snapshot, ensure_ascii=False),
        )
    )


def _set_supports(session: Session, element: StudyElement, supports: list[SupportIn]) -> None:
    session.exec(delete(StudyElementSupport).where(col(StudyElementSupport.element_id) == element.id))
    for s in supports:
        session.add(
            StudyElementSupport(
                element_id=element.id or 0,
                study_id=element.study_id,
                review_id=s.review_id,
                node_id=s.node_id,
                counter=s.counter,
            )
        )
    session.flush()


def _check_element_themes(session: Session, study_id: int, keys: list[str]) -> list[str]:
    known = {t.key for f in study_frameworks(session=session, study_id=study_id) for t in f.themes}
    unknown = sorted(set(keys) - known)
    if unknown:
        raise InvalidInput(_("Unknown theme: %(ids)s.", ids=", ".join(k[:80] for k in unknown[:10])))
    return list(dict.fromkeys(keys))


def create_element(*, session: Session, access: StudyAccess, data: ElementCreate) -> StudyElement:
    """A new overarching element, last in the order; supports must be nodes of the study's cases (else 422)."""
    study_id = access.study_id
    supports = _check_supports(session, study_id, data.supports)
    element = StudyElement(
        study_id=study_id,
        title=data.title,
        explanation=data.explanation,
        theme_keys_json=json.dumps(_check_element_themes(session, study_id, data.theme_keys)),
        position=len(_elements(session, study_id)),
        updated_by=access.user.id,
    )
    session.add(element)
    session.flush()
    _set_supports(session, element, supports)
    _snapshot(session, element, "create", access.user)
    _audit(session, access, "study.element.create", f"element:{element.id}")
    return element


def update_element(*, session: Session, access: StudyAccess, element_id: int, data: ElementUpdate) -> StudyElement:
    """Change an element based on ``version`` (409 with the current one when it is stale); reorder by position."""
    study_id = access.study_id
    element = _current(session, study_id, element_id, data.version)
    if data.supports is not None:
        _set_supports(session, element, _check_supports(session, study_id, data.supports))
    if data.title is not None:
        element.title = data.title
    if data.explanation is not None:
        element.explanation = data.explanation
    if data.theme_keys is not None:
        element.theme_keys_json = json.dumps(_check_element_themes(session, study_id, data.theme_keys))
    if data.position is not None:
        others = [e for e in _elements(session, study_id) if e.id != element.id]
        others.insert(min(data.position, len(others)), element)
        for position, item in enumerate(others):
            item.position = position
            session.add(item)
    element.version += 1
    element.updated_at, element.updated_by = utcnow(), access.user.id
    session.add(element)
    session.flush()
    _snapshot(session, element, "update", access.user)
    _audit(session, access, "study.element.update", f"element:{element.id}")
    return element


def element_versions(*, session: Session, study_id: int, element_id: int) -> list[ElementVersionOut]:
    """The history of an element, newest first: each version's statement and links, who made it and when."""
    get_element(session=session, study_id=study_id, element_id=element_id)
    rows = list(
        session.exec(
            select(StudyElementVersion)
            .where(StudyElementVersion.element_id == element_id)
            .order_by(col(StudyElementVersion.version).desc())
        )
    )
    names = user_names(session=session, user_ids=(r.changed_by for r in rows))
    out = []
    for row in rows:
        snapshot = json.loads(row.snapshot_json)
        links = snapshot.get("supports", [])
        out.append(
            ElementVersionOut(
                version=row.version,
                change=row.change,
                by=names.get(row.changed_by or 0, _("a former member")),
                at=row.changed_at,
                title=snapshot.get("title", ""),
                explanation=snapshot.get("explanation", ""),
                supports=sum(1 for s in links if not s.get("counter")),
                counter=sum(1 for s in links if s.get("counter")),
            )
        )
    return out


def element_snapshot(*, session: Session, element_id: int, version: int) -> dict[str, Any] | None:
    """What an element said at one version (title, explanation, theme_keys, position, supports), if kept."""
    row = session.exec(
        select(StudyElementVersion).where(
            StudyElementVersion.element_id == element_id, StudyElementVersion.version == version
        )
    ).first()
    return json.loads(row.snapshot_json) if row else None


class RemovedOrNot(Conflict):
    """409: the element was removed (restore it first), or a restore met an element that is not removed."""


def _current(session: Session, study_id: int, element_id: int, version: int, *, deleted: bool = False) -> StudyElement:
    """The element to change: :class:`RemovedOrNot` when it was removed (or, ``deleted``, is not); a plain
    :class:`Conflict` with the current element when ``version`` is stale."""
    element = get_element(session=session, study_id=study_id, element_id=element_id)
    if element.deleted != deleted:
        raise RemovedOrNot(
            _("This element was removed. Restore it before changing it.")
            if element.deleted
            else _("This element is not removed.")
        )
    if version != element.version:
        raise Conflict(
            _("Someone else changed this element in the meantime. Reload it and try again."),
            detail={"current": element_out(session=session, element=element).model_dump(mode="json")},
        )
    return element


def delete_element(*, session: Session, access: StudyAccess, element_id: int, version: int) -> None:
    """Remove an element from the study's list based on ``version`` (409 when stale): it keeps its history and
    can be restored, as a life-line event can."""
    _set_deleted(session, access, element_id, version, deleted=True)


def restore_element(*, session: Session, access: StudyAccess, element_id: int, version: int) -> StudyElement:
    """Bring a removed element back, at the end of the list."""
    return _set_deleted(session, access, element_id, version, deleted=False)


def _set_deleted(
    session: Session, access: StudyAccess, element_id: int, version: int, *, deleted: bool
) -> StudyElement:
    element = _current(session, access.study_id, element_id, version, deleted=not deleted)
    if not deleted:
        element.position = len(_elements(session, access.study_id))
    element.deleted = deleted
    element.version += 1
    element.updated_at, element.updated_by = utcnow(), access.user.id
    session.add(element)
    session.flush()
    change = "delete" if deleted else "restore"
    _snapshot(session, element, change, access.user)
    _audit(session, access, f"study.element.{change}", f"element:{element_id}")
    return element


# --- Comparison with the literature ----------------------------------------------------------------------------


def _proposed(units: list[Unit], framework: str, theme_key: str, resolved: dict[int, StudyCoding]) -> str:
    """Recognised when a success factor (or what works) carries the element; partly when only hindering factors
    do (it showed by its absence); not seen otherwise."""
    branches = {u.line.branch for u in units if theme_key in _study_coding(u, framework, resolved)}
    if branches & {"success", "what_works"}:
        return "recognised"
    return "partly" if branches else "not_seen"


def literature(*, session: Session, study_id: int, framework_key: str) -> LiteratureOut:
    """Per element of a framework (e.g. the working elements of integrated help) and per case: recognised, partly
    or not seen — proposed from the coding, overridden where a researcher gave a verdict."""
    framework = _framework(session, framework_key, study_id)
    resolved = _resolved(session, study_id, framework_key)
    units = _all_units(session, study_id)
    verdicts = {
        (v.theme_key, v.review_id): v
        for v in session.exec(
            select(StudyLiteratureVerdict).where(
                StudyLiteratureVerdict.study_id == study_id, StudyLiteratureVerdict.framework_key == framework_key
            )
        )
    }
    cases = [
        CaseLine(
            review_id=rid, title=(r := reviews.get_review(session=session, review_id=rid)).case_pseudonym or r.title
        )
        for rid in units
    ]
    names = user_names(session=session, user_ids=(v.updated_by for v in verdicts.values()))
    rows = []
    for theme in framework.themes:
        cells = []
        for review_id, case in units.items():
            proposed = _proposed(case, framework_key, theme.key, resolved)
            given = verdicts.get((theme.key, review_id))
            cells.append(
                VerdictCell(
                    review_id=review_id,
                    proposed=proposed,
                    verdict=(given.verdict if given else proposed),
                    overridden=given is not None,
                    note=given.note if given else "",
                    by=(names.get(given.updated_by or 0, _("a former member")) if given else None),
                    at=given.updated_at if given else None,
                )
            )
        rows.append(
            LiteratureRow(
                key=theme.key,
                title=theme.title,
                cases=cells,
                recognised_in=sum(1 for c in cells if c.verdict == "recognised"),
            )
        )
    return LiteratureOut(framework=framework_key, cases=cases, rows=rows)


def set_verdict(*, session: Session, access: StudyAccess, review_id: int, theme_key: str, data: VerdictSet) -> None:
    """Override the proposed verdict for one element in one case, with a note."""
    study_id = access.study_id
    _case(session, study_id, review_id)
    _check_themes(_framework(session, data.framework, study_id), [theme_key])
    row = session.exec(
        select(StudyLiteratureVerdict).where(
            StudyLiteratureVerdict.study_id == study_id,
            StudyLiteratureVerdict.framework_key == data.framework,
            StudyLiteratureVerdict.theme_key == theme_key,
            StudyLiteratureVerdict.review_id == review_id,
        )
    ).first() or StudyLiteratureVerdict(
        study_id=study_id, review_id=review_id, framework_key=data.framework, theme_key=theme_key, verdict=data.verdict
    )
    row.verdict, row.note, row.updated_by, row.updated_at = data.verdict, data.note, access.user.id, utcnow()
    session.add(row)
    _audit(session, access, "study.literature", f"{data.framework}:{theme_key}:review:{review_id}")


# --- Perspectives ----------------------------------------------------------------------------------------------


def _side_first(rows: list[tuple[int, int | None]]) -> tuple[bool, list[int], int]:
    """(shown, the factor ids with the most stickers of one side, that number); not shown: too few voters."""
    if not rows or any(n is None for _factor, n in rows):
        return False, [], 0
    best = max(n or 0 for _factor, n in rows)
    return True, [f for f, n in rows if n == best] if best else [], best


def perspectives(*, session: Session, study_id: int, framework_key: str = DEFAULT_FRAMEWORK) -> PerspectivesOut:
    """Per case and across the study: in every sticker round counted per side, the factors the family (parent,
    child, network) and the professionals put first; a side with fewer than 3 voters in a round is not shown.
    Across the study, the themes (of ``framework_key``, the study's coding of the tree nodes those factors back)
    that each side's first factors carry, with in how many rounds."""
    framework = _framework(session, framework_key, study_id)
    resolved = _resolved(session, study_id, framework_key)
    rounds: list[PerspectiveRound] = []
    carried: dict[str, Counter[str]] = {"family": Counter(), "professional": Counter()}
    for case in _cases(session, study_id):
        review = reviews.get_review(session=session, review_id=case.review_id)
        factors = group_interviews.list_factors(session=session, review_id=case.review_id)
        titles = {f.id: f.title for f in factors}
        themes_of: dict[int, set[str]] = defaultdict(set)
        for unit in case_units(session=session, review_id=case.review_id):
            for factor_id in unit.factor_ids:
                themes_of[factor_id] |= _study_coding(unit, framework_key, resolved)
        for sticker_round in voting.list_rounds(session=session, review_id=case.review_id):
            if not sticker_round.perspectives:
                continue
            rows = voting.perspectives(session=session, review_id=case.review_id, round_id=sticker_round.id or 0)
            sides = {
                "family": _side_first([(r.factor_id, r.family) for r in rows]),
                "professional": _side_first([(r.factor_id, r.professional) for r in rows]),
            }
            for side, (_shown, first, _n) in sides.items():
                carried[side].update({key for factor_id in first for key in themes_of.get(factor_id, set())})
            family, professional = (
                SideFirst(shown=shown, factors=[titles.get(i, "?") for i in first], stickers=n)
                for shown, first, n in sides.values()
            )
            both = family.shown and professional.shown
            rounds.append(
                PerspectiveRound(
                    review_id=case.review_id,
                    case=review.case_pseudonym or review.title,
                    round_id=sticker_round.id or 0,
                    round_kind=_("Strengths") if sticker_round.kind == "success" else _("Points for improvement"),
                    family=family,
                    professional=professional,
                    same_first=bool(set(family.factors) & set(professional.factors)) if both else None,
                )
            )
    compared = [r for r in rounds if r.same_first is not None]
    titles_of = {t.key: t.title for t in framework.themes}
    return PerspectivesOut(
        framework=framework_key,
        rounds=rounds,
        compared=len(compared),
        same_first=sum(1 for r in compared if r.same_first),
        themes={
            side: [SideTheme(key=k, title=titles_of[k], rounds=n) for k, n in counts.most_common() if k in titles_of]
            for side, counts in carried.items()
        },
    )


# --- Codebooks ---------------------------------------------------------------------------------------------------


def framework_of(*, session: Session, study_id: int, key: str) -> FrameworkOut:
    """One of the study's frameworks (shipped or own); 404 when unknown."""
    for framework in study_frameworks(session=session, study_id=study_id):
        if framework.key == key:
            return framework
    raise NotFound(_("Unknown framework: %(key)s.", key=key[:80]))


def import_framework(
    *, session: Session, access: StudyAccess, title: str, themes: list[dict[str, str]]
) -> FrameworkOut:
    """The study's own framework from an imported codebook (already parsed and bounded)."""
    study_id = access.study_id
    count = len(session.exec(select(StudyFramework.id).where(StudyFramework.study_id == study_id)).all())
    framework = StudyFramework(
        study_id=study_id,
        key=f"study-{study_id}-{count + 1}",
        title=title,
        themes_json=json.dumps(themes, ensure_ascii=False),
        created_by=access.user.id,
    )
    session.add(framework)
    session.flush()
    _audit(session, access, "study.framework.import", framework.key)
    return framework_of(session=session, study_id=study_id, key=framework.key)
