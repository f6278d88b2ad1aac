"""Word lists the small English model needs help with.

en_core_web_sm mislabels many technology companies (OpenAI, Moonshot AI and Pinduoduo
come out as PERSON, Kuaishou as GPE, Alibaba as NORP), so a list of well-known tech and
China-tech organisations is fed to an entity ruler that runs before the statistical
NER. Names not on the list are caught by the suffix rule in ``extract.nlp`` instead.
"""

from __future__ import annotations

TECH_ORGS: tuple[str, ...] = (
    # China tech
    "Alibaba", "Alibaba Group", "Alibaba Group Holding", "Alibaba Cloud", "Ant Group",
    "Ant Financial", "Taobao", "Tmall", "Tencent", "Tencent Holdings", "Tencent Cloud",
    "WeChat", "Baidu", "ByteDance", "TikTok", "Douyin", "Kuaishou", "Kuaishou Technology",
    "Pinduoduo", "PDD", "PDD Holdings", "Temu", "Meituan", "JD.com", "JD", "Xiaomi",
    "Huawei", "Huawei Technologies", "Honor", "Lenovo", "ZTE", "Oppo", "Vivo", "OnePlus",
    "iFlytek", "SenseTime", "Megvii", "Yitu", "CloudWalk", "Horizon Robotics", "Cambricon",
    "Didi", "Didi Chuxing", "DiDi", "NetEase", "Weibo", "Sina", "Sohu", "Bilibili", "iQiyi",
    "Ctrip", "Trip.com", "Zhihu", "Xiaohongshu", "Shein", "Nio", "NIO", "XPeng", "Li Auto",
    "BYD", "CATL", "DJI", "SMIC", "Hikvision", "Dahua", "Inspur", "Zhipu AI", "Zhipu",
    "Moonshot AI", "MiniMax", "Baichuan", "Baichuan AI", "01.AI", "DeepSeek", "StepFun",
    "Unitree", "Kingsoft", "Yuanfudao", "Zuoyebang", "Youdao", "Mobvoi", "Momenta",
    "WeRide", "Pony.ai", "Geely", "China Mobile", "China Telecom", "China Unicom",
    "Xpeng", "Leapmotor", "Zeekr", "Great Wall Motor", "SAIC", "GAC", "Changan", "Chery",
    "Meizu", "Realme", "Transsion", "Sogou", "Shanda", "Cloudary", "Tsinghua Unigroup",
    "Unigroup", "Nanya", "Nanya Technology", "MediaTek", "Foxconn", "UMC", "Tongyi",
    "ModelBest", "Lalamove", "Full Truck Alliance", "Vipshop", "Tuya", "Qihoo 360",
    "Ximalaya", "Dewu", "Anker", "Ecovacs", "Roborock", "Pop Mart", "Luckin Coffee",
    "Douban", "Baidu Cloud",
    # US / global tech
    "OpenAI", "Anthropic", "Google", "Alphabet", "DeepMind", "Google DeepMind",
    "Microsoft", "Apple", "Amazon", "Amazon Web Services", "AWS", "Meta", "Meta Platforms",
    "Facebook", "Instagram", "WhatsApp", "Nvidia", "NVIDIA", "Intel", "AMD", "IBM",
    "Oracle", "Salesforce", "Adobe", "Cisco", "Qualcomm", "Broadcom", "Arm", "TSMC",
    "Samsung", "Samsung Electronics", "Sony", "LG", "Tesla", "SpaceX", "xAI", "Twitter",
    "Netflix", "Uber", "Lyft", "Airbnb", "Snap", "Pinterest", "LinkedIn", "Reddit",
    "Stripe", "Coinbase", "Binance", "PayPal", "eBay", "Yahoo", "Dropbox", "Spotify",
    "Shopify", "Zoom", "Slack", "Atlassian", "GitHub", "Palantir", "Databricks",
    "Snowflake", "Mistral AI", "Cohere", "Hugging Face", "Stability AI", "Inflection AI",
    "Character.AI", "Scale AI", "Perplexity", "Midjourney", "Runway", "Twitch", "YouTube",
    "Waymo", "Cruise", "Rivian", "Lucid", "SAP", "Siemens", "Infosys", "Wipro",
    "Rakuten", "SoftBank", "Grab", "Sea", "Shopee", "Gojek", "Tokopedia", "Flipkart",
    "Paytm", "Naver", "Kakao", "Line", "HP", "Hewlett Packard Enterprise", "Dell", "VMware",
    "ServiceNow", "Workday", "Intuit", "Activision Blizzard", "Electronic Arts",
    "Epic Games", "Nintendo", "Ericsson", "Nokia", "Micron", "Western Digital",
    "ASML", "Applied Materials", "Synopsys", "Cadence", "SK Hynix", "Mobileye",
    "Lucid Motors", "Blue Origin", "Roblox", "Ubisoft", "Blizzard", "Riot Games",
    "Niantic", "Canva", "Figma", "Instacart", "DoorDash", "Robinhood", "Revolut", "Klarna",
    "Yandex", "Baidu Apollo",
)

# Trailing words that make a capitalised name an organisation ("Zhipu AI").
ORG_SUFFIXES: frozenset[str] = frozenset({
    "AI", "Labs", "Lab", "Inc", "Inc.", "Corp", "Corp.", "Corporation", "Ltd", "Ltd.",
    "LLC", "PLC", "Plc", "Co", "Co.", "Technologies", "Technology", "Holdings", "Holding",
    "Group", "Robotics", "Semiconductor", "Semiconductors", "Software", "Systems",
    "Networks", "Capital", "Ventures", "Partners", "Bank", "Bancorp", "Bancorporation",
    "Energy", "Airways", "Airlines", "Motors", "Electronics", "Games", "Studios",
    "Pharmaceuticals", "Therapeutics", "Foundation", "Institute", "University",
    "Management", "Securities", "Financial", "Insurance", "Industries", "Petroleum",
    "Computing", "Microsystems", "Media", "Entertainment", "Telecom", "Communications",
    "Cloud", "Search", "Devices", "Chips", "Microelectronics", "Biotech", "Automotive",
    "Mobility", "Interactive", "Logistics",
    # Common in the names of Chinese and start-up companies the model does not know
    # ("Wenxin Tech", "Qingteng Data", "Kredo Pay", "Yuntu Intelligence").
    "Tech", "Data", "Intelligence", "Pay", "Payments", "Photonics", "Analytics", "Pharma",
    "Auto", "Foods", "Dairy", "Motor", "Digital", "Dynamics", "Aerospace", "Freight",
    # Sector words of company names in wire copy ("Castellan Mining", "Orchid Biologics").
    "Biologics", "Biosciences", "Sciences", "Genomics", "Diagnostics", "Mining", "Minerals",
    "Resources", "Builders", "Construction", "Brewing", "Space", "Rail", "Railways",
    "Shipping", "Steel", "Chemicals", "Textiles", "Instruments", "Materials", "Power",
    "Solar", "Healthcare", "Medical", "Apparel", "Retail", "Brands", "Beverages", "Hotels",
    "Realty", "Properties", "Investments", "Engineering", "Aviation", "Telecommunications",
    "Drones", "Education", "Gaming", "Biotechnology", "Utilities", "Bancshares",
})
# Endings of coined company words ("Bioworks", "Medtronics", "Datasoft").
ORG_SUFFIX_ENDINGS: tuple[str, ...] = ("works", "tronics", "soft")

# Tokens the model tags as entities though they name nothing: "AI" alone is a GPE to it.
NOT_ENTITIES: frozenset[str] = frozenset({
    "ai", "llm", "llms", "gpt", "agi", "ceo", "cto", "cfo", "coo", "vp", "ev", "evs",
    "ar", "vr", "ml", "genai", "chatgpt", "gpu", "gpus", "it", "r&d", "ipo",
    "artificial intelligence", "big data", "big tech", "fintech", "edtech", "auto",
})

# Heads of leading roles: the policy counts executive, leadership and key technical roles.
ROLE_WORDS: frozenset[str] = frozenset({
    "ceo", "cto", "cfo", "coo", "cio", "cmo", "cso", "cpo", "vp", "svp", "evp", "president",
    "vice-president", "chairman", "chairwoman", "chair", "chairperson", "chief", "officer",
    "executive", "director", "head", "founder", "co-founder", "cofounder", "leader", "lead",
    "manager", "partner", "scientist", "architect", "boss", "principal", "treasurer",
    "secretary", "controller", "counsel", "md", "gm", "general", "dean", "researcher",
    "expert", "engineer", "designer", "strategist", "veteran", "exec",
    "chief executive", "heads", "presidents", "executives", "officers", "directors",
})

# Occupations that hold no leading role in an organisation: "Novelist X quit Weibo". The
# model often takes a capitalised one into the PERSON span, so the clean-up trims it.
PROFESSIONS: frozenset[str] = frozenset({
    "novelist", "author", "actor", "actress", "singer", "influencer", "blogger", "player",
    "midfielder", "striker", "athlete", "celebrity", "comedian", "rapper", "analyst",
    "journalist", "columnist", "reporter", "writer", "programmer", "developer",
})

# Government and political posts are not company roles.
GOVERNMENT_WORDS: frozenset[str] = frozenset({
    "minister", "senator", "governor", "congressman", "congresswoman", "ambassador",
    "mayor", "lawmaker", "legislator", "parliament", "prime", "premier", "chancellor",
    "attorney", "commissioner", "deputy", "undersecretary", "pentagon", "treasury",
    "defense", "defence", "state", "cabinet", "white", "kremlin", "ministry", "government",
    "spokesman", "spokeswoman", "spokesperson", "judge", "justice", "general",
})

# Nouns that refer back to an organisation named before ("the Beijing-based firm").
COMPANY_NOUNS: frozenset[str] = frozenset({
    "company", "firm", "group", "giant", "maker", "conglomerate", "business", "startup",
    "start-up", "corporation", "corp", "platform", "operator", "developer", "provider",
    "owner", "unit", "subsidiary", "division", "arm", "team", "lab", "laboratory",
    "outfit", "retailer", "bank", "lender", "insurer", "carrier", "agency", "organisation",
    "organization", "employer", "brand", "giants", "player", "titan", "behemoth",
    "heavyweight", "powerhouse", "manufacturer", "producer", "supplier", "vendor",
    "department", "studio", "house", "concern", "venture", "fund",
})

PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her", "his", "hers", "they"})

# News agencies, papers and platforms that carry the news: never the organisation a
# person left unless the text says so outright ("left Reuters").
OUTLETS: frozenset[str] = frozenset({
    "reuters", "bloomberg", "afp", "ap", "associated press", "xinhua", "cnbc", "cnn", "bbc",
    "financial times", "the financial times", "ft", "wall street journal",
    "the wall street journal", "wsj", "new york times", "the new york times", "techcrunch",
    "the verge", "re/code", "recode", "the information", "36kr", "technode", "pandaily",
    "latepost", "caixin", "yicai", "sina tech", "south china morning post", "scmp",
    "nikkei", "weibo", "wechat", "linkedin", "daily economic news", "jiemian", "ians", "pti",
    "ani", "yonhap", "kyodo", "dpa", "bernama", "leiphone",
    # stock exchanges, as in "(NASDAQ: LI, HKG: 2015)"
    "nasdaq", "nyse", "hkg", "hkex", "sse", "szse", "tse", "lse", "otc",
})
