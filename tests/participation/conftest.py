import pytest
from django.core.cache import cache

from tests.factories import UserFactory
from zora.participation.models import AnswerState, Category, Consultation, Phase, Proposal


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def consultation(world):
    c = Consultation.objects.create(
        organisation=world.alpha,
        title_en="Ideas for Alpha",
        title_bg="Идеи за Алфа",
        phase=Phase.SUPPORT,
        support_limit=3,
    )
    Category.objects.create(consultation=c, code="digital", name_bg="Цифрово", name_en="Digital")
    AnswerState.objects.create(
        consultation=c, code="accepted", label_bg="Приета", label_en="Accepted"
    )
    return c


@pytest.fixture
def citizens(db):
    return [
        UserFactory(email=f"citizen{i:02d}@example.org", first_name=f"C{i}") for i in range(1, 61)
    ]


@pytest.fixture
def proposals(consultation, citizens):
    return [
        Proposal.objects.create(
            consultation=consultation,
            author=citizens[i],
            title=f"Proposal {i}",
            body=f"Body of proposal {i}",
            category=consultation.categories.first(),
        )
        for i in range(6)
    ]


@pytest.fixture(autouse=True)
def _english():
    """Service-level messages are asserted in English (requests choose their own language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def at_once(action, items) -> list[Exception]:
    """Runs `action(item)` for every item in its own thread, all released together (each thread
    with its own database connection, closed at its end); returns the exceptions raised."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(items))
    errors: list[Exception] = []

    def run(item):
        try:
            barrier.wait()
            action(item)
        except Exception as error:  # collected for the test to assert
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
