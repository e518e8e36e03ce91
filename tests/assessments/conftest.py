import pytest
from django.core.management import call_command


@pytest.fixture
def frameworks(db):
    """The shipped frameworks, loaded into the database."""
    call_command("load_frameworks", stdout=open("/dev/null", "w"))  # noqa: SIM115
