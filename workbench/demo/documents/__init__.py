"""Builders of Level-1 business documents, shared by the history generator and the day simulator.

Each builder writes the rows of one document (with its voucher and bank movements) through a
RowWriter; the callers decide when a document happens and in which state.
"""
