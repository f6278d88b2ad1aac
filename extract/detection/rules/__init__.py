"""The registry of sentence rules, in the order they run.

Direct rules (a departure told with a leave verb, a removal, a departure noun) run over
the whole sentence first, then the career rules (a past post told next to a move); on
each token the rules run in the order listed.
"""

from __future__ import annotations

from extract.detection.rules import career, direct
from extract.detection.rules.base import Rule

DIRECT_RULES: tuple[Rule, ...] = direct.RULES
CAREER_RULES: tuple[Rule, ...] = career.RULES
RULES: tuple[Rule, ...] = DIRECT_RULES + CAREER_RULES
