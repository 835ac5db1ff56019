-- Floor of `kehu followups today --format table --limit 50` on PostgreSQL (issue 7).
--
--     psql -X -q -v ON_ERROR_STOP=1 -v today=2026-11-23 -f followups_pg.sql postgresql://USER:PASS@HOST/DB
--
-- followups.py's queries translated to PostgreSQL and run by psql alone (no Python), in one
-- statement so that the whole list is one round trip:
--
-- * due customers: the range scan of ix_customer_next_due (or the partial ix_customer_due_rank)
--   with the urgency score in tenths of a point, an exact integer as in followups.py (overdue 100
--   a day up to 30 days, grade, 300 × the stage's win probability of the built-in pipelines, none
--   when lost, 50 × log10 of the expected value in yuan); the top 50 by it (then due date, id)
--   joined to their key contacts, and the totals (overdue, due today) over the same rows, the
--   scan made once (MATERIALIZED);
-- * planned visits on or before today, birthdays today (lunar ones counted, not converted: psql
--   has no lunar calendar either), and contracts with money overdue (amount less payments).
--
-- The sections come back as one text value (\gset) that \echo prints, the totals line goes to
-- stderr (\warn) in followups.py's words, so run.py compares both floors with kehu the same way.

\set ON_ERROR_STOP on

WITH due AS MATERIALIZED (
  SELECT c.id, c.next_due,
      100 * least(greatest(:'today'::date - c.next_due, 0), 30)
    + CASE c.grade WHEN 'A' THEN 400 WHEN 'B' THEN 250 WHEN 'C' THEN 120 WHEN 'E' THEN 0 ELSE 50 END
    + CASE WHEN c.status = 'lost' THEN 0 ELSE CASE c.pipeline
        WHEN 'key-account' THEN CASE c.stage WHEN 'analyse' THEN 30 WHEN 'trust' THEN 45
          WHEN 'needs' THEN 60 WHEN 'value' THEN 120 WHEN 'commit' THEN 225 WHEN 'collect' THEN 300
          ELSE 0 END
        WHEN 'development' THEN CASE c.stage WHEN 'target' THEN 30 WHEN 'samples' THEN 45
          WHEN 'assess' THEN 75 WHEN 'relationship' THEN 120 WHEN 'close' THEN 180 ELSE 0 END
        WHEN 'consultative' THEN CASE c.stage WHEN 'prospect' THEN 30 WHEN 'discover' THEN 45
          WHEN 'approve' THEN 60 WHEN 'shortlist' THEN 75 WHEN 'commit' THEN 150
          WHEN 'deliver' THEN 300 WHEN 'repeat' THEN 300 ELSE 0 END
        ELSE 0 END END
    + CASE WHEN c.expected_value >= 100
           THEN floor(50 * log(c.expected_value / 100.0::float8) + 0.5)::integer ELSE 0 END AS score
  FROM customer c
  WHERE c.next_due <= :'today' AND c.archived_at IS NULL AND c.status <> 'lost'
),
top AS (SELECT id, next_due, score FROM due ORDER BY score DESC, next_due, id LIMIT 50),
top_lines AS (
  SELECT t.next_due < :'today' AS overdue, t.score, t.next_due, t.id,
         format('%-28s%-4s%-12s%-20s%-14s%-8s%s %s', c.name, coalesce(c.grade, '-'), t.next_due,
                concat_ws(' ', c.last_touch_on, c.last_channel), coalesce(c.next_step, ''),
                coalesce(k.name, ''), coalesce(k.phone, c.phone, ''), round(t.score / 10.0, 1)) AS line
  FROM top t
  JOIN customer c ON c.id = t.id
  LEFT JOIN contact k ON k.customer_id = c.id AND k.is_key AND k.archived_at IS NULL
),
totals AS (
  SELECT count(*) FILTER (WHERE next_due < :'today') AS overdue,
         count(*) FILTER (WHERE next_due = :'today') AS due
  FROM due
),
plans AS (
  SELECT v.planned_on, v.id,
         format('%-28s%-4s%-12svisit: %-14s%-8s%s', c.name, coalesce(c.grade, '-'), v.planned_on,
                v.purpose, coalesce(k.name, ''), coalesce(k.phone, '')) AS line
  FROM visit_plan v
  JOIN customer c ON c.id = v.customer_id
  LEFT JOIN contact k ON k.id = v.contact_id
  WHERE v.status = 'planned' AND v.planned_on <= :'today' AND c.archived_at IS NULL
),
candidates AS (
  SELECT c.id, k.birthday_lunar,
         format('%-28s%-4s%-12sbirthday  %-8s%s', c.name, coalesce(c.grade, '-'), :'today',
                k.name, coalesce(k.phone, '')) AS line
  FROM contact k
  JOIN customer c ON c.id = k.customer_id
  WHERE k.birthday IS NOT NULL AND k.archived_at IS NULL AND c.archived_at IS NULL
    AND (k.birthday_lunar
         OR (extract(month FROM k.birthday), extract(day FROM k.birthday))
          = (extract(month FROM :'today'::date), extract(day FROM :'today'::date)))
),
collect AS (
  SELECT k.customer_id, days,
         format('%-28s%-12s%s days overdue  collect %s: %s', c.name, k.due_on, days,
                round((k.amount - coalesce(p.paid, 0)) / 100.0, 2),
                CASE WHEN days <= 30 THEN 'phone call' WHEN days <= 60 THEN 'collection letter'
                     WHEN days <= 90 THEN 'visit' ELSE 'legal' END) AS line
  FROM contract k
  JOIN customer c ON c.id = k.customer_id
  LEFT JOIN (SELECT contract_id, sum(amount) AS paid FROM payment GROUP BY contract_id) p
         ON p.contract_id = k.id
  CROSS JOIN LATERAL (SELECT :'today'::date - k.due_on AS days) d
  WHERE k.amount > coalesce(p.paid, 0) AND k.due_on < :'today'
)
SELECT
  coalesce(concat_ws(E'\n',
    (SELECT 'Overdue' || E'\n' || string_agg(line, E'\n' ORDER BY score DESC, next_due, id)
     FROM top_lines WHERE overdue),
    (SELECT 'Due' || E'\n' || string_agg(line, E'\n' ORDER BY score DESC, next_due, id)
     FROM top_lines WHERE NOT overdue),
    (SELECT 'To collect' || E'\n' || string_agg(line, E'\n' ORDER BY days DESC, customer_id)
     FROM collect),
    (SELECT 'Planned visits' || E'\n' || string_agg(line, E'\n' ORDER BY planned_on, id) FROM plans),
    (SELECT 'Birthdays' || E'\n' || string_agg(line, E'\n' ORDER BY id)
     FROM candidates WHERE NOT birthday_lunar)
  ), '') AS sections,
  (SELECT overdue FROM totals) AS overdue,
  (SELECT due FROM totals) AS due,
  (SELECT count(*) FROM plans) AS plans,
  (SELECT count(*) FILTER (WHERE NOT birthday_lunar) FROM candidates) AS birthdays,
  (SELECT count(*) FILTER (WHERE birthday_lunar) FROM candidates) AS lunar,
  (SELECT count(*) FROM collect) AS collect
\gset

\echo :sections
\warn :overdue overdue, :due due, :plans planned visits, :birthdays birthdays, :collect to collect; :lunar lunar birthdays not converted
