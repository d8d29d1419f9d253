"""SME side: profile, project life cycle, confidentiality grants, duplicates and merging."""
