"""`python -m o2portal.web.run_scaled run --env prod …`: Reflex's own `reflex run`, with one
change for several workers (`make run-scaled`, GRANIAN_WORKERS=N): a worker that dies (a
crash, the kernel's out-of-memory killer, kill -9) is started again by Granian. Reflex
0.10 starts Granian without respawn_failed_workers, and one dead worker then stops the
whole server. The pages' state is in Redis, so the tabs of the dead worker reconnect to
another and go on."""

from __future__ import annotations

import sys

import granian.server
from reflex.reflex import cli


class RespawningServer(granian.server.Server):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("respawn_failed_workers", True)
        super().__init__(*args, **kwargs)


def main() -> None:
    # Reflex imports Granian's Server when it starts the backend: it gets this one.
    granian.server.Server = RespawningServer
    sys.argv[0] = "reflex"
    sys.exit(cli())


if __name__ == "__main__":
    main()
