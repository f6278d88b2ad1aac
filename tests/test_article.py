"""extract_article on small synthetic pages: body, metadata, dates, and hostile input."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.article import Article, extract_article

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
FETCHED = datetime(2022, 1, 1, tzinfo=UTC)


def _load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _html(body: str, head: str = "", lang: str = "en") -> str:
    return (f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
            f"<body>{body}</body></html>")


PARAS = "".join(
    f"<p>Paragraph {i} of the story explains, in some detail, what happened at the company "
    f"and why the board decided to act now rather than wait for the annual meeting.</p>"
    for i in range(5)
)


def test_comments_related_and_widgets_dropped() -> None:
    art = extract_article(_load("comments_related.html"), url="https://daily.example.org/globex")
    text = art.text
    assert "appointed Maria Santos" in text
    assert "Shares in the company rose" in text
    assert "A difficult year" in text  # subheadings are part of the article
    for junk in ("cookie", "Share on Facebook", "merger talks", "excellent engineer",
                 "Celebrity chef", "Copyright 2019", "Photo: Sample Agency", "Home"):
        assert junk not in text, junk
    # Paragraphs are separated by a blank line.
    assert "\n\nSantos joins" in text
    assert art.title == "Globex names new chief technology officer"
    assert art.published == "2019-11-18"
    assert art.lang == "en"


def test_jsonld_metadata() -> None:
    art = extract_article(_load("jsonld_article.html"), url="https://news.example.com/x?utm=1",
                          fetched_at=FETCHED)
    assert art.url == "https://news.example.com/2021/06/02/acme-ceo-steps-down/"
    assert art.title == "Acme Robotics CEO Jane Doe steps down"
    assert art.published == "2021-06-02"  # original, not the modified 2021-06-10
    assert art.authors == ["John Writer", "Mary Reporter"]
    assert art.lang == "en"
    assert art.encoding == "utf-8"
    assert "Richard Roe, as interim CEO" in art.text
    assert "By John Writer" not in art.text


def test_gbk_article() -> None:
    art = extract_article(_load("gbk_article.html"), fetched_at=FETCHED)
    assert art.encoding == "gb18030"
    assert art.lang == "zh"
    assert art.published == "2021-03-08"
    assert art.title == "虚构科技公司首席执行官宣布离职"
    assert "王镕先生因个人原因辞去职务" in art.text
    assert "栏目一" not in art.text and "版权所有" not in art.text


def test_lying_charset_german_article() -> None:
    art = extract_article(_load("lying_charset.html"), fetched_at=FETCHED)
    assert art.encoding == "utf-8"
    assert art.lang == "de"
    assert art.published == "2020-03-15"
    assert art.title == "Vorstandschefin der Beispiel AG tritt zurück"
    assert "überraschend ihren Rücktritt" in art.text
    assert "Impressum" not in art.text


def test_article_selector_used_and_bad_selector_falls_back() -> None:
    page = _html(f'<div class="promo-box"><p>{"Buy our product today. " * 10}</p></div>'
                 f'<div class="story">{PARAS}</div>')
    art = extract_article(page, article_selector="div.story")
    assert art.text.startswith("Paragraph 0")
    bad = extract_article(page, article_selector="div[[[")
    assert "Paragraph 0" in bad.text
    assert any("article_selector" in w for w in bad.warnings)
    none = extract_article(page, article_selector="div.nothing-here")
    assert "Paragraph 0" in none.text
    assert none.warnings


def test_future_and_ancient_dates_rejected() -> None:
    head = '<meta property="article:published_time" content="2030-01-01T00:00:00Z">'
    art = extract_article(_html(PARAS, head), fetched_at=FETCHED)
    assert art.published is None
    head = '<meta property="article:published_time" content="1990-05-05">'
    art = extract_article(_html(PARAS, head), fetched_at=FETCHED)
    assert art.published is None


def test_date_from_url_and_from_text() -> None:
    art = extract_article(_html(PARAS), url="https://x.example.com/2020/03/15/story.html",
                          fetched_at=FETCHED)
    assert art.published == "2020-03-15"
    art = extract_article(_html('<div class="meta">Publié le 3 février 2021</div>' + PARAS,
                                lang="fr"), fetched_at=FETCHED)
    assert art.published == "2021-02-03"
    art = extract_article(_html('<span class="date">2020年3月15日 10:20</span>' + PARAS,
                                lang="zh"), fetched_at=FETCHED)
    assert art.published == "2020-03-15"


def test_modified_time_element_not_used() -> None:
    body = ('<time class="updated" datetime="2021-05-05">May 5</time>'
            '<time class="published" datetime="2021-04-04">April 4</time>' + PARAS)
    art = extract_article(_html(body), fetched_at=FETCHED)
    assert art.published == "2021-04-04"


def test_title_site_name_stripped() -> None:
    head = ('<title>Big Chief Quits Widget Corp | Example Herald</title>'
            '<meta property="og:site_name" content="Example Herald">')
    art = extract_article(_html(PARAS, head))
    assert art.title == "Big Chief Quits Widget Corp"


def test_str_input_and_canonical_relative() -> None:
    head = '<link rel="canonical" href="/news/42">'
    art = extract_article(_html(PARAS, head), url="https://ex.example.com/news/42?ref=rss")
    assert art.url == "https://ex.example.com/news/42"
    assert art.encoding == "utf-8"


def test_empty_and_binary_input() -> None:
    for data in (b"", "", b"   \n  "):
        art = extract_article(data)
        assert isinstance(art, Article)
        assert art.text == ""
        assert art.warnings
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    art = extract_article(png)
    assert art.text == ""
    assert art.warnings


def test_deeply_nested_and_unclosed_html() -> None:
    nested = "<div>" * 20000 + "<p>Deep text that still belongs to the page body.</p>"
    art = extract_article(nested.encode())
    assert isinstance(art, Article)
    unclosed = "<html><body><div><p>First para unclosed <b>bold <i>italic <p>second" * 200
    art = extract_article(unclosed)
    assert isinstance(art, Article)


def test_huge_page_is_bounded_in_time() -> None:
    big = (_html(PARAS) + "<div>" + "<span>filler text</span>" * 2_500_000 + "</div>").encode()
    assert len(big) > 50_000_000
    start = time.perf_counter()
    art = extract_article(big)
    assert time.perf_counter() - start < 20
    assert any("truncated" in w for w in art.warnings)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=4000), st.text(max_size=4000)))
def test_never_raises(data: bytes | str) -> None:
    art = extract_article(data, url="not a url", content_type="text/html; charset=nonsense")
    assert isinstance(art, Article)
    assert isinstance(art.text, str)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<a href='#'>", "</a>",
                                 "<script>", "<table><tr><td>", "<br>", "text ", "<h1>", "é",
                                 "<meta charset='gbk'>", "\x00", "<!--", "-->"]), max_size=300))
def test_never_raises_on_tag_soup(parts: list[str]) -> None:
    art = extract_article("".join(parts))
    assert isinstance(art, Article)


def _para(topic: str, n: int) -> str:
    return "".join(
        f"<p>{topic} sentence {i} describes the management change, the reasons given by the "
        f"company, and the reaction of investors, analysts and employees.</p>"
        for i in range(n)
    )


def test_big_sidebar_does_not_win_over_short_article() -> None:
    page = _html(
        '<div class="wrapper content-with-sidebar">'
        f'<div class="story-body">{_para("Article", 3)}</div>'
        f'<div class="sidebar widget-area">{_para("Promoted deal", 6)}</div></div>'
    )
    art = extract_article(page)
    assert "Article sentence 2" in art.text
    assert "Promoted deal" not in art.text


def test_article_split_into_chunks_is_joined() -> None:
    page = _html(
        '<div class="article">'
        f'<div class="grid"><div class="chunk">{_para("First part", 4)}</div></div>'
        '<div class="grid"><div class="ad-slot">Advertisement</div></div>'
        f'<div class="grid"><div class="chunk">{_para("Second part", 4)}</div></div>'
        "</div>"
    )
    art = extract_article(page)
    assert "First part sentence 0" in art.text
    assert "Second part sentence 3" in art.text
    assert "Advertisement" not in art.text


def test_embedded_post_kept() -> None:
    page = _html(
        f"<article>{_para('Story', 3)}"
        '<div class="social-embed"><blockquote class="twitter-tweet"><p>I am stepping down as '
        "CEO today, thank you all for twelve wonderful years.</p></blockquote></div>"
        f"{_para('More', 2)}</article>"
    )
    art = extract_article(page)
    assert "I am stepping down as CEO today" in art.text


def test_jsonld_article_body_with_escaped_html() -> None:
    body = " ".join(
        f"&lt;p&gt;Structured paragraph {i} tells the full story of the resignation and "
        f"the search for a successor.&lt;/p&gt;" for i in range(12)
    )
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "'
            + body + '"}</script>')
    art = extract_article(_html("<div><p>Short teaser only, see the full story.</p></div>",
                                head))
    assert "Structured paragraph 11" in art.text
    assert "&lt;" not in art.text and "<p>" not in art.text


ZH_PARAS = "".join(
    f"<p>第{i}段：公司董事会昨日宣布，负责云计算业务的副总裁已经离职，"
    f"他将创办一家专注于人工智能基础设施的新公司，业内人士认为此举影响深远。</p>"
    for i in range(6)
)
PORTAL_TOP = ("<table><tr><td>今天是2021年12月30日 星期四</td></tr></table>"
              "<table><tr><td>" + " | ".join(f"频道{i}" for i in range(80)) + "</td></tr></table>")


def test_byline_date_above_the_text_beats_the_portal_bar() -> None:
    """Portal pages of the 2000s have no date markup: the byline is the evidence."""
    body = (PORTAL_TOP + "<table><tr><td>2021年12月1日08:19 来源：示例日报</td></tr>"
            f"<tr><td>{ZH_PARAS}</td></tr></table>")
    art = extract_article(_html(body, lang="zh"), fetched_at=FETCHED)
    assert art.published == "2021-12-01"


def test_blog_footer_date_below_the_text() -> None:
    body = (PORTAL_TOP + f"<div>{ZH_PARAS}</div>"
            "<div>由示例作者张贴 @ 2021-06-10 05:41:31 (295)</div>"
            "<div>2021-05-01 旧文章 | 2021-04-01 更旧的文章</div>")
    art = extract_article(_html(body, lang="zh"), fetched_at=FETCHED)
    assert art.published == "2021-06-10"


def test_published_cue_in_text() -> None:
    body = (PORTAL_TOP + "<div>[文化] 一篇旧文 作者甲 发表于 2021-9-15 11:20</div>"
            f"<div>{ZH_PARAS}</div>")
    art = extract_article(_html(body, lang="zh"), fetched_at=FETCHED)
    assert art.published == "2021-09-15"
