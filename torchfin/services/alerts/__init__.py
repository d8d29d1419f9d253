"""Saved searches and their alerts, and the mail that carries them."""
