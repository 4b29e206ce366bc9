"""ETag / If-Match: a stored row's version is its entity tag."""

from __future__ import annotations

from api.problems import ApiProblem


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, version: int) -> None:
    """Raise 412 when If-Match is given and names none of the current version's tags."""
    if if_match is None:
        return
    tags = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" in tags or etag(version) in tags:
        return
    raise ApiProblem(412, f"If-Match {if_match} is stale: the current ETag is {etag(version)}")
