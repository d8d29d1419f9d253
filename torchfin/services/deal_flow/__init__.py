"""Searching deal flow and exporting its result sets."""
