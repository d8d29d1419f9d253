"""Schemas of the audit trail (a case's timeline, a pipeline's history)."""

from marshmallow import Schema, fields

from schemas.fields import WholeNumber


class AuditEventSchema(Schema):
    """One hash-chained event of a case, claim, pool or institution's pipeline."""

    seq = WholeNumber()
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    actor_id = WholeNumber(allow_none=True)
    actor_name = fields.String()
    data = fields.Dict()
    created_at = fields.DateTime()
    prev_hash = fields.String()
    hash = fields.String()
