"""`python -m smartops.contracts {write,check}`."""

from smartops.contracts.cli import main

raise SystemExit(main())
