"""The family life-line (levenslijn) in the service: events with history, figure, banner and CSV."""
