"""The demo case ends with a held share-back meeting (terugkoppelbijeenkomst, gezin Bakker).

Everyone who took part in the group interview reacted to the findings on their phone; the researchers kept most
findings, rephrased one, removed a what-works item that said the same as another, and added a contributing
factor the room missed. The decisions go through the service, so the findings tree carries them as versions named
``share-back``.
"""

import datetime as dt
import hashlib
import itertools

from sqlmodel import Session

from app.auth.models import User
from app.findings import service as findings
from app.findings.schemas import TreeOut
from app.group_interview import codes
from app.group_interview.models import GroupInterview, GroupInterviewStatus, ParticipantDevice, RoomPurpose
from app.participants.models import Participant
from app.reviews import service as reviews
from app.reviews.models import Review
from app.share_back import service
from app.share_back.models import Decision, Reaction, ShareBackMeeting, ShareBackReaction
from app.share_back.schemas import DecisionIn, NewFinding

HELD_ON = dt.datetime(2024, 7, 24, 14, 0, tzinfo=dt.UTC)
# Per finding (its title), the reactions of the room in the order of the people list, and anonymous comments.
REACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Ouders blijven in gesprek met de hulp, ook na teleurstellingen": ("AAAAPAAA", ()),
    "Noor praat zelf over wat ze nodig heeft": ("AAAAAAPA", ("Pas sinds de nieuwe school, daarvoor niet.",)),
    "Eén casemanager met mandaat": (
        "AAPAAADA",
        ("Het mandaat gold ook voor geld: dat maakte het verschil.", "Niet bij alles, de voogd besliste ook mee."),
    ),
    "Dagelijkse zorg tijdelijk overgenomen, zodat de kinderen thuis konden blijven": (
        "APAAPAAA",
        ("Vooral dat Noor naar school kon, daar ging het om.",),
    ),
    "Het tempo van het gezin volgen bij het besluit over wonen bij tante": (
        "AAAAAAAP",
        ("Tante Ilse was er vanaf het begin bij, dat staat er niet.",),
    ),
    "Drie gezinsvoogden in korte tijd": ("AAAAPAAA", ()),
    "Vaders eigen hulpvraag (over zijn boosheid) bleef onbeantwoord": (
        "PAAPPDAP",
        ("Er is wel naar gevraagd, maar niemand pakte het op.",),
    ),
    "Kort wekelijks overleg op school: binnen een dag weten wat er speelt": (
        "PPAPAAPP",
        ("Hetzelfde als korte lijnen",),
    ),
}
CODE = {"A": Reaction.agree, "P": Reaction.partly, "D": Reaction.disagree}
REPHRASED = (
    "Dagelijkse zorg tijdelijk overgenomen, zodat de kinderen thuis konden blijven",
    "Dagelijkse zorg tijdelijk overgenomen, zodat Noor en Sem thuis konden blijven en Noor elke dag naar school ging",
    "Voor Noor en de school ging het vooral om school: door de ochtendhulp kon ze elke dag gaan.",
)
REMOVED = (
    "Kort wekelijks overleg op school: binnen een dag weten wat er speelt",
    "Zegt hetzelfde als ‘Korte lijnen met school’ onder de succesfactoren.",
)
ADDED_UNDER = "Het tempo van het gezin volgen bij het besluit over wonen bij tante"
ADDED = (
    "Tante Ilse was vanaf het eerste gesprek over wonen bij haar erbij",
    "Gemist in de boom; genoemd door tante Ilse en moeder in de zaal.",
)


def _top_titles(tree: TreeOut) -> dict[str, int]:
    return {n.title: n.id for n in [*tree.root.children, *tree.hindering, *tree.what_works]}


def add_share_back(session: Session, review: Review, users: dict[str, User], people: dict[str, Participant]) -> None:
    """Add the held (closed) share-back meeting: who joined, their reactions, and the decisions per finding."""
    owner = users["onderzoeker.a@example.org"]
    review_id = review.id or 0
    tree = findings.tree(session=session, review_id=review_id)
    if not (tree.root.children or tree.hindering or tree.what_works):
        return
    nonce = codes.new_nonce()
    room = GroupInterview(
        review_id=review_id,
        purpose=RoomPurpose.share_back,
        status=GroupInterviewStatus.closed,
        joining_open=False,
        code_nonce=nonce,
        code_hash=hashlib.sha256(f"demo-share-back:{nonce}".encode()).hexdigest(),  # closed: no code matches
        opened_at=HELD_ON,
        closed_at=HELD_ON + dt.timedelta(hours=1, minutes=30),
        created_at=HELD_ON - dt.timedelta(days=10),
    )
    session.add(room)
    session.flush()
    meeting = ShareBackMeeting(
        review_id=review_id, room_id=room.id or 0, created_by=owner.id, created_at=room.created_at
    )
    session.add(meeting)
    session.flush()
    room_people = list(people.values())
    for n, person in enumerate(room_people):
        session.add(
            ParticipantDevice(
                group_interview_id=room.id or 0,
                participant_id=person.id or 0,
                token_hash=hashlib.sha256(f"demo-share-back-device:{nonce}:{n}".encode()).hexdigest(),
                joined_at=HELD_ON + dt.timedelta(minutes=n),
                revoked_at=room.closed_at,
            )
        )
    nodes = _top_titles(tree)
    keys = itertools.count(1)
    for title, (pattern, comments) in REACTIONS.items():
        node_id = nodes.get(title)
        if node_id is None:
            continue
        for n, (person, letter) in enumerate(zip(room_people, pattern, strict=False)):
            session.add(
                ShareBackReaction(
                    review_id=review_id,
                    meeting_id=meeting.id or 0,
                    node_id=node_id,
                    participant_id=person.id or 0,
                    reaction=CODE[letter],
                    comment=comments[n] if n < len(comments) else "",
                    client_key=f"demo-{next(keys):06d}",
                    updated_at=HELD_ON + dt.timedelta(minutes=10 + n),
                )
            )
    session.flush()
    for title, node_id in nodes.items():
        if title in (REPHRASED[0], REMOVED[0]):
            continue
        service.decide(
            session=session, review_id=review_id, node_id=node_id, data=DecisionIn(decision=Decision.kept), user=owner
        )
    if REPHRASED[0] in nodes:
        decision = DecisionIn(decision=Decision.rephrased, title=REPHRASED[1], note=REPHRASED[2])
        service.decide(session=session, review_id=review_id, node_id=nodes[REPHRASED[0]], data=decision, user=owner)
    if REMOVED[0] in nodes:
        decision = DecisionIn(decision=Decision.removed, note=REMOVED[1])
        service.decide(session=session, review_id=review_id, node_id=nodes[REMOVED[0]], data=decision, user=owner)
    if ADDED_UNDER in nodes:
        added = NewFinding(title=ADDED[0], parent_id=nodes[ADDED_UNDER], note=ADDED[1])
        service.add_finding(session=session, review_id=review_id, data=added, user=owner)
    reviews.complete_step(session=session, review_id=review_id, key="share_back_held", user=owner, at=room.closed_at)
    session.flush()
