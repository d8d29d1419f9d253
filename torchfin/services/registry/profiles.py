"""The SME profile page's service: saving the whole profile in one go."""

from torchfin.extensions import db
from torchfin.models import Enterprise, User
from torchfin.services.errors import ServiceError
from torchfin.services.registry.enterprises import register_enterprise, update_enterprise


def save_profile(user: User, enterprise_id: int | None, data: dict) -> Enterprise:
    """Register the user's enterprise (`enterprise_id` None) or update it, all or nothing.

    The enterprise services raise before committing; the page then renders again in the same
    request, so the half-applied changes are rolled back here rather than left in the session.
    """
    try:
        if enterprise_id is None:
            return register_enterprise(user, data)
        return update_enterprise(user, enterprise_id, data)
    except ServiceError:
        db.session.rollback()
        raise
