"""schemathesis against /api/openapi.json: generated calls to every documented operation,
anonymous and with a learner's token, must never answer 5xx, must answer a documented
status, and must match the documented shape (errors: {error, message})."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# What the issue asks: no 5xx, a documented status, the documented content type and
# shape. Not "every schema-valid body is accepted": most bodies the schema allows are
# refused by the domain rules (unknown ids, wrong answer types), with a 4xx.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]



@pytest.fixture
def api_app(app, api_token):
    app.config["COACH_RATE_LIMIT"] = app.config["COACH_RATE_LIMIT_PER_ADDRESS"] = 10**6
    app.config["SIGN_IN_FAILURES"] = 10**6
    return app


def test_the_description_is_served_and_lists_every_api_route(client, app):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    documented = set()
    for path in spec["paths"]:
        documented.add(path.replace("{", "<").replace("}", ">"))
    routes = {rule.rule for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") and rule.endpoint not in (
                  "api.openapi", "api.workshop_events")}
    simplified = {r.replace("<int:", "<") for r in routes}
    assert simplified == documented


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(api_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)


@pytest.fixture
def learner_headers(api_token):
    return {"Authorization": f"Bearer {api_token('schema@example.com')}"}


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, learner_headers):
    case.call_and_validate(headers=learner_headers
                           if case.operation.path != "/api/tokens" else {}, checks=CHECKS)

