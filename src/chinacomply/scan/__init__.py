"""Recognizers (one module per identifier), their registry, CJK context and the scan engines."""
