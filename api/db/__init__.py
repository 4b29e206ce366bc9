"""Storage: SQLAlchemy 2 tables and sessions (SQLite by default, PostgreSQL by URL)."""
