"""The import template's columns, and finding them under the headers a zone's file carries.

Headers are matched after folding what people vary without meaning to: full-width and
half-width characters, spaces, the parentheses around a unit or a note (注册地址（住所）), a
required-field star, and case. Each column also takes its English name and the usual synonyms
(信用代码 for 统一社会信用代码).
"""

import re
import unicodedata
from dataclasses import dataclass

CREDIT_CODE = "credit_code"
NAME = "name"
ZONE = "zone"
REGISTERED_ADDRESS = "registered_address"
FOUNDED_ON = "founded_on"
INDUSTRIES = "industries"
LEGAL_FORM = "legal_form"
HIGH_TECH_CERTIFICATE = "high_tech_certificate"
HIGH_TECH_EXPIRES_ON = "high_tech_expires_on"
EMPLOYEES = "employees"
PATENTS_GRANTED = "invention_patents_granted"
PATENTS_PENDING = "invention_patents_pending"
DESCRIPTION = "description"


@dataclass(frozen=True)
class Column:
    """A template column: its field, Chinese and English header, and other headers taken."""

    field: str
    zh: str
    en: str
    synonyms: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The column's name for messages and the template: Chinese / English."""
        return f"{self.zh} / {self.en}"


COLUMNS = (
    Column(
        CREDIT_CODE,
        "统一社会信用代码",
        "credit code",
        ("信用代码", "社会信用代码", "统一信用代码", "uscc", "unified social credit code"),
    ),
    Column(
        NAME,
        "企业名称",
        "name",
        ("名称", "企业名", "公司名称", "单位名称", "enterprise name", "company name"),
    ),
    Column(
        ZONE, "所属高新区", "zone", ("高新区", "所在高新区", "园区", "zone code", "hi-tech zone")
    ),
    Column(
        REGISTERED_ADDRESS,
        "注册地址",
        "registered address",
        ("住所", "地址", "注册地", "企业地址", "address"),
    ),
    Column(
        FOUNDED_ON,
        "成立日期",
        "founded on",
        ("成立时间", "注册日期", "成立年月", "founded", "founding date", "date founded"),
    ),
    Column(INDUSTRIES, "行业", "industries", ("所属行业", "行业领域", "技术领域", "industry")),
    Column(
        LEGAL_FORM,
        "企业类型",
        "legal form",
        ("公司类型", "企业性质", "组织形式", "company type", "type"),
    ),
    Column(
        HIGH_TECH_CERTIFICATE,
        "高新技术企业证书编号",
        "high-tech certificate",
        ("高企证书编号", "高新技术企业证书号", "证书编号", "high-tech certificate no"),
    ),
    Column(
        HIGH_TECH_EXPIRES_ON,
        "高新技术企业证书有效期至",
        "high-tech certificate expires on",
        ("证书有效期至", "有效期至", "高企证书有效期", "certificate expires on"),
    ),
    Column(
        EMPLOYEES,
        "从业人员",
        "employees",
        ("从业人员数", "职工人数", "员工人数", "从业人数", "staff"),
    ),
    Column(
        PATENTS_GRANTED,
        "授权发明专利",
        "invention patents granted",
        ("发明专利授权数", "发明专利", "patents granted"),
    ),
    Column(
        PATENTS_PENDING,
        "在审发明专利",
        "invention patents pending",
        ("发明专利申请数", "申请中发明专利", "patents pending"),
    ),
    Column(DESCRIPTION, "企业简介", "description", ("简介", "主营业务", "企业介绍")),
)
BY_FIELD = {column.field: column for column in COLUMNS}
# What a new enterprise needs (its zone may come from the import instead of the file).
REQUIRED_FOR_NEW = (NAME, FOUNDED_ON, LEGAL_FORM)

_IGNORED = re.compile(r"[\s_*:：\-]+")
_NOTE = re.compile(r"\(.*?\)")


def fold(text: str) -> str:
    """Full-width letters, digits and signs as their half-width forms (ＡＢＣ１２３ as ABC123)."""
    return unicodedata.normalize("NFKC", text)


def _normal(header: object) -> str:
    text = fold("" if header is None else str(header)).replace("\ufeff", "").lower()
    return _IGNORED.sub("", text).replace("-", "")


def _names(column: Column) -> set[str]:
    return {_normal(name) for name in (column.zh, column.en, *column.synonyms)}


_BY_NAME = {name: column for column in COLUMNS for name in _names(column)}


def column_for(header: object) -> Column | None:
    """The template column a header names, as typed or without a note in parentheses."""
    normal = _normal(header)
    return _BY_NAME.get(normal) or _BY_NAME.get(_NOTE.sub("", normal))
