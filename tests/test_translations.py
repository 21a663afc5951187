"""The Dutch catalogue is complete and consistent with the code: every message of app/ and templates/ has a
translation, placeholders survive translation, and pages follow the Accept-Language header.

After adding or changing strings: ``python scripts/messages.py``, translate the new entries in
``app/locale/nl/messages.po``, then ``python scripts/messages.py --check``.
"""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from app import i18n

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "messages.py"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
BRACES = re.compile(r"\{(\w+)\}")  # texts handed to the browser scripts, filled in there: "Round {n}: {kind}"
HINT = "run `python scripts/messages.py` and translate the new entries in app/locale/nl/messages.po"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("leerreview_messages_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str, str | None]]:
    return _load_script().extract()


@pytest.fixture(scope="module")
def dutch() -> dict[str, str | tuple[str, ...]]:
    i18n.catalog.cache_clear()  # read the .po files as they are now
    return i18n.catalog("nl")


def test_extraction_finds_the_messages_of_code_and_templates(extracted: dict[str, tuple[str, str | None]]) -> None:
    assert len(extracted) > 100
    locations = {location for location, _plural in extracted.values()}
    assert any(location.startswith("app/") for location in locations)
    assert any(location.startswith("templates/") for location in locations)
    assert not any(location.startswith("lifeline/") for location in locations), "lifeline/ has its own texts"
    assert "Log in" in extracted
    assert any(plural for _location, plural in extracted.values()), "ngettext plurals are extracted"


def test_every_message_has_a_dutch_translation(
    extracted: dict[str, tuple[str, str | None]], dutch: dict[str, str | tuple[str, ...]]
) -> None:
    missing = sorted(
        f"{msgid!r} ({location})" for msgid, (location, _plural) in extracted.items() if msgid not in dutch
    )
    assert not missing, f"{len(missing)} message(s) without Dutch translation ({HINT}):\n" + "\n".join(missing)


def test_plural_messages_have_both_dutch_forms(
    extracted: dict[str, tuple[str, str | None]], dutch: dict[str, str | tuple[str, ...]]
) -> None:
    wrong = [
        msgid
        for msgid, (_location, plural) in extracted.items()
        if plural and msgid in dutch and not (isinstance(dutch[msgid], tuple) and len(dutch[msgid]) == 2)
    ]
    assert not wrong, f"plural messages need msgstr[0] and msgstr[1]: {wrong}"


def test_translations_keep_the_placeholders(
    extracted: dict[str, tuple[str, str | None]], dutch: dict[str, str | tuple[str, ...]]
) -> None:
    problems: list[str] = []
    for msgid, (_location, plural) in sorted(extracted.items()):
        translation = dutch.get(msgid)
        if translation is None:
            continue  # reported by test_every_message_has_a_dutch_translation
        sources = [msgid, plural] if plural else [msgid]
        forms = list(translation) if isinstance(translation, tuple) else [translation]
        expected = set(PLACEHOLDER.findall(msgid))
        for source in sources:
            expected |= set(PLACEHOLDER.findall(source or ""))
        values = dict.fromkeys(expected, 1)
        for form in forms:
            found = set(PLACEHOLDER.findall(form))
            # A singular form may leave out %(num)s ("één gebeurtenis"), but may not invent or lose anything else.
            allowed_missing = {"num"} if plural and form is forms[0] else set()
            if found - expected or (expected - found) - allowed_missing:
                problems.append(f"{msgid!r}: placeholders {sorted(found)} in {form!r}, expected {sorted(expected)}")
                continue
            if sorted(BRACES.findall(form)) != sorted(BRACES.findall(msgid)):
                problems.append(f"{msgid!r}: {{placeholders}} {BRACES.findall(form)} in {form!r}")
                continue
            if form.count("%%") != msgid.count("%%"):
                problems.append(f"{msgid!r}: '%%' must stay '%%' in {form!r}")
                continue
            try:
                form % values
            except (ValueError, TypeError, KeyError) as error:
                problems.append(f"{msgid!r}: {form!r} cannot be filled in ({error}); write a literal % as %%")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        ("Log in", "Inloggen"),
        ("Your reviews", "Je casusonderzoeken"),
        ("Life-line", "Levenslijn"),
        ("Participants & consent", "Deelnemers & toestemming"),
        ("This field is required.", "Dit veld is verplicht."),
        ("Please log in.", "Log in om verder te gaan."),
        ("E-mail address or password is not correct.", "E-mailadres of wachtwoord klopt niet."),
    ],
)
def test_key_translations(english: str, expected: str) -> None:
    i18n.catalog.cache_clear()
    with i18n.language("nl"):
        assert i18n.gettext(english) == expected
    with i18n.language("en"):
        assert i18n.gettext(english) == english


def test_login_page_follows_accept_language(client: TestClient) -> None:
    dutch = client.get("/login", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"})
    assert dutch.status_code == 200
    assert "Inloggen" in dutch.text
    assert "Log in" not in dutch.text

    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.status_code == 200
    assert "Log in" in english.text
    assert "Inloggen" not in english.text


def test_messages_check_passes() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{HINT}\n{result.stdout}{result.stderr}"
