-- bench/tpp_seed.sql: :employees synthetic employees in unit BENCH-TPP (5HK,
-- WIB, class 9) with a full month (:month, 'YYYY-MM-01') of presensi and LKH,
-- and a TPP rule version for the unit. Run by bench/tpp on a throw-away database.
\set ON_ERROR_STOP on
begin;
insert into org_units (code, name) values ('BENCH-TPP', 'Bench TPP') on conflict (code) do nothing;
insert into office_locations (code, name, unit_id, latitude, longitude, radius_m, time_zone)
select 'BENCH-TPP-LOC', 'Bench TPP office', id, -2.88, 103.85, 300, 'Asia/Jakarta' from org_units where code = 'BENCH-TPP'
on conflict (code) do nothing;
insert into positions (name, type, class_grade) values ('Bench TPP Pelaksana', 'pelaksana', 9)
on conflict (name) do nothing;

insert into employees (nip, nik, name, gender, birth_date, employee_type, rank, position_id, unit_id,
                       office_location_id, work_schedule_id)
select to_char(b, 'YYYYMMDD') || '201001' || '1' || lpad(((i / 7000) + 1)::text, 3, '0'),
       '3174' || lpad(i::text, 12, '0'), 'Bench ' || i, 'L', b, 'PNS', 'III/a',
       (select id from positions where name = 'Bench TPP Pelaksana'),
       (select id from org_units where code = 'BENCH-TPP'),
       (select id from office_locations where code = 'BENCH-TPP-LOC'),
       (select id from work_schedules where code = '5HK')
from generate_series(1, :employees) i, lateral (select date '1970-01-01' + (i % 7000) as b) x
on conflict (nip) do nothing;

-- The month: every working day of 5HK (no holiday); h decides the day:
-- 3 % absent, 7 % late, 5 % early, the rest on time; LKH approved on 92 %.
create temporary table bench_days as
select e.id as employee_id, g::date as day, wd.start_time, wd.end_time,
       ((e.id * 31 + extract(day from g)::int * 17) % 100)::int as h
from employees e
join org_units u on u.id = e.unit_id and u.code = 'BENCH-TPP'
cross join generate_series(:'month'::date, (:'month'::date + interval '1 month - 1 day')::date, interval '1 day') g
join work_schedule_days wd on wd.schedule_id = e.work_schedule_id and wd.season = 'normal'
     and wd.isodow = extract(isodow from g)
where not exists (select 1 from public_holidays h where h.holiday_date = g::date);

insert into attendance (employee_id, work_date, time_zone, source, check_in_at, check_out_at)
select employee_id, day, 'Asia/Jakarta', 'mobile',
       (day + start_time + case when h < 10 then make_interval(mins => 5 + h * 7) else -make_interval(mins => h % 20) end)
           at time zone 'Asia/Jakarta',
       (day + end_time + case when h between 10 and 14 then -make_interval(mins => 10 + h * 5)
                              else make_interval(mins => h % 30) end) at time zone 'Asia/Jakarta'
from bench_days where h >= 3
on conflict (employee_id, work_date) do nothing;

insert into lkh_reports (employee_id, work_date, status)
select employee_id, day, 'approved' from bench_days where h >= 8
on conflict (employee_id, work_date) do nothing;

insert into tpp_rule_versions (unit_id, effective_from, rules, note)
select id, :'month'::date,
 '{"weights":{"kinerja":60,"kehadiran":40},"deductions":{"TL":[0.5,1,1.5,2],"PSW":[0.5,1,1.5,2],"absent_day":4},"exempt_absence_kinds":["cuti","sakit","dinas_luar","perjalanan_dinas","tugas_belajar"],"kinerja_source":"lkh","caps":{"max_deduction_pct":100,"min_total_pct":0},"base_amounts":{"9":3500000}}'::jsonb,
 'bench'
from org_units where code = 'BENCH-TPP'
on conflict (unit_id, effective_from) do nothing;
commit;
vacuum analyze employees;
vacuum analyze attendance;
vacuum analyze lkh_reports;
