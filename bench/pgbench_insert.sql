-- pgbench "current write set" (NOT a floor; bench/pgbench_floor.sql is): the
-- database write of one mobile check-in, as the server runs it (svc/presensi.c
-- check_in with an Idempotency-Key: the ONE statement of db/presensi.c
-- eo_db_presensi_checkin; the answer body is a 700-byte stand-in).
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
--    clock, idempotency key) and the two ids the server's context query draws
--    from the sequences (eo_db_presensi_checkin_context) come from one SELECT
--    before the statement; the rest of that context query (the employee, the
--    schedule, the fences) is a read and not here: this is the write baseline.
--  * the flags arrive as a text[] literal (-D flags={}) instead of the JSON
--    array the server converts with jsonb_array_elements_text.
--  * the reads of a check-in (token's session, idempotency lookup, the day's
--    context) are not here.
-- source statements (bench/run warns when they change in db/):
-- source-sha256: ba79f2b193688da3a1d66597c0b1f08ae4ea32b12d4dc3fa099855ae6c82875a

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
       extract(epoch from clock_timestamp()) as arrived,
       nextval(pg_get_serial_sequence('attendance', 'id')) as aid,
       nextval(pg_get_serial_sequence('attachments', 'id')) as pid \gset

-- (the server writes the object to storage first: that is the fsync floor)

-- The ONE check-in statement of db/presensi.c eo_db_presensi_checkin, its own
-- transaction: the key's claim with the answer, the attachment row born
-- referenced (under the storage key's advisory lock that serialises it with
-- the sweeper) and the attendance row.
with claim as (insert into idempotency_keys (employee_id, key, scope, request_hash, status, body)
   select :eid, :ikey, :scope, :sha, :status::int, repeat('x', 700) where :ikey::text is not null
   on conflict (employee_id, key) do nothing returning id),
 go as (select 1 as one where :ikey::text is null or exists (select 1 from claim)),
 lock as (select pg_advisory_xact_lock(hashtextextended(:key, 0)) from go),
 att as (insert into attachments (id, kind, employee_id, storage_key, sha256, content_type, size_bytes,
   status, pending_since) overriding system value
   select :pid, 'presensi.photo', :eid, :key, :sha, :ct, :size::int, 'referenced', null from lock
   where not exists (select 1 from attachment_sweeps s where s.storage_key = :key
     and s.swept_at >= to_timestamp(:epoch) - interval '1 second')
   returning id),
 ins as (insert into attendance (id, employee_id, work_date, time_zone, source, check_in_at,
   check_in_photo_id, check_in_lat, check_in_lon, check_in_accuracy_m, check_in_mock,
   check_in_distance_m, check_in_location, check_in_device_time, check_in_device_id, check_in_flags)
   overriding system value
   select :aid, :eid, (to_timestamp(:arrived) at time zone :tz)::date - :back::int, :tz, :src,
    to_timestamp(:arrived), att.id, :lat, :lon, :acc, :mock, :dist, :loc, to_timestamp(:epoch), :dev,
    :flags::text[]
   from att returning id)
 select (select count(*) from go) as claimed, (select count(*) from ins) as written;
