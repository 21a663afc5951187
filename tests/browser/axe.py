"""Accessibility checks shared by the browser tests: axe-core (through axe-playwright-python) and a watch on the
browser console.

- ``axe_problems(page)`` runs axe-core over the whole page (every rule of axe's default set: WCAG 2.0/2.1 A and
  AA and axe's best practices) and answers the violations that matter for WCAG 2.1 AA here, one readable line
  each: those of impact ``serious`` or ``critical``; ``assert_accessible(page, where)`` fails with them.
- ``ConsoleWatch`` collects what Chromium logs as an error or warning (a refused inline style under the CSP is
  one) and every ``securitypolicyviolation`` the page reports, from the first byte of the page on.
"""

from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

BLOCKING = ("serious", "critical")
_AXE = Axe()
_OPTIONS = {"resultTypes": ["violations"]}

# Runs before any script of the page (Playwright adds it through the DevTools protocol, outside the CSP):
# every CSP violation the page meets is kept on window for ConsoleWatch.
_RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile || ''}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.effectiveDirective} refused ${e.blockedURI || 'inline'} (${where})`);
});
"""


def axe_problems(page: Page) -> list[str]:
    """The serious and critical axe-core violations on the page, one line per rule with its first targets."""
    results: dict[str, Any] = _AXE.run(page, options=_OPTIONS).response
    problems = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:4]]
        problems.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {violation['help']} — "
            + "; ".join(targets)
        )
    return problems


def assert_accessible(page: Page, where: str) -> None:
    """Fail with the list of serious and critical axe-core violations on ``page``, if there are any."""
    problems = axe_problems(page)
    assert not problems, f"{where}:\n" + "\n".join(problems)


@dataclass
class ConsoleWatch:
    """What the browser complained about on the pages of one context."""

    messages: list[str] = field(default_factory=list)

    @classmethod
    def on(cls, context: BrowserContext) -> "ConsoleWatch":
        """Start watching every page of ``context`` (call before the pages open)."""
        watch = cls()
        context.add_init_script(_RECORD_CSP)
        context.on("page", watch.attach)
        for page in context.pages:
            watch.attach(page)
        return watch

    def attach(self, page: Page) -> None:
        """Watch one page's console."""
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.messages.append(f"{message.type}: {message.text} ({message.location.get('url', '')})")

    def problems(self, page: Page) -> list[str]:
        """Everything logged so far, plus the CSP violations recorded on ``page``; then starts afresh."""
        found = [*self.messages, *(page.evaluate("window.__cspViolations || []") or [])]
        self.messages.clear()
        page.evaluate("window.__cspViolations = []")
        return found


def tab_to(page: Page, target: str, *, limit: int = 250) -> None:
    """Press Tab (only the keyboard, as someone without a mouse does) until the element ``target`` has the focus.

    Fails when it is not reached within ``limit`` presses: it is not in the tab order, hidden, or disabled.
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", target):
            return
    focused = page.evaluate("document.activeElement?.outerHTML?.slice(0, 160)")
    raise AssertionError(f"{target} not reached with Tab in {limit} presses; the focus is on {focused}")


def tab_and_press(page: Page, target: str, key: str = "Enter") -> None:
    """Tab to ``target`` (as ``tab_to``) and press ``key`` on it."""
    tab_to(page, target)
    page.keyboard.press(key)
