"""plotly.js under our CSP: the page can tell plotly that its map stylesheet is present (so it injects no
<style>), and the mode bar's names are translated with the exact English texts plotly.js looks up."""

import re

from app import i18n
from app.vendor import _BUNDLE, map_style_id, plotly_locale


def test_the_map_stylesheet_id_is_the_one_plotly_checks_before_injecting() -> None:
    source = _BUNDLE.read_text(encoding="utf-8")
    marker = map_style_id()
    assert len(marker) >= 16
    check = f'getElementById("{marker}")'
    places = [found.end() for found in re.finditer(re.escape(check), source)]
    assert any('createElement("style")' in source[end : end + 60] for end in places)


def test_the_mode_bar_speaks_dutch_with_plotlys_own_keys() -> None:
    source = _BUNDLE.read_text(encoding="utf-8")
    with i18n.language("nl"):
        dutch = plotly_locale()
    assert dutch["locale"] == "nl"
    names = dutch["dictionary"]
    assert isinstance(names, dict) and len(names) >= 6
    for english, translated in names.items():
        assert f'"{english}"' in source, f"plotly.js no longer says {english!r}"
        assert translated != english
    with i18n.language("en"):
        assert plotly_locale() == {"locale": "en", "dictionary": {}}
