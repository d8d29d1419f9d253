"""Reviewed policy files of zones, loaded with `flask policies load FILE`."""

from pathlib import Path

FILES = Path(__file__).parent
