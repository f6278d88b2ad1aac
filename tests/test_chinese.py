"""Chinese departure detection: composed newsflash passages, positives and hard negatives.

The passages are written for these tests (people are fictional unless noted); each row is
(text, expected (person, company) pairs). Pairs are compared with the same name matching
storage uses, so 字节跳动 and ByteDance are one company.
"""

from __future__ import annotations

import pytest

from extract.departures import Departure, Detector
from extract.names import same_company, same_person

CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # -- positives: the newsflash patterns
    ("36氪获悉，字节跳动AI Lab负责人马维英已于近日离职，将加入清华大学智能产业研究院。",
     [("马维英", "字节跳动")]),
    ("据知情人士透露，阿里巴巴达摩院副院长杨红霞已离开公司。", [("杨红霞", "阿里巴巴")]),
    ("星环智能科技有限公司CTO王晓明已于3月离职，公司暂未回应。", [("王晓明", "星环智能")]),
    ("快讯：京东零售CEO辛立军因个人原因辞去职务。", [("辛立军", "京东")]),
    ("前阿里巴巴副总裁贾扬青加盟字节跳动，担任AI平台负责人。", [("贾扬青", "阿里巴巴")]),
    ("原腾讯副总裁王五已于日前加盟小米，出任集团副总裁。", [("王五", "腾讯")]),
    ("据悉，美团副总裁陈立宏从美团离职后，将创办一家人工智能公司。", [("陈立宏", "美团")]),
    ("蔚来汽车联合创始人周凯近日宣布卸任公司总裁一职，并将加盟一家新能源创业公司。",
     [("周凯", "蔚来汽车")]),
    ("6月3日，小鹏汽车发布公告，副总裁刘金辉因个人原因辞任，辞任后不再担任公司任何职务。",
     [("刘金辉", "小鹏汽车")]),
    ("百度首席技术官欧阳明远已于2024年5月正式退休。", [("欧阳明远", "百度")]),
    ("快手大模型负责人张迪、副总裁李秋实已先后离职。",
     [("张迪", "快手"), ("李秋实", "快手")]),
    ("商汤科技联合创始人徐立群离开商汤，加盟百川智能。", [("徐立群", "商汤科技")]),
    ("哔哩哔哩副总裁孙涛于近日被免职。", [("孙涛", "哔哩哔哩")]),
    ("字节跳动AI Lab大模型研发负责人杨红丽已于近日离职。", [("杨红丽", "字节跳动")]),
    ("字节跳动AI负责人王五明已离职。", [("王五明", "字节跳动")]),
    ("据36氪报道，网易有道首席科学家段志明跳槽至月之暗面。", []),
    ("知情人士称，从百度跳槽至小米的副总裁王冰，负责小米大模型团队。", [("王冰", "百度")]),
    ("理想汽车CTO谢炎明已离职。他此前负责理想汽车的智能驾驶研发。", [("谢炎明", "理想汽车")]),
    ("拼多多首席财务官刘静离职的消息得到证实。公司已任命新的财务负责人。", [("刘静", "拼多多")]),
    ("滴滴出行高级副总裁吴明卸任，其职务由副总裁赵小川兼任。", [("吴明", "滴滴出行")]),
    ("快手前副总裁、大模型负责人张立迪加盟B站。", [("张立迪", "快手")]),
    ("吉利汽车：安聪明辞任公司执行董事及CEO。", [("安聪明", "吉利汽车")]),
    ("据雷锋网消息，地平线副总裁、智能驾驶产品线总裁张玉明已于近日离职。", [("张玉明", "地平线")]),
    ("小米集团公告，王翔明将于2024年4月退休，不再担任集团总裁。", [("王翔明", "小米集团")]),
    ("OpenAI首席技术官Mira Morales宣布离职。", [("Mira Morales", "OpenAI")]),
    ("钉钉CEO叶军明将卸任，阿里巴巴合伙人陈航明接任。", [("叶军明", "钉钉")]),
    # -- a post called former says the person left (as "the former chairman of X" does)
    ("前百度总裁张雅勤近日表示，AI将改变一切。", [("张雅勤", "百度")]),
    ("原阿里巴巴副总裁贾扬青创办的公司被收购。", [("贾扬青", "阿里巴巴")]),
    ("目前百度副总裁王五明负责搜索业务。", []),
    ("张三明（字节跳动副总裁）已于近日离职。", [("张三明", "字节跳动")]),
    # -- foreign names, removed by the board
    ("星际AI首席执行官山姆·奥尔顿被董事会解雇。", [("山姆·奥尔顿", "星际AI")]),
    ("Meta首席AI科学家Yann LeCunn宣布离职创业。", [("Yann LeCunn", "Meta")]),
    ("百度副总裁王五明被公司开除。", [("王五明", "百度")]),
    ("该公司被监管部门罚款。", []),
    # -- a listed company's announcement
    ("星海科技股份有限公司董事会于近日收到副总经理张建明先生的书面辞职报告。张建明先生因个人原因"
     "申请辞去公司副总经理职务，辞职后不再担任公司任何职务。", [("张建明", "星海科技")]),
    # -- only a board seat kept: still a departure from the executive role
    ("星海科技创始人周立明卸任CEO后，仍担任公司董事。", [("周立明", "星海科技")]),
    # -- the company comes from the headline (离开公司)
    ("智谱AI完成新一轮融资\n智谱AI副总裁方成已于近日离开公司，将专注于个人创业项目。",
     [("方成", "智谱AI")]),
    # -- a preposition or modal fused onto a name, common words jieba tags as names
    ("据悉，王立新将正式辞去星海科技总裁职务。", [("王立新", "星海科技")]),
    ("星河汽车总裁周志成将退休。于年底卸任集团总裁职务后，周志成将担任高级顾问。",
     [("周志成", "星河汽车")]),
    ("星辰网络官宣刘海明不再担任公司CEO，其将离开公司。", [("刘海明", "星辰网络")]),
    # -- a unit or a field before a title: the employer is the company the story names
    ("据报道，星河汽车多名高管离职，其中云计算平台负责人周立成、动力总成副总裁郑海明已相继离职。",
     [("周立成", "星河汽车"), ("郑海明", "星河汽车")]),
    ("星辰智能证实，Nova后训练负责人孙启明已于近日离职。", [("孙启明", "Nova")]),
    # -- foreign names glossed in brackets, several in one list; a list after a title
    ("Nova公司CEO称，工程主管约翰·帕克(John Parker)、媒体主管艾米·罗斯·贝尔(Amy Rose Bell)"
     "都决定离职。",
     [("约翰·帕克", "Nova"), ("艾米·罗斯·贝尔", "Nova")]),
    # -- a listed company named by its stock code, the name before it or the code alone
    ("上海3月2日讯星岚医药(600321.SH)晚间公告称，公司董事会收到副总经理陈志远提交的书面辞职报告。"
     "陈志远申请辞去公司副总经理职务。", [("陈志远", "星岚医药")]),
    ("(300567.SZ)发布公告称，公司董事会于近日收到总经理吴振华的书面辞职报告。",
     [("吴振华", "300567.SZ")]),
    # -- traditional characters
    ("據悉，騰訊副總裁陳建國已於近日離職。", [("陈建国", "腾讯")]),
    # -- negatives: denials, rumours rejected, internal moves, kept leads, unnamed layoffs
    ("小米集团辟谣称，雷振宇并未离职，目前仍在正常履职。", []),
    ("有消息称，星海科技总裁王立新将正式辞去总裁职务。星海科技发言人表示，相关传闻纯系子虚乌有。",
     []),
    ("针对网传字节跳动副总裁杨帆离职一事，字节跳动回应称消息不实。", []),
    # -- a denial naming nobody answers the rumour reported before it
    ("网上忽然传出星海科技总裁周海明要离职的消息。其实这是一个毫无根据的彻底谣言。", []),
    ("市场消息称，星河汽车总裁吴启东将从星河汽车离职。对此，星河汽车公关负责人表示：纯属胡编乱造。",
     []),
    # -- leaving a post to run another product of the same group
    ("星海集团宣布李云飞不再担任星海视频CEO，转去负责集团的剪辑软件业务。", []),
    # -- a group (他们) or a denied firing is not the person named in an earlier clause
    ("星辰网络CEO王振东宣布公司四位高管离职，并解释称他们是自愿离职，并非公司强行开除。", []),
    ("快手副总裁张小迪宣布卸任CEO一职，仍担任董事长。", []),
    ("蔚来汽车联合创始人秦立红升任总裁。", []),
    ("美团副总裁张三调任集团战略部负责人。", []),
    ("百度集团副总裁吴甜卸任文心一言负责人，转任集团战略部。", []),
    ("字节跳动今年裁员约千人，涉及多个业务线。", []),
    ("多名高管离职后，该公司股价下跌。", []),
    ("该公司员工离职率较去年下降了5个百分点。", []),
    ("苹果公司宣布将逐步离开中国市场的部分业务。", []),
    ("如果张伟离职，腾讯将面临人才缺口。", []),
    ("阿里巴巴CEO吴永明表示，公司将加大AI投入。", []),
    ("华为轮值董事长徐志军在大会上发表演讲。", []),
    ("马维英此前曾在微软工作，2017年加入字节跳动。", []),
    ("小米宣布，集团总裁卢卫兵将兼任手机部总裁。", []),
    ("目前腾讯副总裁张书明担任微信事业群负责人，他表示今年将加大投入。", []),
    ("理想汽车CEO李明想回应了网友关于高管离职的提问，称这是正常的人员流动。", []),
    ("去年，前谷歌工程师张伟加入了这家初创公司，担任技术负责人。", []),
    ("京东集团宣布，京东零售CEO辛立军将专注于集团战略，并继续担任集团副总裁。", []),
    ("某某科技公告，独立董事王明辉因个人原因辞职。", []),
    ("某某科技公告，公司董事李华明因工作调整申请辞去公司董事职务，辞职后仍担任公司副总经理。", []),
    ("退休金调整方案公布，今年企业退休人员基本养老金上调3%。", []),
]


@pytest.fixture(scope="module")
def det(detector: Detector) -> Detector:
    return detector


def _pairs(found: list[Departure]) -> list[tuple[str, str]]:
    return [(d.person, d.company) for d in found]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:14] for c in CASES])
def test_chinese_table(det: Detector, text: str, expected: list[tuple[str, str]]) -> None:
    found = det.detect(text)
    unmatched = list(found)
    for person, company in expected:
        hit = next((d for d in unmatched if same_person(d.person, person)
                    and same_company(d.company, company)), None)
        assert hit is not None, f"missed {person} | {company} in {_pairs(found)}"
        unmatched.remove(hit)
    assert not unmatched, f"extra rows {_pairs(unmatched)}"


def test_arguments_of_a_newsflash(det: Detector) -> None:
    (dep,) = det.detect("36氪获悉，字节跳动AI Lab负责人马维英已于近日离职，"
                        "将加入清华大学智能产业研究院。")
    assert dep.person == "马维英" and dep.company == "字节跳动"
    assert dep.role == "AI Lab负责人"
    assert dep.destination == "清华大学"
    assert dep.when_text == "近日"
    assert dep.sentence.startswith("36氪获悉") and 0 < dep.confidence <= 1


def test_post_given_up_is_the_role(det: Detector) -> None:
    (dep,) = det.detect("6月3日，小鹏汽车发布公告，副总裁刘金辉因个人原因辞任，"
                        "辞任后不再担任公司任何职务。")
    assert dep.role == "副总裁" and dep.when_text == "6月3日"


def test_role_of_an_announcement_is_the_title(det: Detector) -> None:
    (dep,) = det.detect("星海科技股份有限公司董事会于近日收到副总经理张建明先生的书面辞职报告。")
    assert (dep.person, dep.role, dep.when_text) == ("张建明", "副总经理", "近日")


def test_denial_in_a_later_sentence_vetoes(det: Detector) -> None:
    text = ("网传字节跳动副总裁杨帆已于近日离职。对此，字节跳动相关人士回应称，杨帆并未离职。")
    assert det.detect(text) == []
    assert det.detect(text.split("。")[0] + "。")  # without the denial it is a departure


def test_mixed_batch_keeps_order_and_english_still_works(det: Detector) -> None:
    english = "Fu Ruiji, who led Kuaishou's Knowledge Graph projects, has left the company."
    chinese = "快手知识图谱负责人付瑞吉已于近日离职。"
    out = list(det.detect_many([(english, None), (chinese, None), ("", None)]))
    assert [len(x) for x in out] == [1, 1, 0]
    assert same_person(out[0][0].person, out[1][0].person)
    assert same_company(out[0][0].company, out[1][0].company)


def test_japanese_is_not_read_as_chinese(det: Detector) -> None:
    text = "ソニーの副社長である山田太郎氏が退任したと発表した。" * 3
    assert det.detect(text) == []


def test_english_only_runs_never_load_jieba() -> None:
    import subprocess
    import sys

    code = ("import sys; from extract.departures import Detector; d = Detector(); "
            "d.detect('Jane Roe, CEO of Acme, resigned on Monday.'); "
            "print('jieba' in sys.modules, getattr(d, '_zh', None) is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=300)
    assert out.stdout.split() == ["False", "True"]


def test_jieba_start_up_is_silent() -> None:
    import subprocess
    import sys

    code = ("from extract.departures import Detector; "
            "print(len(Detector().detect('快手知识图谱负责人付瑞吉已于近日离职。')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=300)
    assert out.stdout.strip() == "1"
    assert "prefix dict" not in out.stderr and "jieba" not in out.stderr.lower()


def test_chinese_flood_is_bounded(det: Detector) -> None:
    """A hostile page of thousands of departure sentences costs seconds, not minutes:
    only the first MAX_PARSED_SENTENCES flagged sentences are segmented."""
    import time

    from extract.chinese.detector import MAX_PARSED_SENTENCES

    text = "".join(f"星海科技副总裁王{chr(0x4e00 + i % 500)}明已于近日离职，将加盟月之暗面。"
                   for i in range(4000))
    det.detect("快手知识图谱负责人付瑞吉已于近日离职。")  # the jieba pipeline is loaded
    started = time.process_time()
    found = det.detect(text)
    assert time.process_time() - started < 20
    assert 0 < len(found) <= MAX_PARSED_SENTENCES
