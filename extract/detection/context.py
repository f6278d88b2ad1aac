"""The article's entity mentions (for resolving references) and the candidate record.

``Context`` holds every person and organisation the NER found in the article, in order,
so that a bare surname, a pronoun, "the company" or "its AI lab" in one sentence can be
resolved against what was named before it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from extract.detection.entities import EntityTable
from extract.detection.vocabulary import _UNIT_NOUNS
from extract.names import same_company


@dataclass
class Mention:
    start: int  # absolute character offset in the article
    text: str


@dataclass
class Context:
    """Entity mentions of the whole article, for resolving references."""

    persons: list[Mention] = field(default_factory=list)
    orgs: list[Mention] = field(default_factory=list)
    table: EntityTable | None = None  # who each person is (``extract.detection.entities``)

    def __post_init__(self) -> None:
        self._pstarts = [m.start for m in self.persons]
        self._ostarts = [m.start for m in self.orgs]

    def full_name(self, name: str, at: int) -> str:
        """A bare surname or given name becomes the full name used nearest before it."""
        tokens = name.split()
        if len(tokens) != 1:
            return name
        low = name.lower()
        best = None
        for m in self.persons:
            parts = [p.lower() for p in m.text.split()]
            if len(parts) > 1 and low in parts:
                if m.start < at or best is None:
                    best = m.text
                if m.start >= at:
                    break
        return best or name

    def last_person(self, at: int, gender: str | None = None,
                    exclude: set[str] = frozenset()) -> str | None:
        """The person named last before ``at``; for "he" or "she" (``gender`` "m"/"f")
        skip back over people the article refers to with the other pronoun, and over
        ``exclude`` (the subject of the verb a pronoun object hangs on)."""
        i = bisect_left(self._pstarts, at)
        names: list[str] = []
        for m in reversed(self.persons[:i]):
            name = self.full_name(m.text, m.start)
            if m.text not in exclude and name not in exclude:
                names.append(name)
            if len(names) == 4:
                break
        for name in names:
            prof = self.table.get(name) if self.table is not None and gender else None
            if prof is None or prof.gender in {None, gender}:
                return name
        return names[0] if names else None

    def unit_owner(self, unit: str, at: int) -> str:
        """"the AI Lab" after "ByteDance AI Lab": the full name used before; else the unit
        with the last company named before it that is not a unit itself."""
        low = unit.lower().removeprefix("the ")
        i = bisect_left(self._ostarts, at)
        for m in reversed(self.orgs[:i]):
            if m.text.lower().endswith(" " + low):
                return m.text
        for m in reversed(self.orgs[:i]):
            words = m.text.lower().split()
            if words and words[-1] not in _UNIT_NOUNS and not same_company(m.text, unit):
                return f"{unit} ({m.text})"
        return unit

    def last_org(self, at: int, exclude: list[str]) -> str | None:
        i = bisect_left(self._ostarts, at)
        for m in reversed(self.orgs[:i]):
            if not any(same_company(m.text, x) for x in exclude):
                return m.text
        return None


@dataclass
class Candidate:
    person: str
    company: str
    role: str | None
    destination: str | None
    when: str | None
    sentence: str
    confidence: float
    internal: bool = False  # the person stays in the group: a veto, not a departure
    pronoun: bool = False  # the person is a pronoun resolved to the last name before it
    rule: str = ""  # the rule that proposed it
    reason: str | None = None  # why it was dropped (None: kept)
