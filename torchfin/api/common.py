"""What every API view needs: the authenticated caller and SQL-backed pagination."""

from flask_login import current_user
from flask_smorest import abort
from flask_smorest.pagination import Page
from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import User

PREFIX = "/api/v1"


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
        return list(
            db.session.scalars(self.collection.offset(params.first_item).limit(params.page_size))
        )

    @property
    def item_count(self) -> int:
        counted = self.collection.order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(counted))
