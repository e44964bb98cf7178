"""The workbench beside the product (not in the image): the demo Level-1, the embedded PostgreSQL,
bring-up (`make run`, `make demo`), the cluster launcher (`make cluster`) and the benchmarks."""
