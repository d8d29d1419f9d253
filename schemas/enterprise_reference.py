"""How a request names an enterprise of the platform: its id, or its unified social credit code.

A bank registering a loan or a fund recording a placement knows the borrower's credit code (it
is on the loan contract and the business licence), not the platform's internal number.
"""

from marshmallow import Schema, ValidationError, validates_schema

from schemas.fields import CreditCode, WholeNumber


class EnterpriseReferenceSchema(Schema):
    """`enterprise_id` or `credit_code`, exactly one; the service finds the enterprise."""

    enterprise_id = WholeNumber()
    credit_code = CreditCode(
        load_only=True,
        metadata={"description": "The enterprise's unified social credit code, instead of its id."},
    )

    @validates_schema
    def _one_reference(self, data: dict, partial=None, **kwargs) -> None:
        if partial:
            return
        if "enterprise_id" in data and "credit_code" in data:
            raise ValidationError("Give the credit code or the id, not both.", "enterprise_id")
        if "enterprise_id" not in data and "credit_code" not in data:
            raise ValidationError("Give the enterprise's credit code or its id.", "credit_code")
