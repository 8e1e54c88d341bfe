-- pgbench baseline: the database writes of one mobile check-in, statement for
-- statement as the server runs them (api/presensi.c punch() with an
-- Idempotency-Key; SQL copied from db/presensi.c and db/idempotency.c).
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
-- source-sha256: 87da28b9fb1242989c964ef06c9f8a09652c184a7cfce798459c093d4728493c

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

-- 1. eo_db_photo_insert_pending: the pending photo row, own transaction.
BEGIN;
with lock as (select pg_advisory_xact_lock(hashtextextended(:key, 0)))
 insert into photos (employee_id, storage_key, sha256, content_type, size_bytes)
 select :eid, :key, :sha, :ct, :size from lock
 returning id as photo_id, exists (select 1 from photos p where p.employee_id = :eid and p.sha256 = :sha
   and p.status = 'referenced') as reused \gset
COMMIT;

-- (the server writes the object to storage here: that is the fsync baseline)

-- 2. The check-in transaction: claim the key, insert the day, reference the
--    photo, read the record back, store the answer for the key.
BEGIN;
insert into idempotency_keys (employee_id, key, scope, request_hash)
 values (:eid, :ikey, :scope, :sha) on conflict (employee_id, key) do nothing returning id as idem_id \gset
insert into attendance (employee_id, work_date, time_zone, source, check_in_at,
 check_in_photo_id, check_in_lat, check_in_lon, check_in_accuracy_m, check_in_mock,
 check_in_distance_m, check_in_location, check_in_device_time, check_in_device_id, check_in_flags)
 values (:eid, (to_timestamp(:arrived) at time zone :tz)::date - :back::int, :tz, :src, to_timestamp(:arrived),
  :photo_id, :lat, :lon, :acc, :mock, :dist, :loc, to_timestamp(:epoch), :dev, :flags::text[])
 returning to_char(work_date, 'YYYY-MM-DD') as work_date, null::bigint as old_photo \gset
update photos set status = 'referenced', pending_since = null where id = :photo_id;
select jsonb_build_object('id', a.id, 'work_date', to_char(a.work_date, 'YYYY-MM-DD'),'time_zone', a.time_zone, 'source', a.source, 'corrected', a.corrected_by is not null,'check_in', case when a.check_in_at is null then null else jsonb_build_object('at', to_char(a.check_in_at at time zone 'UTC', E'YYYY-MM-DD"T"HH24\x3AMI\x3ASS"Z"'),'local_time', to_char(a.check_in_at at time zone a.time_zone, E'HH24\x3AMI\x3ASS'),'latitude', a.check_in_lat, 'longitude', a.check_in_lon, 'accuracy_m', a.check_in_accuracy_m,'mock_location', a.check_in_mock, 'distance_m', round(a.check_in_distance_m::numeric),'location', a.check_in_location, 'flags', to_jsonb(a.check_in_flags),'photo_id', a.check_in_photo_id,'device_time', to_char(a.check_in_device_time at time zone 'UTC', E'YYYY-MM-DD"T"HH24\x3AMI\x3ASS"Z"')) end, 'check_out', case when a.check_out_at is null then null else jsonb_build_object('at', to_char(a.check_out_at at time zone 'UTC', E'YYYY-MM-DD"T"HH24\x3AMI\x3ASS"Z"'),'local_time', to_char(a.check_out_at at time zone a.time_zone, E'HH24\x3AMI\x3ASS'),'latitude', a.check_out_lat, 'longitude', a.check_out_lon, 'accuracy_m', a.check_out_accuracy_m,'mock_location', a.check_out_mock, 'distance_m', round(a.check_out_distance_m::numeric),'location', a.check_out_location, 'flags', to_jsonb(a.check_out_flags),'photo_id', a.check_out_photo_id,'device_time', to_char(a.check_out_device_time at time zone 'UTC', E'YYYY-MM-DD"T"HH24\x3AMI\x3ASS"Z"')) end)::text as body from attendance a where a.employee_id = :eid and a.work_date = :work_date::date \gset
update idempotency_keys set status = :status, body = :body where employee_id = :eid and key = :ikey;
COMMIT;
