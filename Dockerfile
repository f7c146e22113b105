# syntax=docker/dockerfile:1
# Tribune served by gunicorn; static files are collected at build time and served by whitenoise.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    PYTHONPATH=/app

RUN groupadd --system tribune \
    && useradd --system --gid tribune --home-dir /app --no-create-home --shell /usr/sbin/nologin tribune

WORKDIR /app

# Runtime dependencies first, in their own layer, so code changes do not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
    && rm -rf build *.egg-info \
    && chmod 0755 docker/entrypoint.sh \
    && SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput \
    && mkdir -p var/media var/secrets \
    && chown -R tribune:tribune var/media var/secrets \
    && chmod 0700 var/secrets

USER tribune

EXPOSE 8000
VOLUME ["/app/var/media"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/app/docker/entrypoint.sh", "healthcheck"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
