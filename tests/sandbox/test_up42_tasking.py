"""UP42 tasking lifecycles: feasibility study, quotation, fulfilment, coverage, access."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from support.up42_sandbox import BERLIN, Up42, box

FIXTURES = Path(__file__).resolve().parents[2] / "sandbox" / "contract_data" / "up42" / "sdk-fixtures"
HOUR = 3600


@pytest.fixture
def up42(sandbox):
    client = Up42(sandbox)
    yield client
    client.close()


PAYLOADS = json.loads((FIXTURES.parent / "sdk-test-payloads.json").read_text())


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def place_tasking(up42, collection="phr-tasking", aoi=BERLIN, **kwargs):
    response = up42.place(up42.order_body(collection, up42.tasking_params(), aoi, **kwargs))
    assert response.status_code == 200 and not response.json()["errors"], response.text
    return response.json()["results"][0]["id"]


def state(up42, order_id):
    order = up42.order(order_id)
    return order["status"], order["orderDetails"]["subStatus"]


def only(page):
    assert page["totalElements"] == 1, page
    return page["content"][0]


def test_full_tasking_lifecycle_with_feasibility_and_quotation(sandbox, up42):
    order_id = place_tasking(up42, display_name="Tasking ref-1")
    order = up42.order(order_id)
    details = order["orderDetails"]
    assert order["type"] == "TASKING" and details["maxCloudCover"] == 10 and details["geometry"] == BERLIN
    # the SDK's tasking order fixture, key for key; orderDetails keys from its tasking test payload
    assert set(order) == set(fixture("order_archive_info.json"))
    assert set(fixture("order_archive_info.json")["orderDetails"]) <= set(details)
    payload_details = PAYLOADS["order_get_response_tasking"]["body"]["orderDetails"]
    assert set(details) <= set(payload_details) | {"spectralProcessing", "deliveredAs"}
    assert state(up42, order_id) == ("CREATED", "FEASIBILITY_WAITING_UPLOAD")
    assert up42.http.get("/v2/tasking/feasibility-studies", params={"orderId": order_id}).json()["content"] == []
    sandbox.advance(20 * 60)
    assert state(up42, order_id) == ("PLACED", "FEASIBILITY_WAITING_UPLOAD")
    sandbox.advance(2 * HOUR)
    assert state(up42, order_id) == ("PLACED", "FEASIBILITY_WAITING_RESPONSE")

    page = up42.http.get(
        "/v2/tasking/feasibility-studies", params={"orderId": order_id, "workspaceId": up42.workspace}
    ).json()
    assert set(page) == set(fixture("get_feasibility_NOT_DECIDED.json"))
    study = only(page)
    assert set(study) == set(fixture("get_feasibility_NOT_DECIDED.json")["content"][0])
    assert study["decision"] == "NOT_DECIDED" and len(study["options"]) == 2
    assert set(study["options"][0]) == set(fixture("get_feasibility_NOT_DECIDED.json")["content"][0]["options"][0])

    option = study["options"][1]["id"]
    wrong = up42.http.patch(f"/v2/tasking/feasibility-studies/{study['id']}", json={"acceptedOptionId": "nope"})
    assert wrong.status_code == 400
    decided = up42.http.patch(f"/v2/tasking/feasibility-studies/{study['id']}", json={"acceptedOptionId": option})
    assert decided.status_code == 200
    assert decided.json()["decision"] == "ACCEPTED" and decided.json()["decisionOption"]["id"] == option
    again = up42.http.patch(f"/v2/tasking/feasibility-studies/{study['id']}", json={"acceptedOptionId": option})
    assert again.status_code == 409 and set(again.json()) == {"code", "message", "details"}
    assert state(up42, order_id) == ("PLACED", "QUOTATION_WAITING_UPLOAD")

    assert up42.http.get("/v2/tasking/quotation", params={"orderId": order_id}).json()["content"] == []
    sandbox.advance(HOUR + 60)
    assert state(up42, order_id) == ("PLACED", "QUOTATION_WAITING_RESPONSE")
    quotations = up42.http.get("/v2/tasking/quotation", params={"orderId": order_id, "decision": "NOT_DECIDED"}).json()
    assert set(quotations) == set(fixture("get_quotations_workspace_id.json"))
    quotation = only(quotations)
    assert set(quotation) == set(fixture("get_quotations_workspace_id.json")["content"][0])
    estimate = up42.http.post("/v2/orders/estimate", json=up42.order_body("phr-tasking", up42.tasking_params(), BERLIN))
    assert quotation["creditsPrice"] == estimate.json()["summary"]["totalCredits"] > 0

    bad = up42.http.patch(f"/v2/tasking/quotation/{quotation['id']}", json={"decision": "MAYBE"})
    assert bad.status_code == 400
    accepted = up42.http.patch(f"/v2/tasking/quotation/{quotation['id']}", json={"decision": "ACCEPTED"})
    assert accepted.status_code == 200 and accepted.json()["decision"] == "ACCEPTED"
    assert accepted.json()["decisionByType"] == "USER"
    twice = up42.http.patch(f"/v2/tasking/quotation/{quotation['id']}", json={"decision": "REJECTED"})
    assert twice.status_code == 409
    assert state(up42, order_id) == ("PLACED", "QUOTATION_ACCEPTED")

    coverage = up42.http.get(f"/v2/coverage/orders/{order_id}").json()
    assert coverage["covered"]["percentage"] == 0.0 and coverage["remainder"]["percentage"] == 100.0
    sandbox.advance(HOUR + 60)
    assert state(up42, order_id) == ("BEING_FULFILLED", "QUOTATION_ACCEPTED")
    sandbox.advance(6 * HOUR)
    assert state(up42, order_id) == ("FULFILLED", "QUOTATION_ACCEPTED")
    coverage = up42.http.get(f"/v2/coverage/orders/{order_id}").json()
    assert coverage["covered"]["percentage"] == 100.0 and coverage["covered"]["sqKmArea"] > 0
    assert coverage["covered"]["geometry"]["features"][0]["geometry"]["type"] == "Polygon"


def test_rejected_quotation_fails_the_order(sandbox, up42):
    order_id = place_tasking(up42, collection="pneo-tasking")  # small AOI: no feasibility study
    assert state(up42, order_id) == ("CREATED", "QUOTATION_WAITING_UPLOAD")
    sandbox.advance(20 * 60)
    assert up42.http.get("/v2/tasking/feasibility-studies", params={"orderId": order_id}).json()["content"] == []
    sandbox.advance(HOUR)
    quotation = only(up42.http.get("/v2/tasking/quotation", params={"orderId": order_id}).json())
    response = up42.http.patch(f"/v2/tasking/quotation/{quotation['id']}", json={"decision": "REJECTED"})
    assert response.status_code == 200 and response.json()["decision"] == "REJECTED"
    assert state(up42, order_id) == ("FAILED_PERMANENTLY", "QUOTATION_REJECTED")
    listed = up42.http.get("/v2/orders", params={"subStatus": "QUOTATION_REJECTED"}).json()
    assert [o["id"] for o in listed["content"]] == [order_id]


def quotation_after_study(sandbox, up42, option_index):
    order_id = place_tasking(up42)
    sandbox.advance(20 * 60 + 2 * HOUR)
    study = only(up42.http.get("/v2/tasking/feasibility-studies", params={"orderId": order_id}).json())
    option = study["options"][option_index]["id"]
    decided = up42.http.patch(f"/v2/tasking/feasibility-studies/{study['id']}", json={"acceptedOptionId": option})
    assert decided.status_code == 200
    assert up42.http.get("/v2/tasking/quotation", params={"orderId": order_id}).json()["content"] == []
    sandbox.advance(HOUR + 60)
    return only(up42.http.get("/v2/tasking/quotation", params={"orderId": order_id}).json())


def test_the_quoted_price_follows_the_feasibility_classification(sandbox, up42):
    """Seed 002: support classes the operation easy or difficult, then quotes the final price."""
    estimate = up42.http.post("/v2/orders/estimate", json=up42.order_body("phr-tasking", up42.tasking_params(), BERLIN))
    estimated = estimate.json()["summary"]["totalCredits"]
    # as requested (cloud cover and incidence 10): difficult, quoted above the area estimate
    as_requested = quotation_after_study(sandbox, up42, 0)
    assert as_requested["creditsPrice"] == math.ceil(estimated * 1.5) > estimated
    # the option that extends the window: easy, quoted at the estimate
    assert quotation_after_study(sandbox, up42, 1)["creditsPrice"] == estimated
    # without a study, the request's own parameters decide: 20 % cloud and 20 degrees is easy
    params = {**up42.tasking_params(), "cloudCoverage": 20, "incidenceAngle": 20}
    response = up42.place(up42.order_body("pneo-tasking", params, BERLIN))
    assert response.status_code == 200 and response.json().get("results"), response.text
    order_id = response.json()["results"][0]["id"]
    easy_estimate = up42.http.post("/v2/orders/estimate", json=up42.order_body("pneo-tasking", params, BERLIN))
    sandbox.advance(20 * 60 + HOUR)
    quotation = only(up42.http.get("/v2/tasking/quotation", params={"orderId": order_id}).json())
    assert quotation["creditsPrice"] == easy_estimate.json()["summary"]["totalCredits"]


def test_large_pneo_aoi_needs_a_feasibility_study(sandbox, up42):
    order_id = place_tasking(up42, collection="pneo-tasking", aoi=box(13.0, 52.2, 13.8, 52.8))
    assert state(up42, order_id) == ("CREATED", "FEASIBILITY_WAITING_UPLOAD")


def test_cancel_early_tasking_order_and_decisions_after_that_are_refused(sandbox, up42):
    order_id = place_tasking(up42)
    assert up42.http.post(f"/v2/orders/{order_id}/cancellation").status_code == 200
    sandbox.advance(3 * HOUR)
    assert state(up42, order_id)[0] == "CANCELED"
    # the study was due after the cancellation: it never appears
    assert up42.http.get("/v2/tasking/feasibility-studies", params={"orderId": order_id}).json()["content"] == []


def test_decision_on_an_order_cancelled_after_upload_is_409(sandbox, up42):
    order_id = place_tasking(up42)
    sandbox.advance(3 * HOUR)
    study = only(up42.http.get("/v2/tasking/feasibility-studies", params={"orderId": order_id}).json())
    sandbox.admin("POST", f"up42/orders/{order_id}/fail", {"status": "PLACEMENT_FAILED"})
    assert up42.http.post(f"/v2/orders/{order_id}/cancellation").status_code == 200
    response = up42.http.patch(
        f"/v2/tasking/feasibility-studies/{study['id']}", json={"acceptedOptionId": study["options"][0]["id"]}
    )
    assert response.status_code == 409 and "CANCELED" in response.json()["message"]


def test_tasking_without_access_is_403(sandbox):
    other = Up42(sandbox, user=1)  # pneo-tasking: PENDING, phr-tasking: never requested
    for collection, status in (("pneo-tasking", "PENDING"), ("phr-tasking", "NOT_REQUESTED")):
        response = other.place(other.order_body(collection, other.tasking_params(), BERLIN))
        assert response.status_code == 403 and response.json()["details"]["accessRequestStatus"] == status
    assert (
        other.http.post(
            "/v2/orders/estimate", json=other.order_body("pneo-tasking", other.tasking_params(), BERLIN)
        ).status_code
        == 200
    )


def test_studies_and_quotations_of_other_workspaces_stay_hidden(sandbox, up42):
    order_id = place_tasking(up42)
    sandbox.advance(3 * HOUR)
    study = only(up42.http.get("/v2/tasking/feasibility-studies").json())
    other = Up42(sandbox, user=1)
    assert other.http.get("/v2/tasking/feasibility-studies").json()["totalElements"] == 0
    response = other.http.patch(
        f"/v2/tasking/feasibility-studies/{study['id']}", json={"acceptedOptionId": study["options"][0]["id"]}
    )
    assert response.status_code == 404
    assert other.http.get(f"/v2/coverage/orders/{order_id}").status_code == 404
    assert up42.http.get("/v2/tasking/quotation", params={"decision": "LATER"}).status_code == 400
