"""The backend package stays free of Streamlit: it must be usable from scripts and tests."""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_backend_imports_no_streamlit():
    modules = sorted(
        ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
        for path in (REPO_ROOT / "backend").rglob("*.py") if path.name != "__init__.py")
    assert "backend.device" in modules
    program = ("import importlib, sys\n"
               f"for name in {modules!r}: importlib.import_module(name)\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))")
    result = subprocess.run([sys.executable, "-c", program], cwd=REPO_ROOT, check=True,
                            capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_no_weights_are_loaded_with_plain_pickle():
    offenders = [str(path) for path in REPO_ROOT.glob("**/*.py")
                 if ".venv" not in path.parts
                 and "torch.load(" in (text := path.read_text())
                 and "weights_only=True" not in text]
    assert offenders == []
