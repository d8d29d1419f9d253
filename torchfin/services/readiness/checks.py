"""Checking one enterprise against a rule set and keeping the result."""

from datetime import date

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import Enterprise, ReadinessCheck, User
from torchfin.services import enterprise_events
from torchfin.services.errors import Invalid
from torchfin.services.readiness.facts import gather_facts
from torchfin.services.readiness.profiles import followed_enterprise, meetings_of, profile_of
from torchfin.services.readiness.rule_sets import RULE_SETS, Evaluation, RuleSet, evaluate


def rule_set_named(code: str) -> RuleSet:
    """The rule set `code`, or a 422 naming the ones that exist."""
    if code not in RULE_SETS:
        raise Invalid("unknown rule set", {"rule_set": [f"Choose one of: {', '.join(RULE_SETS)}."]})
    return RULE_SETS[code]


def _evaluate(enterprise: Enterprise, rule_set: RuleSet, as_of: date) -> Evaluation:
    facts = gather_facts(enterprise, profile_of(enterprise.id), meetings_of(enterprise.id), as_of)
    return evaluate(rule_set, facts)


def preview_enterprise(
    user: User, enterprise_id: int, rule_set_code: str, as_of: date
) -> Evaluation:
    """Evaluate an enterprise without keeping the result (the report page reads this)."""
    rule_set = rule_set_named(rule_set_code)
    return _evaluate(followed_enterprise(user, enterprise_id), rule_set, as_of)


def build_check(enterprise: Enterprise, rule_set: RuleSet, as_of: date) -> ReadinessCheck:
    """An unsaved check of `enterprise` (used by single checks and by zone batches alike)."""
    evaluation = _evaluate(enterprise, rule_set, as_of)
    return ReadinessCheck(
        enterprise_id=enterprise.id,
        rule_set=rule_set.code,
        as_of=as_of,
        outcome=evaluation.outcome,
        results=[result.as_dict() for result in evaluation.results],
    )


def check_enterprise(
    user: User, enterprise_id: int, rule_set_code: str, as_of: date
) -> ReadinessCheck:
    """Check an enterprise now and keep the result."""
    rule_set = rule_set_named(rule_set_code)
    enterprise = followed_enterprise(user, enterprise_id)
    check = build_check(enterprise, rule_set, as_of)
    db.session.add(check)
    db.session.flush()
    changed = enterprise_events.readiness_checked(check)
    db.session.commit()
    if changed:
        enterprise_events.announce_events()
    return check


def latest_checks(user: User, enterprise_id: int, limit: int = 20) -> list[ReadinessCheck]:
    """The most recent checks of an enterprise, newest first."""
    followed_enterprise(user, enterprise_id)
    return list(
        db.session.scalars(
            select(ReadinessCheck)
            .where(ReadinessCheck.enterprise_id == enterprise_id)
            .order_by(ReadinessCheck.checked_at.desc(), ReadinessCheck.id.desc())
            .limit(limit)
        )
    )
