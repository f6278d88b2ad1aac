"""Vocabulary of Chinese departure news, as data: triggers, vetoes, titles, surnames.

Kept out of the rules so that a missed phrasing is usually fixed by adding a word here.
"""

from __future__ import annotations

# Verbs that by themselves say someone left (or was removed from) a post.
LEAVE_TRIGGERS = (
    "离职", "卸任", "辞任", "辞去", "辞职", "请辞", "不再担任", "不再出任", "出走", "离开", "离任",
    "被免职", "被免去", "免去", "被解职", "被撤职", "被罢免", "被解雇", "被开除", "被辞退", "退休",
    "交棒", "挂冠", "退出管理层", "功成身退",
)

# Verbs of joining: a departure only when an earlier employer is named
# (前阿里巴巴副总裁贾扬清加盟字节跳动, 从百度跳槽至小米).
MOVE_TRIGGERS = ("加盟", "跳槽", "加入", "入职", "投身", "转投", "投奔", "出任", "担任")

# Verbs whose object is where the person goes next.
DESTINATION_VERBS = (
    "加盟", "加入", "入职", "出任", "转投", "投奔", "跳槽至", "跳槽到", "跳槽", "创办", "创立",
    "创业", "成立", "投身", "担任", "任职于", "就职于", "前往", "去往",
)

# The story is a denial, or a rumour the company rejects: nobody is reported as leaving.
DENIALS = (
    "辟谣", "否认", "不实", "谣言", "并未离职", "没有离职", "未离职", "不会离职", "并未离开",
    "没有离开", "未离开", "假消息", "仍在职", "正常履职", "正常工作", "系误读", "纯属",
    "空穴来风", "胡编乱造", "子虚乌有", "无稽之谈", "毫无根据", "捕风捉影",
    "不属实", "失实", "造谣",
)

# Moves inside the company or group: veto the person just named (升任总裁, 调任集团...).
INTERNAL_MOVES = ("升任", "兼任", "调任", "转任", "晋升", "改任", "留任", "转岗", "轮岗",
                  "内部调整", "内部转岗", "转去负责", "转而负责", "转为负责", "改为负责")

# Verbs of holding a post; followed by a leading title (and no other company) they say
# the person keeps a lead: 卸任CEO一职，仍担任董事长.
HOLD_VERBS = ("仍担任", "仍将担任", "继续担任", "将继续担任", "仍任", "仍为", "仍是", "担任",
              "出任", "转任", "改任", "继续出任", "继续负责", "仍负责", "将继续负责", "仍将负责")

# Titles that are a leading role (an adviser or a board seat is not).
LEAD_TITLES = ("董事长", "董事会主席", "执行董事", "总裁", "CEO", "首席执行官", "首席", "负责人",
               "总经理", "主席", "院长", "掌门人", "一把手")

# Bio wording: what someone did in the past is no veto (曾于2015年升任副总裁).
PAST_MARKERS = ("曾", "此前", "曾经", "早年", "先后", "历任", "年加入")

# Hypothetical or conditional wording.
HYPOTHETICALS = ("如果", "假如", "若是", "是否会", "是否将", "或将离职", "可能离职", "传闻是否")

# Titles, longest first where one contains another.
TITLES = (
    "联合创始人", "创始人", "首席执行官", "首席技术官", "首席财务官", "首席运营官", "首席科学家",
    "首席产品官", "首席战略官", "首席信息官", "首席营销官", "首席人才官", "首席人力资源官",
    "首席架构师", "首席", "高级副总裁", "执行副总裁", "集团副总裁", "副总裁", "总裁", "副总经理",
    "总经理", "执行董事", "董事长", "副董事长", "董事会主席", "主席", "总监", "总编辑", "主编",
    "负责人", "合伙人", "掌门人", "一把手", "院长", "副院长", "所长", "主任", "实验室主任",
    "事业部总裁", "事业群总裁", "技术委员会主席", "技术负责人", "业务负责人", "产品负责人",
    "高管", "CEO", "CTO", "CFO", "COO", "CPO", "CMO", "CSO", "CIO", "VP", "SVP", "EVP", "GM",
    "President", "总裁办", "大模型负责人", "算法负责人", "研究员", "科学家", "架构师", "专家",
    "主管",
)

# Company name endings used to spot organisations the alias table does not know.
COMPANY_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "科技", "控股", "股份", "银行",
    "证券",
    "资本", "基金", "创投", "汽车", "电子", "网络", "软件", "智能", "机器人", "半导体", "芯片",
    "微电子", "实验室", "研究院", "研究所", "大学", "学院", "医药", "生物", "传媒", "文化",
    "传媒集团", "互娱", "游戏", "新能源", "动力", "电器", "通讯", "通信", "信息", "数据", "云",
)

# Common Chinese surnames (single characters); two-character ones are in extract.aliases.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
    "兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻"
    "祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
    "桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠"
    "惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉"
    "禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修"
    "邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴"
    "昝智幸奉植衡富尧闭由"
)

# Words jieba sometimes tags as names though they are not (or are rarely) people.
NOT_NAMES = frozenset(
    "辟谣 达摩院 高管 高层 高级 总裁 董事 创始 合伙 马上 高度 高效 金融 石油 文化 安全 明年 "
    "白皮书 方面 司机 周年 周末 周期 万元 万亿 何时 成本 成为 成功 常务 应用 时间 全球 全面 "
    "平台 和平 国内 国际 云端 云计算 元宇宙 任职 任命 任期 江湖 海外 武器 车型 车企 关于 关注 "
    "景气 宁愿 康复 韦伯 于是 于此 阿里 阿里云 白马 黄金 钱包 乐视 华人 华为 华尔街 华南 华北 "
    "华东 华西 温和 易于 齐心 安防 申请 季度 路线 路演 项目 连续 简单 车辆 冷静 宗旨 和解 "
    "商业 商汤 海内 戴尔 孔雀 甘于 向来 原本 原来 原因 原先 曾经 曾任 于近日 管理 管理层 "
    "程序 程度 司法 包括 包含 方向 方式 明确 明确表示 毛利 毛利率 史上 时代 余额 解决 单位 "
    "单独 单一 解读 文件 文章 谢谢 尚未 任务 任何 雷达 高通 高管层 高盛 龙头 林业 钟表 "
    "陆续 田野 邓氏 苏宁 蒋某 凌晨 强调 强劲 强大 车主 车展 罗马 甘肃 于今 游戏 易车 管家 "
    "顾问 顾客 顾及 顾虑 顾全 江苏 浙江 上海 北京 深圳 杭州 广州 武汉 成都 南京 天津 "
    "重庆 合肥 西安 苏州 厦门 官宣 智慧 智驾 智能 智造 向来 于今年 于本月 于下月 于年底 "
    "高端 高速 高能 高光 金牌 文档 武汉 宣传 曾被 曾在 向外 向前".split()
)

# Time words: a surname-like character before one (于月底, 于年初) is a preposition.
TIME_WORDS = frozenset(
    "月底 月初 月中 年底 年初 年中 年末 日前 近日 今日 今年 本月 本周 下月 下周 上月 上周 "
    "明年 去年 近期 此前 早前 日内 周内 当天 当日 次日".split()
)

# News outlets: the source of a report (据36氪报道, 雷锋网消息), never the company or a person.
MEDIA = tuple(
    "36氪 36Kr 雷锋网 晚点LatePost LatePost 界面新闻 财新 财新网 新浪科技 "
    "腾讯科技 网易科技 澎湃新闻 每日经济新闻 第一财经 21世纪经济报道 钛媒体 虎嗅 "
    "虎嗅网 IT之家 量子位 机器之心 智东西 新智元 极客公园 爱范儿 品玩 PingWest "
    "36氪获悉 证券时报 上海证券报 中国证券报 经济观察报 证券日报 新京报 南方都市报 "
    "北京商报 华尔街日报 彭博社 彭博 路透社 路透 金融时报 "
    "连线Insight 光锥智能 字母榜 新眸 锌财经 蓝鲸财经 投中网 投资界 创业邦 亿欧 "
    "亿邦动力 猎云网 车东西 豹变 AI科技评论 DoNews 快科技 中关村在线 凤凰网科技 "
    "搜狐科技 红星新闻 财联社 央视新闻 人民日报 新华社 环球时报 观察者网 "
    "时代周报 华夏时报 中国经营报".split()
)

# Time expressions of a newsflash.
WHEN_PATTERN = (
    r"(?:\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:初|底|中旬|上半年|下半年)?"
    r"|\d{1,2}月\d{1,2}日|\d{1,2}月(?:初|底|中旬|份)?"
    r"|近日|日前|今日|今天|昨日|昨天|本周|上周|本月|上月|今年(?:初|年初|年中|年底)?"
    r"|去年(?:底|年底|年初|初)?|年初|年底|近期|不久前)"
)


# What a business unit or a field is called (人工智能平台, 世界模型, 动力总成, 智驾, AI Lab):
# a name before a title that ends in one of these is a part of the company the story is
# about, never the employer itself.
UNIT_WORDS = tuple(
    "平台 模型 大模型 总成 产品 产品线 业务 业务线 业务部 部门 中心 团队 研发 算法 架构 系统 "
    "引擎 事业群 事业部 项目 工作室 后训练 预训练 训练 智驾 自动驾驶 智能驾驶 人工智能 "
    "战略 运营 销售 市场 供应链 基础设施 座舱 底盘 动力 媒体 工程 人力资源 人力 公关 财务 法务 "
    "设计 研究 内容 商业化 广告 营销 品牌 政府事务 投资 视觉 语音".split()
)
LATIN_UNITS = frozenset({"ai", "lab", "ailab", "labs", "team", "it", "hr", "pr", "app", "rd"})
