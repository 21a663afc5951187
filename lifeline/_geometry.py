"""Vertical geometry shared by the figure and the banner: where each lane's band and rows lie."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from lifeline.events import Lane

PIN_LANE: Final = "\x00pins"

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO: Final[dict[str, str]] = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermilion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
LANE_COLOURS: Final[dict[str, str]] = {
    Lane.FAMILY: OKABE_ITO["blue"],
    Lane.CARE: OKABE_ITO["orange"],
    Lane.SAFETY: OKABE_ITO["purple"],
    Lane.SCHOOL: OKABE_ITO["sky"],
}
MEMBER_COLOUR: Final = "#555555"
SUCCESS_COLOUR: Final = OKABE_ITO["green"]
HINDERING_COLOUR: Final = OKABE_ITO["vermilion"]


def lane_colour(lane: str) -> str:
    """Return the colour of a lane; members' own lanes are dark grey."""
    return LANE_COLOURS.get(lane, MEMBER_COLOUR)


def tint(colour: str, white: float) -> str:
    """Mix a ``#rrggbb`` colour with white (0 = colour, 1 = white)."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * white) for c in channels]
    return "#" + "".join(f"{c:02x}" for c in mixed)


@dataclass(frozen=True)
class Band:
    """One lane's horizontal band: row ``r`` is drawn at ``top + r``; the band spans half a row more each side."""

    lane: str
    top: float
    rows: int

    @property
    def y0(self) -> float:
        """Upper edge of the band (the y axis points down)."""
        return self.top - 0.5

    @property
    def y1(self) -> float:
        """Lower edge of the band."""
        return self.top + self.rows - 0.5

    @property
    def centre(self) -> float:
        """Vertical centre of the band, where its label goes."""
        return (self.y0 + self.y1) / 2


def bands(lanes: Iterable[str], rows: Mapping[str, int], *, gap: float = 0.5) -> list[Band]:
    """Stack the lanes from the top with ``gap`` rows between bands; an empty lane still gets one row."""
    result: list[Band] = []
    top = 0.0
    for lane in lanes:
        count = max(1, rows.get(lane, 0))
        result.append(Band(lane, top, count))
        top += count + gap
    return result


def day_ms(days: timedelta) -> int:
    """Return a duration in milliseconds, the unit plotly uses for bar lengths on a date axis."""
    return days.days * 86_400_000


def iso(day: date) -> str:
    """Return an ISO date string."""
    return day.isoformat()
