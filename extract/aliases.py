"""Bilingual names: Chinese people and companies mapped to their romanised forms.

The same departure is reported as 杨红霞 / 字节跳动 by 36Kr and as Yang Hongxia /
ByteDance by the English press. Storage keys come from ``extract.names``, which calls
these functions first for any name written in Han characters, so both spellings give
one key and land on one row. Pure, no network: pypinyin ships its dictionary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.chinese.companies import COMPANY_ALIASES

__all__ = ["COMPANY_ALIASES", "han_core", "has_han", "romanise_company", "romanise_person",
           "simplified", "split_name"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Two-character surnames: 欧阳娜娜 is Ouyang Nana, not Ou Yangnana.
COMPOUND_SURNAMES = frozenset("""
欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 澹台 轩辕 呼延
南宫 独孤 万俟 闻人 西门 申屠 太史 钟离 赫连 公羊 濮阳 淳于 单于 司空 拓跋 百里 东郭
""".split())

# Surnames read differently from the same character in ordinary words.
_SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
    "盖": "ge", "乐": "yue", "缪": "miao", "覃": "qin", "翟": "zhai", "尉": "yu", "种": "chong",
    "秘": "bi", "员": "yun", "柏": "bai", "折": "she", "祭": "zhai", "重": "chong", "藏": "zang",
    "召": "shao", "句": "gou", "宓": "mi", "薄": "bo", "那": "na", "牟": "mou", "隗": "wei",
    "冼": "xian", "长": "chang", "万俟": "moqi", "尉迟": "yuchi", "单于": "chanyu",
    "长孙": "zhangsun", "澹台": "tantai",
}

# Words that only say what kind of company it is; dropped before a pinyin key is made
# so 星环智能科技有限公司 and 星环智能 agree.
_CO_SUFFIXES = tuple(
    "股份有限公司 有限责任公司 有限公司 股份公司 控股集团 集团公司 公司 集团 控股 股份 科技 "
    "技术 网络 信息 智能 电子 软件 中国 汽车 机器人 半导体 医疗 教育 传媒 文化 游戏 互娱 "
    "资本 创投 电器 通信 数据 团队 事业群 事业部 部门".split()
)
_REGIONS = ("北京", "上海", "深圳", "杭州", "广州", "南京", "成都", "武汉", "苏州", "香港", "中国")
_PARENS = re.compile(r"[（(][^）)]*[）)]")


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """Traditional characters as simplified (字節跳動 -> 字节跳动), so Hong Kong and Taiwan
    pages name the same people and companies as mainland ones. Same length as the input:
    zhconv maps character by character for these names; a phrase mapping that would change
    the length is not used."""
    if not has_han(text):
        return text
    from zhconv import convert  # imported here: its table loads on import

    out = convert(text, "zh-cn")
    return out if len(out) == len(text) else text


def han_core(name: str) -> str:
    """A Chinese company name without legal, sector and unit words, in simplified form
    (奥园美谷科技股份有限公司 -> 奥园美谷): the part two spellings of one company share."""
    return _strip_company(simplified(re.sub(r"\s+", "", name)))


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a Chinese name written in Han characters."""
    name = name.strip()
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _pinyin(text: str) -> list[str]:
    # Imported here: pypinyin loads its dictionaries on import, and most callers of
    # extract.names never see a Han character.
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s.isalpha()]


@lru_cache(maxsize=4096)
def romanise_person(name: str) -> str:
    """杨红霞 -> "Yang Hongxia", 欧阳娜娜 -> "Ouyang Nana"; other text is returned as is.

    Transliterated foreign names (萨姆·奥尔特曼) keep one word per part, in order.
    """
    if not has_han(name):
        return name
    name = simplified(name)
    if re.search(r"[A-Za-z]", name):  # "Jack 马": each part as it is written, Han in pinyin
        parts = re.findall(r"[A-Za-z][A-Za-z'\-]*|[^\sA-Za-z]+", name)
        return " ".join("".join(_pinyin(p)).capitalize() if has_han(p) else p for p in parts)
    name = re.sub(r"\s+", "", name)
    if re.search(r"[·•・]", name):
        parts = [p for p in re.split(r"[·•・]", name) if p]
        return " ".join("".join(_pinyin(p)).capitalize() for p in parts)
    surname, given = split_name(name)
    sur = _SURNAME_READINGS.get(surname) or "".join(_pinyin(surname))
    giv = "".join(_pinyin(given))
    return " ".join(w.capitalize() for w in (sur, giv) if w)


def _strip_company(name: str) -> str:
    name = _PARENS.sub("", name).strip()
    changed = True
    while changed:
        changed = False
        for suffix in _CO_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name, changed = name[: -len(suffix)], True
        for region in _REGIONS:
            if name.startswith(region) and len(name) > len(region) + 1:
                name, changed = name[len(region):], True
    return name


@lru_cache(maxsize=4096)
def romanise_company(name: str) -> str:
    """字节跳动 -> "ByteDance" through the alias table; unknown Chinese names become
    their pinyin, syllables joined as brands are written (快手 -> "Kuaishou"), after
    legal and sector words are dropped. A unit named after its company (字节跳动AI Lab,
    阿里巴巴达摩院) counts as that company, as the English keys do."""
    name = re.sub(r"\s+", " ", name).strip()
    if not has_han(name):
        return name
    name = simplified(name)
    for candidate in (name, _PARENS.sub("", name).strip(), _strip_company(name)):
        if candidate in COMPANY_ALIASES:
            return COMPANY_ALIASES[candidate]
    for size in range(min(len(name), 8), 1, -1):
        if name[:size] in COMPANY_ALIASES:
            return COMPANY_ALIASES[name[:size]]
    core = _strip_company(name)
    words = re.findall(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]+", core)
    out = []
    for word in words:
        out.append("".join(_pinyin(word)).capitalize() if has_han(word) else word)
    return " ".join(w for w in out if w)
