"""Teach Alembic about DuckDB, whose SQL is PostgreSQL's for what migrations need."""

from alembic.ddl.postgresql import PostgresqlImpl


class DuckDBImpl(PostgresqlImpl):
    __dialect__ = "duckdb"
    transactional_ddl = True
