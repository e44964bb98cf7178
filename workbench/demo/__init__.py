"""Demo Level-1 (group shared finance platform) data generator and day simulator."""
