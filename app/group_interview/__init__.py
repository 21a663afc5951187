"""The group interview (groepsinterview), live: steps, joining by code, proposals, factors."""
