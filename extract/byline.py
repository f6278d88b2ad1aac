"""Author names signed in the text, the way Chinese newsrooms do it.

Chinese news pages rarely name the author in markup; the byline is a line of text:
"作者：宋怡", "本报记者 王燕平 方云凤", "（记者 格桑边觉）", "马俊峰/文", "责任编辑：魏喆".
A name is two to four Han characters standing alone (a Han character right after it
means the match was the start of a sentence, "记者近日从..."), and the label before it
says whose name it is. The article text is searched before the rest of the page, and
an editor is taken for the author only when nobody else signed.
"""

from __future__ import annotations

import re

__all__ = ["authors_in_text", "has_han"]

_HAN = "\u4e00-\u9fff"
_NAME = rf"[{_HAN}][{_HAN}·]{{1,3}}(?![{_HAN}])"
_GAP = r"[ \u3000\xa0]+|[ \u3000\xa0]*[、][ \u3000\xa0]*"
# Role words that can sit between the names of one byline ("本报实习生 刘国栋 本报记者 王燕平").
_ROLE = r"(?:本报|总台|新华社|特约)?(?:记者|实习生|通讯员)"
# A byline ends the line or the bracket it stands in: "记者 表示，..." is a sentence.
_END = r"(?=[\s\u3000\xa0）)】\]/／]|$)"
# At most a dozen names: the bound keeps every match attempt short on hostile text.
_NAMES = rf"(?P<names>{_NAME}(?:(?:{_GAP})(?:{_ROLE}[ \u3000\xa0]*)?{_NAME}){{0,11}}){_END}"
_SEP = r"(?:\s*[：:]\s*|[ \u3000\xa0]+)"  # "记者采访时称" has none: not a byline

_LABELLED = [
    re.compile(rf"作者{_SEP}{_NAMES}"),
    re.compile(rf"(?:{_ROLE}{_SEP}|(?:撰文|(?<![{_HAN}])文)\s*[：:/／]\s*){_NAMES}"),
    re.compile(rf"(?:(?<![{_HAN}])|(?<=记者)){_NAMES}\s*[/／]\s*文"),
    re.compile(rf"(?:责任编辑|编辑|责编)\s*[：:]\s*{_NAMES}"),
]
_NOT_NAMES = re.compile(rf"^{_ROLE}$|^(?:来源|编辑|作者|本报|报道|摄影|图片|供图|受访者)")
_ROLE_ONLY = re.compile(rf"\s*{_ROLE}?\s*$")
_SPLIT = re.compile(rf"{_GAP}")
_HAN_TEXT = re.compile(f"[{_HAN}]")


def has_han(text: str) -> bool:
    return bool(_HAN_TEXT.search(text))


def authors_in_text(body_text: str, page_text: str = "") -> list[str]:
    """Names from the first byline found: an author's in the article text, then in the
    whole page, else an editor's.

    (A name alone on the line above the text, as essays are signed, was tried and
    dropped: on portal pages that line is as often a button or a section name.)"""
    if not has_han(body_text):
        return []
    authors, editors = _LABELLED[:-1], _LABELLED[-1:]
    return (
        _first_byline(body_text, authors)
        or _first_byline(page_text, authors)
        or _first_byline(body_text, editors)
        or _first_byline(page_text, editors)
    )


def _first_byline(text: str, patterns: list[re.Pattern[str]]) -> list[str]:
    """The earliest byline in ``text``, with the lines that continue it ("本报实习生 刘国栋
    \n本报记者 王燕平"); a signature further down is usually the page's, not the story's."""
    matches = sorted(
        (m for pattern in patterns for m in pattern.finditer(text) if _names(m["names"])),
        key=lambda m: m.start(),
    )
    if not matches:
        return []
    names = _names(matches[0]["names"])
    end = matches[0].end()
    for m in matches[1:]:
        if m.start() < end:
            continue
        if text[end : m.start()].strip() and not _ROLE_ONLY.match(text[end : m.start()]):
            break
        names += [n for n in _names(m["names"]) if n not in names]
        end = m.end()
    return names[:10]


def _names(run: str) -> list[str]:
    result: list[str] = []
    for part in _SPLIT.split(run):
        part = re.sub(rf"^{_ROLE}[ \u3000\xa0]*", "", part).strip()
        if 2 <= len(part) <= 4 and not _NOT_NAMES.search(part) and part not in result:
            result.append(part)
    return result[:10]
