"""Participants of a review and their consent (toestemming)."""
