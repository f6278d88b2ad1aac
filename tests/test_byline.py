"""Bylines signed in Chinese text, and sentences that only look like them."""

from __future__ import annotations

import pytest

from extract.article import extract_article
from extract.byline import authors_in_text

STORY = "公司董事会昨日宣布，负责云计算业务的副总裁已经离职，业内人士认为此举影响深远。"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (f"作者：宋怡 杨志华\n{STORY}", ["宋怡", "杨志华"]),
        (f"光明日报记者 王建宏 张文攀\n{STORY}", ["王建宏", "张文攀"]),
        (f"本报实习生 刘国栋 周炜\n\n本报记者 王燕平 方云凤\n{STORY}",
         ["刘国栋", "周炜", "王燕平", "方云凤"]),
        (f"{STORY}（记者 格桑边觉）记者近日从西藏了解到", ["格桑边觉"]),
        (f"顶端新闻·河南商报记者马俊峰/文 受访者供图\n{STORY}", ["马俊峰"]),
        (f"{STORY}\n文：眉间尺\n", ["眉间尺"]),
        (f"{STORY}（ 责任编辑：魏喆 ）", ["魏喆"]),
        (f"作者：张三\n{STORY}\n本报记者 李四", ["张三"]),  # the earliest byline
    ],
)
def test_bylines(text: str, names: list[str]) -> None:
    assert authors_in_text(text) == names


@pytest.mark.parametrize(
    "text",
    [
        f"{STORY}记者近日从西藏自治区农业农村厅获悉，春耕已经开始。",
        f"{STORY}该公司发言人在接受记者采访时称，此事与公司无关。",
        f"他在文章中写道，{STORY}",
        f"{STORY}原文：点击查看",
        "By Jane Smith. The board said on Monday that its chief executive had resigned.",
        "",
    ],
)
def test_sentences_are_not_bylines(text: str) -> None:
    assert authors_in_text(text) == []


def test_an_author_signature_beats_an_editor_elsewhere_on_the_page() -> None:
    paras = "".join(f"<p>第{i}段：{STORY}{STORY}</p>" for i in range(5))
    html = (f'<html lang="zh"><head><meta charset="utf-8"></head><body>'
            f"<div>{paras}<p>（总台记者 张倩）</p></div>"
            f"<div>责任编辑：王五</div></body></html>")
    assert extract_article(html.encode()).authors == ["张倩"]
    alone = html.replace("<p>（总台记者 张倩）</p>", "")
    assert extract_article(alone.encode()).authors == ["王五"]


def test_a_page_of_names_stays_linear() -> None:
    """An unbounded run of names made the "NAME/文" pattern quadratic (minutes)."""
    import time

    runs = ["记者 " + "张三 " * 100_000, " 张三" * 200_000, "作者：" + "张三、" * 100_000 + "他说"]
    started = time.monotonic()
    for text in runs:
        authors_in_text(text, text)
    assert time.monotonic() - started < 10
