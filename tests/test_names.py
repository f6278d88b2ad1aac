"""Name normalisation used for deduplication and for scoring."""

from __future__ import annotations

import pytest

from extract.names import company_key, person_key, same_company, same_person


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Yang Hongxia", "Hongxia Yang"),
        ("Fu Ruiji", "Ruiji Fu"),
        ("Yang Hong-xia", "Hongxia Yang"),
        ("Mr Emmett Shear", "Emmett Shear"),
        ("Sir Jony Ive", "Jony Ive"),
        ("John M. Henske", "John Henske"),
        ("Zoë Müller", "Zoe Muller"),
    ],
)
def test_person_key_ignores_order_titles_initials_accents(a: str, b: str) -> None:
    assert person_key(a) == person_key(b)
    assert same_person(a, b)


def test_person_key_separates_different_people() -> None:
    assert person_key("Yang Hongxia") != person_key("Yang Changhu")
    assert not same_person("Wang Lu", "Wang Min")
    assert not same_person("Ye Peng", "Li Yinan")


def test_surname_alone_matches_full_name() -> None:
    assert same_person("Yang", "Yang Hongxia")
    assert same_person("Henske", "John M. Henske")
    assert not same_person("", "Yang Hongxia")


@pytest.mark.parametrize(
    "name",
    ["Alibaba Group Holding", "Alibaba Cloud", "Alibaba", "Alibaba Group Holding Ltd",
     "alibaba group", "Alibaba’s"],
)
def test_company_key_folds_suffixes_and_units(name: str) -> None:
    assert company_key(name) == "alibaba"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kuaishou Technology", "Kuaishou"),
        ("Tencent Holdings Ltd", "Tencent"),
        ("Meta Platforms Inc", "Meta"),
        ("Huawei Technologies Co., Ltd.", "Huawei"),
        ("International Business Machines Corp", "IBM"),
        ("Twitch (Amazon)", "Amazon"),
        ("Twitch (Amazon)", "Twitch"),
        ("Orion Video (unit of Orion Media Corp)", "Orion Media Corp"),
        ("Acme Robotics Inc", "Acme Robotics"),
        # Chinese: a core inside a longer registered name, a team, traditional characters
        ("锦川新材料科技股份有限公司", "华盛锦川新材料科技股份有限公司"),
        ("Nova团队", "Nova"),
        ("Nova", "Nova团队（星河科技）"),
        ("騰訊控股", "腾讯"),
        ("字節跳動", "ByteDance"),
    ],
)
def test_same_company(a: str, b: str) -> None:
    assert same_company(a, b)
    assert same_company(b, a)


def test_different_companies() -> None:
    assert not same_company("锦川科技", "华盛科技")
    assert not same_company("星河科技", "星海科技")
    assert not same_company("Alibaba", "ByteDance")
    assert not same_company("Baidu", "Tencent Holdings")
    assert not same_company("Inc", "Corp")  # nothing left but suffixes
    assert company_key("ByteDance") != company_key("Baidu")


def test_keys_are_pure_and_total() -> None:
    for value in ["", "   ", "Inc.", "李彦宏", "(unit of)"]:
        person_key(value)
        company_key(value)
