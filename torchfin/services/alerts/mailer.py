"""Sending mail: a `Mailer` interface and the sandbox implementation that stores mails.

There is no real mail server. The sandbox mailer writes each mail as an `OutgoingMail` row in
the caller's session, so a mail commits (or rolls back) together with the change that caused it
and shows at /dev/mails. Tests that check a send replace the mailer with pytest-mock.
"""

from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import OutgoingMail


@dataclass(frozen=True)
class Mail:
    """A mail to one recipient, with a plain-text and an HTML body."""

    to: str
    subject: str
    text: str
    html: str


class Mailer(Protocol):
    """Something that sends mails."""

    def send(self, mail: Mail) -> None:
        """Send `mail` (or hand it over for sending)."""


class SandboxMailer:
    """Keeps mails in the database instead of sending them."""

    def send(self, mail: Mail) -> None:
        """Store `mail` in the current transaction; it is kept only if the caller commits."""
        db.session.add(
            OutgoingMail(
                to_address=mail.to, subject=mail.subject, text_body=mail.text, html_body=mail.html
            )
        )


def get_mailer() -> Mailer:
    """The app's mailer (the sandbox one unless something else was installed)."""
    return current_app.extensions.setdefault("torchfin.mailer", SandboxMailer())


def recent_mails(limit: int) -> list[OutgoingMail]:
    """The latest mails the sandbox mailer kept, newest first (the development viewer)."""
    return list(
        db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id.desc()).limit(limit))
    )
