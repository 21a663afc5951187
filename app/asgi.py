"""The ASGI application object for uvicorn (``app.asgi:app``), built from the environment's settings."""

from app.main import create_app

app = create_app()
