"""The report for the share-back meeting (HTML, PDF, Word) and the exports (JSON backup, CSV, GDPR)."""
