# leerreview as a container: one process serving HTTP on port 8000, its data in the /app/data volume.
#   docker build -t leerreview .
#   docker run -p 8000:8000 -v leerreview-data:/app/data -e LEERREVIEW_BASE_URL=https://leerreview.example.org leerreview
#   docker run --rm -it -v leerreview-data:/app/data leerreview leerreview create-user a@example.org
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LEERREVIEW_DATA_DIR=/app/data

# WeasyPrint's libraries and a font for PDF reports; pg_dump/psql for backups of a PostgreSQL database.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (a layer that survives code changes), read from pyproject.toml.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The service runs from /app: templates, static files and migrations are found next to the app package.
COPY README.md alembic.ini ./
COPY app ./app
COPY lifeline ./lifeline
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY scripts/docker-entrypoint.sh /usr/local/bin/docker-entrypoint
RUN pip install --no-deps -e . \
    && python -m compileall -q app lifeline migrations \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin leerreview \
    && mkdir -p /app/data \
    && chown leerreview:leerreview /app/data \
    && chmod 0750 /app/data \
    && chmod 0755 /usr/local/bin/docker-entrypoint

USER leerreview
VOLUME /app/data
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Without arguments: migrate, then serve on 0.0.0.0:8000 with ${LEERREVIEW_WORKERS:-1} workers.
# With arguments: run them instead (e.g. `leerreview create-user ...`, `leerreview demo`).
ENTRYPOINT ["docker-entrypoint"]
