"""Backflow sync (数据回流): copy inventory tables from Level-1 into the warehouse's ods layer."""
