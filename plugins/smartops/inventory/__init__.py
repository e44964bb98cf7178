"""The inventory assistant (标准化指导): propose inventory entries from Level-1's catalog, check them live."""
