"""The versioned rule sets: the 2006 Zhongguancun pilot rules and the 2013 national NEEQ rules.

A rule set is data: its code, the regulation it follows, when that took effect, and its rules in
the order the regulation lists them. Stored checks name the rule set code, so a result can
always be read against the rules that produced it.
"""

from dataclasses import dataclass
from datetime import date

from torchfin.models.enums import ReadinessOutcome, RuleStatus
from torchfin.services.readiness import rules
from torchfin.services.readiness.facts import ReadinessFacts
from torchfin.services.readiness.rules import Rule, RuleResult
from torchfin.services.said import Said

JOINT_STOCK = Rule(
    "joint_stock", Said("股份有限公司", "Joint-stock company"), rules.joint_stock_company
)
EXISTENCE = Rule(
    "two_fiscal_years",
    Said("依法设立且存续满两年", "Two complete fiscal years in existence"),
    rules.two_fiscal_years,
)
PILOT_ZONE = Rule(
    "pilot_zone", Said("位于试点园区", "Located in a pilot zone"), rules.in_pilot_zone
)
MAIN_BUSINESS = Rule(
    "main_business",
    Said("主营业务突出，具有持续经营能力", "Clear main business, continuous operation"),
    rules.main_business_continuing,
)
GOVERNANCE = Rule(
    "governance", Said("公司治理结构健全，运作规范", "Sound governance"), rules.sound_governance
)
LAWFUL_SHARES = Rule(
    "lawful_shares",
    Said("股份发行和转让行为合法合规", "Lawful share issuance and transfers"),
    rules.lawful_shares,
)
BROKER = Rule(
    "sponsoring_broker",
    Said("主办券商推荐并持续督导", "Sponsoring broker engaged"),
    rules.sponsoring_broker,
)
CONFIRMATION = Rule(
    "confirmation_letter",
    Said("取得试点资格确认函", "Pilot confirmation letter from the local government"),
    rules.confirmation_letter,
)


@dataclass(frozen=True)
class RuleSet:
    """A version of the listing conditions."""

    code: str
    title: Said
    source: str
    effective_from: date
    rules: tuple[Rule, ...]

    def rule(self, code: str) -> Rule:
        """The rule called `code` in this set."""
        return next(r for r in self.rules if r.code == code)


@dataclass(frozen=True)
class Evaluation:
    """Every rule's result and the overall outcome."""

    rule_set: str
    as_of: date
    outcome: ReadinessOutcome
    results: list[RuleResult]


PILOT_2006 = RuleSet(
    "zgc-2006",
    Said("2006年中关村代办股份转让试点", "2006 Zhongguancun OTC pilot"),
    "证券公司代办股份转让系统中关村科技园区非上市股份有限公司股份报价转让试点办法（暂行）",
    date(2006, 1, 23),
    (
        JOINT_STOCK,
        EXISTENCE,
        PILOT_ZONE,
        MAIN_BUSINESS,
        GOVERNANCE,
        LAWFUL_SHARES,
        BROKER,
        CONFIRMATION,
    ),
)
NATIONAL_2013 = RuleSet(
    "neeq-2013",
    Said("2013年全国中小企业股份转让系统", "2013 national NEEQ rules"),
    "全国中小企业股份转让系统业务规则（试行）",
    date(2013, 2, 8),
    (JOINT_STOCK, EXISTENCE, MAIN_BUSINESS, GOVERNANCE, LAWFUL_SHARES, BROKER),
)
RULE_SETS: dict[str, RuleSet] = {rs.code: rs for rs in (PILOT_2006, NATIONAL_2013)}
DEFAULT_RULE_SET = NATIONAL_2013.code


def overall(statuses: list[RuleStatus]) -> ReadinessOutcome:
    """Any fail makes the enterprise not ready; else any unknown leaves it incomplete."""
    if RuleStatus.FAIL in statuses:
        return ReadinessOutcome.NOT_READY
    if RuleStatus.UNKNOWN in statuses:
        return ReadinessOutcome.INCOMPLETE
    return ReadinessOutcome.READY


def evaluate(rule_set: RuleSet, facts: ReadinessFacts) -> Evaluation:
    """Apply every rule of `rule_set` to `facts`."""
    results = [rule.evaluate(facts) for rule in rule_set.rules]
    return Evaluation(rule_set.code, facts.as_of, overall([r.status for r in results]), results)
