"""Persistence only: the inventory and the export ledger in SQLite or PostgreSQL, through
SQLAlchemy 2 models and Alembic migrations. No other package talks to the database."""
