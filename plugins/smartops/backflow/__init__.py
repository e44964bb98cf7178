"""Backflow sync (数据回流): copy inventory tables from Level-1 into the warehouse's ods layer."""

# Level-1 sessions one sync holds at once: the load's snapshot and the totals scan sharing it
# (engine._totals_in_background). The level1_source pool counts connections, so each backflow task
# takes this many of its slots.
SOURCE_SESSIONS = 2
