"""Torchfin: the Torch investment-and-financing project database (火炬投融资项目数据库)."""

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from config import Config, load_config


def create_app(config: Config | Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    `config` is a Config object, or a mapping of overrides applied on top of the configuration
    chosen by TORCHFIN_ENV (tests pass a mapping).
    """
    app = Flask(__name__, instance_relative_config=True)
    # Settings: a Config object wins outright; a mapping overrides the environment's defaults.
    if isinstance(config, Config):
        app.config.from_object(config)
    else:
        app.config.from_object(load_config())
        app.config.update(config or {})
    # The default SQLite database lives in instance/; create the folder on first start.
    os.makedirs(app.instance_path, exist_ok=True)

    import torchfin.sqlite_concurrency  # noqa: F401  (registers the SQLite connection settings)
    from torchfin.setup import (
        register_blueprints,
        register_commands,
        register_errorhandlers,
        register_extensions,
    )

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app
