"""The card before a call (`kehu show`): the card, its contacts and where it stands."""

from __future__ import annotations

from typing import Any

from kehu.store.sql import Connection, Row


def card_view(connection: Connection, reference: str) -> tuple[Row, list[Row], dict[str, Any]]:
    """A whole card as `kehu show` shows it: the card (archived ones too), its contacts (the key
    contact first), and where it stands in its pipeline with what its decision chain lacks there."""
    from kehu.domain.decision_chain import gaps
    from kehu.io.pipeline_files import all_pipelines
    from kehu.store.contacts import list_contacts
    from kehu.store.funnel import funnel_state
    from kehu.store.lookup import resolve_customer

    card = resolve_customer(connection, reference, include_archived=True)
    contacts = list(list_contacts(connection, card["id"]))
    state = funnel_state(connection, card["id"])
    pipeline = all_pipelines().get(state["pipeline"] or "")
    stage = None
    if pipeline is not None and state["stage"]:
        try:
            stage = pipeline.stage(state["stage"])
        except ValueError:  # a stage the pipeline file no longer has
            stage = None
    probability = stage.probability if stage else 0.0
    funnel = {
        "pipeline": state["pipeline"], "pipeline_label": pipeline.label if pipeline else state["pipeline"],
        "stage": state["stage"], "stage_label": stage.label if stage else (state["stage"] or "-"),
        "probability": probability, "stage_since": state["stage_since"], "status": state["status"],
        "gaps": gaps(contacts, probability, state["status"]),
    }  # fmt: skip
    return card, contacts, funnel
