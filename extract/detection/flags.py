"""The cheap text test that decides which sentences go through tagger and parser.

The regular expression may fire on too much (the parse-based rules reject), never on too
little: a sentence it misses is never looked at again.
"""

from __future__ import annotations

import re

# A departure, a narrated move or a career detail ("former", "previously").
FLAG_RE = re.compile(
    r"\b(resign\w*|retir\w*|quit\w*|depart\w*|leav\w*|left|exit\w*|step(?:s|ped|ping)?\s+"
    r"(?:down|aside|away|back)|st(?:and|ands|ood|anding)\s+(?:down|aside)|oust\w*|fired|"
    r"sacked|dismiss\w*|removed|terminated|reliev\w* of|replac\w*|succeeded by|"
    r"let go|(?:push|forc|eas|squeez)\w* out|out as|bow(?:s|ed|ing)? out|reins|"
    r"former(?:ly)?|ex-\w+|previously|prior to|before joining|once (?:led|headed|ran)|"
    r"join\w*(?: \S+){0,3} from|(?:hired|poached|recruited|lured)\b|"
    r"part(?:s|ed|ing)? (?:ways|company) with|"
    r"(?:mov|shift|transition|becom)\w*\s+(?:in)?(?:to\s+)?(?:an?\s+|the\s+)?(?:\w+\s+)?"
    r"(?:advis|consult)\w*|"
    r"spent (?:\S+ ){1,3}(?:years?|decades?|months)|(?:worked|served) (?:as|at|for)|"
    r"(?:was|had been) (?:\S+ ){0,4}(?:president|chairman|chief|director|head|officer|"
    r"partner)|"
    r"outgoing|emeritus|last day|defect\w*|jump\w* (?:ship|from)|used to (?:be|work|run|lead)|"
    r"who (?:led|headed|ran|oversaw|managed|helmed)\b.{1,80}\b(?:join\w*|hired|"
    r"recruited|poached|appointed|named|founded|co-founded|launched))\b",
    re.I,
)


# Sentences that may veto a departure ("will remain chief executive").
STAY_RE = re.compile(r"\b(remain\w*|continu\w*|stay\w*|maintain\w*|retain\w*|parent|"
                     r"becom(?:e|es|ing)|will be (?:\w+ ){0,3}(?:chairman|chairwoman|chair|"
                     r"chief|president|ceo))\b", re.I)


# Someone to attach the event to: a pronoun or a title when NER found no person.
PERSONISH_RE = re.compile(
    r"\b(he|she|his|her|who|chairman|chairwoman|president|chief|ceo|cto|cfo|coo|officer|"
    r"director|head|founder|co-founder|executive|vp|scientist|leader|veteran|exec|"
    r"\d+-year-old)\b|(?-i:\bI\b)",
    re.I,
)


def worth_parsing(text: str, ents: list[tuple[int, int, str]]) -> bool:
    """Cheap test run on every sentence: only these go through tagger and parser."""
    has_person = any(label == "PERSON" for _, _, label in ents)
    if not has_person and not PERSONISH_RE.search(text):
        return False
    if FLAG_RE.search(text):
        return True
    return has_person and bool(STAY_RE.search(text))
