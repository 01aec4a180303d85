"""The UI's user_message: core's one wording, passed through the translation of core texts."""

from __future__ import annotations

from nadir.core import errors
from nadir.toolbelt import core_text
from nadir.toolbelt.core_text import user_message


def test_the_generic_sentence_and_nadir_messages_go_through_tr_core(monkeypatch):
    seen: list[str] = []

    def tr_core(text: str) -> str:
        seen.append(text)
        return f"[{text}]"

    monkeypatch.setattr(core_text, "tr_core", tr_core)
    assert user_message(RuntimeError("bug"), "Checkout", logged=True) == f"Checkout: [{errors.UNEXPECTED}]"
    assert user_message(errors.ProviderUnavailable("UP42 is not reachable.")) == "[UP42 is not reachable.]"
    assert seen == [errors.UNEXPECTED, "UP42 is not reachable."]


def test_without_a_translator_the_english_text_is_shown():
    assert user_message(errors.NotSupported("No grid.")) == "No grid."
    assert user_message(KeyError("k"), logged=True) == errors.UNEXPECTED
