"""Field messages of the schemas and services, said in the page's language.

The schemas and services speak English because the JSON API does (its clients match on those
texts). Pages are Chinese first, so a message shown under a form field is looked up here: each
known wording is a pattern whose parts (numbers, codes, dates) are carried into a Flask-Babel
message, Chinese in the source and English in the catalogue. A wording nobody listed yet is
shown as it is rather than hidden.
"""

import re

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

_NUMBER = r"-?[\d.]+"
# (pattern of the English message, its page message); patterns match the whole message.
_MESSAGES: list[tuple[re.Pattern[str], LazyString]] = [
    (re.compile(pattern), message)
    for pattern, message in [
        # marshmallow's own wordings
        (r"Missing data for required field\.", _l("此项必填。")),
        (r"Field may not be null\.", _l("此项必填。")),
        (r"Not a valid integer\.", _l("请输入整数。")),
        (r"Not a valid number\.", _l("请输入数字。")),
        (r"Number too large\.", _l("数字过大。")),
        (r"Not a valid date\.", _l("请输入有效日期（年-月-日）。")),
        (r"Not a valid list\.", _l("格式不正确。")),
        (r"Invalid value\.", _l("取值无效。")),
        (r"Unknown field\.", _l("不认识的字段。")),
        (r"Must be one of: .*\.", _l("请从列表中选择。")),
        (
            rf"Must be greater than or equal to (?P<min>{_NUMBER}) "
            rf"and less than or equal to (?P<max>{_NUMBER})\.",
            _l("须在 %(min)s 到 %(max)s 之间。"),
        ),
        (
            rf"Must be greater than (?P<min>{_NUMBER}) "
            rf"and less than or equal to (?P<max>{_NUMBER})\.",
            _l("须大于 %(min)s，且不超过 %(max)s。"),
        ),
        (
            rf"Must be (?:greater than or equal to|at least) (?P<min>{_NUMBER})\.",
            _l("不能小于 %(min)s。"),
        ),
        (
            rf"Must be (?:less than or equal to|at most) (?P<max>{_NUMBER})\.",
            _l("不能大于 %(max)s。"),
        ),
        (r"Shorter than minimum length (?P<min>\d+)\.", _l("至少 %(min)s 个字符。")),
        (r"Longer than maximum length (?P<max>\d+)\.", _l("不能超过 %(max)s 个字符。")),
        (
            r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.",
            _l("长度须在 %(min)s 到 %(max)s 之间。"),
        ),
        # schemas/fields.py
        (
            r"Write amounts as plain decimals such as 1500000\.00\.",
            _l("请输入金额，例如 1500000.00。"),
        ),
        (
            r"Write plain decimals such as (?P<example>[\d.]+)\.",
            _l("请用半角数字填写小数，例如 %(example)s。"),
        ),
        (r"At most two decimal places \(fen\)\.", _l("金额最多保留两位小数（到分）。")),
        (r"Contains control characters\.", _l("不能包含控制字符。")),
        (
            r"Contains the invisible direction control (?P<code>U\+[0-9A-F]{4})\.",
            _l("不能包含不可见的文字方向控制符 %(code)s。"),
        ),
        (
            r"Must be between (?P<earliest>[\d-]+) and (?P<latest>[\d-]+)\.",
            _l("日期须在 %(earliest)s 到 %(latest)s 之间。"),
        ),
        (r"Contains duplicates\.", _l("有重复项。")),
        (r"format: must be 18 characters, got (?P<n>\d+)", _l("须为 18 位，当前为 %(n)s 位。")),
        (
            r"format: contains characters outside the GB 32100 alphabet: (?P<chars>.+?) \(.*\)",
            _l("含有 GB 32100 不使用的字符：%(chars)s（不使用字母 I、O、S、V、Z 及小写字母）。"),
        ),
        (
            r"organisation_check: organisation code (?P<code>\w+) fails its GB 11714 check "
            r"\(ninth character should be (?P<char>\w)\)",
            _l("组织机构代码 %(code)s 未通过 GB 11714 校验（第九位应为 %(char)s）。"),
        ),
        (
            r"code_check: check character fails the GB 32100 check "
            r"\(last character should be (?P<char>\w)\)",
            _l("校验码未通过 GB 32100 校验（最后一位应为 %(char)s）。"),
        ),
        # schemas/enterprise.py, schemas/fund.py, schemas/pool.py
        (r"R&D spend cannot exceed revenue\.", _l("研发投入不能超过营业收入。")),
        (r"Cannot exceed the number of employees\.", _l("不能超过员工人数。")),
        (r"Each qualification may appear once\.", _l("每种资质只能填写一次。")),
        (r"Each year may appear once\.", _l("每个年度只能填写一次。")),
        (r"Cannot end before the vintage\.", _l("不能早于设立年份。")),
        (r"Cannot be in the past\.", _l("不能早于今天。")),
        (r"Cannot be below the amount sought\.", _l("不能低于融资金额。")),
        (r"Must not be before start\.", _l("不能早于开始日期。")),
        # services: enterprises, guarantees, pools, funds
        (r"Unknown zone code '(?P<code>.*)'\.", _l("没有代码为“%(code)s”的高新区。")),
        (r"Zone (?P<code>.*) does not exist\.", _l("没有代码为“%(code)s”的高新区。")),
        (r"Unknown codes: (?P<codes>.*)\.", _l("未知的行业代码：%(codes)s。")),
        (r"Already registered: (?P<link>\S+)", _l("该代码已登记：%(link)s")),
        (r"Cannot be changed once registered\.", _l("登记后不能修改。")),
        (r"Required for this action\.", _l("此操作须填写此项。")),
        (r"No bank with this id\.", _l("没有这家银行。")),
        (r"No guarantor with this id\.", _l("没有这家担保机构。")),
        (r"No enterprise with this id\.", _l("没有这家企业。")),
        (r"Enterprise (?P<id>\d+) does not exist\.", _l("没有编号为 %(id)s 的企业。")),
        (r"No enterprise has this credit code\.", _l("平台上没有使用这个统一社会信用代码的企业。")),
        (r"Give the credit code or the id, not both\.", _l("统一社会信用代码与企业编号只填一项。")),
        (
            r"Give the enterprise's credit code or its id\.",
            _l("请填写企业的统一社会信用代码或企业编号。"),
        ),
        (r"Cannot exceed the principal\.", _l("不能超过本金。")),
        (
            rf"Cannot exceed the loan's principal of (?P<amount>{_NUMBER})\.",
            _l("不能超过贷款本金 %(amount)s 元。"),
        ),
        (
            rf"Must be less than the outstanding amount of (?P<amount>{_NUMBER})\.",
            _l("须小于资金池补偿范围内的未偿金额 %(amount)s 元，否则已无损失可补偿。"),
        ),
        (
            rf"The pool already has an opening balance of (?P<amount>{_NUMBER}) dated "
            r"(?P<day>[\d-]+); it is recorded once\.",
            _l("该资金池已记有 %(day)s 的期初余额 %(amount)s 元，期初余额只记录一次。"),
        ),
        (
            r"Must be on or before the pool's first booking, on (?P<day>[\d-]+)\.",
            _l("不能晚于资金池在平台上的首笔记账日 %(day)s。"),
        ),
        (r"Cannot be after (?P<day>[\d-]+) \(UTC\)\.", _l("不能晚于 %(day)s（UTC 日期）。")),
        (rf"Only (?P<amount>{_NUMBER}) is left to recover\.", _l("尚待追偿的只有 %(amount)s 元。")),
        (r"Must be after the registration date\.", _l("须晚于登记日期。")),
        (r"A claim needs (?P<days>\d+) days overdue\.", _l("逾期满 %(days)s 天才能申请补偿。")),
        (
            rf"Calls would exceed the commitments of (?P<size>{_NUMBER})\.",
            _l("累计缴付将超过认缴总额 %(size)s 元。"),
        ),
        (
            rf"Only (?P<amount>{_NUMBER}) of called money is uninvested on (?P<day>[\d-]+)\.",
            _l("截至 %(day)s，已实缴未投资的资金只有 %(amount)s 元。"),
        ),
        (r"Cannot be before the placement\.", _l("不能早于投资日期。")),
        (r"A sub-fund of this name exists\.", _l("已有同名子基金。")),
        # the services' 409 reasons that are not about the state a record is in
        (
            r"(?:guarantee case|claim|application) \d+ has a payment in progress; wait for it",
            _l("有一笔支付正在处理中，请在完成后再操作。"),
        ),
        (
            rf"(?P<amount>{_NUMBER}) of the compensation is unrecovered; write it off instead",
            _l("代偿款尚有 %(amount)s 元未追回，不能结案，请改为核销。"),
        ),
        (
            r"pool \d+ accepts no new loans: its bad-loan ratio (?P<ratio>\S+) "
            r"is above the threshold of (?P<threshold>\S+)",
            _l("资金池不良率 %(ratio)s 高于阈值 %(threshold)s，暂停登记新贷款。"),
        ),
        (
            r"pool loan \d+ is \w+; a claim needs an active loan",
            _l("该贷款已还清或已申请补偿，不能再申请。"),
        ),
        (
            r"pool loan \d+ is \w+; only an active loan is repaid",
            _l("该贷款已还清或已申请补偿，不能再登记还清。"),
        ),
        (
            r"claim \d+ is \w+; recoveries follow a paid claim",
            _l("该补偿申请尚未拨付，拨付后才能报告追偿。"),
        ),
        (
            r"claim \d+ has already returned all the pool paid",
            _l("该申请的补偿款已全部返还资金池。"),
        ),
        (
            r"nothing is payable on claim \d+: \w+ is exhausted",
            _l("该申请已无可支付金额：年度上限或资金池可用余额已用尽。"),
        ),
        # services/finance/policies: applying, and the budget and caps an approval meets
        (
            r"the (?P<year>\d{4}) budget of policy (?P<code>\S+) has (?P<left>[\d,.]+) yuan left; "
            r"(?P<amount>[\d,.]+) cannot be approved",
            _l("政策 %(code)s 的 %(year)s 年度预算仅余 %(left)s 元，不能批准 %(amount)s 元。"),
        ),
        (
            r"the enterprise's cap of (?P<cap>[\d,.]+) under (?P<code>\S+) leaves "
            r"(?P<left>[\d,.]+) yuan",
            _l("企业在政策 %(code)s 下的享受上限为 %(cap)s 元，尚余 %(left)s 元。"),
        ),
        (rf"Budget left: (?P<left>{_NUMBER})\.", _l("预算余额：%(left)s 元。")),
        (rf"Cap left: (?P<left>{_NUMBER})\.", _l("可享额度余额：%(left)s 元。")),
        (r"Rule failed: (?P<code>\w+)\.", _l("不符合申报条件（%(code)s），见逐项检查。")),
        (r"Nothing payable: .*", _l("按平台记录无法核定可补贴金额。")),
        (r"No such record of your enterprise\.", _l("贵企业没有这条记录。")),
        (r"No such policy of your zone\.", _l("本园区没有这项政策。")),
        (
            r"Version (?P<old>\d+) was replaced by (?P<new>\d+)\.",
            _l("第 %(old)s 版已被第 %(new)s 版取代。"),
        ),
        (r"Must name a \w+: '\w+:<id>'\.", _l("请选择所列的记录。")),
        (r"One of: (?P<stages>[\w, ]+)\.", _l("阶段须为以下之一：%(stages)s。")),
        (r"This policy has no stages\.", _l("此政策不分阶段。")),
        (
            r"application \d+ is \w+; documents are attached before the zone decides",
            _l("园区已作出决定，不能再附加证明材料。"),
        ),
    ]
]


def localise(message: object) -> str:
    """`message` in the page's language when its wording is known, else as it is."""
    text = str(message)
    for pattern, page_message in _MESSAGES:
        found = pattern.fullmatch(text)
        if found:
            return str(page_message) % found.groupdict() if found.groupdict() else str(page_message)
    return text
