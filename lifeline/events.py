"""Life-line events (gebeurtenissen) on lanes, and the group interview's pins for good and no good help."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from lifeline._lang import norm_lang
from lifeline.dates import DateParseError, FuzzyDate, Period, When, parse_when

EventId = str | int
Status = Literal["draft", "confirmed", "disputed"]
PinKind = Literal["success", "hindering"]

STATUSES: Final[tuple[Status, ...]] = ("draft", "confirmed", "disputed")
PIN_KINDS: Final[tuple[PinKind, ...]] = ("success", "hindering")


class Lane:
    """The standard lanes (banen); any other string is the lane of one family member."""

    FAMILY: Final = "family"
    CARE: Final = "care"
    SAFETY: Final = "safety"
    SCHOOL: Final = "school"
    STANDARD: Final[tuple[str, ...]] = (FAMILY, CARE, SAFETY, SCHOOL)


_LANE_ALIASES: Final[dict[str, str]] = {
    "family": Lane.FAMILY,
    "gezin": Lane.FAMILY,
    "familie": Lane.FAMILY,
    "care": Lane.CARE,
    "hulp": Lane.CARE,
    "zorg": Lane.CARE,
    "hulpverlening": Lane.CARE,
    "safety": Lane.SAFETY,
    "veiligheid": Lane.SAFETY,
    "school": Lane.SCHOOL,
    "onderwijs": Lane.SCHOOL,
}
_LANE_LABELS: Final[dict[str, tuple[str, str]]] = {
    Lane.FAMILY: ("Gezin", "Family"),
    Lane.CARE: ("Hulp", "Care"),
    Lane.SAFETY: ("Veiligheid", "Safety"),
    Lane.SCHOOL: ("School", "School"),
}
_STATUS_LABELS: Final[dict[str, tuple[str, str]]] = {
    "draft": ("concept", "draft"),
    "confirmed": ("bevestigd", "confirmed"),
    "disputed": ("betwist", "disputed"),
}
_STATUS_ALIASES: Final[dict[str, Status]] = {
    "draft": "draft",
    "concept": "draft",
    "confirmed": "confirmed",
    "bevestigd": "confirmed",
    "disputed": "disputed",
    "betwist": "disputed",
}


def normalise_lane(lane: str) -> str:
    """Map Dutch or English names of the standard lanes to their constant; keep a member's lane as typed."""
    cleaned = " ".join(lane.split())
    if not cleaned:
        raise ValueError("a lane needs a name")
    return _LANE_ALIASES.get(cleaned.lower(), cleaned)


def normalise_status(status: str) -> Status:
    """Map a Dutch or English status word to "draft", "confirmed" or "disputed"; else raise ValueError."""
    found = _STATUS_ALIASES.get(status.strip().lower())
    if found is None:
        raise ValueError(f"unknown status {status!r}: use draft, confirmed or disputed")
    return found


def lane_label(lane: str, lang: str = "nl") -> str:
    """Return the display name of a lane ("Gezin"/"Family"); a member's lane is shown as typed."""
    labels = _LANE_LABELS.get(lane)
    if labels is None:
        return lane
    return labels[0 if norm_lang(lang) == "nl" else 1]


def status_label(status: str, lang: str = "nl") -> str:
    """Return the display name of an event status in Dutch or English."""
    labels = _STATUS_LABELS.get(status, (status, status))
    return labels[0 if norm_lang(lang) == "nl" else 1]


@dataclass
class Event:
    """One moment or period on the life-line, on one lane, with its sources and status."""

    id: EventId
    title: str
    when: When
    description: str = ""
    lane: str = Lane.FAMILY
    people: list[str] = field(default_factory=list)
    organisation: str | None = None
    sources: list[str] = field(default_factory=list)
    status: Status = "draft"

    def __post_init__(self) -> None:
        if not isinstance(self.when, FuzzyDate | Period):
            raise TypeError("when must be a FuzzyDate or a Period")
        self.title = self.title.strip()
        if not self.title:
            raise ValueError("an event needs a title")
        self.lane = normalise_lane(self.lane)
        self.status = normalise_status(self.status)
        self.people = [p.strip() for p in self.people if p.strip()]
        self.sources = [s.strip() for s in self.sources if s.strip()]
        self.organisation = (self.organisation or "").strip() or None

    @property
    def is_period(self) -> bool:
        """Whether the event spans a period rather than a single (vague) moment."""
        return isinstance(self.when, Period)

    def earliest(self) -> date:
        """Return the first day the event can have started."""
        return self.when.earliest()

    def latest(self) -> date:
        """Return the last day the event can have ended."""
        return self.when.latest()

    def date_text(self, lang: str = "nl") -> str:
        """Return the event's date as text in Dutch or English."""
        return self.when.format(lang)

    def sort_key(self) -> tuple[date, str, str]:
        """Return the life-line order: by earliest, then title, then id."""
        return self.earliest(), self.title.lower(), str(self.id)

    @classmethod
    def from_text(
        cls,
        *,
        id: EventId,
        title: str,
        when: str,
        until: str | None = None,
        lane: str = Lane.FAMILY,
        description: str = "",
        people: Iterable[str] = (),
        organisation: str | None = None,
        sources: Iterable[str] = (),
        status: str = "draft",
    ) -> "Event":
        """Build an event from typed texts; ``until`` makes it a period; raise DateParseError on bad dates."""
        parsed = parse_when(when)
        if until is not None and until.strip():
            if isinstance(parsed, Period):
                raise DateParseError(when, "double_period")
            end = parse_when(f"{when} – {until}") if _is_open_word(until) else None
            if end is None:
                last = parse_when(until)
                if isinstance(last, Period):
                    raise DateParseError(until, "double_period")
                if last.latest() < parsed.earliest():
                    raise DateParseError(f"{when} – {until}", "end_before_start")
                parsed = Period(parsed, last)
            else:
                parsed = end
        return cls(
            id=id,
            title=title,
            when=parsed,
            description=description,
            lane=lane,
            people=list(people),
            organisation=organisation,
            sources=list(sources),
            status=normalise_status(status),
        )


def _is_open_word(text: str) -> bool:
    return text.strip().lower() in {"heden", "nu", "now", "present", "today", "vandaag", ".."}


@dataclass
class Pin:
    """A moment the group interview marked as good help (success) or no good help (hindering)."""

    kind: PinKind
    label: str
    at: When | None = None
    event_id: EventId | None = None
    id: EventId | None = None

    def __post_init__(self) -> None:
        if self.kind not in PIN_KINDS:
            raise ValueError(f"unknown pin kind {self.kind!r}: use success or hindering")
        if self.at is None and self.event_id is None:
            raise ValueError("a pin needs a date (at) or an event_id")


def pin_when(pin: Pin, events: Iterable[Event]) -> When | None:
    """Return where a pin stands: its own date, else its event's date; None if the event is unknown."""
    if pin.at is not None:
        return pin.at
    for event in events:
        if event.id == pin.event_id:
            return event.when
    return None


def sorted_events(events: Iterable[Event]) -> list[Event]:
    """Return the events in life-line order (earliest, title, id)."""
    return sorted(events, key=Event.sort_key)
