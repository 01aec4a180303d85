"""What to do first, on the dock's Start tab: a short ordered list that follows the state.

No credentials -> set them up; no AOI and no tiles -> draw or pick one; nothing in the
cart -> configure an order; a cart -> check out; orders -> follow them and load the
deliveries. :func:`first_steps` is the rule (plain values in, steps out);
:class:`ui.start_feature.StartFeature` gathers the values from the other features'
services and shows the steps on :class:`ui.dock.StartPage`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..core.provider_info import PROVIDERS
from ..toolbelt.i18n import tr
from ..toolbelt.settings import Settings


@dataclass(frozen=True)
class Progress:
    credentials: bool
    aois: Optional[int] = None  # None: not known yet (the feature is not started)
    cells: Optional[int] = None
    cart_items: Optional[int] = None
    orders: Optional[int] = None


@dataclass(frozen=True)
class Step:
    text: str
    done: bool


def has_credentials(settings: Settings) -> bool:
    return any(settings.connection(p).enabled and bool(settings.connection(p).authcfg) for p in PROVIDERS)


def first_steps(progress: Progress) -> list[Step]:
    """The steps of the ordering story, in order, each done or not."""
    orders = progress.orders or 0
    cart = progress.cart_items or 0
    area = (progress.aois or 0) + (progress.cells or 0)
    return [
        Step(
            tr("Set up your provider credentials: <i>Settings › Options › Nadir</i> (the button below)."),
            progress.credentials,
        ),
        Step(
            tr(
                "Draw, import or paste an area of interest (<i>Areas of interest</i> tab), or pick tiles on "
                "the <i>Tile grid</i> tab."
            ),
            area > 0 or cart > 0 or orders > 0,
        ),
        Step(
            tr(
                "Click <i>Configure order…</i> for the chosen AOIs or tiles: the order goes to the <i>Cart</i> "
                "with the provider's price."
            ),
            cart > 0 or orders > 0,
        ),
        Step(tr("Check out (<i>Checkout…</i> in the <i>Cart</i> tab): review the totals and confirm."), orders > 0),
        Step(tr("Follow your orders in the <i>Orders</i> tab and load the deliveries as layers."), False),
    ]


def steps_html(steps: list[Step]) -> str:
    rows = []
    next_marked = False
    for step in steps:
        if step.done:
            rows.append(f"<li><span style='color:#2e7d32'>✓</span> <s>{step.text}</s></li>")
        elif not next_marked:
            next_marked = True
            rows.append("<li>" + tr("<b>Next:</b> {}").format(step.text) + "</li>")
        else:
            rows.append(f"<li>{step.text}</li>")
    title = tr("First steps")
    return f"<p><b>{title}</b></p><ol>{''.join(rows)}</ol>"
