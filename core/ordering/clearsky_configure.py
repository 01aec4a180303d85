"""Configuring a ClearSKY order: what is being ordered, the settings, and
every rule the provider documents, checked before anything is sent.

Sources: ClearSKY's "Order Data" guide ("Configure Settings", "Advanced Settings"), its
"Create an Order in the Dashboard" guide (step 3), and the request example and enums of its
API reference (``POST /api/tasking/orders/estimate``).

- **Model** one of the provider's models (``GET /api/tasking/models``).
- **Constellations** the model's required ones always, optional ones as chosen, nothing
  the model does not take; at least one in all.
- **From** a month: ``From`` is always the first day of a month (YYYY-MM-01), not
  before January 2016.
- **To** a date (the last image date, inclusive) or nothing: nothing means a recurring
  live order that renews every month until cancelled. Never before From.
- **Image frequency** whole days between images, 1 (daily) to 31.
- **Reference date** optional; aligns the image schedule of several orders (the
  provider uses the From date when none is given).
- **Storage months** 1 to 24; the first month is free.
- **API requests** 1 to 1,000.
- **Tile deduplication** tile and minitile orders only.
- **Area** a composite needs polygons, a tile order at least one cell and no minitile
  of a tile that is ordered whole; each polygon is billed for at least 1 km² (a
  notice, not an error). A composite larger than the account's ``MaxCompositeAreaKm2``
  (``/api/account/info``; 10,000 km² on the sandbox) is refused: ClearSKY would take
  the order and bill it, but every retrieval of it (``/process/composite``, one image
  of the whole area) is refused with HTTP 400, so its imagery could never be loaded.

ClearSKY's public documents give no bounds for storage months, API requests, the
frequency's upper end or the earliest From; the bounds here are the ones the sandbox
stand-in chose for them (``sandbox/clearsky_orders.py``). If the real API differs,
its per-field 992 messages are still shown when the estimate is asked for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from ..errors import InputError
from ..models import ClearSkySpec, GeoJSON, ImageryModel, OrderKind
from .clearsky_limits import API_REQUESTS, MAX_FREQUENCY, MIN_FREQUENCY, STORAGE_MONTHS

EARLIEST_FROM = date(2016, 1, 1)
MIN_BILLED_KM2 = 1.0


@dataclass(frozen=True)
class OrderTarget:
    """What an order covers: chosen AOIs (composite) or grid cells (tile order)."""

    kind: OrderKind
    aoi: Optional[GeoJSON] = None  # MultiPolygon/Polygon in EPSG:4326
    aoi_names: tuple[str, ...] = ()
    aoi_areas_km2: tuple[float, ...] = ()  # geodesic area per AOI
    tile_guids: tuple[str, ...] = ()
    minitile_guids: tuple[str, ...] = ()
    #: (minitile GUID, its tile's GUID) where known, to catch a minitile of a whole tile
    parents: tuple[tuple[str, str], ...] = ()

    @classmethod
    def composite(cls, aoi: GeoJSON, names: Sequence[str] = (), areas_km2: Sequence[float] = ()) -> OrderTarget:
        return cls(OrderKind.COMPOSITE, aoi=aoi, aoi_names=tuple(names), aoi_areas_km2=tuple(areas_km2))

    @classmethod
    def cells(
        cls, tile_guids: Sequence[str] = (), minitile_guids: Sequence[str] = (), parents: Sequence[tuple[str, str]] = ()
    ) -> OrderTarget:
        return cls(
            OrderKind.TILE, tile_guids=tuple(tile_guids), minitile_guids=tuple(minitile_guids), parents=tuple(parents)
        )

    @classmethod
    def of(cls, spec: ClearSkySpec, names: Sequence[str] = (), areas_km2: Sequence[float] = ()) -> OrderTarget:
        if spec.aoi is not None:
            return cls.composite(spec.aoi, names, areas_km2)
        return cls.cells(spec.tile_guids, spec.minitile_guids)

    @property
    def area_km2(self) -> Optional[float]:
        return sum(self.aoi_areas_km2) if self.aoi_areas_km2 else None

    @property
    def summary(self) -> str:
        """What the order covers, in words (English; the UI has its own translated form)."""
        if self.kind is OrderKind.COMPOSITE:
            count = max(len(self.aoi_names), len(self.aoi_areas_km2), 1 if self.aoi else 0)
            text = f"{count} AOI" + ("s" if count != 1 else "")
            return text + (f", {self.area_km2:,.2f} km²" if self.area_km2 is not None else "")
        parts = []
        if self.tile_guids:
            parts.append(f"{len(self.tile_guids)} tile" + ("s" if len(self.tile_guids) != 1 else ""))
        if self.minitile_guids:
            parts.append(f"{len(self.minitile_guids)} minitile" + ("s" if len(self.minitile_guids) != 1 else ""))
        return " and ".join(parts) or "no cells"


@dataclass(frozen=True)
class Draft:
    """The configure dialog's values, valid or not."""

    model: str = ""
    constellations: tuple[str, ...] = ()
    start: Optional[date] = None
    end: Optional[date] = None  # None: recurring live order
    frequency_days: int = 1
    reference_date: Optional[date] = None
    storage_months: int = 1
    api_requests: int = 1
    tile_dedup: bool = False

    @classmethod
    def of(cls, spec: ClearSkySpec) -> Draft:
        return cls(
            model=spec.model,
            constellations=spec.constellations,
            start=spec.start,
            end=spec.end,
            frequency_days=spec.frequency_days,
            reference_date=spec.reference_date,
            storage_months=spec.storage_months,
            api_requests=spec.api_requests,
            tile_dedup=spec.tile_dedup,
        )

    def replace(self, **changes: object) -> Draft:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Problem:
    field: str  # "target", "model", "constellations", "start", "end", "frequency_days", ...
    message: str
    blocking: bool = True


@dataclass(frozen=True)
class Check:
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not any(p.blocking for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.blocking)

    @property
    def notices(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.blocking)

    def for_field(self, name: str) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.field == name)


def max_composite_area(extra: Mapping[str, object]) -> Optional[float]:
    """``MaxCompositeAreaKm2`` from the account's details (``AccountInfo.extra``), if given."""
    value = extra.get("MaxCompositeAreaKm2")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number > 0 else None


def month_start(day: date) -> date:
    return day.replace(day=1)


def find_model(models: Sequence[ImageryModel], name: str) -> Optional[ImageryModel]:
    for model in models:
        if model.name == name:
            return model
    return None


def with_required(draft: Draft, model: Optional[ImageryModel]) -> Draft:
    """The draft with the model's required constellations added and foreign ones dropped."""
    if model is None:
        return draft
    known = set(model.required) | set(model.optional)
    chosen = [c for c in model.required] + [c for c in draft.constellations if c in known and c not in model.required]
    return draft.replace(constellations=tuple(chosen))


def composite_area_problem(area_km2: Optional[float], max_area_km2: Optional[float]) -> Optional[str]:
    """Why a composite of ``area_km2`` cannot be delivered under the account's limit
    (``MaxCompositeAreaKm2``), or None. One rule for the configure dialog, the checkout
    and the Processing algorithms."""
    if area_km2 is None or max_area_km2 is None or area_km2 <= max_area_km2:
        return None
    return (
        f"This composite covers {area_km2:,.0f} km², more than the {max_area_km2:,.0f} km² your ClearSKY "
        f"account retrieves as one composite (MaxCompositeAreaKm2). ClearSKY would take and bill the order, "
        f"but its images could never be loaded. Order smaller areas separately (each at most "
        f"{max_area_km2:,.0f} km²) or use a tile order for a large area."
    )


def _target_problems(target: OrderTarget, max_area_km2: Optional[float] = None) -> list[Problem]:
    problems = []
    if target.kind is OrderKind.COMPOSITE:
        if not target.aoi:
            problems.append(Problem("target", "Choose at least one AOI for a composite order."))
        too_large = composite_area_problem(target.area_km2, max_area_km2)
        if too_large:
            problems.append(Problem("target", too_large))
        small = [a for a in target.aoi_areas_km2 if a < MIN_BILLED_KM2]
        if small:
            problems.append(
                Problem(
                    "target",
                    f"{len(small)} AOI(s) are smaller than 1 km²; ClearSKY bills each AOI for at least 1 km².",
                    blocking=False,
                )
            )
    elif not (target.tile_guids or target.minitile_guids):
        problems.append(Problem("target", "Select at least one tile or minitile on the grid for a tile order."))
    else:
        whole = set(target.tile_guids)
        inside = sorted({tile for mini, tile in target.parents if tile in whole and mini in target.minitile_guids})
        if inside:
            problems.append(
                Problem(
                    "target",
                    f"{len(inside)} tile(s) are ordered whole and also as minitiles; "
                    f"select either the tile or some of its minitiles.",
                )
            )
    return problems


def _model_problems(draft: Draft, models: Sequence[ImageryModel]) -> list[Problem]:
    if not models:
        return [Problem("model", "The AI models have not been loaded from ClearSKY yet.")]
    if not draft.model:
        return [Problem("model", "Choose an AI model.")]
    model = find_model(models, draft.model)
    if model is None:
        names = ", ".join(m.name for m in models)
        return [Problem("model", f"ClearSKY does not offer the model {draft.model!r} (offered: {names}).")]
    problems = []
    missing = [c for c in model.required if c not in draft.constellations]
    if missing:
        problems.append(
            Problem("constellations", f"{model.name} always uses {', '.join(missing)}; it cannot be left out.")
        )
    foreign = [c for c in draft.constellations if c not in model.required and c not in model.optional]
    if foreign:
        problems.append(Problem("constellations", f"{model.name} does not take {', '.join(foreign)} as input."))
    if not draft.constellations:
        problems.append(Problem("constellations", "Choose at least one satellite constellation."))
    return problems


def _date_problems(draft: Draft) -> list[Problem]:
    problems = []
    if draft.start is None:
        problems.append(Problem("start", "Choose the first month (From)."))
    elif draft.start.day != 1:
        problems.append(
            Problem(
                "start",
                f"ClearSKY orders start on the first day of a month; use {month_start(draft.start).isoformat()}.",
            )
        )
    elif draft.start < EARLIEST_FROM:
        problems.append(Problem("start", "ClearSKY imagery starts in January 2016; choose that month or later."))
    if draft.end is not None and draft.start is not None and draft.end < draft.start:
        problems.append(
            Problem(
                "end",
                "The end date (To) is before the start (From). Choose a later date, or "
                "leave To empty for a recurring live order.",
            )
        )
    if not MIN_FREQUENCY <= draft.frequency_days <= MAX_FREQUENCY:
        problems.append(
            Problem(
                "frequency_days",
                f"The image frequency is the number of days between images: "
                f"{MIN_FREQUENCY} (daily) to {MAX_FREQUENCY}.",
            )
        )
    return problems


def check(
    draft: Draft, target: OrderTarget, models: Sequence[ImageryModel], max_area_km2: Optional[float] = None
) -> Check:
    """Every problem with this configuration, blocking ones and notices. ``max_area_km2``
    is the account's ``MaxCompositeAreaKm2`` when it is known."""
    problems = _target_problems(target, max_area_km2) + _model_problems(draft, models) + _date_problems(draft)
    low, high = STORAGE_MONTHS
    if not low <= draft.storage_months <= high:
        problems.append(Problem("storage_months", f"Storage is {low} to {high} months (the first month is free)."))
    low, high = API_REQUESTS
    if not low <= draft.api_requests <= high:
        problems.append(Problem("api_requests", f"An order includes {low} to {high:,} API requests."))
    if draft.tile_dedup and target.kind is not OrderKind.TILE:
        problems.append(
            Problem(
                "tile_dedup",
                "Tile deduplication applies to tile and minitile orders only; switch it off for a composite order.",
            )
        )
    return Check(tuple(problems))


def build_spec(
    draft: Draft, target: OrderTarget, models: Sequence[ImageryModel], max_area_km2: Optional[float] = None
) -> ClearSkySpec:
    """The order spec, or :class:`InputError` listing every blocking problem."""
    result = check(draft, target, models, max_area_km2)
    if not result.ok:
        raise InputError("The order cannot be configured like this: " + " ".join(p.message for p in result.errors))
    assert draft.start is not None
    return ClearSkySpec(
        model=draft.model,
        constellations=draft.constellations,
        start=draft.start,
        end=draft.end,
        frequency_days=draft.frequency_days,
        reference_date=draft.reference_date,
        storage_months=draft.storage_months,
        api_requests=draft.api_requests,
        tile_dedup=draft.tile_dedup and target.kind is OrderKind.TILE,
        aoi=target.aoi if target.kind is OrderKind.COMPOSITE else None,
        tile_guids=target.tile_guids if target.kind is OrderKind.TILE else (),
        minitile_guids=target.minitile_guids if target.kind is OrderKind.TILE else (),
    )
