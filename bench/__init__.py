"""The benchmark of issue 7: synthetic registers of 10 000 and 100 000 assignments, timed page by page."""
