"""Matching projects with mandates: features, the reference scorer and the vectorised scorer.

`docs/matching.md` documents the model; `model.py` holds its constants, `features.py` turns SQL
rows into the features every path scores, `reference.py` is the truth (one pair at a time) and
`vectorised.py` the NumPy path that must agree with it.
"""
