#!/bin/sh
# Container entry point (see Dockerfile). Without arguments: migrate the database, make sure the secret key
# exists before several workers could race to create it, then serve. With arguments: run those instead.
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

leerreview migrate
python -c "from app.config import get_settings; get_settings().resolved_secret_key()"
exec leerreview serve --host 0.0.0.0 --port 8000 --workers "${LEERREVIEW_WORKERS:-1}"
