"""The demo case's interviews (gezin Bakker): the parents together and Noor, with notes, quotes and candidate
factors. The life-line itself comes from ``app.timeline.demo`` and is not changed here."""

import datetime as dt

from sqlmodel import Session

from app.auth.models import User
from app.group_interview.models import FactorKind
from app.interviews.models import InterviewStatus
from app.interviews.schemas import CandidateFactorCreate, InterviewCreate, NotesUpdate, QuoteCreate
from app.interviews.service import create_candidate_factor, create_interview, create_quote, save_notes
from app.participants.models import Participant
from app.reviews.models import Review

PARENTS_NOTES = {
    "life_course": (
        "Ouders leerden elkaar ca. 2006 kennen. Noor is geboren in 2008, Sem in 2011. In het voorjaar 2014 werd "
        "moeder voor het eerst opgenomen (psychose). In de zomer 2017 gingen de ouders uit elkaar; vader "
        "verhuisde naar een flat aan de andere kant van de stad."
    ),
    "care_history": (
        "Vanaf ca. 2012 kwam er eens per week opvoedondersteuning thuis. Tussen 2014 en 2017 wisselende "
        'hulpverleners; de hulp stopte steeds na conflicten. Moeder: "Iedereen begon steeds weer opnieuw."\n'
        "Vader zocht hulp voor zijn boosheid, maar daar kwam niets van."
    ),
    "professionals": (
        "Wijkteam Oost (casemanager sinds jan. 2022), Jeugdbescherming Regio Zuid (drie gezinsvoogden in korte "
        "tijd), Jeugd-GGZ De Linde, het Baken (intern begeleider)."
    ),
    "collaboration": (
        "Vanaf feb. 2022 wekelijks overleg tussen wijkteam, school en gezinsvoogd. Ouders merkten dat ze hun "
        "verhaal niet meer steeds opnieuw hoefden te vertellen."
    ),
    "successes": "Noor woont sinds 2023 bij tante Ilse en gaat weer elke dag naar school.",
    "success_factors": (
        "De casemanager was meerdere dagen per week bereikbaar. Er werd niet met uithuisplaatsing gedreigd; "
        "ouders bleven daardoor in gesprek."
    ),
}
NOOR_NOTES = {
    "life_course": (
        "In 2018 vertelde Noor haar juf in groep 8 voor het eerst over de situatie thuis. In sept. 2020 begon "
        "ze op Het Baken. In 2021 verzuimde ze veel."
    ),
    "care_history": (
        "Van 2018 tot 2020 ging Noor naar een psycholoog. In 2022 startte de traumabehandeling bij De Linde."
    ),
    "professionals": "De intern begeleider was haar vaste aanspreekpunt op school.",
    "collaboration": "Informatie van de psycholoog kwam niet op school aan; Noor moest het zelf vertellen.",
    "successes": (
        'In nov. 2022 zei Noor in een gezamenlijk gesprek dat ze bij tante wilde wonen. "Eindelijk vroeg '
        'iemand wat ík wilde."'
    ),
    "success_factors": "Vertrouwen in de intern begeleider; uitleg over de ziekte van moeder (psycho-educatie).",
}
QUOTES = (
    ("Moeder (Sandra)", "Iedereen begon steeds weer opnieuw.", 0),
    ("Noor (15)", "Eindelijk vroeg iemand wat ík wilde.", 1),
    ("Wijkteammedewerker", "Door het overleg op school wisten we binnen een dag wat er speelde.", None),
)
FACTORS = (
    (FactorKind.success, "Casemanager meerdere dagen per week bereikbaar", 0),
    (FactorKind.hindering, "Steeds nieuwe hulpverleners: het verhaal steeds opnieuw vertellen", 0),
    (FactorKind.success, "Vertrouwensband met de intern begeleider", 1),
    (FactorKind.hindering, "Informatie van de psycholoog bereikte school niet", 1),
)


def add_interviews(session: Session, review: Review, users: dict[str, User], people: dict[str, Participant]) -> None:
    """Add the two demo interviews with their notes, the three quotes and a few candidate factors."""
    review_id = review.id or 0
    researcher_a, researcher_b = users["onderzoeker.a@example.org"], users["onderzoeker.b@example.org"]
    interviewers = [researcher_a.id or 0, researcher_b.id or 0]
    plans = (
        (("Moeder (Sandra)", "Vader (Erik)"), dt.date(2024, 3, 5), "Thuis bij moeder", PARENTS_NOTES),
        (("Noor (15)",), dt.date(2024, 3, 12), "Het Baken, spreekkamer", NOOR_NOTES),
    )
    interview_ids: list[int] = []
    for who, held_on, place, notes in plans:
        interview = create_interview(
            session=session,
            review_id=review_id,
            user=researcher_a,
            data=InterviewCreate(
                participant_ids=[people[name].id or 0 for name in who],
                held_on=held_on,
                place=place,
                status=InterviewStatus.worked_out,
                interviewer_ids=interviewers,
            ),
        )
        interview_ids.append(interview.id or 0)
        for key, text in notes.items():
            save_notes(
                session=session,
                review_id=review_id,
                interview_id=interview.id or 0,
                topic_key=key,
                user=researcher_b,
                data=NotesUpdate(text=text, version=0),
            )
    for speaker, text, index in QUOTES:
        create_quote(
            session=session,
            review_id=review_id,
            user=researcher_a,
            data=QuoteCreate(
                text=text,
                participant_id=people[speaker].id or 0,
                interview_id=interview_ids[index] if index is not None else None,
            ),
        )
    for kind, title, index in FACTORS:
        create_candidate_factor(
            session=session,
            review_id=review_id,
            user=researcher_b,
            data=CandidateFactorCreate(kind=kind, title=title, interview_id=interview_ids[index]),
        )
