"""leerreview: the web service for a learning review (casusonderzoek) of one youth-care case."""
