-- pgbench "current write set" (NOT a floor; bench/pgbench_floor.sql is): the
-- database writes of one mobile check-in, statement for statement as the server
-- runs them (svc/presensi.c with an Idempotency-Key; SQL from db/presensi.c,
-- db/attachments.c and db/idempotency.c; the answer body is a 700-byte stand-in).
-- Run by bench/run as:
--   pgbench -n -M prepared -c C -j 2 -T S -f bench/pgbench_insert.sql \
--     -D n=0 -D clients=C -D emin=FIRST_ID -D employees=N -D run=RUN -D size=BYTES \
--     -D tz=Asia/Jakarta -D ct=image/jpeg -D src=mobile -D lat=.. -D lon=.. -D acc=12.5 \
--     -D mock=false -D dist=22.0 -D loc=BENCH-JKT -D flags={} -D scope=presensi -D status=201
-- Needs the bench employees' ids to be FIRST_ID .. FIRST_ID+N-1 (bench-tokens
-- reports ids_contiguous; a fresh database, as scripts/dev bench makes, has them).
--
-- Differences from the server, none of which changes the work PostgreSQL does:
--  * work_date is "today in the office zone" plus 1 + s div N days instead of
--    today: the unique (employee_id, work_date) constraint allows one check-in
--    per employee and day, and a baseline has to run for S seconds, so
--    transaction s of the run takes employee s mod N on a future day (the past
--    days hold the seeded history that bench/run gives every employee). Every
--    transaction is still a first check-in of that employee-day going through
--    the same unique index, FK checks, trigger-free insert and WAL flush.
--  * the values the handler computes in C (photo content address, device
--    clock, idempotency key) come from one SELECT without a table before the
--    transactions, and RETURNING columns carry aliases for \gset.
--  * the to_char formats are written E'HH24\x3AMI\x3ASS' (the same string): pgbench
--    would take ":MI" in 'HH24:MI:SS' for a variable.
--  * the reads of a check-in (token's session, idempotency lookup, the day's
--    context, extra locations) are not here: this is the write baseline.
-- source statements (bench/run warns when they change in db/):
-- source-sha256: f89f1501a9290b775c583696d7ee04fb19b6735c9b75f19150b4662d0d63809d

\set n :n + 1
\set s :client_id + (:n - 1) * :clients
\set eid :emin + :s % :employees
\set back -1 - :s / :employees
\set r random(0, 999999999)
\set devi :eid - :emin + 1
select lpad(:run::text, 12, '0') || lpad(:r::text, 20, '0') || lpad(:s::text, 32, '0') as sha,
       lpad(:run::text, 12, '0') || lpad(:r::text, 20, '0') || lpad(:s::text, 32, '0') || '.jpg' as key,
       'bench-' || :run || '-' || :client_id || '-' || :n as ikey,
       'bench-device-' || :devi as dev,
       extract(epoch from now())::bigint as epoch,
       extract(epoch from clock_timestamp()) as arrived \gset

-- (the server writes the object to storage first: that is the fsync floor)

-- The ONE check-in transaction of svc/presensi.c eo_svc_presensi_punch:
-- claim the key, the attachment row born referenced (db/attachments.c, under
-- the storage key's advisory lock that serialises it with the sweeper), the
-- attendance row RETURNING the record's columns, the stored answer.
BEGIN;
insert into idempotency_keys (employee_id, key, scope, request_hash)
 values (:eid, :ikey, :scope, :sha) on conflict (employee_id, key) do nothing returning id as idem_id \gset
with lock as (select pg_advisory_xact_lock(hashtextextended(:key, 0)))
 insert into attachments (kind, employee_id, storage_key, sha256, content_type, size_bytes, status, pending_since)
 select 'presensi.photo', :eid, :key, :sha, :ct, :size, 'referenced', null from lock
 where not exists (select 1 from attachment_sweeps s where s.storage_key = :key
   and s.swept_at >= to_timestamp(:epoch) - interval '1 second')
 returning id as photo_id, exists (select 1 from attachments p where p.employee_id = :eid and p.sha256 = :sha
   and p.kind = 'presensi.photo' and p.status = 'referenced') as reused \gset
insert into attendance as a (employee_id, work_date, time_zone, source, check_in_at,
 check_in_photo_id, check_in_lat, check_in_lon, check_in_accuracy_m, check_in_mock,
 check_in_distance_m, check_in_location, check_in_device_time, check_in_device_id, check_in_flags)
 values (:eid, (to_timestamp(:arrived) at time zone :tz)::date - :back::int, :tz, :src, to_timestamp(:arrived),
  :photo_id, :lat, :lon, :acc, :mock, :dist, :loc, to_timestamp(:epoch), :dev, :flags::text[])
 returning a.id as att_id, to_char(a.work_date, 'YYYY-MM-DD') as work_date,
  to_char(a.check_in_at at time zone 'UTC', E'YYYY-MM-DD"T"HH24\x3AMI\x3ASS"Z"') as at_utc,
  to_char(a.check_in_at at time zone a.time_zone, E'HH24\x3AMI\x3ASS') as at_local \gset
update idempotency_keys set status = :status, body = repeat('x', 700) where employee_id = :eid and key = :ikey;
COMMIT;
