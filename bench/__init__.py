"""The benchmark of issues 7 and 13: synthetic registers of 10 000 and 100 000 assignments, timed page by page."""
