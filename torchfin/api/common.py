"""What every API view needs: the authenticated caller and SQL-backed pagination."""

from flask_login import current_user
from flask_smorest import abort
from flask_smorest.pagination import Page
from sqlalchemy import func, select

from schemas.fields import SQL_INT_MAX
from torchfin.extensions import db
from torchfin.models import User

PREFIX = "/api/v1"
ID_MAX = 2**63 - 1  # the largest id or offset SQL holds (BIGINT; SQLite INTEGER)
# The largest record id: id columns are INTEGER, and PostgreSQL fails (500) on a larger one.
ROW_ID_MAX = SQL_INT_MAX
# The 409 of a DELETE refused by `torchfin.services.dependants`.
STILL_NAMED = "Records of money or of another party still name it (counted in the message)."


def caller() -> User:
    """The signed-in user (bearer token or session), or a 401."""
    if not current_user.is_authenticated:
        abort(401, message="Sign in, or send 'Authorization: Bearer <token>'.")
    return current_user._get_current_object()


class SelectPage(Page):
    """A page of a SQLAlchemy select, counted and sliced in SQL."""

    @property
    def items(self) -> list:
        params = self.page_params
        # A page far past the end is empty; SQL cannot even hold the offset of ?page=10**30.
        offset = min(params.first_item, ID_MAX)
        return list(db.session.scalars(self.collection.offset(offset).limit(params.page_size)))

    @property
    def item_count(self) -> int:
        counted = self.collection.order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(counted))
