# Chart.js for the statistics page, exactly as package-lock.json pins it; only its built files go into the image.
FROM node:20-slim AS browser-libraries
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

# One image for web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HUB_VAR_DIR=/var/lib/hub
WORKDIR /app

COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt

COPY . .
COPY --from=browser-libraries /assets/node_modules/chart.js/dist node_modules/chart.js/dist
# collectstatic reads no database; a PostgreSQL URL stands in, as DEBUG off refuses SQLite.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build-only@localhost/build-only \
    python manage.py collectstatic --noinput \
    && useradd --system --home /var/lib/hub hub \
    && mkdir -p /var/lib/hub/models /var/lib/hub/media \
    && chown -R hub /var/lib/hub
USER hub

EXPOSE 8000
CMD ["gunicorn", "hubsite.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
