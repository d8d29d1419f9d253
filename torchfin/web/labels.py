"""Display labels of the closed vocabularies (enums), translated lazily into the page's language.

Msgids are Chinese, the default locale; the English catalogue translates them. Keys are the
enum members, which hash and compare like their string values, so plain strings coming back from
Elasticsearch facets look up the same labels.
"""

from flask_babel import lazy_gettext as _l

from torchfin.models.enums import (
    AccessEvent,
    GrantState,
    InstitutionKind,
    Instrument,
    LegalForm,
    ProjectStatus,
    Qualification,
    ReadChannel,
    Role,
    Stage,
)

STAGES = {
    Stage.SEED: _l("种子期"),
    Stage.ANGEL: _l("天使轮"),
    Stage.A: _l("A轮"),
    Stage.B: _l("B轮"),
    Stage.C_PLUS: _l("C轮及以后"),
    Stage.PRE_IPO: _l("上市前（Pre-IPO）"),
}

INSTRUMENTS = {
    Instrument.EQUITY: _l("股权融资"),
    Instrument.BANK_LOAN: _l("银行贷款"),
    Instrument.GUARANTEED_LOAN: _l("担保贷款"),
    Instrument.IP_PLEDGE_LOAN: _l("知识产权质押贷款"),
    Instrument.CONVERTIBLE: _l("可转债"),
    Instrument.LEASING: _l("融资租赁"),
}

QUALIFICATIONS = {
    Qualification.HIGH_TECH: _l("高新技术企业"),
    Qualification.TECH_SME: _l("科技型中小企业"),
    Qualification.INCUBATOR: _l("孵化器在孵企业"),
    Qualification.ACCELERATOR: _l("加速器企业"),
    Qualification.RETURNEE: _l("留学人员创业企业"),
}

INSTITUTION_KINDS = {
    InstitutionKind.GUIDANCE_FUND: _l("创业投资引导基金"),
    InstitutionKind.VC: _l("创业投资机构"),
    InstitutionKind.ANGEL: _l("天使投资"),
    InstitutionKind.BANK: _l("银行"),
    InstitutionKind.GUARANTOR: _l("担保机构"),
    InstitutionKind.SECURITIES: _l("证券公司"),
    InstitutionKind.INSURER: _l("保险机构"),
}

LEGAL_FORMS = {
    LegalForm.LLC: _l("有限责任公司"),
    LegalForm.JSC: _l("股份有限公司"),
}

PROJECT_STATUSES = {
    ProjectStatus.DRAFT: _l("草稿"),
    ProjectStatus.PUBLISHED: _l("已发布"),
    ProjectStatus.IN_TALKS: _l("洽谈中"),
    ProjectStatus.FUNDED: _l("已完成融资"),
    ProjectStatus.CLOSED: _l("已关闭"),
    ProjectStatus.WITHDRAWN: _l("已撤回"),
}

ROLES = {
    Role.SME: _l("企业用户"),
    Role.INVESTOR: _l("投资机构"),
    Role.FUND_MANAGER: _l("引导基金管理人"),
    Role.BANK: _l("银行"),
    Role.GUARANTOR: _l("担保机构"),
    Role.ZONE_ADMIN: _l("高新区管理员"),
    Role.ADMIN: _l("平台管理员"),
}

GRANT_STATES = {
    GrantState.PENDING: _l("待审批"),
    GrantState.GRANTED: _l("已授权"),
    GrantState.DENIED: _l("已拒绝"),
    GrantState.REVOKED: _l("已撤销"),
}

ACCESS_EVENTS = {
    AccessEvent.REQUESTED: _l("申请查看"),
    AccessEvent.GRANTED: _l("授权"),
    AccessEvent.DENIED: _l("拒绝"),
    AccessEvent.REVOKED: _l("撤销授权"),
    AccessEvent.READ: _l("查看财务数据"),
}

READ_CHANNELS = {
    ReadChannel.PAGE: _l("网页"),
    ReadChannel.API: _l("API"),
    ReadChannel.EXPORT: _l("导出"),
}

# Names of the search filters and facets (the keys of SearchArgsSchema and of the facet dict).
SEARCH_FIELDS = {
    "q": _l("关键词"),
    "kind": _l("类别"),
    "zone": _l("高新区"),
    "province": _l("省份"),
    "industry": _l("行业"),
    "stage": _l("融资阶段"),
    "instrument": _l("融资方式"),
    "qualification": _l("企业资质"),
    "amount_min": _l("金额下限（元）"),
    "amount_max": _l("金额上限（元）"),
    "page": _l("页码"),
    "page_size": _l("每页条数"),
    "subindustry": _l("细分领域"),
    "founded_from": _l("成立年份起"),
    "founded_to": _l("成立年份止"),
    "rd_intensity_min": _l("研发强度不低于"),
    "patents_min": _l("发明专利不少于"),
    "sort": _l("排序"),
    "cursor": _l("翻页位置"),
    "literal": _l("按字面搜索的词"),
}

# What a term recognised in a search query names, by the filter it stands for.
UNDERSTOOD_FACETS = {
    "zone": _l("地区"),
    "province": _l("地区"),
    "stage": _l("轮次"),
    "instrument": _l("融资方式"),
}

# Orders of the search results (the keys of search.queries.SORTS).
SORT_LABELS = {
    "relevance": _l("相关度"),
    "newest": _l("最新发布"),
    "amount_desc": _l("金额从高到低"),
    "amount_asc": _l("金额从低到高"),
    "deadline": _l("截止日期最近"),
}

# How often a saved search alerts (AlertFrequency values).
ALERT_FREQUENCIES = {
    "instant": _l("实时"),
    "daily": _l("每日"),
    "weekly": _l("每周"),
}

# What happened to a followed enterprise (EnterpriseEventKind values).
EVENT_KINDS = {
    "project_published": _l("发布融资项目"),
    "stage_changed": _l("项目融资轮次变更"),
    "financing_recorded": _l("获得融资"),
    "listing": _l("上市挂牌"),
    "merger": _l("并购"),
    "readiness_changed": _l("上市准备评估结果变化"),
}

LABELS = {
    "stage": STAGES,
    "instrument": INSTRUMENTS,
    "qualification": QUALIFICATIONS,
    "institution_kind": INSTITUTION_KINDS,
    "legal_form": LEGAL_FORMS,
    "project_status": PROJECT_STATUSES,
    "role": ROLES,
    "grant_state": GRANT_STATES,
    "access_event": ACCESS_EVENTS,
    "read_channel": READ_CHANNELS,
    "search_field": SEARCH_FIELDS,
    "understood_facet": UNDERSTOOD_FACETS,
    "sort": SORT_LABELS,
    "alert_frequency": ALERT_FREQUENCIES,
    "event_kind": EVENT_KINDS,
}

# Provincial-level divisions as stored on zones (full official names) -> English names. Proper
# names are not UI text, so they live here rather than in the message catalogue.
PROVINCES_EN = {
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "河北省": "Hebei",
    "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning",
    "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang",
    "上海市": "Shanghai",
    "江苏省": "Jiangsu",
    "浙江省": "Zhejiang",
    "安徽省": "Anhui",
    "福建省": "Fujian",
    "江西省": "Jiangxi",
    "山东省": "Shandong",
    "河南省": "Henan",
    "湖北省": "Hubei",
    "湖南省": "Hunan",
    "广东省": "Guangdong",
    "广西壮族自治区": "Guangxi",
    "海南省": "Hainan",
    "重庆市": "Chongqing",
    "四川省": "Sichuan",
    "贵州省": "Guizhou",
    "云南省": "Yunnan",
    "西藏自治区": "Tibet",
    "陕西省": "Shaanxi",
    "甘肃省": "Gansu",
    "青海省": "Qinghai",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
}


def label(kind: str, value: object) -> str:
    """The translated label of `value` in vocabulary `kind`; unknown values show as they are."""
    if value is None:
        return ""
    text = LABELS[kind].get(value)
    return str(text) if text is not None else str(value)


def province_name(province: str | None, language: str) -> str:
    """A province in the page's language (English name when known, else as stored)."""
    if not province:
        return ""
    return PROVINCES_EN.get(province, province) if language == "en" else province
