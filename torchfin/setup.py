"""Wiring of extensions, blueprints and CLI commands into an app (called by `create_app`)."""

from pathlib import Path

from flask import Flask
from sqlalchemy.orm import configure_mappers

from torchfin.extensions import api, babel, csrf, db, limiter, login_manager, migrate


def register_extensions(app: Flask) -> None:
    """Bind every extension to `app`."""
    import search.client
    from torchfin import queues
    from torchfin.auth import init_login
    from torchfin.i18n import select_locale
    from torchfin.security import init_security

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True
    )
    api.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    init_login(app, login_manager)
    init_security(app, limiter)
    search.client.init_app(app)
    queues.init_app(app)
    # Resolve every relationship now, before RQ forks work horses, so each child starts ready.
    configure_mappers()


def register_blueprints(app: Flask) -> None:
    """Mount the JSON API (flask-smorest) and the web pages."""
    from torchfin.api import register_api
    from torchfin.api.contract import init_contract
    from torchfin.api.idempotency import init_idempotency
    from torchfin.web import web

    init_contract(app, api)
    init_idempotency(app)
    register_api(api, csrf)
    app.register_blueprint(web)


def register_errorhandlers(app: Flask) -> None:
    """Turn domain errors into JSON for the API and pages for the web."""
    from torchfin.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    """Add the `flask` command groups of `torchfin.commands`."""
    from torchfin.commands import GROUPS

    for group in GROUPS:
        app.cli.add_command(group)
