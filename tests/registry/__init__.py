"""The registry: enterprises, projects, confidentiality grants, duplicates and merging."""
