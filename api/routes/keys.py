"""API keys: an admin makes keys for its own workshop or dealer group."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from api.auth import Permission, PrincipalDep, new_key, require, store_key, visible_workshop
from api.deps import SessionDep
from api.problems import ApiProblem, error_responses
from api.schemas.keys import KEY_EXAMPLE, KeyCreate, KeyCreated

router = APIRouter(prefix="/v1/api-keys", tags=["api keys"], responses=error_responses(401, 403, 404, 422))


@router.post("", status_code=201, response_model=KeyCreated)
def create_key(
    body: Annotated[KeyCreate, Body(openapi_examples={"key": {"value": KEY_EXAMPLE}})],
    session: SessionDep,
    principal: PrincipalDep,
) -> KeyCreated:
    """Make a key; the answer is the only time the key is shown."""
    require(Permission.MANAGE_KEYS, principal)
    workshop_id = body.workshop_id or principal.workshop_id
    if workshop_id is not None:
        visible_workshop(session, principal, workshop_id)
        group_id = None
    elif principal.group_id is not None:
        group_id = principal.group_id
    else:  # pragma: no cover - a key has a workshop or a group
        raise ApiProblem(422, "name the workshop the key is for")
    key = new_key()
    row = store_key(session, key, name=body.name, role=body.role, workshop_id=workshop_id, group_id=group_id)
    session.commit()
    return KeyCreated(
        id=row.id, key=key, name=row.name, role=body.role, workshop_id=workshop_id, group_id=group_id
    )
