"""The demo study: three fictional cases compared — gezin Bakker (the demo case) and two new ones, gezin Yilmaz
and gezin De Groot, each with its own findings tree and a sticker round — coded to the working elements of
integrated help by two researchers (with some disagreement), and two overarching elements.

Loaded by ``leerreview demo`` after the demo case (``app.demo``).
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlmodel import Session

from app.auth.models import User
from app.findings import service as findings
from app.findings.models import FindingNode
from app.findings.schemas import EvidenceCreate, NodeCreate
from app.group_interview.demo import held_room
from app.group_interview.models import Factor, FactorKind
from app.interviews.models import Quote
from app.participants.demo import add_consented
from app.participants.models import ConsentScope, Participant, RoleCategory
from app.reviews.models import Membership, Review, Role
from app.reviews.schemas import MemberCreate, ReviewCreate
from app.reviews.service import create_review
from app.studies import service
from app.studies.models import StudyCoding
from app.studies.schemas import CaseCreate, ElementCreate, StudyCreate, SupportIn, VerdictSet
from app.voting.models import RoundStatus, Sticker, StickerRound, StickerSource

FRAMEWORK = "working-elements"
OWNER, SECOND, READER = "onderzoeker.a@example.org", "onderzoeker.b@example.org", "team.lezer@example.org"
HELD_ON = dt.datetime(2024, 10, 3, 13, 0, tzinfo=dt.UTC)

Person = tuple[str, RoleCategory, str]
"""pseudonym, role category, role label"""
DemoFactor = tuple[str, FactorKind, int, int, tuple[str, ...], int | None]
"""title, kind, stickers from the family, stickers from professionals, theme keys, index of its parent or None"""


@dataclass(frozen=True)
class DemoCase:
    """One fictional case of the demo study."""

    title: str
    pseudonym: str
    success: str
    attributes: dict[str, str]
    people: tuple[Person, ...]
    factors: tuple[DemoFactor, ...]
    quote: tuple[str, str, str]  # speaker's pseudonym, role label shown, text


CASES: tuple[DemoCase, ...] = (
    DemoCase(
        title="Casusonderzoek gezin Yilmaz",
        pseudonym="gezin Yilmaz",
        success="Mert (12) gaat weer naar school en de ouders regelen samen met de hulp wat er nodig is.",
        attributes={"gemeente": "Zuiderveen", "leeftijd kind": "12", "domeinen": "onderwijs, opvoeding"},
        people=(
            ("Moeder (Ayse)", RoleCategory.parent, "Moeder"),
            ("Vader (Hakan)", RoleCategory.parent, "Vader"),
            ("Mert (12)", RoleCategory.child, "Jongere"),
            ("Oom Yusuf", RoleCategory.family_network, "Oom"),
            ("Jeugdconsulent", RoleCategory.professional, "Hulpverlener"),
            ("Mentor", RoleCategory.professional, "Hulpverlener"),
            ("Leerplichtambtenaar", RoleCategory.professional, "Hulpverlener"),
        ),
        factors=(
            ("Ouders beslissen mee over elke stap", FactorKind.success, 5, 1, ("client-in-charge",), None),
            ("Eén plan voor thuis en school", FactorKind.success, 1, 4, ("one-family-plan",), None),
            ("De jeugdconsulent mocht zelf knopen doorhakken", FactorKind.success, 0, 4, ("firm-mandate",), None),
            ("Vaste contactpersoon voor het gezin", FactorKind.success, 3, 0, ("one-face",), 2),
            ("Wachtlijst voor de specialistische hulp", FactorKind.hindering, 2, 2, ("continuity",), None),
        ),
        quote=("Moeder (Ayse)", "moeder", "Ze vroegen ons eerst wat wíj wilden, en dat bleef zo."),
    ),
    DemoCase(
        title="Casusonderzoek gezin De Groot",
        pseudonym="gezin De Groot",
        success="Lotte (16) woont weer thuis, heeft een stageplek en de ouders weten bij wie ze terecht kunnen.",
        attributes={"gemeente": "Noordwijde", "leeftijd kind": "16", "domeinen": "GGZ, schulden"},
        people=(
            ("Moeder (Karin)", RoleCategory.parent, "Moeder"),
            ("Lotte (16)", RoleCategory.child, "Jongere"),
            ("Buurvrouw Els", RoleCategory.family_network, "Buurvrouw"),
            ("Casemanager GGZ", RoleCategory.professional, "Hulpverlener"),
            ("Schuldhulpverlener", RoleCategory.professional, "Hulpverlener"),
            ("Stagebegeleider", RoleCategory.professional, "Hulpverlener"),
        ),
        factors=(
            (
                "Moeder werd als partner behandeld, niet als probleem",
                FactorKind.success,
                4,
                1,
                ("client-in-charge",),
                None,
            ),
            ("Lotte hield zelf de regie over haar plan", FactorKind.success, 3, 1, ("young-person-in-charge",), None),
            (
                "Duidelijke afspraken wie wat doet",
                FactorKind.success,
                0,
                3,
                ("firm-mandate", "organisations-collaborate"),
                None,
            ),
            ("Schulden en zorg in één gesprek", FactorKind.success, 1, 2, ("one-family-plan",), 2),
            ("Steeds nieuwe gezichten bij de GGZ", FactorKind.hindering, 3, 0, ("one-face",), None),
        ),
        quote=("Lotte (16)", "jongere", "Het was míjn plan; zij hielpen me het vol te houden."),
    ),
)

# The second coder differs here (title -> themes), so the demo shows disagreement to resolve.
SECOND_CODER_DIFFERS = {
    "Eén plan voor thuis en school": ("one-family-plan", "organisations-collaborate"),
    "Vaste contactpersoon voor het gezin": ("continuity",),
    "Schulden en zorg in één gesprek": ("beyond-specialism",),
    "Korte lijnen met school": ("clear-communication",),
}

ELEMENTS = (
    (
        "Ouders zijn de belangrijkste partner",
        "In elke casus noemen ouders en jongeren dat zij meebeslisten; professionals noemen het minder vaak als "
        "eerste.",
        ("client-in-charge", "young-person-in-charge"),
        (
            "Ouders blijven in gesprek met de hulp, ook na teleurstellingen",
            "Ouders beslissen mee over elke stap",
            "Moeder werd als partner behandeld, niet als probleem",
        ),
    ),
    (
        "Een mandaat met duidelijke afspraken over rollen",
        "Een casemanager die zelf kan besluiten, en afspraken over wie wat doet, houden de hulp in beweging.",
        ("firm-mandate",),
        (
            "Eén casemanager met mandaat",
            "De jeugdconsulent mocht zelf knopen doorhakken",
            "Duidelijke afspraken wie wat doet",
        ),
    ),
)


def _case(session: Session, spec: DemoCase, users: dict[str, User]) -> Review:
    owner = users[OWNER]
    review = create_review(
        session=session,
        user=owner,
        data=ReviewCreate(
            title=spec.title,
            case_pseudonym=spec.pseudonym,
            success_statement=spec.success,
            started_on=dt.date(2024, 8, 1),
            retention_until=dt.date(2031, 12, 31),
        ),
    )
    review_id = review.id or 0
    session.add(Membership(review_id=review_id, user_id=users[SECOND].id or 0, role=Role.researcher))
    people: dict[str, Participant] = {}
    for pseudonym, category, label in spec.people:
        people[pseudonym] = add_consented(
            session,
            Participant(review_id=review_id, pseudonym=pseudonym, role_category=category, role_label=label),
            scopes=(ConsentScope.interview, ConsentScope.group_interview, ConsentScope.quotes),
            given_on=dt.date(2024, 8, 20),
            recorded_by=owner.id,
        )
    nonce = hashlib.sha256(f"demo-study-{review_id}".encode()).hexdigest()[:32]
    room = held_room(session, review_id=review_id, nonce=nonce, opened_at=HELD_ON)
    rounds = {
        kind: StickerRound(
            review_id=review_id,
            group_interview_id=room.id or 0,
            kind=kind,
            status=RoundStatus.closed,
            revealed=True,
            perspectives=True,
            stickers_per_person=3,
            max_per_factor=3,
        )
        for kind in FactorKind
    }
    session.add_all(rounds.values())
    session.flush()
    family = [p for p in people.values() if p.role_category != RoleCategory.professional]
    professionals = [p for p in people.values() if p.role_category == RoleCategory.professional]
    themes = {
        t.key: t.id
        for f in findings.frameworks(session=session, review_id=review_id)
        if f.key == FRAMEWORK
        for t in f.themes
    }
    nodes: list[FindingNode] = []
    for title, kind, from_family, from_professionals, keys, parent in spec.factors:
        factor = Factor(review_id=review_id, group_interview_id=room.id, kind=kind, title=title, created_by=owner.id)
        session.add(factor)
        session.flush()
        for count, side in ((from_family, family), (from_professionals, professionals)):
            for n in range(count):
                voter = side[n % len(side)]
                session.add(
                    Sticker(
                        review_id=review_id,
                        round_id=rounds[kind].id or 0,
                        factor_id=factor.id or 0,
                        participant_id=voter.id,
                        source=StickerSource.phone,
                        client_key=f"demo-{factor.id}-{n}",
                    )
                )
        node = findings.create_node(
            session=session,
            review_id=review_id,
            data=NodeCreate(
                title=title,
                branch="hindering" if kind == FactorKind.hindering else "success",
                parent_id=nodes[parent].id if parent is not None else None,
                factor_id=factor.id,
            ),
            user=owner,
        )
        findings.add_evidence(
            session=session,
            review_id=review_id,
            node_id=node.id or 0,
            data=EvidenceCreate(kind="round", ref_id=rounds[kind].id or 0),
            user=owner,
        )
        findings.set_themes(
            session=session, review_id=review_id, node_id=node.id or 0, theme_ids=[themes[k] for k in keys], user=owner
        )
        nodes.append(node)
    speaker, label, text = spec.quote
    quote = Quote(review_id=review_id, participant_id=people[speaker].id or 0, text=text, speaker=label)
    session.add(quote)
    session.flush()
    findings.add_evidence(
        session=session,
        review_id=review_id,
        node_id=nodes[0].id or 0,
        data=EvidenceCreate(kind="quote", ref_id=quote.id or 0),
        user=owner,
    )
    return review


def add_study(session: Session, review: Review, users: dict[str, User], _people: dict[str, Participant]) -> None:
    """The demo study over gezin Bakker and two new fictional cases."""
    owner = users[OWNER]
    cases = [review, *(_case(session, spec, users) for spec in CASES)]
    study = service.create_study(
        session=session,
        user=owner,
        data=StudyCreate(
            title="Wat werkt in integrale hulp? Drie casussen",
            research_question="Welke werkzame elementen van integrale hulp komen terug in gelukte casussen?",
            description="Drie casusonderzoeken naar gezinnen met meervoudige problematiek, vergeleken per thema.",
        ),
    )
    access = service.load_access(session=session, user=owner, study_id=study.id or 0)
    service.add_member(session=session, access=access, data=MemberCreate(email=SECOND, role=Role.researcher))
    service.add_member(session=session, access=access, data=MemberCreate(email=READER, role=Role.reader))
    attributes = [{"gemeente": "Zuiderveen", "leeftijd kind": "15", "domeinen": "GGZ, veiligheid, onderwijs"}]
    attributes += [spec.attributes for spec in CASES]
    for case, attrs in zip(cases, attributes, strict=True):
        service.add_case(session=session, access=access, data=CaseCreate(review_id=case.id or 0, attributes=attrs))
    by_title: dict[str, tuple[int, int]] = {}
    for case in cases:
        for unit in service.case_units(session=session, review_id=case.id or 0):
            by_title.setdefault(unit.line.title, (case.id or 0, unit.line.node_id))
            keys = sorted(unit.themes.get(FRAMEWORK, set()))
            second = sorted(SECOND_CODER_DIFFERS.get(unit.line.title, keys))
            for coder, chosen in ((owner, keys), (users[SECOND], second)):
                session.add(
                    StudyCoding(
                        study_id=study.id or 0,
                        review_id=case.id or 0,
                        node_id=unit.line.node_id,
                        framework_key=FRAMEWORK,
                        coder_id=coder.id,
                        theme_keys_json=json.dumps(chosen),
                        updated_by=coder.id,
                    )
                )
    for title, explanation, theme_keys, supports in ELEMENTS:
        service.create_element(
            session=session,
            access=access,
            data=ElementCreate(
                title=title,
                explanation=explanation,
                theme_keys=list(theme_keys),
                supports=[
                    SupportIn(review_id=by_title[t][0], node_id=by_title[t][1]) for t in supports if t in by_title
                ],
            ),
        )
    # One researcher's verdict over the proposal, with the reason (the literature comparison shows both).
    service.set_verdict(
        session=session,
        access=service.load_access(session=session, user=users[SECOND], study_id=study.id or 0),
        review_id=cases[0].id or 0,
        theme_key="one-face",
        data=VerdictSet(
            framework=FRAMEWORK,
            verdict="recognised",
            note="In de laatste fase had het gezin één vaste casemanager; de wisselingen waren daarvoor.",
        ),
    )
    session.flush()
