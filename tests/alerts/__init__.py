"""Saved searches and their alerts: announcing new projects once, pausing, daily runs, the mail."""
