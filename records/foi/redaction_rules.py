"""Checking an editor's redaction pattern before it is saved.

A pattern runs on every view of every message it applies to, so one that backtracks
catastrophically (``(a+)+$``) would take the pages down. It is refused when saved if it
nests one unbounded repetition inside another, repeats alternatives that can match the
same text, or takes too long on probe texts built to make such patterns backtrack.
Patterns still run under a time limit when applied (``scrubbing.apply_rule``): the
check can miss a slow pattern, the limit cannot.
"""

import re
import re._constants as sre
import re._parser as sre_parse

import regex
from django.utils.translation import gettext as _

from records.foi.scrubbing import PROBE_TIMEOUT, compile_rule

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


def _nested_repeat(items, inside_repeat=False):
    """Whether the parsed pattern has an unbounded repetition inside another one, or
    an unbounded repetition of alternatives."""
    for op, value in items:
        if op in _REPEATS:
            _low, high, sub = value
            unbounded = high == sre.MAXREPEAT or high > 50
            if unbounded and op != sre.POSSESSIVE_REPEAT:
                if inside_repeat:
                    return True
                if any(sub_op == sre.BRANCH for sub_op, _v in _flatten(sub)):
                    return True
            if _nested_repeat(sub, inside_repeat or unbounded):
                return True
        elif op == sre.SUBPATTERN:
            if _nested_repeat(value[-1], inside_repeat):
                return True
        elif op == sre.BRANCH:
            if any(_nested_repeat(branch, inside_repeat) for branch in value[1]):
                return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT) and _nested_repeat(value[1], inside_repeat):
            return True
    return False


def _flatten(items):
    for op, value in items:
        yield op, value
        if op == sre.SUBPATTERN:
            yield from _flatten(value[-1])


def _probes(pattern):
    """Texts that make a backtracking pattern slow: its own letters repeated, then a
    character that makes the match fail."""
    letters = {c for c in pattern if c.isalnum()} or {"a"}
    for letter in sorted(letters)[:8]:
        for tail in ("!", "\n", ""):
            yield letter * 5000 + tail
    yield "a1 " * 3000 + "!"


def check_pattern(pattern):
    """What is wrong with ``pattern`` as a redaction rule, or "" if nothing."""
    try:
        compiled = compile_rule(pattern, True)
    except regex.error as error:
        return _("Not a valid pattern: %(error)s") % {"error": error}
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        parsed = None  # syntax only ``regex`` knows: the probes still run
    if parsed is not None and _nested_repeat(list(parsed)):
        return _(
            "This pattern repeats a repetition or a choice (like “(a+)+” or “(a|ab)*”), "
            "which can take minutes on "
            "one message. Write it without the nested repetition."
        )
    if compiled.search("") is not None:
        return _("This pattern matches empty text; it would hide nothing or everything.")
    for probe in _probes(pattern):
        try:
            compiled.search(probe, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return _(
                "This pattern is too slow on long texts (it backtracks). Write it more simply."
            )
    return ""
