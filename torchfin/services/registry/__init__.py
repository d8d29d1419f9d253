"""The registry: enterprises, projects, duplicates, access to financials, institutions, zones."""
