"""Read-only share links for teams: the findings tree, the report and the life-line, with an expiry."""
