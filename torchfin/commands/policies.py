"""`flask policies`: declare a zone's tech-finance policies from a reviewed file."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from torchfin.commands.console import console
from torchfin.services.errors import ServiceError
from torchfin.services.finance.policies.declarations import load_file

policies_cli = AppGroup("policies", help="Tech-finance policies declared as data.")


@policies_cli.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def policies_load(file: Path) -> None:
    """Declare every policy of FILE (each a new version of its code); nothing on any error."""
    try:
        policies = load_file(file)
    except ServiceError as exc:
        console.print(f"[red]{exc.message}[/red]")
        for field, messages in _flat(exc.errors):
            console.print(f"  {field}: {messages}")
        sys.exit(1)
    for policy in policies:
        console.print(f"{policy.code} version {policy.version}: {policy.name_zh}")


def _flat(errors: dict, prefix: str = "") -> list[tuple[str, object]]:
    """Nested field errors as (dotted path, messages), so each line names its field."""
    lines = []
    for key, value in errors.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            lines += _flat(value, path)
        else:
            lines.append((path, value))
    return lines
