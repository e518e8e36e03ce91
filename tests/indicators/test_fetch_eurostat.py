"""`zora fetch_eurostat` against a local HTTP server on 127.0.0.1 serving the real files."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from tests.indicators.conftest import DATA
from zora.indicators.models import ImportBatch, Observation

FILES = {"isoc_r_iacc_h": "isoc_r_iacc_h.csv", "sdg_09_40": "sdg_09_40_patentes_europa.csv"}


class Handler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        Handler.requests.append(self.path)
        parts = self.path.split("?")[0].strip("/").split("/")  # data/<dataset>/<filter>
        name = FILES.get(parts[1]) if len(parts) >= 2 else None
        if name is None:
            self.send_response(404)
            self.end_headers()
            return
        body = (DATA / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def eurostat(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EUROSTAT_API_URL = f"http://127.0.0.1:{server.server_address[1]}/data"
    Handler.requests = []
    yield Handler
    server.shutdown()


@pytest.mark.django_db
def test_fetch_and_import(regions, eurostat, capsys):
    call_command(
        "fetch_eurostat", "isoc_r_iacc_h", "--filter", "A.PC_HH.BG34+BG41", "--since", "2015"
    )
    out = capsys.readouterr().out
    assert "5870" in out
    assert eurostat.requests[0].startswith("/data/isoc_r_iacc_h/A.PC_HH.BG34+BG41?")
    assert "startPeriod=2015" in eurostat.requests[0] and "format=SDMX-CSV" in eurostat.requests[0]
    assert ImportBatch.objects.get().dataset == "ISOC_R_IACC_H"
    assert Observation.objects.filter(region_code="BG34").exists()


@pytest.mark.django_db
def test_fetch_reports_http_errors(regions, eurostat):
    with pytest.raises(CommandError, match="Could not download"):
        call_command("fetch_eurostat", "nope_dataset")
    assert Observation.objects.count() == 0
