-- demo_tpp: what a newcomer needs to compute and export a TPP month right
-- after `scripts/dev run` (docs/tpp.md "Try it"): position classes (kelas
-- jabatan), two rule versions for Musi Banyuasin and one for Kemenkes, and
-- the presensi and approved LKH of the month before last (never the last days, which the
-- presensi and LKH tests use, even on the 1st) for the Musi Banyuasin employees
-- (only days that have no row yet; nothing is overwritten). Idempotent.

-- Kelas jabatan of the demo positions.
update positions p set class_grade = v.grade
from (values
    ('Sekretaris Jenderal', 17),
    ('Kepala Biro Organisasi dan Sumber Daya Manusia', 14),
    ('Kepala Biro Komunikasi dan Pelayanan Publik', 14),
    ('Kepala Bagian Perencanaan dan Pengadaan SDM', 12),
    ('Kepala Bagian Pengembangan Kompetensi SDM', 12),
    ('Kepala Bagian Hubungan Media dan Informasi Publik', 12),
    ('Pranata Komputer Ahli Muda', 9),
    ('Analis Sumber Daya Manusia Aparatur Ahli Muda', 9),
    ('Analis Sumber Daya Manusia Aparatur Ahli Pertama', 8),
    ('Pengadministrasi Perkantoran', 5),
    ('Pranata Komputer Terampil', 7),
    ('Widyaiswara Ahli Muda', 9),
    ('Analis Pengembangan Kompetensi', 7),
    ('Pranata Hubungan Masyarakat Ahli Pertama', 8),
    ('Pengelola Layanan Informasi Publik', 6),
    ('Kepala Balai Besar Pelatihan Kesehatan Makassar', 14),
    ('Pranata Komputer Ahli Pertama', 8),
    ('Kepala Dinas Pendidikan', 15),
    ('Sekretaris Dinas Pendidikan', 13),
    ('Koordinator Wilayah Pendidikan Kecamatan Sekayu', 10),
    ('Pengelola Data Pendidikan', 6),
    ('Kepala Sekolah', 9),
    ('Guru Kelas Ahli Muda', 9),
    ('Guru Pendidikan Jasmani Ahli Pertama', 8),
    ('Guru Kelas Ahli Pertama', 8),
    ('Guru Pendidikan Agama Islam Ahli Pertama', 8),
    ('Guru Bahasa Inggris Ahli Pertama', 8),
    ('Guru Pendidikan Agama Kristen Ahli Pertama', 8)
) as v (name, grade)
where p.name = v.name and p.class_grade is distinct from v.grade;

-- Rule versions (docs/tpp.md "Rule format"). Musi Banyuasin: v1 from January
-- 2026; v2 from July 2026 weighs kehadiran more and forgives PSW1.
insert into tpp_rule_versions (unit_id, effective_from, rules, note)
select u.id, v.eff::date, v.rules::jsonb, v.note
from (values
    ('MUBA', '2026-01-01',
     '{"weights":{"kinerja":60,"kehadiran":40},"deductions":{"TL":[0.5,1,1.5,2],"PSW":[0.5,1,1.5,2],"absent_day":4},'
     '"exempt_absence_kinds":["cuti","sakit","dinas_luar","perjalanan_dinas","tugas_belajar"],"kinerja_source":"lkh",'
     '"caps":{"max_deduction_pct":100,"min_total_pct":0},'
     '"base_amounts":{"5":2000000,"6":2250000,"7":2500000,"8":3000000,"9":3500000,"10":4250000,"13":6500000,"15":9000000}}',
     'Perbup TPP 2026 (demo)'),
    ('MUBA', '2026-07-01',
     '{"weights":{"kinerja":50,"kehadiran":50},"deductions":{"TL":[0.5,1,1.5,2],"PSW":[0,1,1.5,2],"absent_day":4},'
     '"exempt_absence_kinds":["cuti","sakit","dinas_luar","perjalanan_dinas","tugas_belajar"],"kinerja_source":"lkh",'
     '"caps":{"max_deduction_pct":80,"min_total_pct":10},'
     '"base_amounts":{"5":2100000,"6":2350000,"7":2600000,"8":3150000,"9":3650000,"10":4400000,"13":6750000,"15":9300000}}',
     'Perubahan Perbup TPP Juli 2026 (demo)'),
    ('KEMENKES', '2026-01-01',
     '{"weights":{"kinerja":60,"kehadiran":40},"deductions":{"TL":[0.5,1,1.25,1.5],"PSW":[0.5,1,1.25,1.5],"absent_day":5},'
     '"exempt_absence_kinds":["cuti","sakit","dinas_luar","perjalanan_dinas","tugas_belajar"],"kinerja_source":"lkh",'
     '"caps":{"max_deduction_pct":100,"min_total_pct":0},'
     '"base_amounts":{"5":3000000,"6":3300000,"7":3600000,"8":4500000,"9":5500000,"12":9000000,"14":14000000,"17":30000000}}',
     'Tunjangan kinerja (demo)')
) as v (unit_code, eff, rules, note)
join org_units u on u.code = v.unit_code
on conflict (unit_id, effective_from) do nothing;

-- The month before last's presensi for Musi Banyuasin: mostly on time, some late, some
-- early, a few absent; a per-employee-per-day hash decides, so reseeding
-- gives the same month.
with month as (
    select (date_trunc('month', now() at time zone 'Asia/Jakarta') - interval '2 months')::date as first
),
days as (
    select e.id as employee_id, e.nip, e.work_schedule_id, l.time_zone, g::date as day,
           abs(hashtext(e.nip || g::date::text)) % 100 as h
    from employees e
    join org_units u on u.id = e.unit_id
    join office_locations l on l.id = e.office_location_id
    cross join month m
    cross join generate_series(m.first, (m.first + interval '1 month - 1 day')::date, interval '1 day') g
    where u.path @> array[(select id from org_units where code = 'MUBA')] and e.status = 'active'
),
slots as (
    select d.*, coalesce(r.start_time, n.start_time) as start_time, coalesce(r.end_time, n.end_time) as end_time
    from days d
    join work_schedule_days n on n.schedule_id = d.work_schedule_id and n.season = 'normal'
        and n.isodow = extract(isodow from d.day)
    left join work_schedule_days r on r.schedule_id = d.work_schedule_id and r.season = 'ramadan'
        and r.isodow = extract(isodow from d.day)
        and exists (select 1 from ramadan_periods p where d.day between p.start_date and p.end_date)
    where not exists (select 1 from public_holidays ph where ph.holiday_date = d.day)
      and d.h >= 3 -- 3 % absent
)
insert into attendance (employee_id, work_date, time_zone, source, check_in_at, check_out_at)
select s.employee_id, s.day, s.time_zone, 'mobile',
       (s.day + s.start_time + case when s.h < 10 then make_interval(mins => 5 + (s.h * 7) % 100)
                                    else -make_interval(mins => s.h % 20) end) at time zone s.time_zone,
       (s.day + s.end_time + case when s.h between 10 and 14 then -make_interval(mins => 10 + s.h * 5)
                                  else make_interval(mins => s.h % 30) end) at time zone s.time_zone
from slots s
on conflict (employee_id, work_date) do nothing;

-- Approved LKH on most of those days (the atasan approved them).
insert into lkh_reports (employee_id, work_date, status, reviewer_id, submitted_at, decided_at)
select a.employee_id, a.work_date, 'approved', e.supervisor_id, a.check_out_at, a.check_out_at + interval '1 hour'
from attendance a
join employees e on e.id = a.employee_id
join org_units u on u.id = e.unit_id
where u.path @> array[(select id from org_units where code = 'MUBA')]
  and a.work_date >= (date_trunc('month', now() at time zone 'Asia/Jakarta') - interval '2 months')::date
  and a.work_date < (date_trunc('month', now() at time zone 'Asia/Jakarta') - interval '1 month')::date
  and abs(hashtext('lkh' || e.nip || a.work_date::text)) % 100 >= 8
on conflict (employee_id, work_date) do nothing;

-- One approved cuti (three days) in that month, so an exempt day shows.
insert into absence_requests (employee_id, kind, cuti_type, date_from, date_to, reason, status, reviewer_id,
                              submitted_at, decided_at)
select e.id, 'cuti', 'tahunan', m.first + 9, m.first + 11, 'Cuti tahunan (demo TPP)', 'approved', e.supervisor_id,
       now(), now()
from employees e
cross join (select (date_trunc('month', now() at time zone 'Asia/Jakarta') - interval '2 months')::date as first) m
where e.nip = '198202142006012001'
  and not exists (select 1 from absence_requests x where x.employee_id = e.id and x.reason = 'Cuti tahunan (demo TPP)'
                  and x.date_from = m.first + 9);
