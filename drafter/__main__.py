"""`python -m drafter …`: the same as the `drafter` command (works without activating the
virtual environment's scripts folder, e.g. `py -m drafter` on Windows)."""

from drafter.cli import main

raise SystemExit(main())
