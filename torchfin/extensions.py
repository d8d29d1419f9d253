"""Unbound extension objects, bound to the app in `create_app` (no circular imports)."""

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from elasticsearch import Elasticsearch
from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from marshmallow import Schema

from torchfin.models.base import Base


def _schema_name(schema: Schema | type[Schema]) -> str:
    # Partial (PATCH) variants of a schema need their own name in the OpenAPI components.
    name = resolve_schema_cls(schema).__name__.removesuffix("Schema")
    return f"{name}Patch" if isinstance(schema, Schema) and schema.partial else name


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api(spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=_schema_name)})
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
# Per-route limits are declared where the routes are; no limit applies by default.
limiter = Limiter(key_func=get_remote_address)


def search_client() -> Elasticsearch:
    """The Elasticsearch client bound to the current app (created by `search.client.init_app`)."""
    return current_app.extensions["torchfin.search"]
