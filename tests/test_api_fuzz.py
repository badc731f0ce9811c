"""Schemathesis generates requests from the OpenAPI spec; no operation may answer a 5xx.

The operations are driven with Hypothesis directly (schemathesis' pytest plugin does not load on
the pytest version we run), each with a bounded number of examples.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from ontology.settings import Settings
from ui.api import create_app

pytestmark = pytest.mark.timeout(1200)
EXAMPLES = 30


def test_no_server_errors(corpus_settings: Settings) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(corpus_settings))
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case) -> None:  # noqa: ANN001 - a schemathesis Case
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}: "
                                f"{response.text[:200]}")
            elif response.status_code >= 400:
                ctype = response.headers.get("content-type") or [""]
                ctype = ctype[0] if isinstance(ctype, list) else ctype
                assert ctype.startswith("application/problem+json"), response.text

        run()
    assert operations >= 14
    assert not failures, "\n".join(failures[:10])
