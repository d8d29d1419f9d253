"""Read-only figures for the pages and the zone dashboard."""
