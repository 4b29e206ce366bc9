"""Initial schema: workshops, parts, jobs, events, plans, API keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def _workshop_fk() -> sa.ForeignKey:
    return sa.ForeignKey("workshops.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("group_id", sa.String(64), nullable=True, index=True),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
    )
    op.create_table(
        "parts",
        sa.Column("workshop_id", sa.String(64), _workshop_fk(), primary_key=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("workshop_id", sa.String(64), _workshop_fk(), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("day", sa.Date(), nullable=True, index=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("workshop_id", sa.String(64), _workshop_fk(), primary_key=True),
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("workshop_id", sa.String(64), _workshop_fk(), nullable=False, index=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("trigger", sa.String(200), nullable=False),
        sa.Column("engine", sa.String(16), nullable=True),
        sa.Column("time_limit_seconds", sa.Float(), nullable=True),
        sa.Column("stop_requested", sa.Boolean(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("started_at", TIME, nullable=True),
        sa.Column("improved_at", TIME, nullable=True),
        sa.Column("finished_at", TIME, nullable=True),
        sa.Column("published_at", TIME, nullable=True),
        sa.UniqueConstraint("workshop_id", "version", name="uq_plans_workshop_version"),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("workshop_id", sa.String(64), nullable=True, index=True),
        sa.Column("group_id", sa.String(64), nullable=True, index=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME, nullable=True),
    )


def downgrade() -> None:
    for table in ("api_keys", "plans", "events", "jobs", "parts", "workshops"):
        op.drop_table(table)
