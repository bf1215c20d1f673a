# The register's web app: gunicorn serving Django, static files by WhiteNoise.
# Configured only through the environment (see the README's settings table).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=false

WORKDIR /app

# The system libraries and fonts the compilation's PDF/A needs (WeasyPrint: Pango,
# HarfBuzz's subsetting, the DejaVu fonts it embeds), by the script `make` runs too.
COPY scripts/ensure-system-packages scripts/
RUN bash scripts/ensure-system-packages --documents \
    && rm -rf /var/lib/apt/lists/*

# The dependencies pyproject.toml declares, in a layer of their own that code
# changes do not rebuild. The app itself runs from /app, where its templates,
# static files and translations sit next to the code (BASE_DIR), rather than
# from an installed copy without them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Hashed, compressed static files, baked into the image. The key only lets the
# settings load for this step; the running container must be given its own.
RUN SECRET_KEY=collectstatic-build-step-only python manage.py collectstatic --noinput

# The app writes nothing to disk: it runs as a user that cannot.
RUN useradd --system --no-create-home --uid 10001 app
USER app

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]
ENTRYPOINT ["sh", "docker/entrypoint.sh"]
CMD ["gunicorn", "--config", "docker/gunicorn.conf.py", "malmo_ks.wsgi"]
