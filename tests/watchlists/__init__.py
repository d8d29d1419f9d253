"""Watchlists: following enterprises and hearing of their events once."""
