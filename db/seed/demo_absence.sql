-- Demo data of the absence-request and settings-confirmation modules
-- (docs/absence.md, docs/settings.md). Runs after db/seed/demo.sql in the same
-- transaction; rows are found by NIP and code, and each insert is skipped when
-- its row is already there, so seed-demo can run again. Dates follow the
-- current date (future leave plans), so the presensi views of the past stay
-- as they were.

-- Absence requests in every state (cuti, sakit, dinas luar, tugas belajar).
with v (nip, kind, cuti_type, d_from, d_to, reason, status, note) as (values
    ('199305212019032001', 'cuti', 'tahunan', 14, 16, 'Cuti tahunan: acara keluarga di Bandung', 'approved', 'Disetujui, selamat berlibur'),
    ('199305212019032001', 'sakit', null, 30, 30, 'Kontrol pasca operasi', 'submitted', null),
    ('199601092021031001', 'dinas_luar', null, 7, 8, 'Rapat koordinasi SDM di Surabaya', 'submitted', null),
    ('198709232012031001', 'dinas_luar', null, 20, 21, 'Pendampingan lomba siswa tingkat kabupaten', 'draft', null),
    ('198709232012031001', 'cuti', 'alasan_penting', 40, 41, 'Mengurus pernikahan adik', 'returned', 'Lampirkan undangan pernikahan'),
    ('198709232012031001', 'tugas_belajar', null, 60, 90, 'Pendidikan profesi guru (PPG) dalam jabatan', 'rejected', 'Kuota PPG tahun ini sudah penuh')
)
insert into absence_requests (employee_id, kind, cuti_type, date_from, date_to, reason, status, reviewer_id,
                              decided_by, review_note, submitted_at, decided_at)
select e.id, v.kind, v.cuti_type, current_date + v.d_from, current_date + v.d_to, v.reason, v.status,
       case when v.status <> 'draft' then e.supervisor_id end,
       case when v.status in ('approved', 'returned', 'rejected') then e.supervisor_id end,
       v.note,
       case when v.status <> 'draft' then now() - interval '2 days' end,
       case when v.status in ('approved', 'returned', 'rejected') then now() - interval '1 day' end
from v join employees e on e.nip = v.nip
where not exists (select 1 from absence_requests a where a.employee_id = e.id and a.reason = v.reason);

-- A pending settings change, so the confirmation queue shows something: a
-- member of Hendra's team asks to move to the Makassar office (Hendra, his
-- atasan, or Rahmat, anpeg of the unit, confirms it).
insert into settings_changes (employee_id, kind, set_location, office_location_id)
select e.id, 'placement', true, l.id
from employees e join office_locations l on l.code = 'LOC-BBPK-MKS'
where e.nip = '199601092021031001'
  and not exists (select 1 from settings_changes c where c.employee_id = e.id and c.status = 'pending'
                  and c.kind = 'placement');

-- Values in force: every demo employee has its current values in the history
-- (the trigger of 0041 writes them on insert and change; this covers rows
-- that existed before it).
insert into employee_settings_history (employee_id, office_location_id, supervisor_id, work_schedule_id,
                                       effective_from, source)
select e.id, e.office_location_id, e.supervisor_id, e.work_schedule_id, now(), 'seed'
from employees e
where not exists (select 1 from employee_settings_history h where h.employee_id = e.id
                  and h.office_location_id is not distinct from e.office_location_id
                  and h.supervisor_id is not distinct from e.supervisor_id
                  and h.work_schedule_id is not distinct from e.work_schedule_id
                  and h.id = (select max(id) from employee_settings_history h2 where h2.employee_id = e.id));
