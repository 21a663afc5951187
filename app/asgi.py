"""The ASGI application object for uvicorn (``app.asgi:app``), built from the environment's settings."""

import gc

from app.main import create_app

app = create_app()

# Everything built so far (modules, tables, routes, schemas) lives as long as the process: moved out of the garbage
# collector's sight, so that a full collection scans only what requests leave behind. Before, one full collection
# under a room's load took 230 ms, and every request of the worker waited for it.
gc.collect()
gc.freeze()
