-- Demo LKH (docs/lkh.md): SKP targets for this year and daily reports in
-- every state over the last four weeks, on each employee's working days
-- (schedule weekdays, public holidays skipped). Idempotent: targets are keyed
-- by (employee, year, title), reports by (employee, work_date), activities are
-- only added to reports that have none. Newest first per employee: the latest
-- working day is a draft, the two before are submitted, the next was returned
-- with a note, older ones are approved by the atasan.
--   Dewi Lestari (atasan Hendra Gunawan)    199305212019032001
--   Rahmat Hidayat (atasan Hendra Gunawan)  198611022010121001
--   Ahmad Fauzi, guru (atasan Nurhasanah)   198709232012031001
--   Hj. Nurhasanah (atasan Sukardi)         197504142000032001
--   Nurhayati Syamsuddin, Makassar (WITA)   198401282009032001

insert into skp_targets (employee_id, year, title, target_quantity, unit)
select e.id, extract(year from current_date)::int, t.title, t.qty, t.unit
  from employees e
  join (values
    ('199305212019032001', 'Menyusun dokumen perencanaan kebutuhan SDM', 12, 'dokumen'),
    ('199305212019032001', 'Mengolah data formasi jabatan fungsional', 24, 'laporan'),
    ('198611022010121001', 'Menyelesaikan usulan kenaikan pangkat pegawai', 120, 'usulan'),
    ('198611022010121001', 'Memutakhirkan data kepegawaian', 12, 'laporan'),
    ('198709232012031001', 'Melaksanakan pembelajaran kelas IV', 960, 'jam pelajaran'),
    ('198709232012031001', 'Menyusun perangkat pembelajaran', 8, 'modul ajar'),
    ('197504142000032001', 'Melaksanakan supervisi akademik guru', 24, 'kegiatan'),
    ('197504142000032001', 'Menyusun laporan pengelolaan sekolah', 12, 'laporan'),
    ('198401282009032001', 'Menyelenggarakan pelatihan tenaga kesehatan', 10, 'angkatan'),
    ('198401282009032001', 'Menyusun laporan evaluasi pelatihan', 10, 'laporan')
  ) as t(nip, title, qty, unit) on t.nip = e.nip
 where not exists (select 1 from skp_targets s where s.employee_id = e.id
                     and s.year = extract(year from current_date)::int and s.title = t.title);

with emp as (
    select e.id, e.supervisor_id, e.work_schedule_id, coalesce(l.time_zone, 'Asia/Jakarta') as tz
      from employees e left join office_locations l on l.id = e.office_location_id
     where e.nip in ('199305212019032001', '198611022010121001', '198709232012031001', '197504142000032001',
                     '198401282009032001')),
days as (
    select emp.id as employee_id, emp.supervisor_id, emp.tz, g::date as work_date,
           row_number() over (partition by emp.id order by g desc) as k
      from emp, generate_series(current_date - 28, current_date - 1, interval '1 day') g
     where exists (select 1 from work_schedule_days w
                    where w.schedule_id = emp.work_schedule_id and w.isodow = extract(isodow from g))
       and not exists (select 1 from public_holidays h where h.holiday_date = g::date))
insert into lkh_reports (employee_id, work_date, status, reviewer_id, review_note, submitted_at, decided_at)
select employee_id, work_date,
       case when k = 1 then 'draft' when k <= 3 then 'submitted' when k = 4 then 'returned' else 'approved' end,
       case when k = 1 then null else supervisor_id end,
       case when k = 4 then 'Mohon lengkapi uraian output dan lampirkan bukti kegiatan.' end,
       case when k > 1 then (work_date + time '16:30') at time zone tz end,
       case when k > 3 then (work_date + 1 + time '09:00') at time zone tz end
  from days
 where k <= 16
on conflict (employee_id, work_date) do nothing;

insert into lkh_activities (report_id, position, description, start_time, end_time, duration_min, output, quantity,
                            unit, skp_target_id)
select r.id, a.pos, a.description, a.st, a.en, (extract(epoch from a.en - a.st) / 60)::int, a.output, a.qty, a.unit,
       case when a.pos = 1 then (select min(s.id) from skp_targets s
                                  where s.employee_id = r.employee_id and s.year = extract(year from r.work_date)) end
  from lkh_reports r
  join employees e on e.id = r.employee_id
 cross join (values
    (1, 'Mengerjakan tugas utama sesuai target SKP', time '07:30', time '10:00', 'Hasil kerja tugas utama', 1, 'dokumen'),
    (2, 'Rapat koordinasi tim kerja', time '10:00', time '11:30', 'Notulen rapat', 1, 'notulen'),
    (3, 'Menindaklanjuti surat dan disposisi masuk', time '13:00', time '14:30', 'Surat ditindaklanjuti', 3, 'surat')
  ) as a(pos, description, st, en, output, qty, unit)
 where e.nip in ('199305212019032001', '198611022010121001', '198709232012031001', '197504142000032001',
                 '198401282009032001')
   and not exists (select 1 from lkh_activities x where x.report_id = r.id);
