"""The REST API: a thin HTTP layer over `services/` (no business logic here)."""
