"""Sentence stage: every rule over one parsed sentence, then the sentence-wide vetoes."""

from __future__ import annotations

from spacy.tokens import Doc

from extract.detection.context import Candidate, Context
from extract.detection.orgs import _unit_owners
from extract.detection.rules import CAREER_RULES, DIRECT_RULES
from extract.detection.rules.base import Sentence
from extract.detection.vetoes import DENIED, _denied, non_leading


def sentence_candidates(doc: Doc, ctx: Context, offset: int, prev_text: str = "") -> list[
        Candidate]:
    """All departure candidates of one parsed sentence (``offset``: its article offset),
    the dropped ones with their reason."""
    s = Sentence(doc, ctx, offset, doc.user_data.get("exodus_text", doc.text).strip(),
                 prev_text)
    # Tokens a denial covers (None: the whole sentence) propose candidates only for
    # ``--explain``: they are dropped.
    denied = _denied(doc)
    cands: list[Candidate] = []
    for tok in doc:
        if s.kind(tok) is None:
            continue  # no direct rule fires on a token that tells no departure
        for rule in DIRECT_RULES:
            found = rule.fire(tok, s)
            if denied is None or tok.i in denied:
                _drop(found, DENIED)
            cands.extend(found)
    if denied is None or denied:
        # A sentence that also denies something is no ground for a veto, nor for a
        # career read from it.
        _drop([c for c in cands if c.internal], DENIED)
    for tok in doc:
        for rule in CAREER_RULES:
            found = rule.fire(tok, s)
            if denied is None or denied:
                _drop(found, DENIED)
            cands.extend(found)
    owners = _unit_owners(doc, ctx, offset)
    for cand in cands:
        if cand.company in owners:
            cand.company = f"{cand.company} ({owners[cand.company]})"
        if cand.reason is None:
            cand.reason = non_leading(cand.role)
    return cands


def _drop(cands: list[Candidate], reason: str) -> None:
    for cand in cands:
        cand.reason = cand.reason or reason
