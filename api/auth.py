"""API keys: stored as SHA-256 hashes, scoped to one workshop or a dealer group, with a role."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import ApiKeyRow, WorkshopRow
from api.db.session import utcnow
from api.problems import ApiProblem, not_found


class Role(StrEnum):
    DMS = "dms"
    DISPATCHER = "dispatcher"
    ADVISOR = "advisor"
    ADMIN = "admin"


class Permission(StrEnum):
    READ = "read"
    WRITE_JOBS = "write_jobs"
    POST_EVENTS = "post_events"
    SOLVE = "solve"
    PUBLISH = "publish"
    PIN = "pin"
    CONFIGURE = "configure"
    MANAGE_KEYS = "manage_keys"
    QUOTE = "quote"
    """Promise quotes and appointment slots (the front desk)."""
    SUPPLEMENTAL = "supplemental"
    """Propose supplemental work and record the customer's answer."""


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.DMS: frozenset(
        {Permission.READ, Permission.WRITE_JOBS, Permission.POST_EVENTS, Permission.SUPPLEMENTAL}
    ),
    Role.ADVISOR: frozenset(
        {Permission.READ, Permission.WRITE_JOBS, Permission.QUOTE, Permission.SUPPLEMENTAL}
    ),
    Role.DISPATCHER: frozenset(
        {
            Permission.READ,
            Permission.WRITE_JOBS,
            Permission.POST_EVENTS,
            Permission.SOLVE,
            Permission.PUBLISH,
            Permission.PIN,
            Permission.QUOTE,
            Permission.SUPPLEMENTAL,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return "bp_" + secrets.token_urlsafe(32)


def store_key(
    session: Session,
    key: str,
    *,
    name: str,
    role: Role,
    workshop_id: str | None = None,
    group_id: str | None = None,
) -> ApiKeyRow:
    if (workshop_id is None) == (group_id is None):
        raise ValueError("a key belongs to exactly one workshop or one dealer group")
    row = ApiKeyRow(
        id=secrets.token_hex(8),
        key_hash=hash_key(key),
        name=name,
        role=role.value,
        workshop_id=workshop_id,
        group_id=group_id,
        created_at=utcnow(),
        revoked_at=None,
    )
    session.add(row)
    return row


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: Role
    workshop_id: str | None
    group_id: str | None

    def may(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def sees(self, workshop: WorkshopRow) -> bool:
        if self.workshop_id is not None:
            return workshop.id == self.workshop_id
        return workshop.group_id is not None and workshop.group_id == self.group_id


_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")
_bearer = HTTPBearer(auto_error=False, description="An API key as a bearer token.")


def authenticate(request: Request, key: str | None) -> Principal:
    if not key:
        raise ApiProblem(401, "an API key is required", headers={"WWW-Authenticate": "Bearer"})
    database = request.app.state.services.database
    with database.session() as session:
        row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(key)))
        if row is None or row.revoked_at is not None:
            raise ApiProblem(401, "unknown or revoked API key", headers={"WWW-Authenticate": "Bearer"})
        return Principal(row.id, Role(row.role), row.workshop_id, row.group_id)


def current_principal(
    request: Request,
    header_key: Annotated[str | None, Security(_api_key_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    return authenticate(request, header_key or (bearer.credentials if bearer else None))


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require(permission: Permission, principal: Principal) -> None:
    if not principal.may(permission):
        raise ApiProblem(403, f"role {principal.role.value!r} may not {permission.value.replace('_', ' ')}")


def visible_workshop(session: Session, principal: Principal, workshop_id: str) -> WorkshopRow:
    """The workshop row, if this key may see it; unknown and foreign ids both answer 404."""
    row = session.get(WorkshopRow, workshop_id)
    if row is None or not principal.sees(row):
        raise not_found("workshop", workshop_id)
    return row
