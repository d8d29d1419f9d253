"""Builders of records for tests, one module per feature of `torchfin/services/`.

accounts (users, bearer tokens, zone administrators, one user per role), registry (zones,
industries, enterprises, institutions, projects), readiness, finance (parties, pools, booked
payments), funds, matching, dashboards, and web (the records the page tests start from). They
write straight to the database (test setup only) or go through the services where a test needs
what production writes. Fixtures built on them stay in the conftest files.
"""

from itertools import count

# One sequence for every builder: generated names, e-mails and credit codes never repeat in a run.
numbers = count(1)
