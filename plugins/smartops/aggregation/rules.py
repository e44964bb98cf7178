"""The cleaning-rule vocabulary of dwd.reject (the rules themselves live in include/sql/dwd/reject.sql)."""

from __future__ import annotations

from enum import StrEnum


class RejectRule(StrEnum):
    """Why an ods row was kept out of the dwd facts (dwd.reject.rule)."""

    SOURCE_DELETED = "source_deleted"
    NULL_REQUIRED = "null_required"
    UNKNOWN_ORG = "unknown_org"
    UNKNOWN_ACCOUNT = "unknown_account"
    ORPHAN_REFERENCE = "orphan_reference"
    NEGATIVE_AMOUNT = "negative_amount"
    UNKNOWN_CURRENCY = "unknown_currency"
    INVALID_CODE = "invalid_code"
    IMPLAUSIBLE_DATE = "implausible_date"
    UNBALANCED_VOUCHER = "unbalanced_voucher"
    REJECTED_LINE = "rejected_line"
