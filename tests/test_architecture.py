"""The backend package stays free of Streamlit: it must be usable from scripts and tests."""

import re
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


TORCH_LOAD_CALL = re.compile(r"torch\.load\(([^()]|\([^()]*\))*\)")


def test_no_weights_are_loaded_with_plain_pickle():
    """Every torch.load call (which unpickles by default) must say weights_only=True."""
    offenders = [f"{path.relative_to(REPO_ROOT)}: {call.group(0)}"
                 for path in REPO_ROOT.glob("**/*.py")
                 # not the virtual environment, nor mutmut's mutated copy (make mutation)
                 if not {".venv", "mutants"} & set(path.relative_to(REPO_ROOT).parts)
                 for call in TORCH_LOAD_CALL.finditer(path.read_text())
                 if "weights_only=True" not in call.group(0)]
    assert offenders == []
