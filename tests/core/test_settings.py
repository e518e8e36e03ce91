"""Production settings: a missing SECRET_KEY is a clear error, and check --deploy is clean."""

import os
import subprocess
import sys

import pytest


def run_zora(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "zora.manage", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_production_without_secret_key_fails_clearly():
    result = run_zora("check", ZORA_ENV="production", ALLOWED_HOSTS="zora.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_reports_nothing_in_production():
    result = run_zora(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZORA_ENV="production",
        SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="zora.example.org",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_demo_refuses_to_run_in_production():
    result = run_zora(
        "demo",
        ZORA_ENV="production",
        SECRET_KEY="y" * 60,
        ALLOWED_HOSTS="zora.example.org",
    )
    assert result.returncode != 0
    assert "refuses" in result.stderr
