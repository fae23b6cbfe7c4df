"""Where the gallery's files are: one place for every module, page and benchmark that reads
them.

The paths are absolute, found from this file's place in the repository, so they hold from any
working directory (Streamlit, pytest, the bench scripts and the Docker image all start in
different ones). Importing this module imports nothing else of the gallery, nor torch.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSETS = REPO_ROOT / "assets"          # shipped with the code: weights, photos, records
DATA = REPO_ROOT / ".data"             # downloaded on demand, never committed


def asset(*parts: str) -> Path:
    """A path under assets/, e.g. asset("gan", "fashion") for assets/gan/fashion."""
    return ASSETS.joinpath(*parts)
