"""Sign-in time and peak memory at the current passphrase-hashing cost against the old one.

    uv run python -m bench.signin            # [--repeat 3]

For each cost (scrypt N=2**17 now, N=2**14 before; r=8, p=1) a fresh process creates a SQLite
database with one user hashed at that cost and signs in through
``domain.services.sign_in.authenticate`` (the service every way in uses), ``--repeat`` times.
It reports the median wall time of a sign-in and the process's peak resident memory before and
after (``ru_maxrss``), so the difference is what one scrypt run adds. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "bench sign-in passphrase"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _one(n: int, repeat: int) -> dict[str, float]:
    from domain import passwords
    from domain.services import admin
    from domain.services.sign_in import authenticate
    from tui.bootstrap import open_runtime

    with tempfile.TemporaryDirectory() as tmp:
        runtime = open_runtime(str(Path(tmp) / "signin.db"))
        admin.create_user(runtime.system_context(), "ada", "Ada", "admin")
        before = _peak_mib()  # the app and database open, no scrypt run yet
        with runtime.uow_factory() as uow:
            user = uow.users.by_username("ada")
            assert user is not None
            user.passphrase_hash = passwords.hash_passphrase(PASSPHRASE, n=n)
            uow.users.update(user)
            uow.commit()
        passwords.N = n  # so the measured sign-ins do not upgrade the hash
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            authenticate(runtime.context(None), "ada", PASSPHRASE)
            times.append(time.perf_counter() - start)
        after = _peak_mib()
        runtime.engine.dispose()
    return {"n": n, "median_s": statistics.median(times), "peak_mib": after, "base_mib": before}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one cost
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_one(args.one, args.repeat)))
        return 0
    from domain.passwords import LEGACY_N, N

    print(f"{'scrypt cost':<16}{'sign-in (median)':>18}{'peak RSS':>12}{'added by hashing':>20}")
    for n in (LEGACY_N, N):
        out = subprocess.run(
            [sys.executable, "-m", "bench.signin", "--one", str(n), "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        label = f"N=2**{n.bit_length() - 1}" + (" (now)" if n == N else " (old)")
        print(
            f"{label:<16}{r['median_s'] * 1000:>15.0f} ms{r['peak_mib']:>8.0f} MiB"
            f"{r['peak_mib'] - r['base_mib']:>16.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
