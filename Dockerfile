# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH VAR_DIR=/app/var

# gettext: compiled translations; fonts and LibreOffice: circulars (DOCX -> PDF).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libmagic1 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN python manage.py compilemessages -v0 --ignore=.venv --ignore=var \
 && DEBUG=true python manage.py collectstatic --noinput -v0 \
 && useradd --system --uid 10001 --home /app app \
 && mkdir -p /app/var && chown -R app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "assessment.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
