"""Cohorts: a trainer's named groups of learners on one course, joined by invite link.

``operations`` makes, finds and joins them (shared by pages, the API and the CLI);
``progress`` reads every member's progress in a handful of batch queries, however many
learners a cohort has. Who may see what is decided once, in ``operations.owned`` and
``operations.visible``: a trainer their own cohorts, an admin all of them.
"""
