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
from extract.chinese.vocab import COMPANY_SUFFIXES, NOT_NAMES, SURNAMES, TITLES

_HAN = "\u4e00-\u9fff"
# What may follow a name written right after a title: a verb, an adverb or punctuation.
_AFTER_NAME = (
    r"(?=[，,。、；;：:（(“\"\s]|已|于|宣布|将|正式|近日|日前|因|在|也|本人|表示|称|离|卸|辞|退|"
    r"不再|被|加盟|加入|跳槽|出任|出走|从|此前|确认|向|回应|透露|交棒|请辞|等|和|与|及|$)"
)
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
        if tok.tag_ in {"nr", "nrfg"} and plausible_name(text):
            out.append((tok.idx, tok.idx + len(text)))
        i += 1
    return out


def _titled_people(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _titled_name_re().finditer(text):
        name = m.group("name")
        if plausible_name(name):
            out.append((m.start("name"), m.end("name")))
    return out


def _name_head(head) -> bool:
    """The word before a company suffix is a name (星环 in 星环科技), not a common noun."""
    return (head.tag_ in _HEAD_TAGS and head.tag_ != "nt" and head.text not in _GENERIC_HEADS
            and len(head.text) >= 2 and bool(re.search(rf"[{_HAN}A-Za-z]", head.text)))


def _orgs(doc: Doc) -> list[tuple[int, int]]:
    out = []
    toks = list(doc)
    for i, tok in enumerate(toks):
        if tok.tag_ == "nt" and len(tok.text) >= 2:
            out.append((tok.idx, tok.idx + len(tok.text)))
        elif tok.text in _ORG_SUFFIX_TOKENS and i > 0 and _name_head(toks[i - 1]):
            end = i + 1
            while end < len(toks) and toks[end].text in _ORG_SUFFIX_TOKENS:
                end += 1  # 星环/智能/科技/有限公司
            last = toks[end - 1]
            out.append((toks[i - 1].idx, last.idx + len(last.text)))
    return out


def protected_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans the tokenizer keeps as one word, with their tag: known companies ("nt")
    and names written right after a title ("nr"), sorted and not overlapping."""
    found = [(m.start(), m.end(), "nt") for m in _alias_re().finditer(text)]
    found += [(a, b, "nr") for a, b in _titled_people(text)]
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
    for label, found in (("PERSON", _tagged_people(doc)), ("ORG", _orgs(doc))):
        for a, b in found:
            span = doc.char_span(a, b, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    # A name inside an organisation's span (马云 in 马云公益基金会) belongs to the org.
    doc.ents = filter_spans(spans)
    return doc
