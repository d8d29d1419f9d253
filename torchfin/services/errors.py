"""Errors services raise; the API and pages turn each into its HTTP status."""


class ServiceError(Exception):
    """Base of domain errors; `status` is the HTTP status it maps to.

    `errors` names the fields at fault; `location` says where the request carried them: "json"
    for its body, "query" for its query string. The API files the fields under it, as it does
    the schemas' own errors, so a client finds a query parameter's error under errors.query.
    """

    status = 400

    def __init__(self, message: str, errors: dict | None = None, *, location: str = "json") -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.location = location


class NotFound(ServiceError):
    """The record does not exist (or is not visible to the caller)."""

    status = 404


class Forbidden(ServiceError):
    """The caller may not do this."""

    status = 403


class Conflict(ServiceError):
    """The request clashes with the current state (duplicate, wrong state, stale version)."""

    status = 409


class Invalid(ServiceError):
    """Input that passed the schema but breaks a cross-record rule; `errors` names the fields."""

    status = 422


class Unavailable(ServiceError):
    """A service the request depends on (Elasticsearch, Redis) cannot answer now."""

    status = 503
