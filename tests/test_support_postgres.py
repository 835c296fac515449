import psycopg
import pytest

pytestmark = pytest.mark.postgres


def test_throwaway_cluster_accepts_connections(pg_url: str) -> None:
    dsn = pg_url.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(dsn) as conn:
        assert conn.execute("select 1 + 1").fetchone() == (2,)
