-- Statements the demo generator and day simulator share on the Level-1 database.

-- name: lock_level1
-- Seeding and simulating a day serialise on this transaction-level advisory lock.
SELECT pg_advisory_xact_lock(7260112901)

-- name: fast_commit
SET LOCAL synchronous_commit TO off

-- name: advance_clock
-- The simulator's clock: the last day the history or a simulated day covers (never moves back).
INSERT INTO l1_simulator.clock AS c (through) VALUES (%(day)s)
ON CONFLICT (one) DO UPDATE SET through = greatest(c.through, excluded.through)

-- name: record_scale
UPDATE l1_simulator.clock SET scale = %(scale)s

-- name: seeded_scale
SELECT scale FROM l1_simulator.clock

-- name: covered_through
-- A Level-1 seeded before the clock existed: its newest voucher date.
SELECT coalesce((SELECT through FROM l1_simulator.clock), (SELECT max(voucher_date) FROM l1.gl_voucher))

-- name: go_live_date
-- Every bank account opens on the first day of the seeded history; the day simulator adds none.
SELECT min(opening_date) FROM l1.bank_account

-- name: vouchers_up_to
SELECT count(*) FROM l1.gl_voucher WHERE voucher_date <= %(day)s

-- name: day_after_latest_change
SELECT coalesce((SELECT through FROM l1_simulator.clock),
                (SELECT (max(updated_at) AT TIME ZONE 'Asia/Shanghai')::date FROM l1.gl_voucher)) + 1
