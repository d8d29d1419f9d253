"""Watchlists: following enterprises, recording their events and announcing them once."""
