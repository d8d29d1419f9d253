"""WSGI entry point for gunicorn and `flask --app wsgi`."""

from torchfin import create_app

app = create_app()
