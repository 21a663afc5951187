"""A deterministic measure of the date parser's work, and a static check of its regular expressions.

``RegexWork`` swaps every compiled pattern and the ``re`` module of the lifeline modules for counting proxies
(in a test, through monkeypatch): each call counts once and adds the length of the text it scans. The parser's
work is its regex work (its Python loops only walk the texts it hands to them), so the count shows whether it
grows linearly with the input, and whether a text reached any pattern at all. ``nested_quantifiers`` reads a
pattern's syntax tree and names each repeat inside a repeat: the shape that backtracks exponentially.
"""

import contextlib
import re
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

import lifeline.csvio
import lifeline.dates
import lifeline.phrases
import lifeline.text
from lifeline import DateParseError

MODULES: tuple[ModuleType, ...] = (lifeline.dates, lifeline.phrases, lifeline.csvio, lifeline.text)
_SCANS = ("fullmatch", "match", "search", "finditer", "findall", "split", "sub", "subn")
_REPLACES = ("sub", "subn")  # (repl, string): the text is one argument further


@dataclass
class RegexWork:
    """Regex calls made by the lifeline modules and the characters they scanned."""

    calls: int = 0
    chars: int = 0
    patterns: set[str] = field(default_factory=set)

    def _counted(self, scan: Callable[..., Any], name: str, text_at: int, pattern: str | None) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            index = text_at + (1 if name in _REPLACES else 0)
            text = args[index] if len(args) > index else kwargs.get("string", "")
            self.chars += len(text)
            self.patterns.add(pattern if pattern is not None else str(args[0]))
            return scan(*args, **kwargs)

        return counted

    def install(self, monkeypatch: pytest.MonkeyPatch) -> "RegexWork":
        """Count from now on (until monkeypatch undoes it)."""
        for module in MODULES:
            for name, value in list(vars(module).items()):
                if isinstance(value, re.Pattern):
                    monkeypatch.setattr(module, name, self._proxy(value))
            if getattr(module, "re", None) is re:
                counting = {scan: self._counted(getattr(re, scan), scan, 1, None) for scan in _SCANS}
                monkeypatch.setattr(module, "re", SimpleNamespace(**{**vars(re), **counting}))
        return self

    def _proxy(self, compiled: re.Pattern[str]) -> SimpleNamespace:
        scans = {scan: self._counted(getattr(compiled, scan), scan, 0, compiled.pattern) for scan in _SCANS}
        return SimpleNamespace(pattern=compiled.pattern, flags=compiled.flags, groups=compiled.groups, **scans)


def measure(monkeypatch: pytest.MonkeyPatch, run: Callable[[], object]) -> RegexWork:
    """The regex work of ``run()`` (a DateParseError it raises is part of the run)."""
    with monkeypatch.context() as patch:
        work = RegexWork().install(patch)
        with contextlib.suppress(DateParseError):  # a refusal is work done too
            run()
    return work


def lifeline_patterns() -> Iterator[tuple[str, str]]:
    """(where, pattern) for every compiled pattern and every literal pattern handed to ``re`` in lifeline/."""
    import ast
    import inspect

    for module in MODULES:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{module.__name__}.{name}", value.pattern
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield f"{module.__name__}:{node.lineno}", node.args[0].value


_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)


def nested_quantifiers(pattern: str) -> list[str]:
    """Each repeat (more than once) inside another repeat (more than once): the exponential shape, ``(a+)+``.
    Possessive repeats and atomic groups do not backtrack and are not followed."""

    def walk(items: Any, inside: bool, found: list[str]) -> None:
        for op, arg in items:
            if op in _REPEATS:
                low, high, sub = arg
                many = high > 1
                if many and inside:
                    found.append(f"{{{low},{'' if high == sre_constants.MAXREPEAT else high}}}")
                walk(sub, inside or many, found)
            elif op in (sre_constants.POSSESSIVE_REPEAT, sre_constants.ATOMIC_GROUP):
                continue
            elif op is sre_constants.SUBPATTERN:
                walk(arg[-1], inside, found)
            elif op is sre_constants.BRANCH:
                for branch in arg[1]:
                    walk(branch, inside, found)
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(arg[1], inside, found)
            elif op is sre_constants.GROUPREF_EXISTS:
                for branch in arg[1:]:
                    if branch is not None:
                        walk(branch, inside, found)

    found: list[str] = []
    walk(sre_parse.parse(pattern), False, found)
    return found
