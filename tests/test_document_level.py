"""Document-level detection: the person named in one sentence, the departure told in
another, linked through the article's entity table (``extract.detection.entities``).

Every passage is written for these tests; names of people and companies are invented.
"""

from __future__ import annotations

import pytest

from extract.departures import Departure, Detector
from extract.names import same_company, same_person


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector()


def has(deps: list[Departure], person: str, company: str) -> bool:
    return any(same_person(d.person, person) and same_company(d.company, company)
               for d in deps)


LINKED = [
    # A role named alone, its holder named in a later sentence.
    ("Halvard Robotics is losing one of its top AI researchers. The head of its AI lab will "
     "leave the company at the end of the month, according to an internal memo. Tobias Kring "
     "joined Halvard Robotics in 2019 from Brask Analytics and has led the AI lab since 2021.",
     "Tobias Kring", "Halvard Robotics"),
    # The holder named first, as the founder; the departure told of "its founder".
    ("Mateo Silva founded Orion Cloud in 2012 and has run it since. On Tuesday the company "
     "said its founder will leave at the end of the year.", "Mateo Silva", "Orion Cloud"),
    # "co-founder", which the parser splits.
    ("Arjun Mehta co-founded Nimbus Pay in 2015. The co-founder will leave the company at "
     "the end of the year, Nimbus Pay said in a statement.", "Arjun Mehta", "Nimbus Pay"),
    # The title stated with the hire, the departure told of "the CTO".
    ("Quillon Labs hired Omar Haddad as chief technology officer last year. The CTO has now "
     "left the company, two people familiar with the matter said.", "Omar Haddad",
     "Quillon Labs"),
    # Apposition with an acronym on one side and the words on the other.
    ("Brask Analytics said Ingrid Solberg, its CFO, would present the results. The chief "
     "financial officer is stepping down after the annual meeting, the company said.",
     "Ingrid Solberg", "Brask Analytics"),
    # "The executive", "the 52-year-old": the person just named, like a pronoun.
    ("Tobias Kring has been Halvard Robotics' chief scientist since 2018. The executive "
     "will leave the company next month, the firm said.", "Tobias Kring", "Halvard Robotics"),
    ("Tobias Kring has been Halvard Robotics' chief scientist since 2018. The 52-year-old "
     "will leave the company next month, the firm said.", "Tobias Kring", "Halvard Robotics"),
    # "I" in a quote is the speaker.
    ('"I have decided to leave Halvard Robotics after eight wonderful years," Tobias Kring '
     "wrote on LinkedIn.", "Tobias Kring", "Halvard Robotics"),
    # The role first, the person opening the next sentence with no title of their own.
    ("Halvard Robotics' design chief is leaving. Elias Brandvold will form an independent "
     "design studio, with Halvard Robotics among its clients.", "Elias Brandvold",
     "Halvard Robotics"),
    # "she" skips back over a man the article refers to as "he".
    ("Clara Voss, chief operating officer of Nimbus Pay, said her team had grown. Daniel "
     "Hart, the chief financial officer, said his division was profitable. She is leaving "
     "the company in June.", "Clara Voss", "Nimbus Pay"),
]


@pytest.mark.parametrize(("text", "person", "company"), LINKED,
                         ids=[f"linked-{i}" for i in range(len(LINKED))])
def test_role_in_one_sentence_links_to_the_person_named_in_another(
        det: Detector, text: str, person: str, company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), [(d.person, d.company) for d in found]
    assert len(found) == 1


NOT_LINKED = [
    # Two people hold a title the role matches: no guess.
    "Veldt Systems named Karin Holm and Jonas Berg as vice presidents of engineering in "
    "2020. The vice president of engineering will leave the company in May.",
    # The one who matches is the successor, told as new.
    "Marlo Foods said Pieter Claes will become its new chief financial officer. The chief "
    "financial officer will leave the company in March.",
    # An indefinite role is no one in particular.
    "Ruth Adler has led Sundry Media's product team since 2019. A product executive will "
    "leave the company next month.",
    # The next sentence's opener is a speaker, or a successor: not the role's holder.
    "Halvard Robotics' design chief is leaving. Ruth Adler said in a memo that the company "
    "would miss him.",
    "Halvard Robotics' design chief is leaving. Ruth Adler will replace him in July.",
    # "the executive who ran ...": someone described anew, not the last person named.
    "Lena Fischer, chief executive of Halvard Robotics, spoke on Monday. She said the "
    "executive who ran its robotics unit will leave the company.",
    # A speaker who holds another post is not the holder of the role she speaks of.
    "Lena Fischer, chief executive of Halvard Robotics, said the head of its AI lab will "
    "leave the company.",
    # The role is not the one stated for the person named.
    "Ruth Adler, chief executive of Sundry Media, spoke at the conference. The chief "
    "technology officer will leave the company next month.",
]


@pytest.mark.parametrize("text", NOT_LINKED, ids=[f"unlinked-{i}" for i in
                                                  range(len(NOT_LINKED))])
def test_role_without_one_known_holder_links_to_no_one(det: Detector, text: str) -> None:
    assert det.detect(text) == []


def test_explain_shows_the_linked_person(det: Detector) -> None:
    text, person, company = LINKED[0]
    kept = [c for c in det.explain(text) if c.reason is None]
    assert [(c.person, c.company) for c in kept] == [(person, company)]
    assert "head of its AI lab" in kept[0].sentence


def test_the_organisation_a_person_came_from_is_not_the_one_left(det: Detector) -> None:
    """The sentence names the earlier employer; the entity table says the person joined
    another one since, which is the one left."""
    text = ("Orion Cloud's chief product officer has resigned. Priya Raman, who joined the "
            "company from Kestrel Labs in 2020, said in a post that she was leaving to join a "
            "start-up.")
    found = det.detect(text)
    assert has(found, "Priya Raman", "Orion Cloud"), [(d.person, d.company) for d in found]
    assert has(found, "Priya Raman", "Kestrel Labs")  # the earlier move is one too
    assert len(found) == 2
