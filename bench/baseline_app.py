"""The baseline for bench/throughput.py: a bare FastAPI app with one ``async def`` route, served by uvicorn with
the settings ``leerreview serve`` uses (one worker, the same keep-alive, proxy headers), so that the only
difference from our server is our application.

    python bench/baseline_app.py --port 8100
"""

import argparse

import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
async def ping() -> dict[str, bool]:
    """The same answer as our ``/api/v1/ping``."""
    return {"ok": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # The keyword arguments of app.cli.serve (keep-alive: Settings.keep_alive_seconds' default).
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        workers=1,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        timeout_graceful_shutdown=5,
        timeout_keep_alive=75,
    )


if __name__ == "__main__":
    main()
