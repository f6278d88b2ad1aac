"""Trigger vocabulary: a cheap text test and the word forms the parser stage looks for.

The regular expression decides which sentences are worth parsing at all; it may fire
on too much (the parse-based rules reject), never on too little.
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
    r"director|head|founder|co-founder|executive|vp|scientist|leader)\b",
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


# Verbs whose subject (or passive subject) leaves the organisation.
LEAVE_VERBS = {"leave", "left", "leaves", "leaving", "quit", "quits", "quitting", "exit",
               "exits", "exited", "exiting", "depart", "departs", "departed", "departing"}
RESIGN_VERBS = {"resign", "resigns", "resigned", "resigning", "resiged", "retire", "retires",
                "retired", "retiring"}
STEP_VERBS = {"step", "steps", "stepped", "stepping", "stand", "stands", "stood", "standing"}
STEP_PARTICLES = {"down", "aside", "away"}
# "stepped back from day-to-day operations": a departure only with "from" (the stay
# vetoes keep "stepped back ... but remains chairman" out).
BACK_PARTICLES = {"back"}
# Phrasal verbs whose object or passive subject is pushed out: "was pushed out", "forced
# out", "bowed out" (intransitive), "was let go".
OUT_VERBS = {"push", "force", "ease", "squeeze", "drive", "boot", "kick"}
# Successions: the passive subject or the object of "replace" is the one who leaves;
# "X will be succeeded by Y" too (the active "Y succeeds X" often keeps X as chairman).
REPLACE_LEMMAS = {"replace", "succeed"}
# Verbs that remove someone: the person is the passive subject or the object.
REMOVE_VERBS = {"oust", "ousts", "ousted", "fire", "fired", "fires", "sack", "sacked",
                "dismiss", "dismissed", "remove", "removed", "terminate", "terminated",
                "axe", "axed", "depose", "deposed", "relieve", "relieved"}
TRIGGER_NOUNS = {"departure", "departures", "exit", "exits", "resignation", "resignations",
                 "retirement", "ouster", "dismissal", "firing", "sacking"}

# Verbs that carry a move to a new organisation.
MOVE_LEMMAS = {"join", "hire", "appoint", "name", "recruit", "poach", "tap", "bring",
               "found", "co-found", "cofound", "launch", "start", "set", "create", "form",
               "establish", "become", "lure", "build", "elect", "select"}
# Purpose clauses after a departure that give the destination.
DEST_LEMMAS = {"join", "become", "found", "co-found", "start", "launch", "create", "form",
               "establish", "build", "work", "embark", "lead", "head", "run", "accept",
               "take", "set", "pursue", "focus", "devote", "serve", "open"}

# Context that turns a departure into a denial, demand, rumour or hypothetical.
BLOCK_LEMMAS = {"deny", "refuse", "reject", "demand", "call", "urge", "pressure", "ask",
                "consider", "mull", "weigh", "rumor", "rumour", "speculate", "speculation",
                "threaten", "resist", "shrug", "dismiss", "rebuff", "would", "could", "might",
                "whether", "if", "unless", "rule", "false", "untrue", "avoid", "refusal",
                "demands", "calls", "rumors", "rumours", "fear", "expect", "hope",
                "possibility", "plan?"}
DENIAL_RE = re.compile(
    r"\b(den(y|ies|ied|ial)|false|untrue|unsubstantiated|rumou?rs?|speculation|"
    r"no plans? to|not (?:true|leaving|resign\w*|step\w* down)|dismissed (?:reports|"
    r"speculation|(?:\w+ )?as (?:pure |a )?(?:fabrication|rumou?r|groundless))|baseless|"
    r"groundless|unfounded|without (?:any )?(?:basis|foundation)|fabricat\w+|fake news|"
    r"no truth|no (?:intention|intent) of|"
    r"not going anywhere|dismiss\w* (?:an? |the )?(?:\w+ )?reports?)\b",
    re.I,
)

FORMER_WORDS = {"former", "ex", "formerly", "erstwhile", "onetime", "one-time", "previously",
                "once", "ex-"}
STAY_LEMMAS = {"continue", "remain", "stay", "keep", "retain", "maintain"}
ADVISORY_WORDS = {"consultant", "adviser", "advisor", "advisory", "board", "director",
                  "emeritus", "non-executive", "nonexecutive", "honorary", "consult",
                  "counsel"}
INTERNAL_WORDS = {"parent", "subsidiary"}
POSITION_NOUNS = {"position", "post", "role", "job", "seat", "duties", "title", "office",
                  "positions", "posts", "roles", "helm"}
