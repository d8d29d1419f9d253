"""`flask tokens`: issue a scoped, expiring API token for a user, list and revoke tokens."""

from datetime import timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import select

from torchfin.commands.console import console
from torchfin.extensions import db
from torchfin.models import User
from torchfin.models.account import TOKEN_SCOPES
from torchfin.services.accounts.tokens import is_live, issue_token, revoke_by_id, tokens_of
from torchfin.services.errors import ServiceError

tokens_cli = AppGroup("tokens", help="API bearer tokens: create with scopes and expiry, revoke.")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    return user


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(TOKEN_SCOPES),
    help="Repeat for several; default: all (read and write).",
)
@click.option("--hours", default=24, show_default=True, type=click.IntRange(min=1))
def create(email: str, name: str, scopes: tuple[str, ...], hours: int) -> None:
    """Issue a token for EMAIL's user; the token is printed once, on stdout."""
    plain, token = issue_token(_user(email), name, timedelta(hours=hours), scopes or TOKEN_SCOPES)
    console.print(
        f"token {token.id} ({token.scopes}) expires {token.expires_at:%Y-%m-%d %H:%M} UTC"
    )
    click.echo(plain)


@tokens_cli.command("list")
@click.argument("email")
def list_tokens(email: str) -> None:
    """List EMAIL's tokens: id, name, scopes, expiry and whether each still works."""
    for token in db.session.scalars(tokens_of(_user(email))):
        state = "live" if is_live(token) else ("revoked" if token.revoked_at else "expired")
        click.echo(
            f"{token.id}\t{token.name}\t{token.scopes}\t{token.expires_at:%Y-%m-%d %H:%M}\t{state}"
        )


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID, whoever it belongs to."""
    try:
        token = revoke_by_id(token_id)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    console.print(f"token {token.id} of {token.user.email} revoked at {token.revoked_at}")
