"""Every wire schema mirrors its domain class: same fields, same required-ness, same defaults.

The conversions (api/schemas/convert.py) copy field by field; these checks make a
field added to a domain class fail here until the wire carries it too.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from api.schemas import plan_document
from api.schemas.jobs import JobIn, JobOut, OperationFields, OperationOut, PinIn
from api.schemas.workshops import PartsIn, WorkshopConfig, WorkshopCreate
from scheduler.jobs import Job, Operation, PartsSituation, Pin
from scheduler.plan import Plan
from scheduler.workshop import Workshop

JOB_OUT_META = frozenset({"workshop_id", "day", "version", "updated_at"})
"""What a job response adds to the domain job: where and when it was stored."""

NONE_MEANS_DEFAULT = frozenset(
    {"opening_hours", "default_breaks", "skills", "bay_capabilities", "certifications"}
)
"""Workshop fields whose wire default None stands for the domain's default."""


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The model classes inside an annotation: X, list[X], dict[str, list[X]], X | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for argument in get_args(annotation) for model in _models(argument)]


def _default(field: FieldInfo) -> Any:
    value = field.get_default(call_default_factory=True)
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def _field_gaps(path: str, wire: FieldInfo, domain: FieldInfo, lenient_default: bool) -> list[str]:
    if wire.is_required() != domain.is_required():
        if not (lenient_default and wire.default is None):
            return [f"{path}: required on one side only"]
        return []
    if wire.is_required() or (lenient_default and wire.default is None):
        return []
    if _default(wire) != _default(domain):
        return [f"{path}: default {_default(wire)!r} on the wire, {_default(domain)!r} in the domain"]
    return []


def mirror_gaps(
    wire: type[BaseModel],
    domain: type[BaseModel],
    *,
    wire_only: frozenset[str] = frozenset(),
    domain_only: frozenset[str] = frozenset(),
    none_means_default: frozenset[str] = frozenset(),
    compare_defaults: bool = True,
    path: str = "",
) -> list[str]:
    """Where the wire class and the domain class differ, nested classes included.

    The exceptions name fields by their dotted path from the top class. Responses
    always carry every field, so for them required-ness and defaults do not matter
    (compare_defaults=False); for requests they decide what an omission means.
    """
    wire_fields, domain_fields = wire.model_fields, domain.model_fields
    gaps = [
        f"{path}{name}: missing on the wire"
        for name in domain_fields.keys() - wire_fields.keys()
        if f"{path}{name}" not in domain_only
    ]
    gaps += [
        f"{path}{name}: not in the domain"
        for name in wire_fields.keys() - domain_fields.keys()
        if f"{path}{name}" not in wire_only
    ]
    for name in sorted(wire_fields.keys() & domain_fields.keys()):
        here = f"{path}{name}"
        if compare_defaults:
            gaps += _field_gaps(here, wire_fields[name], domain_fields[name], here in none_means_default)
        wire_models, domain_models = (
            _models(wire_fields[name].annotation),
            _models(domain_fields[name].annotation),
        )
        if len(wire_models) != len(domain_models):
            gaps.append(f"{here}: {wire_models} on the wire, {domain_models} in the domain")
            continue
        for wire_model, domain_model in zip(wire_models, domain_models, strict=True):
            gaps += mirror_gaps(
                wire_model,
                domain_model,
                wire_only=wire_only,
                domain_only=domain_only,
                none_means_default=none_means_default,
                compare_defaults=compare_defaults,
                path=f"{here}.",
            )
    return gaps


@pytest.mark.parametrize(
    ("wire", "domain", "options"),
    [
        (WorkshopCreate, Workshop, {"none_means_default": NONE_MEANS_DEFAULT}),
        (PartsIn, PartsSituation, {}),
        (plan_document.Plan, Plan, {}),
        (JobOut, Job, {"wire_only": JOB_OUT_META, "compare_defaults": False}),
        (OperationOut, Operation, {"compare_defaults": False}),
        (PinIn, Pin, {}),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_the_wire_carries_every_domain_field(
    wire: type[BaseModel], domain: type[BaseModel], options: dict[str, Any]
) -> None:
    assert mirror_gaps(wire, domain, **options) == []


@pytest.mark.parametrize(
    ("wire", "domain", "options"),
    [
        (WorkshopConfig, Workshop, {"domain_only": {"id"}, "none_means_default": NONE_MEANS_DEFAULT}),
        # A job's status may be omitted: it stays as stored.
        (
            JobIn,
            Job,
            {
                "domain_only": {"id", "operations.status", "operations.progress", "operations.pin"},
                "none_means_default": {"status"},
            },
        ),
        (OperationFields, Operation, {"domain_only": {"id", "status", "progress", "pin"}}),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_requests_take_every_domain_field_but_what_the_path_or_the_service_sets(
    wire: type[BaseModel], domain: type[BaseModel], options: dict[str, Any]
) -> None:
    frozen: dict[str, Any] = {key: frozenset(value) for key, value in options.items()}
    assert mirror_gaps(wire, domain, **frozen) == []


def test_missing_fields_and_other_defaults_are_reported() -> None:
    class Narrow(BaseModel):
        id: str
        count: int = 1

    class Wide(BaseModel):
        id: str
        count: int = 2
        name: str = ""

    assert mirror_gaps(Narrow, Wide) == [
        "name: missing on the wire",
        "count: default 1 on the wire, 2 in the domain",
    ]
    assert mirror_gaps(Wide, Narrow, compare_defaults=False) == ["name: not in the domain"]
