"""The file study (dossieronderzoek): case-file documents and what they say about life-line events."""
