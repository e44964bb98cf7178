"""`python -m smartops.inventory {propose,check}`: the same commands as `python -m smartops inventory`."""

from smartops.inventory.cli import main

raise SystemExit(main())
