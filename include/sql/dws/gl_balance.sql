-- dws.gl_balance: ledger movements (科目发生额) per organisation × account × period from
-- dwd.voucher_line (posted, clean lines only): debit and credit totals, net = debit - credit.
-- {scope}: the incremental build's key filter (TRUE in a full build).
SELECT org_id, account_code, period, sum(debit_amount) AS debit, sum(credit_amount) AS credit,
       sum(net_amount) AS net, count(*) AS line_count
FROM dwd.voucher_line
WHERE {scope}
GROUP BY org_id, account_code, period
