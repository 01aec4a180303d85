"""One wording for errors shown to the user (issue 12 item 4): Nadir's own errors say
their message, anything else is a bug: one generic sentence, the traceback in the log."""

from __future__ import annotations

import logging

import pytest

from nadir.core import errors
from nadir.core.errors import UNEXPECTED, user_message

UNEXPECTED_TEXT = "Something went wrong inside Nadir. The details are in the log (Nadir tab)."


@pytest.mark.parametrize(
    "error",
    [
        errors.ProviderAuthError("UP42 refused the credentials. Check them in Settings > Options > Nadir."),
        errors.ProviderUnavailable("Geopera is not reachable: the request timed out."),
        errors.InputError("The AOI is empty."),
        errors.NadirError("Plain."),
    ],
)
def test_nadir_errors_say_their_own_message(error, caplog):
    with caplog.at_level(logging.DEBUG):
        assert user_message(error) == error.message
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_context_comes_first():
    error = errors.ProviderUnavailable("ClearSKY is not reachable.")
    assert user_message(error, "The tile grid could not be loaded") == (
        "The tile grid could not be loaded: ClearSKY is not reachable."
    )
    assert user_message(KeyError("x"), "Checkout") == f"Checkout: {UNEXPECTED_TEXT}"


def test_any_other_error_is_the_one_generic_sentence_and_its_traceback_is_logged(caplog):
    try:
        {}["missing"]
    except KeyError as exc:
        error = exc
    with caplog.at_level(logging.ERROR):
        text = user_message(error, "Estimate")
    assert text == f"Estimate: {UNEXPECTED_TEXT}" and UNEXPECTED == UNEXPECTED_TEXT
    assert "missing" not in text
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None and record.exc_info[1] is error
    assert "Estimate" in record.getMessage()


def test_an_error_already_logged_is_not_logged_twice(caplog):
    with caplog.at_level(logging.DEBUG):
        assert user_message(RuntimeError("boom"), logged=True) == UNEXPECTED_TEXT
    assert not caplog.records


def test_the_text_goes_through_the_translation_given():
    def german(text: str) -> str:
        return {UNEXPECTED_TEXT: "In Nadir ist etwas schiefgegangen.", "Plain.": "Schlicht."}.get(text, text)

    assert user_message(ValueError(), "Kasse", translate=german, logged=True) == (
        "Kasse: In Nadir ist etwas schiefgegangen."
    )
    assert user_message(errors.NadirError("Plain."), translate=german) == "Schlicht."


def test_cancelling_is_said_as_such():
    assert user_message(errors.OperationCancelled()) == errors.OperationCancelled().message
