"""Schemas of sign-in and API tokens."""

from marshmallow import Schema, fields, validate

from schemas.fields import Text, WholeNumber
from torchfin.models.account import TOKEN_SCOPES as SCOPES

# The longest life a token may be given (30 days); the default is API_TOKEN_TTL_HOURS.
MAX_TOKEN_HOURS = 24 * 30


class TokenRequestSchema(Schema):
    """Credentials exchanged for a bearer token, with what it may do and for how long."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(1, 200))
    name = Text(max_length=100, load_default="api")
    scopes = fields.List(
        fields.String(validate=validate.OneOf(SCOPES)),
        load_default=lambda: list(SCOPES),
        validate=validate.Length(min=1, max=len(SCOPES)),
        metadata={"description": "read: GET; write: POST, PUT, PATCH, DELETE"},
    )
    expires_in_hours = WholeNumber(
        load_default=None,
        validate=validate.Range(min=1, max=MAX_TOKEN_HOURS),
        metadata={"description": "default API_TOKEN_TTL_HOURS (24)"},
    )


class TokenSchema(Schema):
    """A freshly issued bearer token (shown once)."""

    id = WholeNumber()
    token = fields.String()
    scopes = fields.Function(lambda t: t["scopes"].split())
    expires_at = fields.DateTime()


class TokenInfoSchema(Schema):
    """A token as listed to its owner: never the token itself."""

    id = WholeNumber()
    name = fields.String()
    scopes = fields.Function(lambda t: t.scopes.split())
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
