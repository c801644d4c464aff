"""One module per identifier type; each exposes RECOGNIZER (or RECOGNIZERS)."""
