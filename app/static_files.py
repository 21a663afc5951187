"""The static files, with JavaScript modules served as ``app.templating.module_text`` makes them (versioned imports)."""

from typing import Any

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

from app.templating import STATIC_DIR, module_text


class VersionedStatic(StaticFiles):
    """``StaticFiles`` whose ``.js`` modules import each other by content-hashed URLs."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if not path.endswith(".js") or response.status_code != 200:
            return response
        text = module_text(path)
        headers: dict[str, Any] = {
            k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "etag", "last-modified")
        }
        return Response(text, status_code=200, media_type="text/javascript", headers=headers)


def static_files() -> VersionedStatic:
    """The app's ``/static`` mount."""
    return VersionedStatic(directory=STATIC_DIR)
