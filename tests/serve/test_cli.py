"""``eligibility serve`` refuses bad settings before it starts a server."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from eligibility.cli import cli
from tests.serve.conftest import start_server


def test_bad_rules_stop_it_before_it_listens(runner: CliRunner, tmp_path: Path) -> None:
    """A rules directory that does not load: the CLI's message, exit 1, no server."""
    result = runner.invoke(cli, ["serve", "--rules", str(tmp_path), "--port", "1"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "Questionnaire:" not in result.stderr


def test_masking_the_id_is_a_usage_error(runner: CliRunner) -> None:
    """--mask id cannot be: exit 2, as for evaluate --record --mask id."""
    result = runner.invoke(cli, ["serve", "--mask", "id", "--port", "1"])
    assert result.exit_code == 2
    assert "--mask id" in result.stderr


def test_it_says_where_to_point_a_browser_and_logs_each_request(tmp_path: Path) -> None:
    """The first lines name the questionnaire's and the API's addresses and the audit store;
    each request is then logged, as the README shows."""
    running = start_server(tmp_path)
    try:
        with running.client() as client:
            assert client.get("/healthz").status_code == 200
    finally:
        assert running.stop() == 0
    log = running.log.read_text(encoding="utf-8")
    assert f"Questionnaire: {running.url}/   API: {running.url}/docs\n" in log
    assert f"Audit store: {running.store}\n" in log
    assert '"GET /healthz HTTP/1.1" 200' in log


def test_no_access_log_leaves_requests_out_of_the_log(tmp_path: Path) -> None:
    """--no-access-log: the server answers, and its log has no line for the request."""
    running = start_server(tmp_path, "--no-access-log")
    try:
        with running.client() as client:
            assert client.get("/v1/rules").status_code == 200
    finally:
        assert running.stop() == 0
    log = running.log.read_text(encoding="utf-8")
    assert "Application startup complete" in log
    assert "GET /v1/rules" not in log
