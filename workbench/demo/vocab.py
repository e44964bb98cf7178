"""The fixed vocabularies of Level-1 columns: statuses, document types, period actions, kinds of dirty rows.

The values are what the tables store (see workbench/demo/sql/level1_schema.sql and the statuses the SQL
of the day simulator filters on), so a member's value never changes.
"""

from __future__ import annotations

from enum import StrEnum


class UnitStatus(StrEnum):
    """org_unit.status and bank_account.status."""

    ACTIVE = "active"
    CLOSED = "closed"


class VoucherStatus(StrEnum):
    """gl_voucher.status."""

    DRAFT = "draft"
    POSTED = "posted"
    VOIDED = "voided"


class SourceType(StrEnum):
    """gl_voucher.source_type: the document a voucher was posted for."""

    EXPENSE_CLAIM = "expense_claim"
    PAYMENT_ORDER = "payment_order"
    AR_INVOICE = "ar_invoice"
    AR_RECEIPT = "ar_receipt"
    MANUAL = "manual"


class ClaimStatus(StrEnum):
    """expense_claim.status."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"
    VOIDED = "voided"


class PaymentStatus(StrEnum):
    """payment_order.status."""

    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    VOIDED = "voided"


class PaymentSource(StrEnum):
    """payment_order.source_doc_type (NULL for the dirty orders the simulator injects)."""

    EXPENSE_CLAIM = "expense_claim"
    CONTRACT = "contract"


class InvoiceStatus(StrEnum):
    """ar_invoice.status."""

    ISSUED = "issued"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOIDED = "voided"


class ContractType(StrEnum):
    """contract.contract_type; purchase contracts have no customer."""

    SALES = "sales"
    SERVICE = "service"
    PURCHASE = "purchase"


class ContractStatus(StrEnum):
    """contract.status."""

    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"
    TERMINATED = "terminated"


class CustomerStatus(StrEnum):
    """customer.status."""

    ACTIVE = "active"
    FROZEN = "frozen"


class Direction(StrEnum):
    """bank_transaction.direction."""

    IN = "in"
    OUT = "out"


class PeriodStatus(StrEnum):
    """accounting_period.status."""

    OPEN = "open"
    CLOSED = "closed"


class PeriodAction(StrEnum):
    """accounting_period_log.action."""

    CLOSE = "close"
    REOPEN = "reopen"


class MiscKind(StrEnum):
    """The kinds of miscellaneous manual voucher."""

    CASH = "cash"  # petty cash withdrawn from the main account
    ADVANCE = "advance"  # an employee's cash advance
    ADS = "ads"  # accrued advertising (trading orgs only)
    RECLASS = "reclass"  # staff cost moved between sales and administration


class DirtyKind(StrEnum):
    """The kinds of deliberately dirty row the day simulator injects (the quality checks catch each)."""

    NULL_REQUIRED = "null_required"
    NEGATIVE_AMOUNT = "negative_amount"
    ORPHAN_REFERENCE = "orphan_reference"
    UNBALANCED_VOUCHER = "unbalanced_voucher"
    BAD_CURRENCY = "bad_currency"


class PeriodEvent(StrEnum):
    """What the day simulator did to an accounting period (its summary's keys)."""

    OPENED = "opened"  # the month's period row appeared (first simulated day of the month)
    CLOSED = "closed"  # closed on its close day (or the first simulated working day after it)
    REOPENED = "reopened"  # reopened for adjustments (反结账), with an adjusting voucher
    RECLOSED = "reclosed"  # closed again, the working day after the reopen
    POSTED_WHILE_CLOSED = "posted_while_closed"  # a voucher posted into it although closed: a Level-1 mistake


class Incident(StrEnum):
    """A quiet failure the day simulator can stage on a day (``simulate_day(incident=...)``)."""

    HALF_DAY = "half_day"  # Level-1 delivers only about half of the day's new vouchers (with lines) and claims
    CLOSED_PERIOD_POSTING = "closed_period_posting"  # a voucher with lines posted into the last closed period
    EMPTY_DAY = "empty_day"  # no postings and no other changes at all (the period close still happens)
