"""requirements.lock, which `make install` installs with `--require-hashes`, pins every dependency
pyproject.toml names (its ranges stay for library users), within those ranges, with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", re.M)


def locked() -> dict[str, Version]:
    text = (ROOT / "requirements.lock").read_text()
    return {
        re.sub(r"\[.*\]", "", name).lower().replace("_", "-"): Version(version)
        for name, version in PIN.findall(text)
    }


def test_every_dependency_and_dev_tool_is_pinned_within_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [
        Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    ]
    pins = locked()

    outside = [
        f"{r} (locked {pins.get(r.name.lower())})"
        for r in wanted
        if r.name.lower() not in pins or pins[r.name.lower()] not in r.specifier
    ]
    assert outside == [], "run `make lock`"


def test_every_pin_has_a_hash() -> None:
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements.lock").read_text())
    pinned = [entry for entry in entries if PIN.match(entry)]

    assert len(pinned) == len(locked()) > 50
    assert [e.split()[0] for e in pinned if "--hash=sha256:" not in e] == []
