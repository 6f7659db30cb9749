# One image for web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HUB_VAR_DIR=/var/lib/hub
WORKDIR /app

COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt

COPY . .
# collectstatic reads no database; a PostgreSQL URL stands in, as DEBUG off refuses SQLite.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build-only@localhost/build-only \
    python manage.py collectstatic --noinput \
    && useradd --system --home /var/lib/hub hub \
    && mkdir -p /var/lib/hub/models /var/lib/hub/media \
    && chown -R hub /var/lib/hub
USER hub

EXPOSE 8000
CMD ["gunicorn", "hubsite.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
