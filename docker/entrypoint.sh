#!/bin/sh
# Container entry point.
#   (no arguments)  serve with gunicorn on port 8000; migrations are not applied here, so that
#                   any number of these can start at once
#   migrate         apply migrations, then exit: once per release, before the web servers start
#                   (the `migrate` service of docker-compose.yml); with SECRET_KEY_FILE and no
#                   SECRET_KEY, it first writes a new random key to that file unless it has one
#   healthcheck     exit 0 when /healthz answers 200 (used by HEALTHCHECK and docker-compose.yml)
#   anything else   run it, e.g. `docker compose run --rm web python manage.py createsuperuser`
set -eu

if [ "$#" -eq 0 ]; then
    # No gunicorn access log: Tribune logs one line per request itself, with its request id.
    exec gunicorn config.wsgi:application \
        --bind 0.0.0.0:8000 \
        --workers "${WEB_CONCURRENCY:-3}"
fi

if [ "$1" = "migrate" ]; then
    if [ -z "${SECRET_KEY:-}" ] && [ -n "${SECRET_KEY_FILE:-}" ] && [ ! -s "$SECRET_KEY_FILE" ]; then
        echo "Writing a new secret key to $SECRET_KEY_FILE"
        (
            umask 077
            python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$SECRET_KEY_FILE.new"
            mv "$SECRET_KEY_FILE.new" "$SECRET_KEY_FILE"
        )
    fi
    exec python manage.py migrate --noinput
fi

if [ "$1" = "healthcheck" ]; then
    # Ask with a Host header the site accepts (the first of ALLOWED_HOSTS), over the loopback.
    exec python - <<'PY'
import os
import sys
import urllib.request

host = os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
if host in ("", "*"):
    host = "localhost"
request = urllib.request.Request(
    "http://127.0.0.1:8000/healthz",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as error:
    print(f"healthcheck failed: {error}", file=sys.stderr)
    sys.exit(1)
PY
fi

exec "$@"
