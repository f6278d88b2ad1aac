"""Departure detection: seed gold, the inclusion/exclusion policy, resolution, robustness.

Every sentence here is written for the tests (none comes from a publisher's passage);
company and person names are invented or generic on purpose.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from extract.departures import Departure, Detector, ModelNotFound
from extract.names import same_company, same_person

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "gold"


@pytest.fixture(scope="session")
def det() -> Detector:
    return Detector()


def pairs(deps: list[Departure]) -> list[tuple[str, str]]:
    return [(d.person, d.company) for d in deps]


def has(deps: list[Departure], person: str, company: str) -> bool:
    return any(same_person(d.person, person) and same_company(d.company, company)
               for d in deps)


# --------------------------------------------------------------------------- seed gold

def test_seed_gold_exactly(det: Detector) -> None:
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    found = det.detect(text, expected["article"]["published"])
    gold = [(d["person"], d["company"]) for d in expected["departures"]]
    for person, company in gold:
        assert has(found, person, company), (person, company, pairs(found))
    assert len(found) == len(gold), pairs(found)
    for dep in found:
        assert dep.sentence in text  # evidence is verbatim
        assert 0.0 <= dep.confidence <= 1.0


def test_seed_details(det: Detector) -> None:
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    found = {(d.person, d.company.split()[0]): d for d in det.detect(text)}
    yang_ali = found[("Yang Hongxia", "Alibaba")]
    assert yang_ali.destination == "ByteDance"
    assert yang_ali.when_text == "late 2022"
    jia = found[("Jia Yangqing", "Alibaba")]
    assert jia.when_text == "early 2023"
    assert "start-up" in (jia.destination or "")
    assert found[("Fu Ruiji", "iFlytek")].destination == "Kuaishou"
    assert found[("Wang Changhu", "ByteDance")].destination == "AIsphere"
    assert "Knowledge Graph" in (found[("Fu Ruiji", "Kuaishou")].role or "")


# --------------------------------------------------------------------------- inclusion

INCLUDED = [
    ("Norvex Robotics said its chief executive Maria Lopez resigned on Monday.",
     "Maria Lopez", "Norvex Robotics"),
    ("Globex Corp said chief financial officer Peter Hall will retire in June.",
     "Peter Hall", "Globex Corp"),
    ("Dana Whitfield stepped down as president of Initrode Inc after six years.",
     "Dana Whitfield", "Initrode Inc"),
    ("Tencent vice president Zhang Wei quit the company last month.",
     "Zhang Wei", "Tencent"),
    ("Gavin Brook was fired as chief technology officer of Hoolix Labs on Friday.",
     "Gavin Brook", "Hoolix Labs"),
    ("The board of Pellucid Inc ousted its chief executive, Ron Tamsin, after a dispute.",
     "Ron Tamsin", "Pellucid Inc"),
    ("Lars Berg, Stripe's head of engineering, will depart at the end of the year.",
     "Lars Berg", "Stripe"),
    ("Baidu's chief scientist Andrew Chen has left the firm.", "Andrew Chen", "Baidu"),
    ("Nvidia executive Sarah Kim will leave in June, the chipmaker said.",
     "Sarah Kim", "Nvidia"),
    ("Li Ming left Alibaba to join ByteDance as head of its search unit.",
     "Li Ming", "Alibaba"),
    ("ByteDance has hired Chen Jie, former head of Tencent's cloud unit, to lead its AI lab.",
     "Chen Jie", "Tencent"),
    ("Before joining Meituan in 2020, Zhou Lan was vice president at JD.com.",
     "Zhou Lan", "JD.com"),
    ("Wu Hao, who previously led Baidu's autonomous driving unit, founded his own company, "
     "DriveNova, in 2022.", "Wu Hao", "Baidu"),
    ("Orbital Systems Inc said president Tom Reed resigned but will stay on as a consultant.",
     "Tom Reed", "Orbital Systems Inc"),
    ("Sun Li will step down as chief executive of Vertex Labs and remain a non-executive "
     "director.", "Sun Li", "Vertex Labs"),
    ("Quantix Corp said Helen Marsh, its vice president of sales, exited the company "
     "effective immediately.", "Helen Marsh", "Quantix Corp"),
    ("Xiaomi confirmed the departure of Liu Yang, who ran its smartphone business.",
     "Liu Yang", "Xiaomi"),
    # the holder's name hangs on the title's of-phrase; an unknown "... Data" company
    ("The chief scientist of Halvard Data, Professor Ines Moreau, has quit to return to "
     "teaching.", "Ines Moreau", "Halvard Data"),
    # a new role in an unnamed other organisation is a move out, not a stay
    ("Tern Analytics said its president, Omar Diallo, resigned to become chief executive of "
     "a Dutch logistics concern.", "Omar Diallo", "Tern Analytics"),
    # "formerly" on the name, the title in apposition
    ("Ravi Sen, formerly head of payments at Grab, has joined Sea as chief operating "
     "officer.", "Ravi Sen", "Grab"),
    # a finished tenure narrated next to a move
    ("Lin Qiao, who spent eight years as Baidu's head of maps, has joined Meituan.",
     "Lin Qiao", "Baidu"),
    ("Brightwell Foods has parted ways with its chief financial officer, Nadia Ruiz.",
     "Nadia Ruiz", "Brightwell Foods"),
    # a negation in the next clause does not reach the departure
    ("Halvard Data's vice president of sales, Anna Reyes, departed in May; the company has "
     "not named a successor.", "Anna Reyes", "Halvard Data"),
    # successions and removals in the passive: the predecessor is the one who leaves
    ("Tom Varga was replaced as chief financial officer of Quillon Systems by Ada Ferro, "
     "the company's treasurer.", "Tom Varga", "Quillon Systems"),
    ("Hedda Lind, chief executive of Marrow Freight since 2015, will be succeeded by Piet "
     "Aalto in May, Marrow Freight said.", "Hedda Lind", "Marrow Freight"),
    ("Renwick Biologics said its head of research, Dr. Ola Kamau, was let go last week.",
     "Ola Kamau", "Renwick Biologics"),
    ("Chief compliance officer Ivo Brandt was pushed out of Kestle Bank in March.",
     "Ivo Brandt", "Kestle Bank"),
    ("Sela Mining's chief executive, Joan Pyke, is out as chief executive after a year.",
     "Joan Pyke", "Sela Mining"),
    ("Quillon Systems said its chief risk officer, Ben Acre, had stood down.",
     "Ben Acre", "Quillon Systems"),
    # "steps" tagged as a noun in apposition to the title
    ("Its general manager, Rui Okafor, steps aside next month, Halvard Data said.",
     "Rui Okafor", "Halvard Data"),
    # the object title and the name are split by the parser
    ("Marrow Freight has sacked the head of its rail programme, Kai Lowe, after delays.",
     "Kai Lowe", "Marrow Freight"),
    # an inverted subject
    ("Also departing from Renwick Biologics is general counsel Mia Soto, the company said.",
     "Mia Soto", "Renwick Biologics"),
    # stepped back to an adviser-only role (policy: gives up the executive role)
    ("Co-founder Lu Wen has stepped back from day-to-day operations at Yanta Robotics and "
     "will serve only as an adviser.", "Lu Wen", "Yanta Robotics"),
    # a university lab head leaving for a company: "the university" refers back
    ("Professor Jin Hao, who ran the vision laboratory at Tsinghua University, has left the "
     "university to join Zhipu AI.", "Jin Hao", "Tsinghua University"),
    # the successor's organisation in another clause is not the one left
    ("Chief operating officer Ana Ruiz will leave in June, and her duties will be split "
     "between the heads of Lazada and AliExpress, Alibaba said.", "Ana Ruiz", "Alibaba"),
]


@pytest.mark.parametrize(("text", "person", "company"), INCLUDED)
def test_included(det: Detector, text: str, person: str, company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)
    assert len(found) == 1, pairs(found)


def test_move_has_destination(det: Detector) -> None:
    (dep,) = det.detect("Li Ming left Alibaba to join ByteDance as head of its search unit.")
    assert dep.destination == "ByteDance"


def test_one_person_two_companies(det: Detector) -> None:
    found = det.detect("Kim Sora resigned from Samsung and Naver to start her own company.")
    assert has(found, "Kim Sora", "Samsung") and has(found, "Kim Sora", "Naver")
    assert len(found) == 2


def test_one_person_two_roles_two_companies(det: Detector) -> None:
    found = det.detect("Ola Berg left her roles as chief executive of Finch Labs and partner "
                       "at Moss Ventures to start a climate fund.")
    assert has(found, "Ola Berg", "Finch Labs") and has(found, "Ola Berg", "Moss Ventures")
    assert len(found) == 2


def test_two_people_one_company(det: Detector) -> None:
    found = det.detect("Anna Berg and Ole Lund, two senior vice presidents, have left Spotify.")
    assert has(found, "Anna Berg", "Spotify") and has(found, "Ole Lund", "Spotify")
    assert len(found) == 2


# --------------------------------------------------------------------------- exclusion

EXCLUDED = [
    # keeps a leading role in the same company or group
    "Karen Holt will step down as chief executive of Zenith Corp and become its executive "
    "chairman.",
    "Omar Haddad stepped down as head of sales at Pixelate Inc to take on a new strategy role "
    "at the company.",
    "Nora Quinn resigned as president of Beta Labs, a unit of Gamma Holdings, to focus on her "
    "role at the parent company.",
    # only a board seat
    "Victor Lang resigned from the board of Deltacom Corp.",
    # nobody named / not a leading role
    "More than 15,000 employees have quit Foxconn this year.",
    "Junior analyst Tim Brown left Acmeco last week.",
    # denial, rejected rumour, hypothetical, demand, negation
    "Hoolix denied reports that its chief executive Gavin Brook would step down.",
    "Rumours that Initrode president Bill Lund is leaving were dismissed by the company.",
    "If Norvex chief executive Jane Roe resigned, the shares would fall.",
    "Norvex chief executive Jane Roe could leave the company next year, analysts said.",
    "Investors called for Pellucid chairman Ron Tamsin to resign.",
    "Norvex chief executive Jane Roe said she would not resign.",
    # a company leaves a market; things that are not people leaving
    "Yahoo is leaving China, the company said on Tuesday.",
    "Uber exited Southeast Asia in 2018.",
    "Acmeco Corp left its quarterly dividend unchanged at 10 cents a share.",
    "Acmeco Corp said its Widget Inc subsidiary will retire its 8 pct notes due 2030.",
    # government, not a company
    "Finance Minister Paul Grant resigned on Tuesday.",
    # joining without leaving, hiring
    "Pinduoduo increased job advertisements for engineers at its Shanghai headquarters.",
    "Apple hired Mona Reyes as its first director of AI research.",
    # a temporary leave is not a departure
    "Quantix president Helen Marsh is taking a sabbatical until the end of the year.",
    # keeps the chair, keeps the CEO post, moves to the parent named in the sentence
    "Dora Lind will step down as chief executive of Halvard Data but remain chairman of the "
    "board.",
    "Olaf Brandt stepped down as chairman of the supervisory board of Tern Analytics; he "
    "remains its chief executive.",
    "Zhou Min stepped down as chief executive of Lingo Games, a Halvard Data subsidiary, and "
    "became Halvard Data's head of publishing.",
    "Kuaishou appointed Mei Tan, formerly head of Kuaishou's live-streaming unit, as chief "
    "financial officer.",
    # rumour rejected, conditional, a trip
    "Brightwell Foods dismissed as fabrication reports that its chief executive Nadia Ruiz "
    "had quit.",
    "Tern Analytics president Omar Diallo said he would resign only if the merger failed.",
    "Halvard Data vice president Ines Moreau left for Singapore on Monday to open a regional "
    "office.",
    # keeps running the group while leaving a subsidiary post
    "Lee Jun, the chief executive of Zenith Corp, has left the position of president in a "
    "subsidiary company.",
    # succeeded, but keeps a leading role (next sentence), or stays as executive chairman
    "Marrow Freight said Hedda Lind will be succeeded as chief executive by Piet Aalto. Lind "
    "will become executive chairman.",
    "Founder Bo Tang hands over the reins of Yanta Robotics to his son and will stay on as "
    "executive chairman.",
    "Co-founder Lu Wen has stepped back from day-to-day operations at Yanta Robotics but "
    "will remain chairman of the board.",
    # temporary, a failed attempt, a conditional in a complement, no stated intention
    "Renwick Biologics said chief executive Ola Kamau has stepped aside temporarily while a "
    "committee reviews a complaint.",
    "Chief executive Ivo Brandt survived a shareholder vote to oust him at Kestle Bank.",
    "Analysts said Sela Mining shares would fall if chief executive Joan Pyke were to leave.",
    "Sela Mining chief executive Joan Pyke has not said when she intends to retire.",
    # a committee seat only; people with no leading role at the organisation they quit
    "Yanta Robotics chief executive Bo Tang stepped down as chairman of the board's audit "
    "committee.",
    "Novelist Wen Hui quit Weibo after a row with commenters.",
    # "replaced" something that is not a person; a company bowing out of a deal
    "Quillon Systems replaced the battery supplier for its cheapest scooter.",
    "Tencent bowed out of the bidding for a stake in the French studio.",
]


@pytest.mark.parametrize("text", EXCLUDED)
def test_excluded(det: Detector, text: str) -> None:
    assert det.detect(text) == []


def test_stay_elsewhere_in_article_vetoes(det: Detector) -> None:
    text = ("Marta Ruiz, managing director of Orion Video, has resigned, the company said. "
            "Ruiz will continue to work for the parent company, Orion Media said.")
    assert det.detect(text) == []


# --------------------------------------------------------------------------- resolution

def test_unit_is_named_with_its_company(det: Detector) -> None:
    text = ("Meituan is restructuring its grocery business. The company said Ma Lan, the head "
            "of its Xiaoxiang Supermarket unit, will depart at the end of the month.")
    (dep,) = det.detect(text)
    assert dep.person == "Ma Lan" and same_company(dep.company, "Meituan")


def test_pronoun_after_the_interim_successor(det: Detector) -> None:
    text = ("Quillon Systems said Ada Ferro had stepped down as chief financial officer. She "
            "will be replaced on an interim basis by Tom Varga. The filing said her departure "
            "was not the result of any disagreement.")
    assert pairs(det.detect(text)) == [("Ada Ferro", "Quillon Systems")]


def test_bare_surname_the_model_left_unlabelled(det: Detector) -> None:
    text = ("Quillon Systems named a new finance chief on Monday after a review of its "
            "accounts by Peter Haldane's team. Haldane has left the company, a spokesman said.")
    found = det.detect(text)
    assert has(found, "Peter Haldane", "Quillon Systems"), pairs(found)


def test_pronoun_resolution(det: Detector) -> None:
    text = ("Maria Lopez joined Norvex Robotics in 2015 and built its drone business. "
            "Last week, she resigned as chief operating officer of Norvex Robotics.")
    (dep,) = det.detect(text)
    assert dep.person == "Maria Lopez"
    assert same_company(dep.company, "Norvex Robotics")


def test_surname_and_company_reference(det: Detector) -> None:
    text = ("Chen Jie built Tencent's cloud unit over a decade. "
            "Chen left the company in March, according to people familiar with the matter.")
    (dep,) = det.detect(text)
    assert dep.person == "Chen Jie"
    assert same_company(dep.company, "Tencent")
    assert dep.when_text == "March"


def test_descriptive_company_reference(det: Detector) -> None:
    text = ("Zhao Lei, who ran ByteDance's search team for five years, has left the "
            "Beijing-based firm to start an AI company.")
    (dep,) = det.detect(text)
    assert (dep.person, dep.company) == ("Zhao Lei", "ByteDance")
    assert dep.destination and "AI company" in dep.destination


def test_relative_time_resolved_against_published(det: Detector) -> None:
    text = "Early last year, Tom Reed quit Orbital Systems Inc to found a robotics start-up."
    (dep,) = det.detect(text, published="2024-05-28")
    assert dep.when_text == "Early 2023"
    (dep,) = det.detect(text)
    assert dep.when_text == "Early last year"


# --------------------------------------------------------------------------- robustness

def test_empty_and_blank(det: Detector) -> None:
    assert det.detect("") == []
    assert det.detect("   \n\n ") == []
    assert det.detect(".") == []


def test_non_english_gives_nothing(det: Detector) -> None:
    texts = [
        "杨红霞已离开字节跳动，加入了一家人工智能初创公司。",
        "Der Vorstandschef von Siemens, Hans Müller, ist zurückgetreten und hat das "
        "Unternehmen verlassen.",
        "Jean Dupont a quitté Renault pour rejoindre Stellantis en tant que directeur général.",
        "Генеральный директор компании Яндекс ушел в отставку.",
    ]
    for text in texts:
        assert det.detect(text) == []


def test_huge_input(det: Detector) -> None:
    filler = "The market for cloud services grew steadily during the quarter. " * 2500
    text = filler + "Norvex Robotics said its chief executive Maria Lopez resigned. " + filler
    start = time.perf_counter()
    found = det.detect(text)
    assert pairs(found) == [("Maria Lopez", "Norvex Robotics")]
    assert time.perf_counter() - start < 30
    assert found[0].sentence == "Norvex Robotics said its chief executive Maria Lopez resigned."


def test_detect_many_keeps_order(det: Detector) -> None:
    items = [
        ("Baidu's chief scientist Andrew Chen has left the firm.", None),
        ("", None),
        ("Uber exited Southeast Asia in 2018.", None),
        ("Li Ming left Alibaba to join ByteDance.", "2024-01-01"),
    ]
    results = list(det.detect_many(items, batch_size=3))
    assert [pairs(r) for r in results] == [
        [("Andrew Chen", "Baidu")], [], [], [("Li Ming", "Alibaba")]]


def test_unknown_model() -> None:
    with pytest.raises(ModelNotFound) as info:
        Detector("no_such_model_xyz")
    assert "\n" not in str(info.value)


# ------------------------------------------------------------ wire copy, blind round 3

WIRE_INCLUDED = [
    # angle-bracketed private company and ticker: the parse must not break at "<"
    ("<Hartwell Savings Bank> said Douglas P. Avery resigned as president, effective "
     "immediately.", "Douglas P. Avery", "Hartwell Savings Bank"),
    ("Brenner Tool Co <BRNR> said Lois Varga, vice president and treasurer, retired "
     "effective June 30.", "Lois Varga", "Brenner Tool Co"),
    ("Calloway Corp said it hired Martin Oakes, formerly executive vice president of "
     "<Tidewater Bank Corp>, as its chief financial officer.", "Martin Oakes",
     "Tidewater Bank Corp"),
    # "the company" in the second sentence, after a lower-case "42 cts" the model calls ORG
    ("Ormond Mills Inc said it expects to earn 42 cts a share this year. The company also "
     "said Gail Perrin, vice president of sales, has resigned.", "Gail Perrin",
     "Ormond Mills Inc"),
]


@pytest.mark.parametrize(("text", "person", "company"), WIRE_INCLUDED)
def test_wire_included(det: Detector, text: str, person: str, company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)
    assert len(found) == 1, pairs(found)


def test_wire_evidence_keeps_the_brackets(det: Detector) -> None:
    text = "<Hartwell Savings Bank> said Douglas P. Avery resigned as president."
    (dep,) = det.detect(text)
    assert dep.sentence == text


def test_two_names_listed_with_titles(det: Detector) -> None:
    found = det.detect("Fenwick Data Corp said Paul Ostrow, president, and Ruth Kell, vice "
                       "president-finance, have resigned.")
    assert has(found, "Paul Ostrow", "Fenwick Data Corp")
    assert has(found, "Ruth Kell", "Fenwick Data Corp")
    assert len(found) == 2, pairs(found)


def test_every_object_of_a_removal(det: Detector) -> None:
    found = det.detect("Backers of Tallis Robotics ousted its founders, chief executive Ana "
                       "Pires and chief technology officer Lev Orlov, on Friday.")
    assert has(found, "Ana Pires", "Tallis Robotics"), pairs(found)
    assert has(found, "Lev Orlov", "Tallis Robotics"), pairs(found)


def test_unit_and_parent_are_one_departure(det: Detector) -> None:
    text = ("Ashby Utilities Inc said Karl Voss resigned as president of its <Ashby Water Co> "
            "subsidiary and has left the company.")
    (dep,) = det.detect(text)
    assert same_company(dep.company, "Ashby Water Co") and same_company(dep.company,
                                                                        "Ashby Utilities Inc")


# unknown one-word companies, recognised from the noun that describes them
DESCRIBED_COMPANIES = [
    ("Mia Tran, the chief operating officer of travel app Roamly, has stepped down.",
     "Mia Tran", "Roamly"),
    ("Tessel, a Shenzhen-based battery startup, said its chief executive Gu Ping has quit.",
     "Gu Ping", "Tessel"),
    # the reporting subject itself, not its backer
    ("Alibaba-backed game studio Starvane said co-founder Rik Olsen had left the company.",
     "Rik Olsen", "Starvane"),
    # "the startup" is the story's company, not the investor that led its round
    ("Kovo Cloud raised $50 million in a round led by Pinegate Capital. Weeks earlier the "
     "startup's chief technology officer, Ida Brun, left the company.", "Ida Brun",
     "Kovo Cloud"),
    # an executive role given up for an advisory one
    ("Lumo AI co-founder Chen Rui is moving to an advisory role at the Hangzhou startup.",
     "Chen Rui", "Lumo AI"),
]


@pytest.mark.parametrize(("text", "person", "company"), DESCRIBED_COMPANIES)
def test_described_companies(det: Detector, text: str, person: str, company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)
    assert len(found) == 1, pairs(found)


ROUND3_EXCLUDED = [
    # a named person the company says has the board's support
    "A spokesman for Dalton Brands Inc said there was no truth to reports that chief "
    "executive Roy Hurd would be replaced.",
    "Pixelgrove chief executive Ana Souza said she is not going anywhere, dismissing a "
    "report that she would leave.",
    # a public body, not a company
    "The Federal Trade Commission said commissioner Dale Ivers will leave the agency in May.",
    # the person replaced moves to a new role in the group
    "Tencent's music arm has a new chief executive, replacing Guo Lin, who is moving to a new "
    "position overseeing the group's overseas investments.",
    # subsidiary to parent
    "Lu Chen, previously the president of Meituan's delivery arm, has been named chief "
    "financial officer of Meituan.",
    # a teacher who joins a company is not leaving a leading role
    "Orbly hired Dana Kerr as head of research. Kerr joins from Yale University, where she "
    "taught statistics.",
]


@pytest.mark.parametrize("text", ROUND3_EXCLUDED)
def test_round3_excluded(det: Detector, text: str) -> None:
    assert det.detect(text) == [], pairs(det.detect(text))


# --------------------------------------------------------------------------- dev set

def test_dev_precision_recall(det: Detector) -> None:
    import sys

    sys.path.insert(0, str(REPO))
    from bench.departures import dev_path, load_dev, score_rows

    rows = load_dev()
    if not rows:
        pytest.skip(f"dev set not found at {dev_path()}")
    preds = list(det.detect_many((r["text"], None) for r in rows))
    score, misses, extras = score_rows(rows, preds)
    assert score.precision >= 0.95, extras
    assert score.recall >= 0.93, misses


# --------------------------------------------------------------------------- round 4

ROUND4_FOUND = [
    # a narrated move without "previously": a past lead in a relative clause, then a join
    ("Fang Lirong, who ran marketing at Qinglan Software for eight years, has joined "
     "payments firm Paylark as chief marketing officer.", "Fang Lirong", "Qinglan Software"),
    ("Emma Vidal, who headed the data platform group at Corvex Systems for three years, "
     "joined Lumina Health in May.", "Emma Vidal", "Corvex Systems"),
    # "the <product> owner/rival <Name>": the company is the named one, not the product
    ("Ren Kaiyu has left the WeChat owner Tenmoon, where he led the payments team.",
     "Ren Kaiyu", "Tenmoon"),
    ("Lu Hanqing, who oversaw logistics at the Alibaba rival Dongmart Group, resigned in "
     "June.", "Lu Hanqing", "Dongmart Group"),
    # executive role given up, stays only as a non-executive director
    ("Zhou Manli has stepped down as chief executive of battery maker Voltaro Energy and "
     "will remain a non-executive director.", "Zhou Manli", "Voltaro Energy"),
]


@pytest.mark.parametrize(("text", "person", "company"), ROUND4_FOUND)
def test_round4_found(det: Detector, text: str, person: str, company: str) -> None:
    assert has(det.detect(text), person, company), pairs(det.detect(text))


ROUND4_EXCLUDED = [
    # the lead is still held ("has run"), no move narrated
    "Fang Lirong, who has run marketing at Qinglan Software since 2019, spoke at the forum.",
    # the person is not the one who joins; joining a board elsewhere is not leaving
    "Zhang Wei, who led sales at Orbix Software for a decade, said the company will join "
    "the industry alliance.",
    "Zhang Wei, who led sales at Orbix Software for a decade, joined the board of Quanta Labs.",
    # a denial worded as "unfounded"
    "Carden Bank said reports that its president, Alan Reese, would leave were unfounded.",
]


@pytest.mark.parametrize("text", ROUND4_EXCLUDED)
def test_round4_excluded(det: Detector, text: str) -> None:
    assert det.detect(text) == [], pairs(det.detect(text))


# Rules from the first round on real passages (Reuters 1987 wire and tech news), each
# written here in fresh words.
KEPT_LEAD = [
    # a title held before the name is not the post given up
    "Orbis Mobile chairman Tang Wei has stepped down as the company's president for Europe.",
    # the unit left belongs to the company the person still runs
    "Zhou Min, founder and CEO of Lanting, left his position as executive director of "
    "Lanting Cloud Services.",
    # a departure conceded, a leading post kept
    "While Kevin Ashby stepped down as head of the payments arm, he remained chief "
    "executive of the Fernwell group.",
    # a board seat only
    "A Harwick Foods Corp director resigned from the company's board. The director, Alma "
    "Reyes, resigned in a letter to the Harwick board.",
    # party and agency posts are not company roles
    "Former Party chief Wen Li made his first public appearance since his dismissal from "
    "the Communist Party leadership in January.",
    "He became acting chairman of the agency when chairman Paul Brandt left the SEC to "
    "become ambassador to Spain.",
]


@pytest.mark.parametrize("text", KEPT_LEAD)
def test_kept_lead_board_seats_and_public_posts(det: Detector, text: str) -> None:
    assert det.detect(text) == []


def test_a_title_given_up_in_full_is_still_a_departure(det: Detector) -> None:
    found = det.detect("Palmer Tool Inc said chairman and chief executive Ruth Olsen "
                       "resigned as chairman and chief executive.")
    assert has(found, "Ruth Olsen", "Palmer Tool"), pairs(found)
    found = det.detect("Kestrel Labs co-founder Amir Haddad resigned as chief executive.")
    assert has(found, "Amir Haddad", "Kestrel"), pairs(found)


def test_named_unit_carries_its_owner(det: Detector) -> None:
    (dep,) = det.detect("Bluewater Beverages Inc said Carl Ames will be resigning as president "
                        "of its Southern Group to pursue other interests.")
    assert dep.person == "Carl Ames" and "Bluewater" in dep.company, dep.company
    assert same_company(dep.company, "Bluewater Beverages")


@pytest.mark.parametrize(("text", "person", "company"), [
    ("Dorset Mutual Co said Robert Hayes has been elected treasurer. Hayes is a former "
     "partner of Price Waterhouse, the company said.", "Robert Hayes", "Price Waterhouse"),
    ("Lumen Devices Corp said it named Michael Grant as president. Grant was executive vice "
     "president of engineering at Helix Optics Corp, the company said.", "Michael Grant",
     "Helix Optics"),
])
def test_past_post_after_a_new_one(det: Detector, text: str, person: str,
                                   company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)
    assert len(found) == 1, pairs(found)


def test_past_post_of_someone_not_just_named_is_history(det: Detector) -> None:
    assert det.detect("Lumen Devices Corp said it named Michael Grant as president. "
                      "John Doyle was chairman of Helix Optics Corp in 1980.") == []


@pytest.mark.parametrize(("text", "person", "company"), [
    ("Granite Power Co said it will name a successor to its outgoing chairman and chief "
     "executive officer Robert Hayes by May.", "Robert Hayes", "Granite Power"),
    ("Harlow Corp said William Johnson has been named chairman emeritus and will continue "
     "as a member of the board.", "William Johnson", "Harlow Corp"),
    ("Michael Grant, Intel's chief technology officer, has told staff that Friday will be "
     "his last day.", "Michael Grant", "Intel"),
    ("ByteDance hired Xiaomi chief financial officer Shou Zi Chew as its CFO.",
     "Shou Zi Chew", "Xiaomi"),
])
def test_outgoing_emeritus_last_day_and_hired_from(det: Detector, text: str, person: str,
                                                  company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)
    assert len(found) == 1, pairs(found)


@pytest.mark.parametrize("text", [
    "Harlow Corp said William Johnson has been named chairman and chief executive.",
    "The outgoing tide stranded boats at the marina owned by Peter Mills.",
    "ByteDance hired its own chief financial officer, Shou Zi Chew, as adviser.",
])
def test_not_outgoing(det: Detector, text: str) -> None:
    assert det.detect(text) == [], pairs(det.detect(text))


def test_along_with_names_everyone_who_leaves(det: Detector) -> None:
    found = det.detect("Jane Porter, chief technology officer at Fernwell, along with the "
                       "company's chief research officer Tom Becker and vice president of "
                       "research Anna Kowalski, resigned on Wednesday.")
    for person in ("Jane Porter", "Tom Becker", "Anna Kowalski"):
        assert has(found, person, "Fernwell"), pairs(found)


def test_current_title_beats_a_former_one(det: Detector) -> None:
    found = det.detect("Baidu Chief Operating Officer and former Microsoft executive Qi Lu "
                       "will step down in July, the company said Friday.")
    assert has(found, "Qi Lu", "Baidu"), pairs(found)


def test_the_outlet_that_reports_is_not_the_employer(det: Detector) -> None:
    found = det.detect("The Daily Ledger reported that Paul Brandt resigned as chief "
                       "executive of the company on Monday.")
    assert not any(same_company(d.company, "Daily Ledger") for d in found), pairs(found)
    assert det.detect("The Daily Ledger reported that Orbis is preparing for Paul Brandt "
                      "to step down as chief executive.") == []


def test_successor_with_a_former_post_and_a_retired_predecessor(det: Detector) -> None:
    found = det.detect("Granite Power Corp said Robert Hayes has been named president of its "
                       "consumer division. The company said Hayes, formerly executive vice "
                       "president of Helix Optics Inc, succeeds Peter Mills, who retired.")
    assert has(found, "Robert Hayes", "Helix Optics"), pairs(found)
    assert has(found, "Peter Mills", "Granite Power"), pairs(found)
    assert len(found) == 2, pairs(found)


@pytest.mark.parametrize(("text", "person", "company"), [
    ("Michael Grant used to be the vice president of global sales at Google. Now he heads "
     "advertising at Facebook.", "Michael Grant", "Google"),
    ("Yet another executive has jumped ship from Uber: Robert Hayes, vice president of "
     "vehicle programs, left on Friday.", "Robert Hayes", "Uber"),
    ("Feb 23 (Reuters) - Amazon.com Inc Senior Vice President Peter Mills is leaving the "
     "company on Tuesday, he said in a note shared with Reuters.", "Peter Mills", "Amazon"),
])
def test_used_to_jumped_ship_and_datelines(det: Detector, text: str, person: str,
                                          company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)
    assert not any(same_company(d.company, "Reuters") for d in found), pairs(found)


def test_every_name_in_departures_of_a_list(det: Detector) -> None:
    found = det.detect("Orbis CEO Tang Wei resigned, followed by the departures of CMO Li "
                       "Na and sales head Zhou Min on Monday.")
    assert has(found, "Li Na", "Orbis"), pairs(found)  # the model had "CMO Li Na"
    assert all(not d.person.startswith("CMO") for d in found), pairs(found)
    found = det.detect("Orbis confirmed the departures of chief marketing officer Li Na and "
                       "chief financial officer Wang Jun on Monday.")
    for person in ("Li Na", "Wang Jun"):
        assert has(found, person, "Orbis"), pairs(found)


def test_step_down_while_remaining_chief_executive(det: Detector) -> None:
    assert det.detect("Harold Stone will step down as president of Orbis Electronics while "
                      "remaining chief executive and chairman.") == []


@pytest.mark.parametrize(("text", "person", "company"), [
    ("The former chairman of Harlow Savings Bank, Peter Mills, pleaded guilty to charges of "
     "bank bribery.", "Peter Mills", "Harlow Savings Bank"),
    ("Last week, former Granite Power executive Robert Hayes was charged with insider "
     "dealing.", "Robert Hayes", "Granite Power"),
])
def test_a_former_post_says_the_post_was_left(det: Detector, text: str, person: str,
                                             company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)


def test_a_former_post_inside_a_promotion_is_not_a_departure(det: Detector) -> None:
    assert det.detect("Orbis has reorganised its sales team. The company promoted Tom Becker, "
                      "previously head of its Guangdong region, to senior vice president.") == []


def test_hyphenated_company_name_is_kept_whole(det: Detector) -> None:
    found = det.detect("Phone-A-Gram System Inc said it named Eugene Mora its chairman. Mora "
                       "succeeds Fred Peterson, who resigned.")
    assert [d.company for d in found] == ["Phone-A-Gram System Inc"], pairs(found)


@pytest.mark.parametrize("text", [
    "AST Research Inc said two members of the board, Michael Child and Henry McCance, will "
    "retire at the meeting.",
    "Heck's Inc said it has named Touche Ross and Co to replace KMG Main Hurdman as auditor.",
    "Before that, Donald Engen had been in the U.S. Navy for 36 years and retired as an "
    "admiral.",
])
def test_board_seats_auditors_and_the_military(det: Detector, text: str) -> None:
    assert det.detect(text) == [], pairs(det.detect(text))


def test_the_company_said_is_the_company_the_story_opened_with(det: Detector) -> None:
    found = det.detect("Lumen Devices Inc said Richard Niglio has been appointed chairman. "
                       "Niglio is currently president of Victoria Station Inc, a restaurant "
                       "chain. The company said Niglio replaces James DeSanctis.")
    assert has(found, "James DeSanctis", "Lumen Devices"), pairs(found)


def test_resigned_from_the_bank_refers_back(det: Detector) -> None:
    found = det.detect("Last week, former Harlow Savings Bank executive Peter Mills was charged. "
                       "Mills resigned from the bank last year and was later charged over "
                       "deals in shares of Granite Power Plc.")
    assert has(found, "Peter Mills", "Harlow Savings Bank"), pairs(found)
    assert not any(same_company(d.company, "Granite Power") for d in found), pairs(found)


def test_a_list_of_names_that_all_resigned(det: Detector) -> None:
    found = det.detect("Harlow Group Plc said its profits fell. Harlow chief executive Peter "
                       "Mills, head of corporate finance Robert Hayes and senior director Tom "
                       "Becker all resigned in January over the Guinness affair.")
    for person in ("Peter Mills", "Robert Hayes", "Tom Becker"):
        assert has(found, person, "Harlow Group"), pairs(found)
    assert not any(same_company(d.company, "Guinness") for d in found), pairs(found)


def test_after_years_at_is_the_employer_not_a_cause(det: Detector) -> None:
    found = det.detect("After nine years at Sinopay, chief risk officer Huang Zhiqiang is "
                       "leaving the payments company at the end of the month.")
    assert has(found, "Huang Zhiqiang", "Sinopay"), pairs(found)


@pytest.mark.parametrize(("text", "person", "company"), [
    ("Lumen Devices Inc said it named Michael Grant its chairman. Grant succeeds Peter Mills, "
     "who resigned. Grant had been president of Helix Optics Corp.", "Michael Grant",
     "Helix Optics"),
    ("Lacana Mining Corp said Gil Leathley was appointed president, replacing William Gross "
     "who retired. The company said Gross will continue as a director and executive "
     "committee member.", "William Gross", "Lacana Mining"),
])
def test_pluperfect_posts_and_committee_seats(det: Detector, text: str, person: str,
                                              company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)


@pytest.mark.parametrize(("text", "person", "company"), [
    ("Just a week after eBay lured Apple e-commerce executive RJ Pittman to join its ranks, "
     "Apple has lost another member of its executive team.", "RJ Pittman", "Apple"),
    ("Tesla Motors said it has hired Doug Field, who led Mac hardware development at Apple, "
     "to lead the company's development of new vehicles.", "Doug Field", "Apple"),
])
def test_hired_people_named_with_their_past_employer(det: Detector, text: str, person: str,
                                                    company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)
    assert len(found) == 1, pairs(found)


@pytest.mark.parametrize("text", [
    "Harold Stone, head of Orbis Electronics, is to step down as the firm's president, "
    "reports said Saturday, while remaining CEO and chairman.",
    "Orbis co-founder Jane Porter has stepped down from her roles as president and board "
    "director. She will take on a new role as partner and will maintain her current duties "
    "including serving as chief people officer.",
])
def test_kept_duties_said_loosely(det: Detector, text: str) -> None:
    assert det.detect(text) == [], pairs(det.detect(text))


def test_defected_to_is_the_destination(det: Detector) -> None:
    (dep,) = det.detect("Tesla is losing executives. Sales chief Jon McNeil defected to Lyft "
                        "in February.")
    assert dep.person == "Jon McNeil" and same_company(dep.company, "Tesla")
    assert dep.destination == "Lyft"


def test_pronoun_in_reported_speech_is_the_speaker(det: Detector) -> None:
    found = det.detect("Orbis hired Tom Becker last year. Peter Mills, a director at Lumen "
                       "Devices, said on Wednesday that he has left the company.")
    assert has(found, "Peter Mills", "Lumen Devices"), pairs(found)
    assert not any(d.person == "Tom Becker" for d in found), pairs(found)


def test_preparing_to_leave_oneself_is_a_departure(det: Detector) -> None:
    found = det.detect("Sources say Zhou Min, vice president of large models at Orbis, is "
                       "preparing to leave the company.")
    assert has(found, "Zhou Min", "Orbis"), pairs(found)


def test_stock_codes_are_not_employers(det: Detector) -> None:
    found = det.detect("Orbis Auto (NASDAQ: OA, HKG: 2015) is losing another executive. Zhang "
                       "Xiao, president of the company's second product line, will depart.")
    assert not any(d.company in {"HKG", "NASDAQ"} for d in found), pairs(found)


def test_company_name_with_and(det: Detector) -> None:
    found = det.detect("Gaming and Technology Inc said Stan Fulton has resigned as president "
                       "of the company.")
    assert [d.company for d in found] == ["Gaming and Technology Inc"], pairs(found)


@pytest.mark.parametrize(("text", "person", "company"), [
    ("Triton Group Ltd said John Stiska has resigned as its president. Stiska will return to "
     "private law practice and will continue to serve as special counsel to Triton.",
     "John Stiska", "Triton Group"),
    ("Endotronics Inc said Richard Sakowicz has been named president. Sakowicz, recently vice "
     "president at Control Data Corp, succeeds John Wright who will be resigning, it said.",
     "Richard Sakowicz", "Control Data"),
])
def test_counsel_kept_and_recent_posts(det: Detector, text: str, person: str,
                                       company: str) -> None:
    found = det.detect(text)
    assert has(found, person, company), pairs(found)


@pytest.mark.parametrize("text", [
    "A senior debt negotiator, Antonio Seixas, has offered to resign from his post as director "
    "for external debt at the Central Bank, a spokesman said.",
    "Orbis Foods Inc said finance chief Ronald Paradis was named a director. On the board he "
    "replaces Maria Lipson.",
    "Peter Mills, president of Harlow Sugar Corp, said he will retire in June. Mills will be "
    "the vice chairman of the board from July.",
])
def test_offers_board_seats_and_vice_chairmen(det: Detector, text: str) -> None:
    assert det.detect(text) == [], pairs(det.detect(text))


def test_relative_clause_on_the_apposition_is_the_persons(det: Detector) -> None:
    found = det.detect("Jan Leike, a leading AI researcher who earlier this month resigned "
                       "from OpenAI, has joined OpenAI rival Anthropic to lead a new team.")
    assert has(found, "Jan Leike", "OpenAI"), pairs(found)


def test_a_new_company_to_run_keeps_the_departure(det: Detector) -> None:
    found = det.detect("The company said Peter Gottsegen, formerly managing director at "
                       "Salomon Brothers Inc, was appointed to the board. Gottsegen will be "
                       "chief executive of the new company.")
    assert has(found, "Peter Gottsegen", "Salomon Brothers"), pairs(found)


def test_a_denial_in_its_own_clause_leaves_the_departure(det: Detector) -> None:
    found = det.detect("Orbis China's president Wang Hanhua has resigned from his post, but the "
                       "executive denies rumors he was sidelined by the company.")
    assert has(found, "Wang Hanhua", "Orbis"), pairs(found)
    assert det.detect("Orbis said reports that its chief executive Tom Becker had resigned "
                      "were false.") == []
    assert det.detect("Orbis denies that it is looking for a new chief executive to replace "
                      "Tom Becker.") == []


def test_titles_and_a_former_company_before_the_title(det: Detector) -> None:
    found = det.detect("Lucid Motors announced that Peter Rawlinson was stepping down as Chief "
                       "Executive Officer and Chief Technology Officer with immediate effect.")
    assert [d.company for d in found] == ["Lucid Motors"], pairs(found)
    found = det.detect("Former Taiwan Semiconductor Manufacturing Co joint chief operating "
                       "officer Chiang Shang-yi is to take a job at rival Semiconductor "
                       "Manufacturing International Corp.")
    assert has(found, "Chiang Shang-yi", "Taiwan Semiconductor Manufacturing"), pairs(found)


def test_a_parent_company_mentioned_in_passing_vetoes_nothing(det: Detector) -> None:
    found = det.detect("Kevin Systrom and Mike Krieger, the co-founders of the photo-sharing app "
                       "Instagram, have resigned and plan to leave the company in the coming "
                       "weeks, adding to the challenges facing Instagram's parent company, "
                       "Facebook.")
    for person in ("Kevin Systrom", "Mike Krieger"):
        assert has(found, person, "Instagram"), pairs(found)
    assert det.detect("Jane Porter resigned as head of Orbis Cloud to devote more time to her "
                      "posts at the parent company.") == []
