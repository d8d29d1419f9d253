"""Schemas of sign-in and API tokens."""

from marshmallow import Schema, fields, validate

from schemas.fields import Text


class TokenRequestSchema(Schema):
    """Credentials exchanged for a bearer token."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(1, 200))
    name = Text(max_length=100, load_default="api")


class TokenSchema(Schema):
    """A freshly issued bearer token (shown once)."""

    token = fields.String()
    expires_at = fields.DateTime()
