"""The `.env` file's KEY=value lines, read without shell expansion (settings and the test settings)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def baca_berkas_env(path: Path) -> dict[str, str]:
    """Parse KEY=value lines (no shell expansion); comments and blank lines are skipped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ImproperlyConfigured(f"{path.name}, line {number}: expected KEY=value, got {raw!r}")
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values
