"""People and organisations in a jieba-segmented Chinese sentence.

jieba tags names ``nr`` and organisations ``nt`` but often splits a name (杨/红霞) or
misses one it does not know; so three sources are combined: (1) jieba's tags, with a
surname token joined to the given-name token after it; (2) a title word followed by a
surname and one or two characters that end where a verb or a particle begins
(负责人马维英已于近日离职); (3) the company alias table and company suffixes
(星环科技, XX集团). Spans are written to ``doc.ents`` (PERSON, ORG).
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extract.aliases import COMPOUND_SURNAMES
from extract.chinese.companies import COMPANY_ALIASES
from extract.chinese.vocab import (
    COMPANY_SUFFIXES,
    DENIALS,
    DESTINATION_VERBS,
    HOLD_VERBS,
    INTERNAL_MOVES,
    LEAVE_TRIGGERS,
    MEDIA,
    MOVE_TRIGGERS,
    NOT_NAMES,
    SURNAMES,
    TIME_WORDS,
    TITLES,
)

_HAN = "\u4e00-\u9fff"
# What may follow a name written right after a title: a verb, an adverb or punctuation.
_AFTER_NAME = (
    r"(?=[，,。、；;：:（(“\"\s]|已|于|宣布|将|正式|近日|日前|因|在|也|本人|表示|称|离|卸|辞|退|"
    r"不再|被|加盟|加入|跳槽|出任|出走|从|此前|确认|向|回应|透露|交棒|请辞|等|和|与|及|的|先生|女士|"
    r"博士|教授|$)"
)
# Reporting verbs a name may follow directly (字节跳动确认张三已离职).
_AFTER_VERBS = "|".join(f"(?<={w})" for w in ("确认", "证实", "透露", "获悉", "宣布", "表示", "称",
                                              "消息", "公告"))
# Foreign names after a title: Latin (CTO Mira Murati) or transliterated (米拉·穆拉蒂).
_FOREIGN_NAME = (
    r"(?P<latin>[A-Z][a-z]+(?:[ \-][A-Z][a-zA-Z]+){1,2})(?![A-Za-z])"
    rf"|(?P<dotted>[{_HAN}]{{1,5}}[·•・][{_HAN}]{{1,6}}?){_AFTER_NAME}"
)
# Where a company named before a title can begin: a clause boundary or a lead-in verb.
_ORG_START = re.compile(
    r"[，,。、；;：:！？\s“”\"（）()]|获悉|消息|报道|宣布|透露|表示|称|公告|据悉|其中|此外"
)
_NOT_ORG_HEADS = tuple(
    "公司 集团 该 其 本 原 前 旗下 此前 曾 现 新 多名 一名 一位 多位 这位 的 任 和 与 及 兼 由 "
    "将 已 仍 并 后 而 是 为 在 于 从 他 她 我 你 这 那 首位 首任 现任 时任 担任 近日 日前 今日 "
    "今天 昨日 昨天 本周 上周 今年 去年 近期 此外 另外 同时 随后 目前 当前 如今 记者 据悉 消息 "
    "报道 对此 其中 但 不过 截至 多家 多个 各 每".split()
)
# A listed company's stock code in brackets (东阿阿胶(000423.SZ), 腾讯控股（00700.HK）).
_STOCK_CODE = re.compile(
    r"[（(]\s*(?P<code>\d{6}\.(?:SZ|SH|BJ|SS)|\d{4,5}\.HK|(?:SZ|SH|HK|BJ)\d{4,6}|"
    r"(?:NASDAQ|NYSE|纳斯达克|纽交所)[:：]\s?[A-Z]{1,5})\s*[）)]"
)
# A transliterated foreign name glossed with its original (亚历克斯·罗特尔(Alex Roetter)).
_GLOSSED_FOREIGN = re.compile(
    rf"(?P<name>[{_HAN}]{{1,6}}(?:[·•・][{_HAN}]{{1,6}})+)[（(]\s?[A-Z][A-Za-z.'\- ]{{1,40}}[）)]"
)
_LATIN_GENERIC = frozenset({"AI", "Lab", "App", "AI Lab", "IT", "HR", "PR", "App CEO"})
# Organisation suffixes that make a company out of the word before them.
_ORG_SUFFIX_TOKENS = frozenset(COMPANY_SUFFIXES)
# Words before a suffix that make a common noun, not a name (子公司, 上市公司, 人工智能).
_GENERIC_HEADS = frozenset(
    "该 本 新 子 母 总 分 原 前 这家 一家 多家 其 旗下 上市 科技 互联网 创业 初创 投资 人工 "
    "汽车 芯片 半导体 大 小 这 那 国内 国外 外资 民营 国有 头部 明星 独角兽 其他 其它 相关 "
    "合资 全资 控股 母 集团 公司 研究 产业 数字 智能 信息 网络 软件 平台 电商 游戏".split()
)
_HEAD_TAGS = frozenset({"nz", "ns", "nr", "nrt", "nt", "eng", "j", "nrfg", "n", "x"})


@lru_cache(maxsize=1)
def _alias_re() -> re.Pattern[str]:
    keys = sorted((k for k in COMPANY_ALIASES if len(k) >= 2), key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


@lru_cache(maxsize=1)
def _media_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(m) for m in sorted(MEDIA, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _titled_name_re() -> re.Pattern[str]:
    titles = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
    compounds = "|".join(sorted(COMPOUND_SURNAMES))
    return re.compile(
        rf"(?:{titles})(?P<name>(?:{compounds})[{_HAN}]{{1,2}}|[{''.join(SURNAMES)}][{_HAN}]{{1,2}}?)"
        + _AFTER_NAME
    )


def plausible_name(name: str) -> bool:
    """A Chinese personal name: a known surname and one or two given-name characters
    (three or four characters with a two-character surname), or a transliterated
    foreign name with a middle dot."""
    if "·" in name:
        return 3 <= len(name) <= 12 and all(re.fullmatch(rf"[{_HAN}]+", p)
                                            for p in name.split("·") if p)
    if name in NOT_NAMES or not re.fullmatch(rf"[{_HAN}]{{2,4}}", name):
        return False
    if name[1:] in TIME_WORDS or name[2:] in TIME_WORDS:  # 于月底卸任: a date, not a name
        return False
    if name[:2] in COMPOUND_SURNAMES:
        return len(name) in (3, 4)
    return name[0] in SURNAMES and len(name) in (2, 3)


def _tagged_people(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of jieba's names, a lone surname joined with the word after it."""
    out = []
    toks = list(doc)
    i = 0
    while i < len(toks):
        tok = toks[i]
        text = tok.text
        if tok.tag_ == "nr" and len(text) == 1 and text in SURNAMES and i + 1 < len(toks):
            nxt = toks[i + 1]
            if nxt.tag_.startswith("nr") or (nxt.tag_ in {"n", "ng", "a", "nz"} and len(nxt) <= 2):
                joined = text + nxt.text
                if plausible_name(joined):
                    out.append((tok.idx, tok.idx + len(joined)))
                    i += 2
                    continue
        if i + 2 < len(toks) and toks[i + 1].text in "·•・" and \
                plausible_name(text + "·" + toks[i + 2].text):  # 山姆·奥特曼
            out.append((tok.idx, toks[i + 2].idx + len(toks[i + 2].text)))
            i += 3
            continue
        if tok.tag_ == "nrf" or (tok.tag_ in {"nr", "nrfg"} and plausible_name(text)):
            out.append((tok.idx, tok.idx + len(text)))
        i += 1
    return out


@lru_cache(maxsize=1)
def _titled_foreign_re() -> re.Pattern[str]:
    titles = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
    return re.compile(rf"(?:{titles})\s?(?:{_FOREIGN_NAME})")


@lru_cache(maxsize=1)
def _subject_name_re() -> re.Pattern[str]:
    """A name opening a clause right before a leaving verb (吉利汽车：安聪慧辞任...)."""
    compounds = "|".join(sorted(COMPOUND_SURNAMES))
    verbs = "|".join(sorted(LEAVE_TRIGGERS, key=len, reverse=True))
    return re.compile(
        rf"(?:^|(?<=[，,：:；;。\s】」”])|{_AFTER_VERBS})(?P<name>(?:{compounds})[{_HAN}]{{1,2}}|"
        rf"[{''.join(SURNAMES)}][{_HAN}]{{1,2}}?|[A-Z][a-z]+ [A-Z][a-zA-Z]+)"
        rf"(?=\s?(?:已经|已|将|于近日|近日|日前|正式|宣布|因个人原因){{0,3}}(?:{verbs}))"
    )


@lru_cache(maxsize=1)
def _glossed_name_re() -> re.Pattern[str]:
    """A name glossed with its post in brackets: 张三（字节跳动副总裁）."""
    compounds = "|".join(sorted(COMPOUND_SURNAMES))
    titles = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
    return re.compile(
        rf"(?:^|(?<=[^{_HAN}]))(?P<name>(?:{compounds})[{_HAN}]{{1,2}}|"
        rf"[{''.join(SURNAMES)}][{_HAN}]{{1,2}})[（(][^）)]{{0,20}}(?:{titles})[^）)]{{0,6}}[）)]"
    )


def _titled_people(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _glossed_name_re().finditer(text):
        if plausible_name(m.group("name")):
            out.append((m.start("name"), m.end("name")))
    for m in _subject_name_re().finditer(text):
        if m.group("name").isascii():
            out.append((m.start("name"), m.end("name")))
            continue
        if plausible_name(m.group("name")):
            out.append((m.start("name"), m.end("name")))
    for m in _titled_name_re().finditer(text):
        name = m.group("name")
        if plausible_name(name):
            out.append((m.start("name"), m.end("name")))
    for m in _titled_foreign_re().finditer(text):
        group = "latin" if m.group("latin") else "dotted"
        if group == "latin" or plausible_name(m.group(group)):
            out.append((m.start(group), m.end(group)))
    return out


@lru_cache(maxsize=1)
def _title_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _verb_re() -> re.Pattern[str]:
    """The rules' own verbs: a span holding one is a clause, not a name (仍担任董事长)."""
    words = set(LEAVE_TRIGGERS + MOVE_TRIGGERS + HOLD_VERBS + INTERNAL_MOVES + DENIALS
                + DESTINATION_VERBS + ("宣布", "表示", "透露", "获悉", "报道", "接任", "接替"))
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _unit_of_known(text: str, start: int, known: list[tuple[int, int]]) -> bool:
    """字节跳动AI Lab大模型研发负责人, 字节跳动AI负责人: what follows a known organisation
    in the same phrase is one of its units, not another organisation."""
    return any(a == start or (start - 8 <= b <= start and not re.search(r"[，,。；;：:、]",
                                                                       text[b:start]))
               for a, b in known)


def _titled_orgs(doc: Doc, known: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A name written right before a title is its organisation (钉钉CEO, Momenta CEO,
    极越汽车CEO), when no known organisation is chained there already."""
    text = doc.text
    out = []
    for m in _title_re().finditer(text):
        end = m.start()
        while end > 0 and text[end - 1] in " 前原":  # 快手前副总裁: 快手
            end -= 1
        if end == 0 or any(a <= end - 1 < b for a, b in known):
            continue
        latin = re.search(r"(?:[A-Z][A-Za-z0-9.&-]*\s?){1,3}$", text[max(0, end - 30):end])
        if latin and latin.group(0).strip() not in _LATIN_GENERIC:
            start = end - len(latin.group(0))
            if not any(a <= start - 1 < b for a, b in known):
                out.append((start, end))  # not a unit of a company (字节跳动AI Lab)
            continue
        starts = [b.end() for b in _ORG_START.finditer(text, max(0, end - 12), end)]
        start = starts[-1] if starts else (0 if end <= 8 else -1)
        if start > 0 and text[start - 1] == "、" and _title_re().search(text, max(0, start - 6),
                                                                          start - 1):
            continue  # 地平线副总裁、智能驾驶产品线总裁: a unit of the company before
        name = text[start:end] if start >= 0 else ""
        if 2 <= len(name) <= 8 and re.fullmatch(rf"[{_HAN}A-Za-z0-9]+", name) and \
                not name.startswith(_NOT_ORG_HEADS) and not _title_re().search(name) and \
                "的" not in name and name not in _LATIN_GENERIC and \
                not _unit_of_known(text, start, known) and \
                not _verb_re().search(name):
            out.append((start, end))
    return out


def _is_suffix(word: str) -> bool:
    """A company-suffix word, or several run together as jieba sometimes leaves them
    (科技股份, 科技有限公司)."""
    if word in _ORG_SUFFIX_TOKENS:
        return True
    return any(word.startswith(s) and _is_suffix(word[len(s):])
               for s in _ORG_SUFFIX_TOKENS if len(s) < len(word))


def _name_head(head) -> bool:
    """The word before a company suffix is a name (星环 in 星环科技, 360 in 360集团), not a
    common noun."""
    if head.tag_ == "m":
        return head.text.isdigit() and len(head.text) >= 3
    return (head.tag_ in _HEAD_TAGS and head.tag_ != "nt" and head.text not in _GENERIC_HEADS
            and len(head.text) >= 2 and bool(re.search(rf"[{_HAN}A-Za-z]", head.text)))


def _orgs(doc: Doc) -> list[tuple[int, int]]:
    out = []
    toks = list(doc)
    for i, tok in enumerate(toks):
        if tok.tag_ == "nt" and len(tok.text) >= 2:
            out.append((tok.idx, tok.idx + len(tok.text)))
        elif _is_suffix(tok.text) and i > 0 and _name_head(toks[i - 1]):
            end = i + 1
            while end < len(toks) and _is_suffix(toks[end].text):
                end += 1  # 星环/智能/科技/有限公司
            last = toks[end - 1]
            out.append((toks[i - 1].idx, last.idx + len(last.text)))
    return out


def _stock_code_orgs(text: str) -> list[tuple[int, int]]:
    """The name written right before a stock code, or the code itself when the page names
    the company only by its code ((002408.SZ)发布公告称)."""
    out = []
    for m in _STOCK_CODE.finditer(text):
        end = m.start()
        starts = [b.end() for b in _ORG_START.finditer(text, max(0, end - 10), end)]
        start = starts[-1] if starts else max(0, end - 10)
        lead = re.match(r".*(?:[0-9]+[年月日号]?讯?|日讯)", text[start:end])  # 北京2月20日讯
        if lead:
            start += lead.end()
        name = text[start:end]
        if 2 <= len(name) <= 8 and re.fullmatch(rf"[{_HAN}A-Za-z0-9]+", name) and \
                not name.startswith(_NOT_ORG_HEADS) and not _title_re().search(name):
            out.append((start, end))
        else:
            out.append((m.start("code"), m.end("code")))
    return out


def _glossed_foreign(text: str) -> list[tuple[int, int, str]]:
    """亚历克斯·罗特尔(Alex Roetter), after a title (工程主管) that is not part of it."""
    out = []
    for m in _GLOSSED_FOREIGN.finditer(text):
        start, first = m.start("name"), m.group("name").split("·")[0]
        titles = list(_title_re().finditer(first))
        if titles:
            start += titles[-1].end()
        if start < m.end("name") and "·" in text[start:m.end("name")] and \
                text[start] not in "·•・":
            out.append((start, m.end("name"), "nrf"))
    return out


def protected_spans(text: str, word_tags: dict[str, str] | None = None
                    ) -> list[tuple[int, int, str]]:
    """Spans the tokenizer keeps as one word, with their tag: known companies ("nt")
    and names written right after a title ("nr"), sorted and not overlapping. A pattern
    "name" that jieba's dictionary knows as another kind of word (全部, 于是) is none."""
    tags = word_tags or {}
    found = [(m.start(), m.end(), "media") for m in _media_re().finditer(text)]
    found += [(m.start(), m.end(), "nt") for m in _alias_re().finditer(text)]
    found += [(a, b, "nt") for a, b in _stock_code_orgs(text)]
    found += _glossed_foreign(text)
    for a, b in _titled_people(text):
        if tags.get(text[a:b], "nr").startswith("nr"):
            found.append((a, b, "nr" if plausible_name(text[a:b]) else "nrf"))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int, str]] = []
    for span in found:
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


@Language.component("exodus_zh_entities")
def zh_entities(doc: Doc) -> Doc:
    """Set PERSON and ORG entities (see the module docstring)."""
    spans: list[Span] = []
    people, orgs = _tagged_people(doc), _orgs(doc)
    orgs += _titled_orgs(doc, orgs + people)
    for label, found in (("PERSON", people), ("ORG", orgs)):
        for a, b in found:
            span = doc.char_span(a, b, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    # A name inside an organisation's span (马云 in 马云公益基金会) belongs to the org.
    doc.ents = filter_spans(spans)
    return doc
