"""One event reported in Chinese and in English is one departure row.

Keys come from extract.names, which reads Han names through extract.aliases: people by
their pinyin (杨红霞 -> "hongxia yang", the order-free key of "Yang Hongxia"), companies
through the alias table (字节跳动 -> ByteDance) or their pinyin.
"""

from __future__ import annotations

import pytest

from crawler.pipeline import findings
from extract.aliases import romanise_company, romanise_person
from extract.departures import Detector
from extract.names import company_key, person_key, same_company, same_person
from storage import Store


@pytest.mark.parametrize(("zh", "en"), [
    ("杨红霞", "Yang Hongxia"), ("杨红霞", "Hongxia Yang"), ("欧阳娜娜", "Ouyang Nana"),
    ("司马南", "Sima Nan"), ("单立", "Shan Li"), ("曾鸣", "Zeng Ming"), ("马维英", "Weiying Ma"),
])
def test_person_keys_agree_across_scripts(zh: str, en: str) -> None:
    assert person_key(zh) == person_key(en) != ""
    assert same_person(zh, en) and same_person(en, zh)


@pytest.mark.parametrize(("zh", "en"), [
    ("字节跳动", "ByteDance"), ("阿里巴巴集团", "Alibaba Group Holding"),
    ("阿里云", "Alibaba Cloud"),
    ("快手科技", "Kuaishou Technology"), ("京东", "JD.com"), ("哔哩哔哩", "Bilibili"),
    ("B站", "Bilibili"), ("蔚来汽车", "NIO Inc."), ("理想汽车", "Li Auto"),
    ("字节跳动AI Lab", "ByteDance"),
])
def test_company_keys_agree_across_scripts(zh: str, en: str) -> None:
    assert company_key(zh) == company_key(en) != ""
    assert same_company(zh, en)


def test_unknown_companies_get_a_pinyin_key_without_legal_words() -> None:
    assert romanise_company("星环智能科技有限公司") == romanise_company("星环智能") == "Xinghuan"
    assert company_key("北京星环智能科技有限公司") == company_key("星环科技") == "xinghuan"
    assert company_key("星环智能") != company_key("星河智能")


def test_different_people_keep_different_keys() -> None:
    assert person_key("王伟") != person_key("王飞")
    assert not same_person("杨红霞", "Yang Hongli")
    assert romanise_person("Yang Hongxia") == "Yang Hongxia"  # Latin names untouched


def test_chinese_and_english_reports_land_on_one_row(tmp_path, detector: Detector) -> None:
    zh = detector.detect("36氪获悉，字节跳动大模型负责人杨红霞已于近日离职，将创办一家AI公司。")
    en = detector.detect("Yang Hongxia, who led large language model development at "
                         "ByteDance, has left the company to start her own AI venture.")
    assert len(zh) == 1 and len(en) == 1
    with Store.open(tmp_path / "x.db") as store:
        for url, deps, lang in (("https://36kr.test/1", zh, "zh"),
                                ("https://scmp.test/2", en, "en")):
            art = store.save_article(url=url, page_id=None, title=None, published=None,
                                     authors=[], lang=lang, text=deps[0].sentence,
                                     extractor_version="t", extracted_at="2026-01-01T00:00:00Z")
            store.replace_findings(art, findings(deps), "2026-01-01T00:00:00Z", "t")
        (row,) = store.review_rows()
        assert row["sources"] == 2
        assert row["person"] == "杨红霞" and row["company"] == "字节跳动"  # the first report
        keys = store.db.execute("select person_key, company_key from departures").fetchall()
        assert keys == [("hongxia yang", "bytedance")]


def test_different_chinese_events_stay_apart(tmp_path, detector: Detector) -> None:
    deps = detector.detect("快手副总裁王伟已于近日离职。另据报道，快手副总裁王飞也已离职。")
    assert {d.person for d in deps} == {"王伟", "王飞"}
    with Store.open(tmp_path / "y.db") as store:
        art = store.save_article(url="https://36kr.test/3", page_id=None, title=None,
                                 published=None, authors=[], lang="zh", text="x",
                                 extractor_version="t", extracted_at="2026-01-01T00:00:00Z")
        store.replace_findings(art, findings(deps), "2026-01-01T00:00:00Z", "t")
        assert len(store.review_rows()) == 2
