"""The API description lists the readiness, fund, dashboard and listing endpoints."""


def test_openapi_lists_issue_six_resources_with_money_as_strings(client):
    spec = client.get("/api/v1/openapi.json").json
    for path in (
        "/api/v1/readiness/rule-sets",
        "/api/v1/readiness/batches",
        "/api/v1/funds/{guidance_fund_id}/sub-funds",
        "/api/v1/funds/sub-funds/{sub_fund_id}/figures",
        "/api/v1/dashboards/zones/{code}",
        "/api/v1/listings",
    ):
        assert path in spec["paths"], path
    figures = spec["components"]["schemas"]["SubFundFigures"]["properties"]
    assert figures["idle"]["type"] == "string"
    assert (
        spec["components"]["schemas"]["SubFund"]["properties"]["guidance_commitment"]["type"]
        == "string"
    )
