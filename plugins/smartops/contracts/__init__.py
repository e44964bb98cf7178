"""Published contracts of the ads marts for their consumers: columns, grain, owner, deadline, gates, rules."""
