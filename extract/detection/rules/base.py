"""What every sentence rule sees, and the one signature a rule has.

A rule is ``fire(tok, sentence) -> list[Candidate]``: given one token of a parsed
sentence, it proposes the departures that token triggers (an empty list when it
triggers none). Candidates that a veto drops are returned too, with the veto's reason,
so that ``exodus detect --explain`` can show them; only candidates without a reason
count. Each rule lists example sentences that one parametrised test walks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from extract.detection.context import Candidate, Context
from extract.detection.persons import persons_of
from extract.detection.tokens import _lemma, clean_person
from extract.detection.triggers import _trigger_kind
from extract.detection.vetoes import candidate_veto
from extract.detection.vocabulary import MOVE_LEMMAS

# A hire or a join in the sentence before: "... named Beggs president. Beggs, formerly
# executive vice president of Tambrands, succeeds ...".
_MOVE_BEFORE_RE = re.compile(
    r"\b(named|hired|appointed|joins?|joined|joining|recruited|poached|tapped|elected|"
    r"has hired|brought in|assumes?|assumed|succeed(?:s|ed|ing)?|replac(?:es|ed|ing))\b",
    re.I)

Person = tuple[str, bool, Token]  # (name, resolved through the article?, anchor token)


@dataclass
class Sentence:
    """One parsed sentence with its article context (``offset``: its article offset)."""

    doc: Doc
    ctx: Context
    offset: int
    text: str
    prev_text: str = ""
    _kinds: dict[int, str | None] = field(default_factory=dict)
    _moved: bool | None = None

    def kind(self, tok: Token) -> str | None:
        """The departure trigger kind of a token (see ``triggers``), computed once."""
        if tok.i not in self._kinds:
            self._kinds[tok.i] = _trigger_kind(tok)
        return self._kinds[tok.i]

    @property
    def moved(self) -> bool:
        """A move (hire, join, appointment) told here or in the sentence before."""
        if self._moved is None:
            self._moved = any(_lemma(t) in MOVE_LEMMAS and t.pos_ == "VERB" for t in self.doc) \
                or bool(_MOVE_BEFORE_RE.search(self.prev_text))
        return self._moved

    def people(self, tok: Token, deep: bool = True) -> list[Person]:
        return persons_of(tok, self.ctx, self.offset, deep)


@dataclass(frozen=True)
class Rule:
    """A named rule: the function and sentences it must fire on (the departed person
    and organisation of each example are the ones the test expects)."""

    name: str
    fire: Callable[[Token, Sentence], list[Candidate]]
    examples: tuple[tuple[str, str, str], ...]  # (sentence, person, organisation)


def make(s: Sentence, rule: str, person: str, company: str | None, role: str | None,
         dest: str | None, when: str | None, conf: float, internal: bool = False,
         pronoun: bool = False, reason: str | None = None) -> Candidate:
    """A candidate; the checks every candidate passes (a usable name, a company that is
    no public body nor a board) give the reason when it is dropped."""
    person = clean_person(person)
    company = company or ""
    reason = reason or candidate_veto(person, company, role)
    return Candidate(person, company, role, dest, when, s.text,
                     round(max(0.05, min(1.0, conf)), 2), internal, pronoun, rule, reason)
