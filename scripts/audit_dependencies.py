"""`make audit`: pip-audit over the locked dependencies (`requirements.lock`, the set `make install`
installs, whatever else the environment holds), failing on any known vulnerability.

pip-audit reports "No known vulnerabilities found" even when its service could answer for none of
the packages (unreachable, or a registry mirror without PyPI's per-release JSON), which would be a
false green. Here that case prints a clear SKIPPED line instead, and a partial audit names what it
could not check.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).parent / "pip-audit"


def main(lock_file: str) -> int:
    run = subprocess.run(
        [
            str(PIP_AUDIT),
            "--requirement",
            lock_file,
            # Every pin has its hashes, so pip-audit reads the file itself: no resolver, no install.
            "--require-hashes",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        last_line = (run.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: SKIPPED, the vulnerability service could not be reached ({last_line})")
        return 0
    dependencies = report["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        ids = ", ".join(v["id"] for v in dependency["vulns"])
        print(f"pip-audit: {dependency['name']} {dependency['version']} is vulnerable: {ids}")
    if vulnerable:
        return 1
    if not audited:
        print(
            f"pip-audit: SKIPPED, the vulnerability service answered for none of the "
            f"{len(dependencies)} packages (no network, or a mirror without PyPI's JSON API)"
        )
        return 0
    skipped = sorted(d["name"] for d in dependencies if "skip_reason" in d)
    print(
        f"pip-audit: {len(audited)} packages audited, no known vulnerabilities"
        + (f"; not audited: {', '.join(skipped)}" if skipped else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"))
