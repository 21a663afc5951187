"""Request and response shapes of studies: members, cases, the matrix, codings, agreement and elements."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator

from app.http_schemas import RequestBody
from app.i18n import _
from app.reviews.models import Role
from app.validation import Clean, Id

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Clean]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000), Clean]
Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), Clean]
AttrKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), Clean]
AttrValue = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean]
MAX_ATTRIBUTES = 30


class StudyCreate(RequestBody):
    """A new study; the caller becomes its owner."""

    title: Title
    description: LongText = ""
    research_question: LongText = ""


class StudyUpdate(RequestBody):
    """Changed fields of a study (only those given)."""

    title: Title | None = None
    description: LongText | None = None
    research_question: LongText | None = None


def _bounded(value: dict[str, str]) -> dict[str, str]:
    if len(value) > MAX_ATTRIBUTES:
        raise ValueError(_("At most %(n)s attributes per case.", n=MAX_ATTRIBUTES))
    return value


class CaseCreate(RequestBody):
    """Take a review into the study as a case (only an owner of that review may)."""

    review_id: Id
    attributes: dict[AttrKey, AttrValue] = Field(default_factory=dict, description="e.g. municipality, age")

    _check = field_validator("attributes")(_bounded)


class CaseUpdate(RequestBody):
    """Replace a case's attributes."""

    attributes: dict[AttrKey, AttrValue]

    _check = field_validator("attributes")(_bounded)


class CaseOut(BaseModel):
    """A case of a study: the review's title and pseudonym, its attributes."""

    review_id: int
    title: str
    case_pseudonym: str
    attributes: dict[str, str]
    factors: int = Field(description="Nodes in the case's findings tree")


class StudyOut(BaseModel):
    """A study with the viewer's role and its cases."""

    id: int
    title: str
    description: str
    research_question: str
    role: Role
    cases: list[CaseOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class ThemeLine(BaseModel):
    """A theme of a framework (a matrix row)."""

    key: str
    title: str


class CaseLine(BaseModel):
    """A case as a matrix column."""

    review_id: int
    title: str


class Cell(BaseModel):
    """One theme in one case: the coded factors (tree nodes), their evidence and stickers."""

    theme_key: str
    review_id: int
    factors: int
    evidence: int
    stickers: int
    sticker_share: float | None = Field(description="Stickers ÷ all stickers of the case's rounds; null: none")


class MatrixOut(BaseModel):
    """Themes × cases for one framework, with in how many cases each theme is present."""

    framework: str
    themes: list[ThemeLine]
    cases: list[CaseLine]
    cells: list[Cell]
    present: dict[str, int] = Field(description="Per theme: in how many cases it is coded")


class EvidenceLine(BaseModel):
    """Evidence behind a factor as a share-link reader sees it."""

    kind: str
    label: str


class FactorLine(BaseModel):
    """A factor (findings-tree node) of a case with its tree path and evidence."""

    review_id: int
    node_id: int
    title: str
    path: list[str]
    branch: str
    stickers: int
    theme_keys: list[str]
    evidence: list[EvidenceLine]


class CellOut(BaseModel):
    """What is behind one matrix cell."""

    theme_key: str
    theme_title: str
    review_id: int
    case_title: str
    factors: list[FactorLine]


class CodingSet(RequestBody):
    """The caller's own coding of one node with themes of a framework (replaces it)."""

    framework: Key
    theme_keys: list[Key] = Field(max_length=60)


class CodingResolve(RequestBody):
    """The agreed coding of a node after a disagreement, with the reason; it becomes the study's coding."""

    framework: Key
    theme_keys: list[Key] = Field(max_length=60)
    rationale: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), Clean]


class CodingOut(BaseModel):
    """One coder's coding of one node (``coder_id`` null: the resolved coding)."""

    review_id: int
    node_id: int
    coder_id: int | None
    coder: str
    theme_keys: list[str]
    rationale: str = ""
    updated_at: dt.datetime


class CodingsOut(BaseModel):
    """Codings of a framework as the caller may see them: their own, and others' once unblinded."""

    framework: str
    blind: bool = Field(description="True while the caller has not coded every unit and the owner did not reveal")
    units: int
    coded_by_me: int
    codings: list[CodingOut]


class Disagreement(BaseModel):
    """A unit where the coders chose different themes."""

    review_id: int
    node_id: int
    title: str
    codings: dict[str, list[str]]
    resolved: list[str] | None
    rationale: str


class AgreementOut(BaseModel):
    """Agreement between coders on one framework."""

    framework: str
    coders: int
    units: int = Field(description="Units coded by at least two coders")
    percent_agreement: float | None = Field(description="Share (0–1) of units with the same set of themes")
    kappa: dict[str, float | None] = Field(description="Cohen's κ per theme on presence (mean over coder pairs)")
    kappa_n: dict[str, int]
    alpha: float | None = Field(description="Krippendorff's α, nominal on the set of themes")
    alpha_masi: float | None = Field(description="Krippendorff's α with the MASI distance")
    alpha_interval: list[float] | None = Field(description="95 % bootstrap interval of α (1000 resamples)")
    disagreements: list[Disagreement] | None = Field(description="Null while the caller is blind")


class SupportIn(RequestBody):
    """A node of a case that supports (or with ``counter``, contradicts) an element."""

    review_id: Id
    node_id: Id
    counter: bool = False


class ElementCreate(RequestBody):
    """A new overarching element (werkzaam element)."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]
    explanation: LongText = ""
    theme_keys: list[Key] = Field(default_factory=list, max_length=60)
    supports: list[SupportIn] = Field(default_factory=list, max_length=200)


class ElementRestore(RequestBody):
    """Bring a removed element back, based on the version last seen."""

    version: Id


class ElementUpdate(RequestBody):
    """Change an element; ``version`` is the one the change is based on (stale: 409)."""

    version: Id
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean] | None = None
    explanation: LongText | None = None
    theme_keys: list[Key] | None = Field(default=None, max_length=60)
    supports: list[SupportIn] | None = Field(default=None, max_length=200)
    position: int | None = Field(default=None, ge=0, le=1000)


class SupportOut(BaseModel):
    """A linked node as it stands now."""

    review_id: int
    node_id: int
    title: str
    counter: bool
    present: bool = Field(description="False when the node has left its case's tree")
    stickers: int


class Support(BaseModel):
    """The computed support of an element."""

    cases: int
    of_cases: int
    factors: int
    stickers: int
    counter: int
    text: str


class Illustration(BaseModel):
    """A consented quote of a supporting factor."""

    review_id: int
    speaker: str
    text: str


class ElementVersionOut(BaseModel):
    """One version of an overarching element: what it said, who made it and when."""

    version: int
    change: str
    by: str
    at: dt.datetime
    title: str
    explanation: str
    supports: int
    counter: int


class ElementOut(BaseModel):
    """An overarching element with its computed support and illustrations."""

    id: int
    title: str
    explanation: str
    theme_keys: list[str]
    position: int
    version: int
    supports: list[SupportOut]
    support: Support
    illustrations: list[Illustration]
    updated_at: dt.datetime


Verdict = Literal["recognised", "partly", "not_seen"]


class VerdictSet(RequestBody):
    """A researcher's verdict on one framework element in one case, overriding the proposal, with a note."""

    framework: Key
    verdict: Verdict
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), Clean] = ""


class VerdictCell(BaseModel):
    """One element in one case: proposed from the coding, and the verdict that counts."""

    review_id: int
    proposed: Verdict
    verdict: Verdict
    overridden: bool
    note: str
    by: str | None = Field(default=None, description="Who gave the verdict (null: the proposal stands)")
    at: dt.datetime | None = Field(default=None, description="When the verdict was given")


class LiteratureRow(BaseModel):
    """One element of the framework across the cases."""

    key: str
    title: str
    cases: list[VerdictCell]
    recognised_in: int


class LiteratureOut(BaseModel):
    """The comparison with the literature: per framework element, per case, recognised / partly / not seen."""

    framework: str
    cases: list[CaseLine]
    rows: list[LiteratureRow]


class CodebookImport(RequestBody):
    """A codebook to import as the study's own framework: REFI-QDA ``.qdc`` or CSV text."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]
    format: Literal["qdc", "csv"]
    content: Annotated[str, StringConstraints(min_length=1, max_length=1_000_000), Clean]


class SideFirst(BaseModel):
    """What one side (family or professionals) put first in one round: the factors with the most stickers."""

    shown: bool = Field(description="False: fewer than 3 voters on this side in the round (too few to show)")
    factors: list[str] = Field(description="The factor(s) with the most stickers of this side (ties together)")
    stickers: int


class PerspectiveRound(BaseModel):
    """One sticker round (counted per side) of one case."""

    review_id: int
    case: str
    round_id: int
    round_kind: str
    family: SideFirst
    professional: SideFirst
    same_first: bool | None = Field(description="Both sides put the same factor first; null when one is not shown")


class SideTheme(BaseModel):
    """A theme that one side's first factors carry, across the study."""

    key: str
    title: str
    rounds: int = Field(description="In how many rounds this side's first factor(s) carry the theme")


class PerspectivesOut(BaseModel):
    """Per case and across the study: which factors each side put first (only sides with 3 voters or more)."""

    framework: str
    rounds: list[PerspectiveRound]
    themes: dict[str, list[SideTheme]] = Field(
        description="Per side (family, professional): the themes its first "
        "factors carry across the study, most rounds first"
    )
    compared: int = Field(description="Rounds where both sides can be shown")
    same_first: int = Field(description="… and in how many of those both sides put the same factor first")
