"""The industry taxonomy: strategic emerging industries of the 12th five-year plan and others.

The seven strategic emerging industries (战略性新兴产业) and their sub-fields follow the State
Council decision of 2010 on fostering them and the industry plans of the 12th five-year period
(for example the plans for energy saving and environmental protection, biotechnology and new
materials). Modern services and the upgrading of traditional industries complete the tree, so
that every enterprise in a zone has a home. Keywords feed the jieba user dictionary of the
search layer and the demo generator's descriptions.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class IndustryRecord:
    """One industry or sub-field; a sub-field's code is its parent's code, a dot, and a slug."""

    code: str
    name_zh: str
    name_en: str
    is_strategic_emerging: bool
    keywords: tuple[str, ...]

    @property
    def parent_code(self) -> str | None:
        """The code of the parent industry, or None for a top-level industry."""
        return self.code.rpartition(".")[0] or None


@dataclass(frozen=True)
class IndustryGroup:
    """A top-level industry with its sub-fields."""

    industry: IndustryRecord
    subfields: tuple[IndustryRecord, ...]


def _group(
    code: str,
    name_zh: str,
    name_en: str,
    strategic: bool,
    keywords: tuple[str, ...],
    subfields: tuple[tuple[str, str, str, tuple[str, ...]], ...],
) -> IndustryGroup:
    # Sub-fields inherit the strategic flag of their parent and get the prefixed code.
    return IndustryGroup(
        IndustryRecord(code, name_zh, name_en, strategic, keywords),
        tuple(
            IndustryRecord(f"{code}.{slug}", sub_zh, sub_en, strategic, sub_keywords)
            for slug, sub_zh, sub_en, sub_keywords in subfields
        ),
    )


TAXONOMY: tuple[IndustryGroup, ...] = (
    _group(
        "eco",
        "节能环保",
        "Energy saving and environmental protection",
        True,
        ("节能减排", "环境保护", "绿色低碳"),
        (
            (
                "efficiency",
                "高效节能",
                "High-efficiency energy saving",
                ("高效电机", "余热回收", "变频节能", "半导体照明", "能效管理"),
            ),
            (
                "pollution",
                "先进环保",
                "Advanced environmental protection",
                ("污水处理", "烟气脱硫脱硝", "高效除尘", "土壤修复", "环境监测"),
            ),
            (
                "recycling",
                "资源循环利用",
                "Resource recycling",
                ("固废综合利用", "再制造", "废旧电子产品回收", "再生资源", "工业固废"),
            ),
            (
                "services",
                "节能环保服务",
                "Energy-saving and environmental services",
                ("合同能源管理", "第三方治理", "能源审计", "碳排放核算", "节能评估"),
            ),
        ),
    ),
    _group(
        "it",
        "新一代信息技术",
        "Next-generation information technology",
        True,
        ("信息技术", "数字化", "信息化"),
        (
            (
                "network",
                "下一代通信网络",
                "Next-generation communication networks",
                ("移动通信", "光纤通信", "5G基站", "光通信模块", "网络设备"),
            ),
            (
                "iot",
                "物联网",
                "Internet of Things",
                ("传感器", "射频识别", "物联网平台", "智能感知", "无线传感网络"),
            ),
            (
                "convergence",
                "三网融合",
                "Convergence of telecom, broadcast and internet networks",
                ("互联网电视", "交互式网络电视", "数字电视", "有线网络改造", "融合媒体"),
            ),
            (
                "display",
                "新型平板显示",
                "New flat-panel displays",
                ("有机发光显示", "液晶面板", "显示驱动", "触控模组", "微型发光二极管"),
            ),
            (
                "ic",
                "高性能集成电路",
                "High-performance integrated circuits",
                ("芯片设计", "模拟芯片", "射频芯片", "封装测试", "晶圆制造"),
            ),
            (
                "cloud",
                "云计算",
                "Cloud computing",
                ("云平台", "大数据", "数据中心", "分布式存储", "虚拟化"),
            ),
            (
                "software",
                "高端软件和信息技术服务",
                "High-end software and IT services",
                ("工业软件", "操作系统", "数据库", "信息安全", "人工智能"),
            ),
        ),
    ),
    _group(
        "bio",
        "生物",
        "Biotechnology",
        True,
        ("生物技术", "生命科学"),
        (
            (
                "pharma",
                "生物医药",
                "Biopharmaceuticals",
                ("抗体药物", "新型疫苗", "诊断试剂", "创新药", "现代中药", "基因治疗"),
            ),
            (
                "medical",
                "生物医学工程",
                "Biomedical engineering",
                ("医疗器械", "医学影像", "体外诊断", "植介入器械", "医用材料"),
            ),
            (
                "agri",
                "生物农业",
                "Bio-agriculture",
                ("生物育种", "生物农药", "生物肥料", "动物疫苗", "种业"),
            ),
            (
                "manufacturing",
                "生物制造",
                "Bio-manufacturing",
                ("酶制剂", "生物基材料", "发酵工程", "合成生物学", "生物催化"),
            ),
            (
                "services",
                "生物服务",
                "Bio-services",
                ("药物研发外包", "临床前研究", "生物检测", "基因测序"),
            ),
        ),
    ),
    _group(
        "equip",
        "高端装备制造",
        "High-end equipment manufacturing",
        True,
        ("装备制造", "精密制造"),
        (
            (
                "aviation",
                "航空装备",
                "Aviation equipment",
                ("通用航空", "无人机", "航空发动机零部件", "机载设备", "航空复合材料构件"),
            ),
            (
                "satellite",
                "卫星及应用",
                "Satellites and applications",
                ("卫星导航", "北斗", "遥感", "卫星通信", "导航终端"),
            ),
            (
                "rail",
                "轨道交通装备",
                "Rail transit equipment",
                ("城轨车辆", "牵引系统", "列车控制", "轨道交通信号", "动车组零部件"),
            ),
            (
                "marine",
                "海洋工程装备",
                "Marine engineering equipment",
                ("海洋钻井平台", "水下机器人", "海工装备", "深海探测", "船舶配套"),
            ),
            (
                "intelligent",
                "智能制造装备",
                "Intelligent manufacturing equipment",
                ("工业机器人", "数控机床", "智能检测", "增材制造", "自动化生产线", "激光加工"),
            ),
        ),
    ),
    _group(
        "energy",
        "新能源",
        "New energy",
        True,
        ("清洁能源", "可再生能源"),
        (
            (
                "nuclear",
                "核电",
                "Nuclear power",
                ("核电装备", "核级阀门", "核燃料", "核电仪控", "核技术应用"),
            ),
            (
                "wind",
                "风电",
                "Wind power",
                ("风电机组", "风机叶片", "海上风电", "风电变流器", "风电运维"),
            ),
            (
                "solar",
                "太阳能光伏",
                "Solar photovoltaics",
                ("光伏组件", "多晶硅", "太阳能电池", "光伏逆变器", "光伏电站"),
            ),
            (
                "solar_thermal",
                "太阳能热利用",
                "Solar thermal utilisation",
                ("光热发电", "太阳能集热器", "太阳能热水", "槽式集热"),
            ),
            (
                "biomass",
                "生物质能",
                "Biomass energy",
                ("生物质发电", "生物燃料", "沼气", "生物质成型燃料"),
            ),
            (
                "grid",
                "智能电网",
                "Smart grid",
                ("储能", "智能电表", "配电自动化", "特高压", "微电网"),
            ),
        ),
    ),
    _group(
        "material",
        "新材料",
        "New materials",
        True,
        ("新材料", "先进材料"),
        (
            (
                "special_metal",
                "特种金属功能材料",
                "Special metal functional materials",
                ("稀土永磁", "稀土发光材料", "硬质合金", "储氢合金", "电子级金属"),
            ),
            (
                "structural_metal",
                "高端金属结构材料",
                "High-end metal structural materials",
                ("高品质特殊钢", "高强铝合金", "钛合金", "镁合金"),
            ),
            (
                "polymer",
                "先进高分子材料",
                "Advanced polymer materials",
                ("工程塑料", "特种橡胶", "高性能膜材料", "有机硅", "含氟材料"),
            ),
            (
                "inorganic",
                "新型无机非金属材料",
                "New inorganic non-metallic materials",
                ("特种玻璃", "先进陶瓷", "人工晶体", "半导体照明材料"),
            ),
            (
                "composite",
                "高性能复合材料",
                "High-performance composites",
                ("碳纤维", "芳纶", "玻璃纤维复合材料", "树脂基复合材料"),
            ),
            (
                "frontier",
                "前沿新材料",
                "Frontier materials",
                ("石墨烯", "纳米材料", "超导材料", "智能材料", "3D打印材料"),
            ),
        ),
    ),
    _group(
        "nev",
        "新能源汽车",
        "New energy vehicles",
        True,
        ("新能源汽车", "电动化"),
        (
            (
                "phev",
                "插电式混合动力汽车",
                "Plug-in hybrid vehicles",
                ("插电混动", "混合动力系统", "增程式", "机电耦合"),
            ),
            (
                "bev",
                "纯电动汽车",
                "Battery electric vehicles",
                ("纯电动", "电动客车", "电动物流车", "整车集成"),
            ),
            (
                "fcv",
                "燃料电池汽车",
                "Fuel-cell vehicles",
                ("燃料电池", "氢能", "电堆", "储氢系统", "膜电极"),
            ),
            (
                "battery",
                "动力电池",
                "Traction batteries",
                ("锂离子电池", "正极材料", "电池管理系统", "固态电池", "电池回收"),
            ),
            (
                "motor",
                "驱动电机及电控",
                "Drive motors and controls",
                ("驱动电机", "电机控制器", "电驱动总成", "功率模块"),
            ),
            (
                "charging",
                "充电设施",
                "Charging infrastructure",
                ("充电桩", "换电站", "充电运营", "车网互动"),
            ),
        ),
    ),
    _group(
        "service",
        "现代服务业",
        "Modern services",
        False,
        ("现代服务业", "生产性服务"),
        (
            (
                "rnd",
                "研发设计服务",
                "R&D and design services",
                ("工业设计", "研发外包", "技术咨询", "产品设计"),
            ),
            (
                "testing",
                "检验检测认证",
                "Testing, inspection and certification",
                ("检验检测", "计量校准", "认证服务", "质量检测"),
            ),
            (
                "tech_transfer",
                "科技成果转化服务",
                "Technology transfer services",
                ("技术转移", "知识产权运营", "成果转化", "技术交易"),
            ),
            (
                "incubation",
                "创业孵化服务",
                "Business incubation",
                ("众创空间", "孵化器", "创业辅导", "加速器"),
            ),
            (
                "ecommerce",
                "电子商务",
                "E-commerce",
                ("跨境电商", "电商平台", "供应链服务", "数字营销"),
            ),
            (
                "creative",
                "文化创意",
                "Cultural and creative industries",
                ("数字内容", "动漫游戏", "数字出版", "创意设计"),
            ),
        ),
    ),
    _group(
        "upgrade",
        "传统产业升级",
        "Upgrading of traditional industries",
        False,
        ("转型升级", "技术改造", "智能化改造"),
        (
            (
                "machinery",
                "机械制造升级",
                "Machinery upgrading",
                ("数字化车间", "精密铸造", "液压元件", "智能化产线"),
            ),
            (
                "chemical",
                "精细化工",
                "Fine chemicals",
                ("精细化学品", "电子化学品", "催化剂", "绿色化工"),
            ),
            (
                "textile",
                "纺织服装",
                "Textiles and apparel",
                ("功能性纺织品", "产业用纺织品", "智能纺织", "数字化印染"),
            ),
            (
                "food",
                "食品加工",
                "Food processing",
                ("功能食品", "冷链物流", "食品安全检测", "农产品深加工"),
            ),
            (
                "building",
                "绿色建材",
                "Green building materials",
                ("装配式建筑", "新型墙体材料", "节能门窗", "绿色建材"),
            ),
        ),
    ),
)

# Parents come before their sub-fields, so rows can be inserted in this order.
INDUSTRIES: tuple[IndustryRecord, ...] = tuple(
    record for group in TAXONOMY for record in (group.industry, *group.subfields)
)

INDUSTRIES_BY_CODE: dict[str, IndustryRecord] = {record.code: record for record in INDUSTRIES}


def taxonomy_terms() -> list[str]:
    """Every Chinese industry name and keyword, deduplicated, in taxonomy order.

    The search layer loads these as a jieba user dictionary so that terms such as 高性能集成电路
    stay one token.
    """
    terms: dict[str, None] = {}  # a dict keeps first-seen order, unlike a set
    for record in INDUSTRIES:
        for term in (record.name_zh, *record.keywords):
            terms.setdefault(term)
    return list(terms)
