"""pdz comune / GET /v1/comuni/{name}: a comune's Ambiti and periods from the graph, any written form."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.comuni import ComuneNotFound, comune_story
from kg.ingest import ingest_paths
from ontology.settings import Settings
from kg.store import GraphStore

pytestmark = pytest.mark.timeout(600)

PLAN_2021 = """Piano di Zona 2021-2023 dell'Ambito territoriale di Melegnano

L'Ambito comprende i Comuni di Carpiano, Cerro al Lambro, San Zenone al Lambro e Vizzolo Predabissi.
"""
PLAN_2025 = """PIANO DI ZONA 2025-2027 - AMBITO DISTRETTUALE DI SAN GIULIANO MILANESE

Comuni dell'Ambito: CARPIANO - COLTURANO - SAN ZENONE AL LAMBRO - DRESANO
"""


def test_comune_story_any_form(store: GraphStore, backend_settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "melegnano_2021.txt").write_text(PLAN_2021, encoding="utf-8")
    (tmp_path / "sangiuliano_2025.txt").write_text(PLAN_2025, encoding="utf-8")
    report = ingest_paths([tmp_path], store, backend_settings, ocr="never")
    assert not report.errors, report.errors
    for written in ("SAN ZENONE AL LAMBRO", "San Zenone al Lambro", "san zenone al lambro", "015202"):
        story = comune_story(store, written)
        assert story.istat == "015202" and story.province == "MI" and story.region == "lombardia"
        periods = {a.id: a.periods for a in story.ambiti}
        assert periods == {"ambito:melegnano": ["2021-2023"], "ambito:san-giuliano-milanese": ["2025-2027"]}
        assert all(e.quote and e.source for a in story.ambiti for e in a.evidence)
    assert [a.id for a in comune_story(store, "Vizzolo-Predabissi").ambiti] == ["ambito:melegnano"]
    with pytest.raises(ComuneNotFound):
        comune_story(store, "Paperopoli")


def test_api_and_cli_answer_for_a_corpus_comune(corpus_settings: Settings) -> None:
    import json
    import os
    import subprocess
    import sys

    from fastapi.testclient import TestClient

    from ui.api import create_app

    with TestClient(create_app(corpus_settings)) as client:
        body = client.get("/v1/comuni/SAN ZENONE AL LAMBRO").json()
        assert body["istat"] == "015202"
        assert {a["id"]: a["periods"] for a in body["ambiti"]}["ambito:san-giuliano-milanese"] == ["2021-2023"]
        oglio = client.get("/v1/comuni/Casalmaggiore").json()
        assert "ambito:oglio-po" in {a["id"] for a in oglio["ambiti"]}
        assert client.get("/v1/comuni/Paperopoli").status_code == 404
    env = {**os.environ, "PDZ_DATA_DIR": str(corpus_settings.data_dir)}
    env.pop("NEO4J_URI", None)
    out = subprocess.run([sys.executable, "-m", "ui", "comune", "Vizzolo-Predabissi", "--json"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "ambito:san-giuliano-milanese" in {a["id"] for a in json.loads(out.stdout)["ambiti"]}
