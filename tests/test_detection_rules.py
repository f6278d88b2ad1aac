"""Every rule fires on its own example sentences, every veto gives its reason on its own.

The rules and vetoes list their examples next to their code
(``extract.detection.rules``, ``extract.detection.vetoes.VETOES``); this test walks them
all through the real detector, so an example that stops working fails here. Names are
invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.departures import Detector
from extract.detection.rules import RULES
from extract.detection.vetoes import VETOES
from extract.names import same_company, same_person

RULE_CASES = [(rule.name, *example) for rule in RULES for example in rule.examples]
VETO_CASES = [(veto.reason, text) for veto in VETOES for text in veto.examples]


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector()


def test_every_rule_and_veto_has_examples() -> None:
    assert all(rule.examples for rule in RULES)
    assert all(veto.examples for veto in VETOES)
    assert len({rule.name for rule in RULES}) == len(RULES)
    assert len({veto.reason for veto in VETOES}) == len(VETOES)


@pytest.mark.parametrize(("rule", "text", "person", "company"), RULE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(RULE_CASES)])
def test_rule_fires_on_its_examples(det: Detector, rule: str, text: str, person: str,
                                    company: str) -> None:
    cands = det.explain(text)
    assert any(c.rule == rule and c.reason is None and same_person(c.person, person)
               and same_company(c.company, company) for c in cands), \
        [(c.rule, c.person, c.company, c.reason) for c in cands]
    assert any(same_person(d.person, person) and same_company(d.company, company)
               for d in det.detect(text))


@pytest.mark.parametrize(("reason", "text"), VETO_CASES,
                         ids=[f"veto-{i}" for i in range(len(VETO_CASES))])
def test_veto_gives_its_reason(det: Detector, reason: str, text: str) -> None:
    cands = det.explain(text)
    assert any(c.reason == reason for c in cands), \
        [(c.rule, c.person, c.company, c.reason) for c in cands]
    dropped = {(c.person, c.company) for c in cands if c.reason == reason}
    # What the veto dropped is not reported (unless another sentence tells it again).
    assert not any((d.person, d.company) in dropped and d.sentence == c.sentence
                   for d in det.detect(text) for c in cands if c.reason == reason)


def test_no_function_above_complexity_30() -> None:
    """The detection package stays in small stages (cyclomatic complexity, radon)."""
    radon = pytest.importorskip("radon.complexity")
    package = Path(__file__).resolve().parents[1] / "extract" / "detection"
    files = sorted(package.rglob("*.py"))
    assert files
    worst = [(f.name, block.name, block.complexity) for f in files
             for block in radon.cc_visit(f.read_text(encoding="utf-8"))
             if block.complexity > 30]
    assert not worst, worst
