"""Under REQUIRE_SERVICES=1 (CI) the suite must run on the real services, never skip them."""

import pytest


@pytest.mark.services
@pytest.mark.django_db
def test_tests_run_on_postgresql(postgresql):
    with postgresql.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


@pytest.mark.services
def test_broker_is_redis_and_answers(redis_broker):
    import redis

    assert redis.Redis.from_url(redis_broker).ping() is True
