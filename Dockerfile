# leerreview as a container: one process serving HTTP on port 8000, its data in the /app/data volume.
#   docker build -t leerreview .
#   docker run -p 8000:8000 -v leerreview-data:/app/data -e LEERREVIEW_BASE_URL=https://leerreview.example.org leerreview
#   docker run --rm -it -v leerreview-data:/app/data leerreview leerreview create-user a@example.org
# Python 3.11 (the floor the lock is resolved for) on Debian 13: the tag moves with Python 3.11 patch releases and
# Debian point releases, never to another Debian release under the service (WeasyPrint's Pango comes from it).
FROM python:3.11-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LEERREVIEW_DATA_DIR=/app/data

# WeasyPrint's libraries and a font for PDF reports, Cairo for CairoSVG (the Word report's pictures); pg_dump/psql
# for backups of a PostgreSQL database.
# The Debian packages are not pinned (DL3008): within one Debian release their versions change only by security
# and bug fixes, which the image should take; the release itself is fixed by the base image tag above.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libcairo2 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (a layer that survives code changes): exactly the versions the test suite ran on, every file
# checked against its sha256 in requirements.lock (`make lock` writes it from pyproject.toml; setuptools included,
# for the --no-build-isolation install below).
COPY requirements-pip.lock requirements.lock ./
RUN pip install --require-hashes -r requirements-pip.lock \
    && pip install --require-hashes -r requirements.lock

# The service runs from /app: templates, static files and migrations are found next to the app package.
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY lifeline ./lifeline
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY scripts/docker-entrypoint.sh /usr/local/bin/docker-entrypoint
RUN pip install --no-deps --no-build-isolation -e . \
    && python -m compileall -q app lifeline migrations \
    && groupadd --system --gid 10001 leerreview \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin leerreview \
    && mkdir -p /app/data \
    && chown leerreview:leerreview /app/data \
    && chmod 0750 /app/data \
    && chmod 0755 /usr/local/bin/docker-entrypoint

# Numeric, so the runtime (e.g. Kubernetes' runAsNonRoot) can tell it is not root: the user leerreview made above.
USER 10001:10001
VOLUME /app/data
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Without arguments: migrate, then serve on 0.0.0.0:8000 with ${LEERREVIEW_WORKERS:-1} workers.
# With arguments: run them instead (e.g. `leerreview create-user ...`, `leerreview demo`).
ENTRYPOINT ["docker-entrypoint"]
