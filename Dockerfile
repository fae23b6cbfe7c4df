# The gallery as a container: everything it needs (models, data, vectors) is baked in, so it
# runs with no network. GPU: run with `--gpus all` (torch's PyPI wheel includes CUDA).
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 1000 gallery
WORKDIR /app

# The runtime set only: training (requirements-train.txt) and tests (requirements-dev.txt)
# stay out of the image.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=gallery:gallery . .
USER gallery

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
