# Thi đua: one image for web (gunicorn), worker and beat.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=emulation.settings

# Pango for WeasyPrint (PDF reports); gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY . .

# Static files and translations are built into the image; no secret is needed for that.
RUN DJANGO_DEBUG=True python manage.py compilemessages --ignore=.venv \
    && DJANGO_DEBUG=False DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 thidua && mkdir -p /app/media && chown thidua /app/media
USER thidua

EXPOSE 8000
CMD ["gunicorn", "emulation.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
