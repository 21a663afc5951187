"""The demo case's findings tree (gezin Bakker), worked out the way researchers would.

Proposed from the group interview's factors and stickers (when the group-interview demo is loaded; otherwise
built from the same facts), then worked out: the underlying factors beneath each main success factor, a
recommendation under each hindering factor, what works, evidence (life-line moments, consented quotes,
documents, an interview), theme coding, and one merged duplicate so the history shows a merge.
"""

from sqlmodel import Session, col, select

from app.auth.models import User
from app.documents.models import Document
from app.findings import service
from app.findings.models import FindingNode, Framework, FrameworkTheme
from app.findings.schemas import EvidenceCreate, NodeCreate, NodeMerge, NodeUpdate
from app.group_interview.models import Factor
from app.interviews.models import Interview
from app.participants.models import Participant
from app.reviews.models import Review
from app.timeline.models import LifelineEvent

SUCCESS = (
    "Ouders blijven in gesprek met de hulp, ook na teleurstellingen",
    "Noor praat zelf over wat ze nodig heeft",
    "Dagelijkse zorg tijdelijk overgenomen, zodat de kinderen thuis konden blijven",
    "Eén casemanager met mandaat",
    "Het tempo van het gezin volgen bij het besluit over wonen bij tante",
)
HINDERING = (
    "Drie gezinsvoogden in korte tijd",
    "Vaders eigen hulpvraag (over zijn boosheid) bleef onbeantwoord",
    "Niemand sprak met Noor apart tot 2018",
    "Informatie van de psycholoog bereikte school niet",
)
EXPLAIN = {
    SUCCESS[0]: "Ook na afgebroken hulp en drie wisselingen van gezinsvoogd bleven vader en moeder in gesprek met "
    "de hulpverleners; zij voelden zich niet bedreigd.",
    SUCCESS[1]: "Noor kreeg de ruimte om zelf te zeggen wat ze nodig had, en er werd naar haar geluisterd.",
    SUCCESS[2]: "Toen moeder opnieuw werd opgenomen, namen huishoudelijke hulp en ochtendondersteuning de dagelijkse "
    "zorg over, zodat Noor en Sem thuis konden blijven en Noor naar school kon.",
    SUCCESS[3]: "De casemanager van Wijkteam Oost kon zelf besluiten nemen en hield de lijnen met school kort.",
    SUCCESS[4]: "Het besluit dat Noor bij tante Ilse gaat wonen groeide in gesprekken; niemand werd overvallen.",
}
# main success factor (index) -> its underlying (contributing) factors, with the life-line event behind each
CONTRIBUTING: dict[int, tuple[tuple[str, str | None], ...]] = {
    0: (
        (
            "Casemanager meerdere dagen per week bereikbaar",
            "Wijkteam Oost wordt casemanager; startgesprek met gezin en school",
        ),
        ("Machtiging uithuisplaatsing niet ingezet", None),
    ),
    1: (
        ("Vertrouwensband met de intern begeleider", "Noor start op Het Baken"),
        ("Psycho-educatie over de ziekte van moeder", "Behandeling Noor bij Jeugd-GGZ De Linde (traumabehandeling)"),
    ),
    2: (
        (
            "Extra budget via het wijkteam binnen een week",
            "Huishoudelijke hulp en ochtendondersteuning zodat Noor naar school kan",
        ),
    ),
    3: (
        ("Besluiten zonder terug te gaan naar breed overleg", None),
        ("Korte lijnen met school", "Wekelijks overleg wijkteam, school en gezinsvoogd"),
    ),
}
RECOMMENDATIONS = (
    "Zorg voor één vaste gezinsvoogd; bij een wissel een warme overdracht, met het gezin erbij.",
    "Vraag ook naar de eigen hulpvraag van elke ouder en spreek af wie die oppakt.",
    "Spreek kinderen vanaf het begin ook apart, op een plek die voor hen vertrouwd is.",
    "Vraag bij de start toestemming om informatie met school te delen en spreek af wie dat doet.",
)
WHAT_WORKS = (
    ("Eén gezin, één plan, één casemanager met mandaat", "Wekelijks overleg wijkteam, school en gezinsvoogd"),
    (
        "De jongere zelf aan het woord, met een vast en vertrouwd gezicht",
        "Gezamenlijk gesprek: Noor zegt dat ze bij tante wil wonen",
    ),
    (
        "Praktische hulp thuis snel regelen, zodat kinderen thuis en op school kunnen blijven",
        "Huishoudelijke hulp en ochtendondersteuning zodat Noor naar school kan",
    ),
    (
        "Kort wekelijks overleg op school: binnen een dag weten wat er speelt",
        "Wekelijks overleg wijkteam, school en gezinsvoogd",
    ),
)
QUOTES = {  # quote text -> the title of the node it backs
    "Iedereen begon steeds weer opnieuw.": HINDERING[0],
    "Eindelijk vroeg iemand wat ík wilde.": SUCCESS[1],
    "Door het overleg op school wisten we binnen een dag wat er speelde.": "Korte lijnen met school",
}
THEMES = {  # node title -> (framework key, theme key)
    SUCCESS[0]: (("integrated-collaboration", "professional-attitude"), ("working-elements", "client-in-charge")),
    SUCCESS[1]: (("working-elements", "young-person-in-charge"), ("core-components", "broad-view")),
    SUCCESS[2]: (("core-components", "flexible-help"), ("working-elements", "continuity")),
    SUCCESS[3]: (("working-elements", "firm-mandate"), ("core-components", "roles")),
    SUCCESS[4]: (("core-components", "joint-prioritising"), ("working-elements", "client-in-charge")),
    "Korte lijnen met school": (("integrated-collaboration", "communication"), ("core-components", "between-domains")),
    HINDERING[0]: (("working-elements", "one-face"), ("working-elements", "continuity")),
    HINDERING[3]: (("integrated-collaboration", "communication"), ("working-elements", "ask-permission")),
}


def _by_title(session: Session, review_id: int) -> dict[str, FindingNode]:
    rows = session.exec(
        select(FindingNode).where(FindingNode.review_id == review_id, col(FindingNode.deleted).is_(False))
    ).all()
    return {n.title: n for n in rows if n.merged_into_id is None}


def _evidence(session: Session, review_id: int, node: FindingNode, kind: str, ref_id: int | None, user: User) -> None:
    if ref_id is not None:
        service.add_evidence(
            session=session,
            review_id=review_id,
            node_id=node.id or 0,
            data=EvidenceCreate(kind=kind, ref_id=ref_id),
            user=user,
        )


def _main_nodes(session: Session, review_id: int, owner: User) -> None:
    """Propose from the group interview, or (without it) put the same factors in the tree directly."""
    has_factors = session.exec(select(Factor.id).where(Factor.review_id == review_id)).first() is not None
    if has_factors:
        service.propose(session=session, review_id=review_id, user=owner)
        return
    for branch, titles in (("success", SUCCESS), ("hindering", HINDERING)):
        for title in titles:
            service.create_node(
                session=session,
                review_id=review_id,
                data=NodeCreate(title=title, branch=branch),
                user=owner,
            )


def add_findings(session: Session, review: Review, users: dict[str, User], _people: dict[str, Participant]) -> None:
    """Add the worked-out findings tree of the demo case."""
    from app.interviews.service import exportable_quotes

    review_id = review.id or 0
    owner, other = users["onderzoeker.a@example.org"], users["onderzoeker.b@example.org"]
    service.ensure_frameworks(session)
    _main_nodes(session, review_id, owner)
    events = {
        e.title: e.id
        for e in session.exec(select(LifelineEvent).where(LifelineEvent.review_id == review_id))
        if not e.deleted
    }
    nodes = _by_title(session, review_id)

    for index, title in enumerate(SUCCESS):
        main = nodes.get(title)
        if main is None:
            continue
        service.update_node(
            session=session,
            review_id=review_id,
            node_id=main.id or 0,
            data=NodeUpdate(version=main.version, explanation=EXPLAIN[title], kind="success_factor"),
            user=other,
        )
        for child_title, event_title in CONTRIBUTING.get(index, ()):
            child = service.create_node(
                session=session,
                review_id=review_id,
                data=NodeCreate(title=child_title, parent_id=main.id),
                user=other,
            )
            _evidence(session, review_id, child, "event", events.get(event_title or ""), other)

    # A duplicate noted twice and merged: the merge stays in the history and can be undone.
    reachable = _by_title(session, review_id).get("Casemanager meerdere dagen per week bereikbaar")
    if reachable is not None:
        duplicate = service.create_node(
            session=session,
            review_id=review_id,
            data=NodeCreate(title="Casemanager goed bereikbaar voor ouders", parent_id=reachable.parent_id),
            user=owner,
        )
        service.merge_nodes(
            session=session,
            review_id=review_id,
            into_id=reachable.id or 0,
            data=NodeMerge(node_ids=[duplicate.id or 0]),
            user=owner,
        )

    for title, recommendation in zip(HINDERING, RECOMMENDATIONS, strict=True):
        hindering = nodes.get(title)
        if hindering is not None:
            service.create_node(
                session=session,
                review_id=review_id,
                data=NodeCreate(title=recommendation, parent_id=hindering.id, kind="recommendation"),
                user=other,
            )
    for title, event_title in WHAT_WORKS:
        item = service.create_node(
            session=session,
            review_id=review_id,
            data=NodeCreate(title=title, branch="what_works"),
            user=owner,
        )
        _evidence(session, review_id, item, "event", events.get(event_title), owner)

    nodes = _by_title(session, review_id)
    for quote in exportable_quotes(session=session, review_id=review_id):
        target = nodes.get(QUOTES.get(quote.text, ""))
        if target is not None:
            _evidence(session, review_id, target, "quote", quote.id, owner)
    documents = {d.title: d.id for d in session.exec(select(Document).where(Document.review_id == review_id))}
    for document_title, node_title in (
        ("Behandelplan Noor (traumabehandeling)", "Psycho-educatie over de ziekte van moeder"),
        ("Rapportage ondertoezichtstelling", HINDERING[0]),
    ):
        if node_title in nodes:
            _evidence(session, review_id, nodes[node_title], "document", documents.get(document_title), owner)
    noor = session.exec(
        select(Interview).where(Interview.review_id == review_id).order_by(col(Interview.held_on).desc())
    ).first()
    if noor is not None and SUCCESS[1] in nodes:
        _evidence(session, review_id, nodes[SUCCESS[1]], "interview", noor.id, owner)
    for title in HINDERING[2:]:  # without the group interview, pin these to their life-line moments
        node = nodes.get(title)
        if node is not None and node.factor_id is None:
            moment = (
                "Noor vertelt juf groep 8 over de situatie thuis" if title == HINDERING[2] else "Psycholoog voor Noor"
            )
            _evidence(session, review_id, node, "event", events.get(moment), owner)

    themes = {
        (framework.key, theme.key): theme.id or 0
        for theme, framework in session.exec(
            select(FrameworkTheme, Framework)
            .join(Framework, col(Framework.id) == col(FrameworkTheme.framework_id))
            .where(col(Framework.review_id).is_(None))
        )
    }
    for title, keys in THEMES.items():
        node = nodes.get(title)
        if node is not None:
            service.set_themes(
                session=session,
                review_id=review_id,
                node_id=node.id or 0,
                theme_ids=[themes[key] for key in keys if key in themes],
                user=owner,
            )
    session.flush()
