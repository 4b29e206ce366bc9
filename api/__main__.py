"""`python -m api`: the service on 127.0.0.1:8000 with the demo workshop loaded."""

from __future__ import annotations

import sys

import uvicorn

from api.app import create_app
from api.logs import configure_logging
from api.settings import get_settings


def main() -> None:
    settings = get_settings().model_copy(update={"load_demo": True})
    configure_logging(settings.log_level)
    address = f"http://{settings.host}:{settings.port}"
    print(
        f"Bayplan starting on {address} (docs: {address}/docs); loading the demo workshop 'demo'.\n"
        f"Demo API key (admin of the demo dealer group): {settings.demo_api_key}\n"
        f"  curl -H 'Authorization: Bearer {settings.demo_api_key}' {address}/v1/workshops/demo/plan",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
