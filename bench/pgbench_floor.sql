-- pgbench FLOOR: one INSERT of the attendance row in its own transaction.
-- This is what a check-in cannot avoid in the database: one row through the
-- same unique (employee_id, work_date) index, the same secondary indexes and
-- FK checks, and one WAL flush at COMMIT (fsync and synchronous_commit on).
-- Nothing the project chooses (idempotency claim, attachment row, stored
-- answer, reads) is in here, so a slower design cannot lower its own floor.
-- Run by bench/run as:
--   pgbench -n -M prepared -c C -j 2 -T S -f bench/pgbench_floor.sql \
--     -D n=0 -D clients=C -D emin=FIRST_ID -D employees=N -D photo=PHOTO_ID \
--     -D tz=Asia/Jakarta -D src=mobile -D lat=.. -D lon=.. -D acc=12.5 -D mock=false \
--     -D dist=22.0 -D loc=BENCH-JKT -D flags={}
-- work_date: transaction s takes employee s mod N on day 1 + s div N ahead, so
-- every insert is a first check-in of its employee-day (see bench/README.md).
-- photo: one existing attachment id (the FK check costs the same for any row).
\set n :n + 1
\set s :client_id + (:n - 1) * :clients
\set eid :emin + :s % :employees
\set back -1 - :s / :employees
\set devi :eid - :emin + 1
BEGIN;
insert into attendance (employee_id, work_date, time_zone, source, check_in_at,
 check_in_photo_id, check_in_lat, check_in_lon, check_in_accuracy_m, check_in_mock,
 check_in_distance_m, check_in_location, check_in_device_time, check_in_device_id, check_in_flags)
 values (:eid, (now() at time zone :tz)::date - :back::int, :tz, :src, now(),
  :photo, :lat, :lon, :acc, :mock, :dist, :loc, now(), 'bench-device-' || :devi, :flags::text[]);
COMMIT;
