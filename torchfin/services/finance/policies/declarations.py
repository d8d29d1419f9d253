"""Declaring policies: a zone's administrators through the API, or a reviewed file by the CLI.

Declaring a code again adds its next version; applications keep the version they were evaluated
under. The year budgets of the code not yet spent follow the new version's yearly budget, but
never below what they already reserved and paid.
"""

import json
from pathlib import Path

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.policy import formula_schema, policy_file_schema, policy_rule_schema
from torchfin.extensions import db
from torchfin.models import Policy, PolicyBudget, User, Zone
from torchfin.models.base import utcnow
from torchfin.services.errors import Invalid
from torchfin.services.finance import audit
from torchfin.services.finance.subjects import subject_of
from torchfin.services.readiness.batches import zone_by_code
from torchfin.services.zone_access import require_own_zone_admin

ZONE_POLICIES = "zone_policies"


def declare(session: Session, zone: Zone, data: dict, user: User | None = None) -> Policy:
    """Add the next version of the policy `data` declares for `zone` (not committed)."""
    latest = session.scalar(
        select(func.max(Policy.version)).where(
            Policy.zone_id == zone.id, Policy.code == data["code"]
        )
    )
    fields = {k: v for k, v in data.items() if k not in ("rules", "formula")}
    policy = Policy(
        zone_id=zone.id,
        version=(latest or 0) + 1,
        rules=[policy_rule_schema.dump(rule) for rule in data["rules"]],
        formula=formula_schema.dump(data["formula"]),
        declared_by_id=user.id if user else None,
        **fields,
    )
    session.add(policy)
    for budget in session.scalars(
        select(PolicyBudget).where(
            PolicyBudget.zone_id == zone.id,
            PolicyBudget.policy_code == data["code"],
            PolicyBudget.year >= utcnow().year,
        )
    ):
        if data["yearly_budget"] is not None:
            budget.amount = max(data["yearly_budget"], budget.reserved + budget.paid)
    session.flush()
    audit.record(
        session,
        subject_of(ZONE_POLICIES, zone.id),
        "declare",
        actor=user,
        data={"code": policy.code, "version": policy.version, "policy_id": policy.id},
    )
    return policy


def declare_policy(user: User, zone_code: str, data: dict) -> Policy:
    """A zone's own administrators declare a policy (or its next version) and commit."""
    zone = zone_by_code(zone_code)
    require_own_zone_admin(user, zone, "declare its policies")
    policy = declare(db.session, zone, data, user)
    db.session.commit()
    return policy


def load_file(path: Path) -> list[Policy]:
    """Declare every policy of a reviewed file (one zone's) and commit; Invalid with the
    file's errors by field, and nothing declared, when it does not validate."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise Invalid(f"cannot read {path}: {exc}", {"file": [str(exc)]}) from exc
    try:
        data = policy_file_schema.load(raw)
    except ValidationError as exc:
        raise Invalid(f"{path} is not a valid policy file", exc.messages) from exc
    zone = zone_by_code(data["zone"])
    policies = [declare(db.session, zone, item) for item in data["policies"]]
    db.session.commit()
    return policies
