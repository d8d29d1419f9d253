"""Unbound extension objects, bound to the app in `create_app` (no circular imports)."""

from flask import current_app
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from torchfin.models.base import Base




db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()


def search_client():
    """The Elasticsearch client bound to the current app (created in `init_search`)."""
    return current_app.extensions["torchfin.search"]


def redis_connection():
    """The Redis connection bound to the current app (created in `init_queues`)."""
    return current_app.extensions["torchfin.redis"]
