"""Chinese departure rules over jieba-segmented sentences.

A newsflash packs the whole event into one sentence: 36氪获悉，字节跳动AI Lab负责人马维英
已于近日离职，将加入清华大学智能产业研究院。So the rules work per sentence: a trigger
verb (离职, 卸任, 辞去...), the people named before it in its clause, the organisation
chained before the name (company, unit, title, name) or named as the object of the verb,
the destination after 加入/加盟/出任, the title and a time expression. Joining verbs
(加盟, 跳槽) count only with a former employer (前/原/从 X). Vetoes: a denial (辟谣,
否认, 并未离职), a move inside the company (升任, 兼任, 调任) and a leading title kept
(仍担任董事长). Only sentences holding one of these words are segmented, so most of an
article costs one substring scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from extract.aliases import has_han, simplified
from extract.chinese.companies import COMPANY_ALIASES
from extract.chinese.vocab import (
    COMPANY_SUFFIXES,
    DENIALS,
    DESTINATION_VERBS,
    HOLD_VERBS,
    HYPOTHETICALS,
    INTERNAL_MOVES,
    LATIN_UNITS,
    LEAD_TITLES,
    LEAVE_TRIGGERS,
    MOVE_TRIGGERS,
    PAST_MARKERS,
    TITLES,
    UNIT_WORDS,
    WHEN_PATTERN,
)
from extract.departures import Departure, merge_departure
from extract.names import person_key, same_company, same_person

MAX_TEXT_CHARS = 200_000
MAX_SENTENCE_CHARS = 400
MAX_PARSED_SENTENCES = 400

_SENT_END = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』\"]?|\n|$)")
_CLAUSE = re.compile(r"[，,；;：:]")
_WHEN = re.compile(WHEN_PATTERN)
_NEGATION = re.compile(r"(?:未|没|没有|不会|并未|并没有|否认|不愿|不打算|拒绝)$")
# Objects after which a trigger is not about a post: 离职率, 退休金, 离开中国市场.
_NOT_A_POST = re.compile(
    r"^(?:率|潮|人数|员工|补偿|证明|手续|金|年龄|人员|制度|后的生活|审计|中国|市场|人世|世界|舞台|"
    r"我们|这个世界|家乡|赛场|了人世)"
)
_SUCCESSOR = re.compile(r"(?:由|接替|接任|继任|替代|接棒|新任|继任者|接替者|任命|聘请|迎来)$")
# 前/原 as "former", not 目前, 此前, 原因 (此前在 is its own marker).
_NOT_FORMER_LEFT = r"(?<![目当之此日提年月天以向面眼跟事空初还复])"
_FORMER = re.compile(
    r"(?:(?<![目当之此日提年月天以向面眼跟事空])前|(?<![初还复])原"
    r"|曾任|曾在|此前在|此前担任|从|离开|辞去)$"
)
# Unnamed subjects right before a verb: 高管离职, 多名员工离职.
_GENERIC_SUBJECT = re.compile(
    r"(?:高管|员工|人员|人才|管理层|高层|多人|职工|成员|团队|骨干|核心人物)$"
)
_PRONOUN = re.compile(r"他(?!们)|她(?!们)|^其|此人|该高管")  # 他们: a group, not the last person
_RUMOUR = re.compile(r"传闻|传言|传出|流言|网传|据传|疯传|消息称|消息人士|爆料|被曝")
_REFERS_BACK = re.compile(r"(?:该公司|公司|集团|该集团)")
_POST_OBJECT = re.compile(r"^[^，。；,]{0,20}?(?:一职|职务|职位|岗位|的职务)")
# A post that is no lead: staying on as an adviser or a board member is still leaving.
_NON_LEAD = re.compile(
    r"^\w{2,4}?[^，。；]{0,8}?(?:顾问|独立董事|非执行董事|董事(?!长|会主席)|荣誉|名誉)"
)
# A seat on the board (or the supervisory board) is no executive role.
_BOARD_ONLY = re.compile(
    r"(?:公司)?(?:第.届)?(?:董事会)?(?:独立董事|非执行董事|外部董事|董事|监事|职工代表监事|监事会主席)"
    r"(?:及[^，。；]{0,12}委员会[^，。；]{0,8})?(?:一职|职务|职位|$)"
)
# Removed by someone: 被董事会解雇, 被公司开除 (the agent may stand between 被 and the verb).
_PASSIVE = r"被[^，。；,;]{0,8}?(?:解雇|开除|罢免|免职|解职|撤职|辞退|免去)"
_LEAVE_RE = re.compile("|".join([_PASSIVE, *sorted(LEAVE_TRIGGERS, key=len, reverse=True)]))
_MOVE_RE = re.compile("|".join(sorted(MOVE_TRIGGERS + ("创办", "创立", "创业"), key=len,
                                      reverse=True)))
_DEST_RE = re.compile("|".join(sorted(DESTINATION_VERBS, key=len, reverse=True)))
_FLAG_WORDS = LEAVE_TRIGGERS + MOVE_TRIGGERS + DENIALS + INTERNAL_MOVES + HOLD_VERBS
# Triggers that name a post by themselves, so no title needs to be found for the person.
_POST_TRIGGERS = ("卸任", "辞去", "辞任", "不再担任", "不再出任", "被免职", "被免去", "免去",
                  "交棒", "被撤职", "被罢免", "请辞", "离任")


@lru_cache(maxsize=1)
def _flag_re() -> re.Pattern[str]:
    words = [re.escape(w) for w in sorted(set(_FLAG_WORDS), key=len, reverse=True)]
    return re.compile("|".join([_PASSIVE, *words]))


@lru_cache(maxsize=1)
def _former_title_re() -> re.Pattern[str]:
    """前阿里巴巴副总裁, 快手前副总裁: a post described as given up."""
    titles = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
    return re.compile(rf"(?:{_NOT_FORMER_LEFT}[前原][^，。；、\s]{{2,14}}?"
                      rf"|[^，。；、\s]{{2,10}}[前原])(?:{titles})")


@lru_cache(maxsize=1)
def _title_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _hold_re() -> re.Pattern[str]:
    holds = "|".join(sorted(HOLD_VERBS, key=len, reverse=True))
    leads = "|".join(LEAD_TITLES)
    return re.compile(rf"(?:{holds})(?P<what>[^，。；,]{{0,14}}?)(?:{leads})")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    text: str


@dataclass
class _Sentence:
    offset: int
    text: str
    people: list[_Span] = field(default_factory=list)
    orgs: list[_Span] = field(default_factory=list)


@dataclass
class _Story:
    company: str | None  # the first company the headline or lead names
    sents: list[_Sentence]


@dataclass
class _Veto:
    person: str  # "*": whoever is named
    company: str | None = None  # None: whatever the company


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) at Chinese and Latin sentence ends and line breaks."""
    out = []
    for m in _SENT_END.finditer(text):
        sent = m.group(0)
        if sent.strip():
            for k in range(0, len(sent), MAX_SENTENCE_CHARS):
                out.append((m.start() + k, sent[k:k + MAX_SENTENCE_CHARS]))
    return out


def _clause_start(text: str, pos: int) -> int:
    starts = [m.end() for m in _CLAUSE.finditer(text, 0, pos)]
    return starts[-1] if starts else 0


class ChineseDetector:
    """Departures in Chinese text. The jieba pipeline is built once, on creation."""

    def __init__(self, nlp: Language | None = None) -> None:
        if nlp is None:
            from extract.chinese.segment import load_zh

            nlp = load_zh()
        self.nlp = nlp

    def detect(self, text: str, published: str | None = None) -> list[Departure]:
        # Traditional characters (字節跳動, 離職) read as simplified: the vocabulary, the
        # alias table and jieba's dictionary are simplified. Names come out simplified.
        text = simplified((text or "")[:MAX_TEXT_CHARS])
        sents = self.parse(text)
        if not sents:
            return []
        story = _Story(_story_company(sents), sents)
        cands: list[tuple[Departure, _Sentence]] = []
        vetoes: list[_Veto] = []
        last_person: str | None = None
        rumoured: list[str] = []
        for sent in sents:
            if any(w in sent.text for w in HYPOTHETICALS):
                continue
            vetoes.extend(_answered_rumour(sent, rumoured))
            if _RUMOUR.search(sent.text):
                rumoured.extend(p.text for p in sent.people)
            vetoes.extend(_denials(sent))
            vetoes.extend(_stays(sent, last_person))
            for dep in _candidates(sent, story, last_person, text) + _former_posts(sent):
                cands.append((dep, sent))
            if sent.people:
                last_person = sent.people[-1].text
        out: list[Departure] = []
        for dep, _ in cands:
            if any((v.person == "*" or same_person(dep.person, v.person)) and
                   (v.company is None or same_company(dep.company, v.company)) for v in vetoes):
                continue
            merge_departure(out, dep)
        return out

    def parse(self, text: str) -> list[_Sentence]:
        """The sentences worth segmenting (a flag word, or the lead that names the story's
        company), with their people and organisations."""
        text = (text or "")[:MAX_TEXT_CHARS]
        pieces = split_sentences(text)
        flag = _flag_re()
        former = _former_title_re()
        chosen = [(off, s) for i, (off, s) in enumerate(pieces)
                  if i < 2 or flag.search(s) or former.search(s)][:MAX_PARSED_SENTENCES]
        if not any(flag.search(s) or former.search(s) for _, s in chosen):
            return []
        out = []
        for (off, sent), doc in zip(chosen, self.nlp.pipe(s for _, s in chosen), strict=True):
            out.append(_sentence(off, sent, doc))
        return out


def _sentence(offset: int, text: str, doc: Doc) -> _Sentence:
    sent = _Sentence(offset, text)
    for ent in doc.ents:
        span = _Span(ent.start_char, ent.end_char, ent.text)
        if ent.label_ == "PERSON":
            sent.people.append(span)
        elif sent.orgs and sent.orgs[-1].end == span.start:
            # 阿里巴巴达摩院: a unit written onto its company is one organisation.
            first = sent.orgs.pop()
            sent.orgs.append(_Span(first.start, span.end, text[first.start:span.end]))
        else:
            sent.orgs.append(span)
    # Units and fields (世界模型负责人) are no employer: dropped here, once, for every rule.
    sent.orgs = [e for e in (_employer(o) for o in sent.orgs) if e is not None]
    return sent


def _person_company(name: str, sents: list[_Sentence]) -> str | None:
    """Where the article places the person elsewhere: 字节跳动副总裁X, X此前担任字节跳动...
    (for "X已于近日离职" with no company in that sentence)."""
    for sent in sents:
        for person in sent.people:
            if person.text != name:
                continue
            start = _clause_start(sent.text, person.start)
            chained = [o for o in sent.orgs if start <= o.start and o.end <= person.start]
            if chained:
                return chained[-1].text
            after = sent.text[person.end:person.end + 8]
            if re.match(r"^(?:此前|曾经|曾)?(?:担任|任职于|就职于|任|在|为|是)", after):
                later = [o for o in sent.orgs if person.end < o.start <= person.end + 10]
                if later:
                    return later[0].text
    return None


def unit_like(name: str) -> bool:
    """人工智能平台, 世界模型, 动力总成, 智驾, AI Lab: a business unit or a field written
    before a title, not a company (the employer is the company the story names). A known
    company or a name with a company suffix (星环科技) is never a unit."""
    bare = re.sub(r"\s+", "", name)
    if bare.lower() in LATIN_UNITS:
        return True
    if not has_han(bare) or bare in COMPANY_ALIASES or any(
            bare.startswith(k) for k in COMPANY_ALIASES if len(k) >= 2):
        return False
    if bare.endswith(COMPANY_SUFFIXES):
        return False
    return bare in UNIT_WORDS or bare.endswith(UNIT_WORDS)


def _employer(org: _Span) -> _Span | None:
    """The company an organisation span names: a unit is none, a Latin brand before a unit
    (Nova后训练) is the brand."""
    if not unit_like(org.text):
        return org
    brand = re.match(r"[A-Za-z][A-Za-z0-9.\-]+", org.text)
    if brand and not unit_like(brand.group(0)) and brand.end() < len(org.text):
        return _Span(org.start, org.start + brand.end(), brand.group(0))
    return None


def _story_company(sents: list[_Sentence]) -> str | None:
    """The company the story is about: the first one its headline or lead names."""
    for sent in sents[:3]:
        if sent.orgs:
            return sent.orgs[0].text
    return None


def _negated(text: str, pos: int) -> bool:
    """未离职, or a verb whose subject is no one in particular (高管离职)."""
    before = text[max(0, pos - 4):pos]
    clause = text[_clause_start(text, pos):pos]
    return bool(_NEGATION.search(before) or _GENERIC_SUBJECT.search(before)
                or re.search(r"并非|并不是|不是被", clause))  # 并非公司强行开除


def _subjects(sent: _Sentence, pos: int) -> list[_Span]:
    """People named before the verb at ``pos`` in its clause, else in the nearest earlier
    clause of the sentence that names someone; successors (由X接任) excluded."""
    text = sent.text
    def ok(p: _Span) -> bool:
        before = text[max(0, p.start - 4):p.start]
        after = text[p.end:p.end + 3]
        return not _SUCCESSOR.search(before) and not after.startswith(("接任", "接替", "继任"))
    before = [p for p in sent.people if p.end <= pos and ok(p)]
    if not before:
        return _relative_subject(sent, pos)
    start = _clause_start(text, pos)
    inside = [p for p in before if p.start >= start]
    if inside:
        return inside
    if re.search(r"他们|她们|这些人|多人|多位|几位", text[start:pos]):
        return []  # 并解释称他们是自愿离职: a group, not the person of an earlier clause
    last_clause = _clause_start(text, before[-1].end)
    return [p for p in before if p.start >= last_clause]


def _relative_subject(sent: _Sentence, pos: int) -> list[_Span]:
    """从百度跳槽至小米的副总裁王冰: the verb sits in a clause before 的 that describes
    the person named after it."""
    text = sent.text
    end = _CLAUSE.search(text, pos)
    stop = end.start() if end else len(text)
    de = text.find("的", pos, stop)
    if de == -1:
        return []
    after = [p for p in sent.people if de < p.start < stop and p.start - de <= 12]
    return after[:1]


def _destinations(sent: _Sentence, after: int) -> tuple[list[_Span], str | None]:
    """Organisations introduced by 加入/加盟/出任... after position ``after``, and the
    destination as written (an organisation, or the phrase: 创办一家AI公司). Stops at
    the next person named: 交棒吴泳铭，吴泳铭将出任CEO is the successor's post."""
    orgs, phrase = [], None
    stop = min((p.start for p in sent.people if p.start > after), default=len(sent.text))
    for m in _DEST_RE.finditer(sent.text, after, stop):
        near = [o for o in sent.orgs if m.end() <= o.start <= m.end() + 6]
        orgs.extend(near)
        if phrase is None:
            if near:
                phrase = near[0].text
            else:
                words = re.split(r"[，。；,;！？]", sent.text[m.end():])[0].strip()
                if words and not _title_re().fullmatch(words):
                    phrase = (m.group(0) + words)[:30]
    return orgs, phrase


def _role(sent: _Sentence, person: _Span, company: _Span | None, trigger_end: int) -> str | None:
    """The title between the company and the name (字节跳动AI Lab负责人马维英), or the post
    the verb names (卸任CEO一职)."""
    text = sent.text
    lo = max(company.end if company and company.end <= person.start else 0,
             _clause_start(text, person.start))
    between = text[lo:person.start].lstrip("前原的、 ")
    titles = list(_title_re().finditer(between))
    if titles:
        if len(between) > 16 or re.search(r"收到|宣布|表示|称|于|由|任命", between):
            return titles[-1].group(0)  # 董事会于近日收到副总经理X: the title alone
        return between.strip("、， ")
    m = _POST_OBJECT.match(text[trigger_end:])
    if m:
        words = re.sub(r"(?:一职|的职务|职务|职位|岗位)$", "", m.group(0))
        for org in sent.orgs:
            words = words.replace(org.text, "")
        words = words.strip("的 ")
        if words and _title_re().search(words):
            return words
    after = text[person.end:person.end + 12]
    m = _title_re().match(after)
    return m.group(0) if m else None


def _left_company(sent: _Sentence, person: _Span, trig: re.Match[str],
                  dests: list[_Span]) -> _Span | None:
    """The organisation left: the verb's object (离开字节跳动, 辞去快手CEO), 从X离职, the
    organisation chained before the name, or the nearest one before it."""
    text = sent.text
    pool = [o for o in sent.orgs if o not in dests]
    for org in pool:
        if trig.end() <= org.start <= trig.end() + 2 and not _CLAUSE.search(
                text, trig.end(), org.start):
            return org
    for org in pool:
        if org.end <= trig.start() and text[max(0, org.start - 1):org.start] == "从":
            return org
    for org in pool:  # 张三（字节跳动副总裁）
        if person.end < org.start <= person.end + 2 and text[person.end] in "（(":
            return org
    before = [o for o in pool if o.end <= person.start]
    start = _clause_start(text, person.start)
    chained = [o for o in before if o.start >= start]
    if chained:
        return chained[-1]
    return before[-1] if before else None


def _former_company(sent: _Sentence, person: _Span, trig: re.Match[str],
                    dests: list[_Span]) -> _Span | None:
    """For joining verbs: the employer marked as former (前阿里巴巴副总裁, 快手前副总裁,
    从百度跳槽)."""
    text = sent.text
    for org in sent.orgs:
        if org in dests or org.start >= trig.start():
            continue
        if _FORMER.search(text[max(0, org.start - 4):org.start]) or \
                text.startswith(("前", "原"), org.end):
            return org
    return None


def _former_posts(sent: _Sentence) -> list[Departure]:
    """"前百度总裁张三", "快手前副总裁李四": the article calls the post a former one, which
    says the person left (as "the former chairman of X, Peter Mills" does), unless the
    same text keeps them there (the vetoes)."""
    text = sent.text
    out = []
    for person in sent.people:
        start = _clause_start(text, person.start)
        for org in reversed([o for o in sent.orgs if start <= o.start and o.end <= person.start]):
            between = text[org.end:person.start]
            marked = text.startswith(("前", "原"), org.end) or \
                re.search(_NOT_FORMER_LEFT + r"[前原]$", text[max(0, org.start - 2):org.start])
            role = between.lstrip("前原").strip("的、 ")
            if marked and role and len(role) <= 16 and _title_re().search(role) and \
                    not _BOARD_ONLY.fullmatch(role):
                when = _WHEN.search(text)
                out.append(Departure(person=person.text, company=org.text, role=role,
                                     destination=None, when_text=when.group(0) if when else None,
                                     sentence=text.strip(), confidence=0.6))
            break  # only the organisation chained nearest to the name
    return out


def _titled(name: str, text: str) -> bool:
    """The person is given a title somewhere in the article (CEO马维英, 马维英（副总裁）)."""
    for m in re.finditer(re.escape(name), text):
        window = text[max(0, m.start() - 15):m.start()] + text[m.end():m.end() + 20]
        if _title_re().search(window):
            return True
    return False


def _candidates(sent: _Sentence, story: _Story, last_person: str | None,
                full: str) -> list[Departure]:
    out = []
    for trig, joining in _triggers(sent.text):
        subjects = _subjects(sent, trig.start())
        if not subjects and last_person and _PRONOUN.search(
                sent.text[_clause_start(sent.text, trig.start()):trig.start()]):
            subjects = [_Span(-1, -1, last_person)]
        dests, phrase = _destinations(sent, trig.start() if joining else trig.end())
        for person in subjects:
            dep = _departure(sent, person, trig, joining, (dests, phrase), story)
            if dep is None:
                continue
            if joining and not dep.role:
                continue  # 前谷歌工程师张伟加入...: a move, but not from a leading role
            if _BOARD_ONLY.fullmatch(dep.role or "") or _BOARD_ONLY.match(
                    sent.text[trig.end():trig.end() + 20]):
                continue  # only a board seat changes (辞去公司董事职务, 独立董事辞职)
            if trig.group(0) not in _POST_TRIGGERS and not dep.role and \
                    not _titled(dep.person, full):
                continue
            out.append(dep)
    return out


def _triggers(text: str) -> list[tuple[re.Match[str], bool]]:
    found = []
    for m in _LEAVE_RE.finditer(text):
        if not _negated(text, m.start()) and not _NOT_A_POST.match(text[m.end():]):
            found.append((m, False))
    for m in _MOVE_RE.finditer(text):
        if not _negated(text, m.start()):
            found.append((m, True))
    return found


def _departure(sent: _Sentence, person: _Span, trig: re.Match[str], joining: bool,
               dest: tuple[list[_Span], str | None], story: _Story) -> Departure | None:
    dests, phrase = dest
    if joining:
        org = _former_company(sent, person, trig, dests)
        if org is None:
            return None
    else:
        org = _left_company(sent, person, trig, dests)
    company = org.text if org else None
    confidence = 0.85
    if company is None:
        company = _person_company(person.text, story.sents) or story.company
        if not company or any(same_company(company, d.text) for d in dests):
            return None
        confidence = 0.7
    if not person_key(person.text):
        return None
    if phrase and same_company(phrase, company):
        phrase = None
    when = _WHEN.search(sent.text)
    role = _role(sent, person, org, trig.end()) if person.start >= 0 else None
    return Departure(person=person.text, company=company, role=role, destination=phrase,
                     when_text=when.group(0) if when else None, sentence=sent.text.strip(),
                     confidence=confidence)


def _denials(sent: _Sentence) -> list[_Veto]:
    """辟谣称…并未离职: the people named, else the companies named, are not leaving."""
    spots = [sent.text.find(w) for w in DENIALS if w in sent.text]
    if not spots:
        return []
    # From the clause of the first denial word on: "X离职后，Y否认了收购传闻" keeps X.
    start = _clause_start(sent.text, min(spots))
    named = [p for p in sent.people if p.end > start]
    if named:
        return [_Veto(p.text) for p in named]
    if sent.people:
        # 针对网传X离职一事，公司回应称消息不实: the leaving is the rumour denied.
        return [_Veto(p.text) for p in sent.people if _rumoured(sent.text, p)]
    if not (_LEAVE_RE.search(sent.text) or re.search(r"传闻|传言|消息|报道", sent.text)):
        return []
    return [_Veto("*", o.text) for o in sent.orgs]


def _answered_rumour(sent: _Sentence, rumoured: list[str]) -> list[_Veto]:
    """传出X要离职的消息……其实这是彻底的谣言 / 对此消息，公司表示纯属胡编乱造: a denial that
    names nobody answers the rumour reported before it, so the people of that rumour are
    not leaving."""
    if sent.people or not rumoured or not any(w in sent.text for w in DENIALS):
        return []
    return [_Veto(name) for name in rumoured]


def _rumoured(text: str, person: _Span) -> bool:
    """The person's leaving is reported as a rumour (网传X离职, X离职一事, X离职的传闻)."""
    start = _clause_start(text, person.start)
    end = _CLAUSE.search(text, person.end)
    clause = text[start:end.start() if end else len(text)]
    return bool(re.search(r"网传|传闻|据传|传言|针对|关于|对于|消息称|报道称", clause[:clause.find(
        person.text) + 1]) or re.search(r"(?:离职|离开|卸任|辞职)(?:一事|的传闻|的消息|传闻|消息)",
                                        clause))


def _stays(sent: _Sentence, last_person: str | None) -> list[_Veto]:
    """A move inside the company (升任, 调任集团) or a leading title kept (仍担任董事长):
    the person named just before it keeps a lead. Bio wording (曾于2015年升任) is no
    veto, nor is a post at another company (出任小米CTO)."""
    text = sent.text
    out = []
    spots = [m.start() for m in re.finditer("|".join(INTERNAL_MOVES), text)]
    for m in _hold_re().finditer(text):
        # "加盟字节跳动，担任AI负责人": the post is at the new employer.
        if _DEST_RE.search(text, 0, m.start()) or text.endswith(("不再", "不", "辞去"), 0,
                                                                m.start()):
            continue  # 不再担任集团总裁 is the departure itself
        if not any(o.start >= m.start() and o.end <= m.end() for o in sent.orgs):
            spots.append(m.start())
    for pos in spots:
        clause_start = _clause_start(text, pos)
        clause = text[clause_start:pos]
        if any(w in clause for w in PAST_MARKERS) or _NON_LEAD.match(text[pos:pos + 14]):
            continue
        if "由" in clause:  # 其职务由副总裁赵小川兼任: the one named after 由, if anyone
            by = clause_start + clause.rindex("由")
            before = [p for p in sent.people if by < p.start < pos]
            if before:
                out.append(_Veto(before[-1].text))
            continue
        before = [p for p in sent.people if p.end <= pos]
        name = before[-1].text if before else last_person
        if name:
            out.append(_Veto(name))
    return out
