"""Chinese word pools and text builders for believable, invented demo names and descriptions.

Every name is assembled from the pools below (city + invented trade name + industry word +
suffix), so no generated enterprise or institution stands for a real private firm.
"""

import random
from collections.abc import Sequence

from torchfin.reference_data.industries import IndustryRecord

# Characters of invented trade names (字号); two of them make one trade name.
TRADE_HEADS = tuple(
    "华瑞创科达恒智联源泰新博远信航天鼎益康星海晨睿卓宏云光汇明聚安德众嘉晟昊峰赛微启思诺迈英捷"
)
TRADE_TAILS = tuple(
    "芯辰元朗拓越驰领锐衡泽恩威通宇盛维澜帆腾弘森翔凯擎策睿普科图达晶铭融润逸智为清途"
)

# Words an enterprise of a sub-field puts between its trade name and its legal suffix.
NAME_WORDS: dict[str, tuple[str, ...]] = {
    "eco": ("环保", "节能"),
    "eco.efficiency": ("节能", "能效", "电机"),
    "eco.pollution": ("环保", "环境", "水务"),
    "eco.recycling": ("再生资源", "循环科技", "环保"),
    "eco.services": ("节能服务", "能源管理", "环境"),
    "it": ("信息技术", "电子"),
    "it.network": ("通信", "光通信", "网络"),
    "it.iot": ("物联", "传感", "智能"),
    "it.convergence": ("数字传媒", "视讯", "网络"),
    "it.display": ("光电", "显示"),
    "it.ic": ("微电子", "半导体", "集成电路"),
    "it.cloud": ("云计算", "数据", "信息"),
    "it.software": ("软件", "信息技术", "智能"),
    "bio": ("生物", "生物技术"),
    "bio.pharma": ("生物医药", "制药", "生物"),
    "bio.medical": ("医疗器械", "医疗", "生物医学"),
    "bio.agri": ("农业", "种业", "生物"),
    "bio.manufacturing": ("生物工程", "生物"),
    "bio.services": ("医药", "生物技术", "基因"),
    "equip": ("装备", "精密机械"),
    "equip.aviation": ("航空", "航空科技"),
    "equip.satellite": ("卫星", "导航", "北斗"),
    "equip.rail": ("轨道交通", "交通装备"),
    "equip.marine": ("海洋装备", "海工", "船舶"),
    "equip.intelligent": ("智能装备", "机器人", "自动化", "激光"),
    "energy": ("新能源", "能源"),
    "energy.nuclear": ("核电", "核技术"),
    "energy.wind": ("风电", "风能"),
    "energy.solar": ("光伏", "太阳能", "新能源"),
    "energy.solar_thermal": ("太阳能", "光热"),
    "energy.biomass": ("生物质能", "能源"),
    "energy.grid": ("电力", "储能", "电气"),
    "material": ("新材料", "材料"),
    "material.special_metal": ("稀土", "磁材", "金属材料"),
    "material.structural_metal": ("合金", "金属", "新材料"),
    "material.polymer": ("高分子", "化学材料", "新材料"),
    "material.inorganic": ("陶瓷", "晶体", "新材料"),
    "material.composite": ("复合材料", "碳纤维"),
    "material.frontier": ("纳米", "石墨烯", "新材料"),
    "nev": ("新能源汽车", "汽车"),
    "nev.phev": ("汽车", "动力"),
    "nev.bev": ("电动汽车", "新能源汽车"),
    "nev.fcv": ("氢能", "燃料电池"),
    "nev.battery": ("电池", "锂电", "新能源"),
    "nev.motor": ("电驱", "电机", "电控"),
    "nev.charging": ("充电", "能源"),
    "service": ("科技服务", "信息咨询"),
    "service.rnd": ("工业设计", "技术服务"),
    "service.testing": ("检测", "检验认证", "计量"),
    "service.tech_transfer": ("技术转移", "知识产权"),
    "service.incubation": ("孵化器", "创业服务"),
    "service.ecommerce": ("电子商务", "供应链", "网络"),
    "service.creative": ("文化传媒", "数字娱乐", "创意"),
    "upgrade": ("实业", "机械"),
    "upgrade.machinery": ("机械", "精密制造", "液压"),
    "upgrade.chemical": ("化工", "精细化工"),
    "upgrade.textile": ("纺织", "新纤维"),
    "upgrade.food": ("食品", "农产品"),
    "upgrade.building": ("建材", "建筑科技"),
}

# Where products end up; used in descriptions and project summaries.
APPLICATIONS: dict[str, tuple[str, ...]] = {
    "eco": ("钢铁", "化工", "市政", "工业园区", "公共建筑"),
    "it": ("运营商", "金融", "政务", "智能制造", "智慧城市"),
    "bio": ("医院", "疾控", "养殖", "种植", "药企"),
    "equip": ("航空制造", "轨道交通", "汽车制造", "海洋工程", "电子装配"),
    "energy": ("电网", "发电集团", "工商业园区", "农村能源"),
    "material": ("电子信息", "航空航天", "汽车", "新能源", "建筑"),
    "nev": ("公交", "物流", "出租车", "乘用车", "储能"),
    "service": ("制造企业", "科研院所", "中小企业", "园区"),
    "upgrade": ("纺织", "食品", "机械", "建筑", "化工"),
}

LLC_SUFFIXES = ("科技有限公司", "技术有限公司", "有限公司", "科技发展有限公司")
JSC_SUFFIXES = ("股份有限公司", "科技股份有限公司", "技术股份有限公司")
# What a suffix may say before the legal form. An industry word that says it already keeps the
# legal form alone: 建筑科技有限公司, not 建筑科技科技有限公司 or 建筑科技技术有限公司.
TECHNOLOGY_WORDS = ("科技", "技术")


def short_place(name: str) -> str:
    """A province or city name as it appears in company names: 湖北省 -> 湖北, 武汉市 -> 武汉."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def trade_name(rng: random.Random, avoid: str = "") -> str:
    """An invented two-character trade name (字号) such as 瑞芯, using no character of `avoid`.

    Given the place and industry word written around it, nothing in the name doubles up:
    上海 + 海晨 or 瑞智 + 智能 reads as a stutter, 威海 + 创威 + 海工 names 威海 twice.
    """
    head = rng.choice(TRADE_HEADS)
    while head in avoid:
        head = rng.choice(TRADE_HEADS)
    tail = rng.choice(TRADE_TAILS)
    while tail == head or tail in avoid:
        tail = rng.choice(TRADE_TAILS)
    return head + tail


def legal_suffix(word: str, suffix: str) -> str:
    """`suffix` after the industry `word`: without its 科技 or 技术 when the word says either."""
    if any(technology in word for technology in TECHNOLOGY_WORDS):
        for technology in TECHNOLOGY_WORDS:
            suffix = suffix.removeprefix(technology)
    return suffix


def enterprise_name(
    rng: random.Random, city: str, industry_code: str, joint_stock: bool
) -> tuple[str, str]:
    """An enterprise name and its short form (trade name + industry word, e.g. 瑞芯微电子).

    The name is city, trade name, industry word and a suffix matching the legal form:
    股份有限公司 for a joint-stock company, 有限公司 variants for a limited company.
    """
    suffix = rng.choice(JSC_SUFFIXES if joint_stock else LLC_SUFFIXES)
    word = rng.choice(NAME_WORDS[industry_code])
    place = short_place(city)
    label = trade_name(rng, avoid=place + word) + word
    return f"{place}{label}{legal_suffix(word, suffix)}", label


def _pick(rng: random.Random, words: Sequence[str], count: int) -> list[str]:
    return rng.sample(list(words), min(count, len(words)))


def enterprise_description(
    rng: random.Random,
    *,
    name: str,
    founded_year: int,
    zone_name: str,
    field: IndustryRecord,
    parent: IndustryRecord,
    patents_granted: int,
    patents_pending: int,
    high_tech: bool,
    returnee: bool,
) -> str:
    """Two to four sentences describing an enterprise in terms of its industry keywords."""
    keywords = _pick(rng, field.keywords, 3)
    kind = "国家高新技术企业" if high_tech else rng.choice(("科技型企业", "创新型企业"))
    sentences = [
        f"{name}成立于{founded_year}年，位于{zone_name}，是一家专注于{field.name_zh}领域的{kind}。",
        rng.choice(
            (
                f"公司主要从事{keywords[0]}、{keywords[1]}等产品的研发、生产和销售",
                f"公司围绕{keywords[0]}和{keywords[1]}为客户提供整体解决方案",
                f"公司核心业务涵盖{'、'.join(keywords)}",
            )
        )
        + "。",
    ]
    extras = []
    if patents_granted:
        extras.append(
            f"公司已获授权发明专利{patents_granted}项"
            + (f"，另有{patents_pending}项发明专利在审" if patents_pending else "")
            + "。"
        )
    applications = _pick(rng, APPLICATIONS[parent.code], 2)
    extras.append(f"产品已应用于{applications[0]}、{applications[1]}等行业，客户遍布全国多个省份。")
    extras.append(f"公司与高校院所共建联合实验室，持续推进{rng.choice(field.keywords)}技术迭代。")
    if returnee:
        extras.append("创始团队由海外留学归国人员组成，在相关领域具有多年研发经验。")
    sentences.extend(_pick(rng, extras, rng.randint(0, 2)))
    return "".join(sentences)


def format_yuan(amount: int) -> str:
    """An amount in yuan the way a Chinese summary writes it: 3500万元, 1.2亿元."""
    if amount >= 100_000_000:
        return f"{amount / 100_000_000:.4g}亿元"
    return f"{amount / 10_000:.4g}万元"


def project_title(
    rng: random.Random, field: IndustryRecord, instrument: str, stage: str, label: str
) -> str:
    """A financing project title; `label` is the enterprise's trade name plus industry word."""
    keyword = rng.choice(field.keywords)
    if instrument in ("equity", "convertible"):
        templates = (
            f"{keyword}研发及产业化项目",
            f"{label}{STAGE_ZH[stage]}融资",
            f"{keyword}关键技术研发与应用示范",
            f"{field.name_zh}研发中心建设项目",
            f"{keyword}产能扩建项目",
        )
    elif instrument == "leasing":
        templates = (f"{label}生产设备融资租赁", f"{keyword}产线设备融资租赁项目")
    else:
        templates = (
            f"{keyword}订单生产流动资金需求",
            f"{label}扩产设备购置贷款",
            f"{label}{INSTRUMENT_ZH[instrument]}需求",
        )
    return rng.choice(templates)


def project_summary(
    rng: random.Random,
    *,
    enterprise_name: str,
    field: IndustryRecord,
    parent: IndustryRecord,
    amount: int,
    instrument: str,
    expertise: IndustryRecord | None = None,
) -> str:
    """Two or three sentences on what the money is for, using the industry's keywords.

    `expertise`, the enterprise's own field when the project lies outside it, is what the
    project builds on.
    """
    keywords = _pick(rng, field.keywords, 2)
    basis = expertise.keywords[0] if expertise else keywords[-1]
    application = rng.choice(APPLICATIONS[parent.code])
    # Equity pays for development; loans and leases pay for orders and equipment.
    purpose = {
        "equity": f"{keywords[0]}相关产品的研发与产业化",
        "convertible": f"{keywords[0]}相关产品的研发与产业化",
        "leasing": f"购置{keywords[0]}生产及检测设备",
    }.get(instrument, f"{keywords[0]}产品订单的原材料采购和生产交付")
    sentences = [
        f"{enterprise_name}拟通过{INSTRUMENT_ZH[instrument]}方式融资{format_yuan(amount)}，"
        f"用于{purpose}。",
        f"项目依托公司在{basis}方面的技术积累，面向{application}等行业客户，市场需求明确。",
    ]
    if rng.random() < 0.6:
        sentences.append(
            rng.choice(
                (
                    "项目达产后将显著提升公司营业收入，并带动就业、完善区域产业配套。",
                    "公司已与多家下游客户签订意向订单，项目风险可控。",
                    "项目已完成中试验证，具备规模化生产条件。",
                )
            )
        )
    return "".join(sentences)


_EQUITY_USES = ("研发投入", "产能建设", "市场拓展", "人才引进", "补充流动资金")
_LOAN_USES = ("采购原材料", "支付供应商货款", "购置生产设备", "补充日常经营流动资金")


def use_of_funds(rng: random.Random, instrument: str) -> str:
    """How the money will be spent, as shares in steps of 5 % that add up to 100 %."""
    if instrument == "leasing":
        return "全部用于购置生产及检测设备，以融资租赁方式分期支付租金。"
    pool = _EQUITY_USES if instrument in ("equity", "convertible") else _LOAN_USES
    uses = _pick(rng, pool, rng.randint(2, 4))
    # Twenty steps of 5 %: every use gets at least two (10 %), the rest are dealt out at random.
    steps = [2] * len(uses)
    for _ in range(20 - 2 * len(uses)):
        steps[rng.randrange(len(uses))] += 1
    return "；".join(f"{use}{step * 5}%" for use, step in zip(uses, steps, strict=True)) + "。"


INSTRUMENT_ZH: dict[str, str] = {
    "equity": "股权",
    "bank_loan": "银行贷款",
    "guaranteed_loan": "担保贷款",
    "ip_pledge_loan": "知识产权质押贷款",
    "convertible": "可转债",
    "leasing": "融资租赁",
}
STAGE_ZH: dict[str, str] = {
    "seed": "种子期",
    "angel": "天使轮",
    "a": "A轮",
    "b": "B轮",
    "c_plus": "C轮及以后",
    "pre_ipo": "Pre-IPO",
}

_GUIDANCE_TAILS = (
    "高新技术产业投资引导基金",
    "创业投资引导基金",
    "科技成果转化引导基金",
    "天使投资引导基金",
    "战略性新兴产业引导基金",
)


def institution_name(rng: random.Random, kind: str, province: str, city: str) -> str:
    """An invented institution name of the given InstitutionKind value, placed in a city."""
    place = short_place(city)
    trade = trade_name(rng)
    if kind == "guidance_fund":
        owner = short_place(province) if rng.random() < 0.5 else place + "市"
        return owner + rng.choice(_GUIDANCE_TAILS)
    templates = {
        "vc": (
            f"{trade}创业投资有限公司",
            f"{trade}资本管理有限公司",
            f"{place}{trade}股权投资基金合伙企业（有限合伙）",
            f"{trade}创新投资集团有限公司",
        ),
        "angel": (
            f"{trade}天使投资有限公司",
            f"{place}{trade}天使创业投资合伙企业（有限合伙）",
            f"{trade}种子创业投资有限公司",
        ),
        "bank": (
            f"{trade}银行{place}科技支行",
            f"{place}{trade}农村商业银行科技支行",
            f"{trade}银行{place}分行科技金融中心",
        ),
        "guarantor": (
            f"{place}{trade}融资担保有限公司",
            f"{place}科技融资担保有限公司",
            f"{short_place(province)}{trade}中小企业融资担保有限公司",
        ),
        "securities": (f"{trade}证券股份有限公司", f"{trade}证券有限责任公司"),
        "insurer": (f"{trade}保险资产管理有限公司", f"{trade}财产保险股份有限公司"),
    }
    return rng.choice(templates[kind])


INSTITUTION_BLURBS: dict[str, str] = {
    "guidance_fund": (
        "政府出资设立的政策性引导基金，通过参股子基金和跟进投资引导社会资本投向{province}科技型中小企业。"
    ),
    "vc": "专业创业投资机构，重点投资{city}及周边地区具有核心技术的成长期科技企业。",
    "angel": "天使投资机构，关注早期科技项目，为初创团队提供资金和创业辅导。",
    "bank": "面向科技型中小企业的专营机构，提供信用贷款、知识产权质押贷款和投贷联动服务。",
    "guarantor": "融资性担保机构，为{city}科技型中小企业向银行借款提供信用担保。",
    "securities": "证券公司，提供新三板挂牌推荐、首次公开发行保荐和直接投资服务。",
    "insurer": "保险机构，以保险资金开展股权投资，并提供科技保险产品。",
}

MANDATE_NAMES: dict[str, tuple[str, ...]] = {
    "guidance_fund": ("跟进投资计划", "科技成果转化专项", "天使跟投计划", "战略性新兴产业直投"),
    "vc": ("早期科技基金", "硬科技成长基金", "产业升级基金", "科技创新基金"),
    "angel": ("天使基金", "种子轮跟投计划", "创业者扶持基金"),
    "bank": ("科技型中小企业信用贷", "知识产权质押贷", "高企贷", "人才贷", "投贷联动"),
    "guarantor": ("科技担保贷", "知识产权质押担保", "首贷担保", "批量担保业务"),
    "securities": ("新三板挂牌直投", "Pre-IPO直投", "科创板跟投"),
    "insurer": ("保险资金股权投资计划", "科技保险+股权投资"),
}
