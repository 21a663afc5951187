"""Studies: several case reviews compared (case × theme matrix, codings and agreement, overarching elements)."""
