"""The demo case's group interview (gezin Bakker): held and closed, with its factors pinned to the life-line and
two revealed sticker rounds. Stickers are written directly and deterministically (8 people × 3 stickers, at
most 2 on one factor), so the outcome is always the same: success factors 4 and 2 on top, hindering factor 1."""

import datetime as dt
import hashlib

from sqlmodel import Session, select

from app.auth.models import User
from app.group_interview import codes
from app.group_interview.models import (
    Factor,
    FactorKind,
    GroupInterview,
    GroupInterviewStatus,
    LifelineProposal,
    ProposalStatus,
)
from app.participants.models import Participant
from app.reviews import service as reviews
from app.reviews.models import Review
from app.timeline.models import LifelineEvent
from app.voting.models import RoundStatus, Sticker, StickerRound, StickerSource

HELD_ON = dt.datetime(2024, 6, 12, 13, 30, tzinfo=dt.UTC)

# title, underlying factors, the life-line event it is pinned to (its title)
SUCCESS: tuple[tuple[str, str, str], ...] = (
    (
        "Ouders blijven in gesprek met de hulp, ook na teleurstellingen",
        "Casemanager meerdere dagen per week bereikbaar; machtiging uithuisplaatsing niet ingezet.",
        "Wijkteam Oost wordt casemanager; startgesprek met gezin en school",
    ),
    (
        "Noor praat zelf over wat ze nodig heeft",
        "Vertrouwensband met de intern begeleider; psycho-educatie over de ziekte van moeder.",
        "Gezamenlijk gesprek: Noor zegt dat ze bij tante wil wonen",
    ),
    (
        "Dagelijkse zorg tijdelijk overgenomen, zodat de kinderen thuis konden blijven",
        "Extra budget via het wijkteam binnen een week.",
        "Huishoudelijke hulp en ochtendondersteuning zodat Noor naar school kan",
    ),
    (
        "Eén casemanager met mandaat",
        "Besluiten zonder terug te gaan naar breed overleg; korte lijnen met school.",
        "Wekelijks overleg wijkteam, school en gezinsvoogd",
    ),
    (
        "Het tempo van het gezin volgen bij het besluit over wonen bij tante",
        "",
        "Noor verhuist naar tante Ilse",
    ),
)
HINDERING: tuple[tuple[str, str, str], ...] = (
    (
        "Drie gezinsvoogden in korte tijd",
        "Steeds opnieuw het verhaal vertellen.",
        "Ondertoezichtstelling; gezinsvoogd aangesteld (derde in korte tijd)",
    ),
    (
        "Vaders eigen hulpvraag (over zijn boosheid) bleef onbeantwoord",
        "",
        "Melding Veilig Thuis na ruzie met politie-inzet",
    ),
    ("Niemand sprak met Noor apart tot 2018", "", "Noor vertelt juf groep 8 over de situatie thuis"),
    ("Informatie van de psycholoog bereikte school niet", "", "Psycholoog voor Noor"),
)

# Per participant (in the demo's order), the factor numbers (1-based) of their three stickers.
SUCCESS_STICKERS: dict[str, tuple[int, int, int]] = {
    "Moeder (Sandra)": (1, 1, 4),
    "Vader (Erik)": (1, 4, 5),
    "Noor (15)": (2, 2, 5),
    "Tante Ilse": (2, 3, 4),
    "Wijkteammedewerker": (4, 4, 3),
    "Intern begeleider": (2, 2, 4),
    "Gezinsvoogd": (4, 1, 3),
    "GZ-psycholoog": (2, 3, 1),
}
HINDERING_STICKERS: dict[str, tuple[int, int, int]] = {
    "Moeder (Sandra)": (1, 1, 2),
    "Vader (Erik)": (2, 2, 1),
    "Noor (15)": (3, 3, 1),
    "Tante Ilse": (1, 3, 4),
    "Wijkteammedewerker": (1, 1, 4),
    "Intern begeleider": (4, 4, 3),
    "Gezinsvoogd": (1, 4, 2),
    "GZ-psycholoog": (1, 3, 4),
}


def _factors(
    session: Session,
    review: Review,
    interview: GroupInterview,
    owner: User,
    kind: FactorKind,
    rows: tuple[tuple[str, str, str], ...],
    events: dict[str, int],
) -> list[Factor]:
    created = []
    for minute, (title, description, event_title) in enumerate(rows):
        factor = Factor(
            review_id=review.id or 0,
            group_interview_id=interview.id,
            kind=kind,
            title=title,
            description=description,
            event_id=events.get(event_title),
            created_by=owner.id,
            created_at=HELD_ON + dt.timedelta(minutes=20 + minute + (30 if kind == FactorKind.hindering else 0)),
        )
        session.add(factor)
        created.append(factor)
    session.flush()
    return created


def _round(
    session: Session,
    review: Review,
    interview: GroupInterview,
    kind: FactorKind,
    factors: list[Factor],
    stickers: dict[str, tuple[int, int, int]],
    people: dict[str, Participant],
) -> None:
    sticker_round = StickerRound(
        review_id=review.id or 0,
        group_interview_id=interview.id or 0,
        kind=kind,
        status=RoundStatus.closed,
        revealed=True,
        created_at=HELD_ON + dt.timedelta(minutes=75 if kind == FactorKind.success else 85),
    )
    session.add(sticker_round)
    session.flush()
    for pseudonym, numbers in stickers.items():
        for number in numbers:
            session.add(
                Sticker(
                    review_id=review.id or 0,
                    round_id=sticker_round.id or 0,
                    factor_id=factors[number - 1].id or 0,
                    participant_id=people[pseudonym].id,
                    source=StickerSource.phone,
                    created_at=sticker_round.created_at + dt.timedelta(minutes=2),
                )
            )


def held_room(session: Session, *, review_id: int, nonce: str, opened_at: dt.datetime) -> GroupInterview:
    """A group interview held from ``opened_at`` for two hours and closed (flushed: it has its id); its code hash
    is of no code, so no code can ever join it."""
    room = GroupInterview(
        review_id=review_id,
        status=GroupInterviewStatus.closed,
        step=5,
        joining_open=False,
        code_nonce=nonce,
        code_hash=hashlib.sha256(f"closed:{nonce}".encode()).hexdigest(),
        opened_at=opened_at,
        closed_at=opened_at + dt.timedelta(hours=2),
    )
    session.add(room)
    session.flush()
    return room


def add_group_interview(
    session: Session, review: Review, users: dict[str, User], people: dict[str, Participant]
) -> None:
    """Add the held (closed) group interview with its factors, a life-line proposal and two revealed rounds."""
    owner = users["onderzoeker.a@example.org"]
    review_id = review.id or 0
    interview = held_room(session, review_id=review_id, nonce=codes.new_nonce(), opened_at=HELD_ON)
    interview.created_at = HELD_ON - dt.timedelta(days=7)
    events = {
        e.title: e.id or 0
        for e in session.exec(select(LifelineEvent).where(LifelineEvent.review_id == review_id))
        if not e.deleted
    }
    supervision = events.get("Ondertoezichtstelling; gezinsvoogd aangesteld (derde in korte tijd)")
    session.add(
        LifelineProposal(
            review_id=review_id,
            group_interview_id=interview.id or 0,
            participant_id=people["Gezinsvoogd"].id,
            event_id=supervision,
            text="De ondertoezichtstelling begon in oktober 2021, niet in september.",
            when_text="okt. 2021",
            status=ProposalStatus.accepted,
            decided_by=owner.id,
            result_event_id=supervision,
            created_at=HELD_ON + dt.timedelta(minutes=10),
        )
    )
    success = _factors(session, review, interview, owner, FactorKind.success, SUCCESS, events)
    hindering = _factors(session, review, interview, owner, FactorKind.hindering, HINDERING, events)
    _round(session, review, interview, FactorKind.success, success, SUCCESS_STICKERS, people)
    _round(session, review, interview, FactorKind.hindering, hindering, HINDERING_STICKERS, people)
    reviews.complete_step(
        session=session, review_id=review_id, key="group_interview_held", user=owner, at=interview.closed_at
    )
    session.flush()
