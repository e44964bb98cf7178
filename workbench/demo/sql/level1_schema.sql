-- Demo Level-1 (group shared finance platform) schema.
-- Every table carries a primary key and an `updated_at` cursor that the platform
-- bumps on every change; hard deletes happen only where the inventory declares
-- delete_detection: key_compare.
CREATE SCHEMA IF NOT EXISTS l1;

CREATE TABLE IF NOT EXISTS l1.org_unit (
    org_id          text PRIMARY KEY,
    org_code        text NOT NULL,
    org_name        text NOT NULL,
    parent_org_id   text,
    org_level       smallint NOT NULL,
    region          text,
    status          text NOT NULL,            -- active | closed
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.account (
    account_code    text PRIMARY KEY,
    account_name    text NOT NULL,
    account_type    text NOT NULL,            -- asset | liability | equity | revenue | expense
    parent_code     text,
    balance_direction text NOT NULL,          -- debit | credit
    is_leaf         boolean NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.customer (
    customer_id     bigint PRIMARY KEY,
    customer_code   text NOT NULL,
    customer_name   text,
    org_id          text,
    industry        text,
    credit_limit    numeric(18,2),
    status          text NOT NULL,            -- active | frozen
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.contract (
    contract_id     bigint PRIMARY KEY,
    contract_no     text NOT NULL,
    org_id          text,
    customer_id     bigint,
    contract_type   text NOT NULL,            -- sales | service | purchase
    amount          numeric(18,2),
    currency        text,
    sign_date       date,
    start_date      date,
    end_date        date,
    status          text NOT NULL,            -- draft | active | closed | terminated
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.gl_voucher (
    voucher_id      bigint PRIMARY KEY,
    voucher_no      text NOT NULL,
    org_id          text,
    period          text NOT NULL,            -- YYYY-MM
    voucher_date    date NOT NULL,
    source_type     text NOT NULL,            -- expense_claim | payment_order | ar_invoice | ar_receipt | manual
    source_doc_id   bigint,
    status          text NOT NULL,            -- draft | posted | voided
    created_by      text,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.gl_voucher_line (
    line_id         bigint PRIMARY KEY,
    voucher_id      bigint NOT NULL,
    line_no         integer NOT NULL,
    account_code    text,
    debit_amount    numeric(18,2) NOT NULL DEFAULT 0,
    credit_amount   numeric(18,2) NOT NULL DEFAULT 0,
    currency        text,
    summary         text,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.expense_claim (
    claim_id        bigint PRIMARY KEY,
    claim_no        text NOT NULL,
    org_id          text,
    department      text,
    employee_name   text,
    category        text,                     -- travel | meals | office | training | transport | communication
    amount          numeric(18,2),
    currency        text,
    claim_date      date NOT NULL,
    status          text NOT NULL,            -- submitted | approved | paid | rejected | voided
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.payment_order (
    payment_id      bigint PRIMARY KEY,
    payment_no      text NOT NULL,
    org_id          text,
    bank_account_id bigint,
    payee_name      text,
    amount          numeric(18,2),
    currency        text,
    pay_date        date NOT NULL,
    source_doc_type text,                     -- expense_claim | contract | null
    source_doc_id   bigint,
    status          text NOT NULL,            -- pending | paid | failed | voided
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.ar_invoice (
    invoice_id      bigint PRIMARY KEY,
    invoice_no      text NOT NULL,
    org_id          text,
    customer_id     bigint,
    contract_id     bigint,
    invoice_date    date NOT NULL,
    due_date        date NOT NULL,
    amount          numeric(18,2),
    tax_amount      numeric(18,2),
    currency        text,
    status          text NOT NULL,            -- issued | partially_paid | paid | voided
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.ar_receipt (
    receipt_id      bigint PRIMARY KEY,
    receipt_no      text NOT NULL,
    invoice_id      bigint,
    org_id          text,
    customer_id     bigint,
    receipt_date    date NOT NULL,
    amount          numeric(18,2),
    currency        text,
    bank_account_id bigint,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.budget (
    budget_id       bigint PRIMARY KEY,
    org_id          text,
    department      text,
    account_code    text,
    period          text NOT NULL,            -- YYYY-MM
    budget_amount   numeric(18,2),
    version         integer NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.bank_account (
    bank_account_id bigint PRIMARY KEY,
    org_id          text,
    bank_name       text NOT NULL,
    account_no      text NOT NULL,
    currency        text,
    opening_balance numeric(18,2) NOT NULL,
    opening_date    date NOT NULL,
    balance_floor   numeric(18,2),
    status          text NOT NULL,            -- active | closed
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.bank_transaction (
    txn_id          bigint PRIMARY KEY,
    bank_account_id bigint,
    org_id          text,
    txn_time        timestamptz NOT NULL,
    direction       text NOT NULL,            -- in | out
    amount          numeric(18,2),
    counterparty    text,
    summary         text,
    ref_doc_type    text,                     -- payment_order | ar_receipt | null
    ref_doc_id      bigint,
    updated_at      timestamptz NOT NULL
);

-- Accounting periods (会计期间) of the group's ledger: a period is closed on the last day of its close
-- window (working day N of the next month, N = calendar.yaml fiscal.close_window_days) and may be
-- reopened for adjustments (反结账) and closed again; every close and reopen is logged.
CREATE TABLE IF NOT EXISTS l1.accounting_period (
    period      text PRIMARY KEY,          -- YYYY-MM (the calendar's period_of)
    status      text NOT NULL,             -- open | closed
    closed_at   timestamptz,               -- when it was last closed; NULL while open
    reopen_count integer NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS l1.accounting_period_log (
    log_id      bigint PRIMARY KEY,
    period      text NOT NULL,
    action      text NOT NULL,             -- close | reopen
    acted_at    timestamptz NOT NULL,
    acted_by    text NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The cursor index every incremental reader relies on.
CREATE INDEX IF NOT EXISTS gl_voucher_updated_at ON l1.gl_voucher (updated_at);
CREATE INDEX IF NOT EXISTS gl_voucher_line_updated_at ON l1.gl_voucher_line (updated_at);
CREATE INDEX IF NOT EXISTS expense_claim_updated_at ON l1.expense_claim (updated_at);
CREATE INDEX IF NOT EXISTS payment_order_updated_at ON l1.payment_order (updated_at);
CREATE INDEX IF NOT EXISTS ar_invoice_updated_at ON l1.ar_invoice (updated_at);
CREATE INDEX IF NOT EXISTS ar_receipt_updated_at ON l1.ar_receipt (updated_at);
CREATE INDEX IF NOT EXISTS budget_updated_at ON l1.budget (updated_at);
CREATE INDEX IF NOT EXISTS bank_transaction_updated_at ON l1.bank_transaction (updated_at);
CREATE INDEX IF NOT EXISTS customer_updated_at ON l1.customer (updated_at);
CREATE INDEX IF NOT EXISTS contract_updated_at ON l1.contract (updated_at);
CREATE INDEX IF NOT EXISTS accounting_period_updated_at ON l1.accounting_period (updated_at);
CREATE INDEX IF NOT EXISTS accounting_period_log_updated_at ON l1.accounting_period_log (updated_at);

-- The simulator's own clock, outside l1 (not Level-1 data, never synced, not granted to the reader):
-- the last day the seeded history or a simulated day covers. Postings happen on working days only, so
-- the newest voucher cannot tell whether the weekend after it was already simulated.
CREATE SCHEMA IF NOT EXISTS l1_simulator;
CREATE TABLE IF NOT EXISTS l1_simulator.clock (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    through     date NOT NULL
);
-- The scale the history was seeded at, which the day simulator's volumes follow (NULL when seeded
-- before it was recorded: the simulator then estimates it from the history's vouchers).
ALTER TABLE l1_simulator.clock ADD COLUMN IF NOT EXISTS scale double precision;
