"""Vocabulary as data: the word lists and patterns the rules look for.

Company and role lexicons the NER model needs help with live in ``extract.gazetteer``;
these are the words of the detection rules themselves (trigger verbs and nouns, words
that block or veto, words of titles, units and time).
"""

from __future__ import annotations

import re

from extract.gazetteer import PROFESSIONS, TECH_ORGS

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


_BLOCK_HEADS = {"deny", "refuse", "reject", "demand", "call", "urge", "pressure", "ask",
                "consider", "mull", "weigh", "rumor", "rumour", "speculate", "speculation",
                "threaten", "resist", "shrug", "rebuff", "avoid", "refusal", "report",
                "possibility", "whether", "fear", "rule", "plan"}


_BLOCK_HEADS_STRICT = {"deny", "refuse", "reject", "demand", "call", "urge", "pressure",
                       "consider", "mull", "weigh", "rumor", "rumour", "speculate",
                       "speculation", "threaten", "resist", "shrug", "rebuff", "avoid",
                       "refusal", "possibility", "whether", "fear", "claim", "allege",
                       "fabricate", "fabrication", "survive", "attempt", "bid", "effort",
                       "campaign", "motion", "proposal", "plot"}


_HYPO_MODALS = {"might", "could", "may", "should", "must"}


_SAY_LEMMAS = {"say", "announce", "tell", "confirm", "report", "disclose", "state", "add",
               "note", "reveal", "write", "accept"}


_GOV_ROLE_RE = re.compile(
    r"\b(minister|senator|governor|congress\w*|ambassador|mayor|lawmaker|premier|"
    r"commissioner|undersecretary|under secretary|"
    r"chief of staff to (?:the )?(?:president|vice president|prime minister|white house)|"
    r"(?:defen[cs]e|state|treasury|commerce|energy|interior|labor|health|finance|"
    r"transport\w*|education|homeland security|home|foreign)\s+secretary|secretary of\s+\w+)\b",
    re.I,
)


# Public bodies: leaving one is not leaving a company ("the Securities and Exchange
# Commission said commissioner X will leave the agency").
_GOV_ORG_RE = re.compile(
    r"\b(commission|ministry|department of|pentagon|white house|senate|parliament|"
    r"federal reserve|treasury department|cabinet|(?:communist|labou?r|"
    r"democratic|republican|conservative|socialist|people's) party|politburo|SEC|CFTC|FTC|"
    r"FCC|navy|army|air force|marine corps|central bank|treasury)\b|"
    r"^(?:finance|foreign|defen[cs]e|interior|justice|trade|economy|planning|"
    r"(?:the )?(?:u\.?s\.? )?congress|(?:the )?party)$",
    re.I)


_BOARD_ROLE = re.compile(
    r"^(?:(?:the|a|an|its|one|two|three|four|company's|outside|independent|non-?executive)"
    r"\s+)*(?:directors?|board members?|members? of (?:the|its) board)$", re.I)


_TITLE_WORDS = {"mr", "mrs", "ms", "dr", "sir", "dame", "prof", "professor", "mr.", "mrs.",
                "ms.", "dr.", "lord", "lady"}


_NON_LEADING = {"employee", "employees", "staff", "worker", "workers", "staffer",
                "staffers", "intern", "contractor", "people", "members", "analyst",
                "associate", "assistant", "clerk", "developer", "programmer", "reporter",
                "trainee", "salesperson", "technician", "designer", "engineer", "writer",
                "junior", "user", "users", "student", "students", "auditor", "auditors",
                "accountant", "accountants"} | PROFESSIONS


# Words that make a role leading even next to a non-leading noun ("chief engineer").
_LEADING = {"chief", "head", "president", "vice", "ceo", "cto", "cfo", "coo", "cio", "vp",
            "chairman", "chairwoman", "chair", "founder", "co-founder", "cofounder",
            "director", "officer", "executive", "lead", "leader", "principal", "partner",
            "managing", "general", "manager", "scientist", "senior", "svp", "evp", "boss",
            "led", "headed", "ran", "managed", "oversaw", "architect", "distinguished",
            "leading"}


_TECH_ORG_SET = set(TECH_ORGS)


_COMPANY_ENDINGS = ("maker", "company", "firm", "giant", "group", "provider", "operator",
                    "retailer", "developer", "platform", "startup", "start-up", "bank",
                    "lender", "producer", "manufacturer", "conglomerate")


_INSTITUTION_NOUNS = {"university", "college", "institute", "academy", "school"}


# Nouns naming a part of a company: "its Xiaoxiang Supermarket unit" is Meituan's.
_UNIT_NOUNS = {"unit", "division", "arm", "team", "lab", "laboratory", "department", "studio",
               "group", "business", "subsidiary", "segment", "programme", "program"}


_FOUND_FORMS = {"found", "founds", "founded", "founding", "co-found", "co-founded",
                "cofound", "cofounded"}


_C_TITLE = re.compile(r"^(?:C[A-Z]{1,2}O|[ES]?VP|EVP|SVP|MD)$")


_TITLE_PARTS = {"chief", "technology", "technical", "financial", "operating", "executive",
                "officer", "marketing", "information", "product", "people", "vice",
                "president", "head", "director", "research", "global"}


_CORP_ENDINGS = {"inc", "corp", "co", "ltd", "plc", "llc", "lp", "ag", "sa", "nv", "group"}


_NAME_BLOCK_LABELS = {"ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "MONEY", "CARDINAL"}


_PRODUCT_HEADS = {"maker", "owner", "developer", "creator", "operator", "publisher",
                  "manufacturer", "producer", "parent"}


# A negated verb blocks a departure in its complement only if it reports, plans or
# expects it ("did not say he would resign", "does not plan to leave"); "X departed; the
# company has not named a successor" is still a departure.
_NEG_SCOPE_HEADS = {"say", "plan", "expect", "intend", "want", "think", "believe", "confirm",
                    "announce", "decide", "agree", "indicate", "mean", "know", "rule",
                    "disclose", "report", "suggest", "see", "tell", "comment", "need",
                    "wish", "seek", "aim", "hope"}


_WH_WORDS = {"why", "when", "where", "how", "what"}


_TEMPORARY = {"temporarily", "temporary", "briefly"}


_INTENT_WORDS = {"will", "would", "intend", "plan", "expect", "hope", "want", "shall"}


_NEW_ROLE_LEMMAS = {"become", "assume", "take", "move", "shift", "transition"}


_LEAD_LEMMAS = {"lead", "head", "run", "oversee", "focus", "helm", "manage"}


_HEAD_ROLES = {"chairman", "chairwoman", "chair", "chief", "ceo", "president", "executive"}


_HONORARY = {"emeritus", "honorary", "non", "nonexecutive", "adviser", "advisor", "advisory",
             "consultant", "consult", "independent"}


_ELSEWHERE_NOUNS = {"university", "school", "college", "institute", "fund", "concern",
                    "academy", "foundation", "agency", "rival", "competitor"}


_GROUP_PART = {"subsidiary", "unit", "arm", "division", "affiliate", "subsidiaries"}


_TOWARD_LEMMAS = {"devote", "focus", "concentrate", "join", "move", "become", "take",
                  "return", "serve", "work", "lead", "head", "run", "remain", "stay"}


_MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "one", "week", "month",
                "year", "today", "monday", "tuesday", "wednesday", "thursday", "friday"}


_ADVISORY_NOUNS = {"advisory", "adviser", "advisor", "consultant", "consulting", "consultancy"}


_TOP_KEPT = {"chairman", "chairwoman", "chair", "president", "ceo", "chief", "head",
             "director", "executive"}


_CAUSE_PREPS = {"over", "amid", "because", "despite"}  # not "after nine years at X"


# Titles someone holds now; "founder" is history, not a post one keeps.
_KEPT_TITLES = {"chairman", "chairwoman", "chair", "ceo", "chief", "president", "head",
                "leader"}


_CONCESSIVE = {"while", "although", "though", "whilst"}


# "retired effective March 31": the parser makes "effective" a predicate of the verb.
_EFFECTIVE = {"effective", "immediately"}


_EMPLOYMENT = {"employment", "service", "services", "contract", "appointment", "tenure"}


_BOARD_WORDS = {"board", "director", "directors", "trustee", "trustees", "seat"}


_TENURE_UNITS = {"year", "decade", "month"}


_TENURE_LEADS = {"lead", "head", "run", "oversee", "manage", "helm"}


_HIRE_LEMMAS = {"hire", "appoint", "name", "recruit", "poach", "tap", "bring", "elect",
                "select", "promote"}
