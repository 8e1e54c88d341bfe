-- Demo data of the development programme catalogue and the RPI (docs/rpi.md).
-- Idempotent: keyed by code / title / NIP / year; runs after db/seed/demo.sql.
--
-- RPIs of the current year (WIB), one in every state, so that each queue shows something:
--   Dewi Lestari     199305212019032001  submitted  -> queue of the anpeg Rahmat Hidayat (KEMENKES-ROSDM)
--   Andi Pratama     198807142014031001  verified   -> queue of his atasan Hendra Gunawan
--   Ratna Sari Dewi  198012082005012001  approved   (agenda: a Plataran programme with a stored schedule)
--   Hendra Gunawan   197806252003121001  draft, returned once by Rahmat with a note (revision 2)
-- Each of them has a self-assessment this year (type 'self'), as submitting requires.

-- The managerial and socio-cultural competencies (PermenPANRB 38/2017); the
-- competency module's seed may have them already: then theirs stay.
insert into competencies (code, name, category) values
    ('M.01', 'Integritas', 'managerial'),
    ('M.02', 'Kerja Sama', 'managerial'),
    ('M.03', 'Komunikasi', 'managerial'),
    ('M.04', 'Orientasi pada Hasil', 'managerial'),
    ('M.05', 'Pelayanan Publik', 'managerial'),
    ('M.06', 'Pengembangan Diri dan Orang Lain', 'managerial'),
    ('M.07', 'Mengelola Perubahan', 'managerial'),
    ('M.08', 'Pengambilan Keputusan', 'managerial'),
    ('SK.01', 'Perekat Bangsa', 'sociocultural')
on conflict (code) do nothing;

-- Standards of the demo employees' positions (kept when already set).
insert into position_standards (position_id, competency_id, required_level)
select e.position_id, k.id, v.level
from (values ('M.01', 3), ('M.03', 3), ('M.04', 3), ('M.05', 3), ('M.08', 2), ('SK.01', 3)) as v (code, level)
join competencies k on k.code = v.code
join employees e on e.nip in ('199305212019032001', '198807142014031001', '198012082005012001', '197806252003121001')
where e.position_id is not null
on conflict (position_id, competency_id) do nothing;

-- This year's self-assessment of each of them, answering every competency of
-- their position's standard (a self-assessment always does): at the standard,
-- below it on M.03 and M.04.
insert into assessments (employee_id, type, assessed_on, assessor, source)
select e.id, 'self',
       greatest(date_trunc('year', now() at time zone 'Asia/Jakarta'), (now() at time zone 'Asia/Jakarta') - interval '30 days')::date,
       'Asesmen mandiri', 'self'
from employees e
where e.nip in ('199305212019032001', '198807142014031001', '198012082005012001', '197806252003121001')
  and not exists (select 1 from assessments a where a.employee_id = e.id and a.type = 'self'
                    and extract(year from a.assessed_on) = extract(year from now() at time zone 'Asia/Jakarta'));
insert into assessment_scores (assessment_id, competency_id, score, justification)
select a.id, ps.competency_id,
       case when k.code in ('M.03', 'M.04') then greatest(ps.required_level - 1, 1) else ps.required_level end,
       'Penilaian diri'
from employees e
join position_standards ps on ps.position_id = e.position_id
join competencies k on k.id = ps.competency_id
join assessments a on a.employee_id = e.id and a.type = 'self' and a.assessor = 'Asesmen mandiri'
where e.nip in ('199305212019032001', '198807142014031001', '198012082005012001', '197806252003121001')
on conflict (assessment_id, competency_id) do nothing;

-- The catalogue.
insert into dev_programmes (title, description, method, category, jp, organiser_unit_id, mandatory_all,
                            mandatory_ranks, source, external_id)
select v.title, v.description, v.method, v.category, v.jp, u.id, v.all_, v.ranks::text[], v.source, v.ext
from (values
    ('Pelatihan Integritas dan Antikorupsi ASN', 'Wajib bagi seluruh pegawai.', 'e_learning', 'formal', 4,
     'KEMENKES-ROSDM-BANGKOM', true, '{}', 'manual', null),
    ('Pelatihan Komunikasi Efektif', 'Komunikasi lisan dan tertulis di lingkungan kerja.', 'pelatihan', 'formal', 8,
     'KEMENKES-ROSDM-BANGKOM', false, '{}', 'manual', null),
    ('Coaching Orientasi pada Hasil', 'Coaching oleh atasan langsung, 6 sesi.', 'coaching', 'social', 6,
     'KEMENKES-ROSDM-BANGKOM', false, '{}', 'manual', null),
    ('Mentoring Pelayanan Publik', 'Pendampingan oleh pejabat fungsional senior.', 'mentoring', 'social', 6,
     'KEMENKES-ROSDM', false, '{}', 'manual', null),
    ('Penugasan Proyek Perubahan Unit', 'Memimpin satu proyek perubahan di unit kerja.', 'on_the_job',
     'experiential', 30, 'KEMENKES-ROSDM', false, '{}', 'manual', null),
    ('Magang di Biro Komunikasi', 'Magang dua minggu di unit lain.', 'magang', 'experiential', 20,
     'KEMENKES-ROKOM', false, '{}', 'manual', null),
    ('Pelatihan Kepemimpinan Administrator', 'Wajib bagi golongan IV/a dan IV/b.', 'pelatihan', 'formal', 24,
     'KEMENKES-ROSDM-BANGKOM', false, '{IV/a,IV/b}', 'manual', null),
    ('Webinar Komunikasi Publik Kesehatan', 'Seri webinar Plataran Sehat.', 'seminar', 'formal', 4,
     null, false, '{}', 'plataran', 'PS-DEMO-001')
) as v (title, description, method, category, jp, unit, all_, ranks, source, ext)
left join org_units u on u.code = v.unit
where not exists (select 1 from dev_programmes p where p.title = v.title);

insert into dev_programme_competencies (programme_id, competency_id)
select p.id, k.id
from (values
    ('Pelatihan Integritas dan Antikorupsi ASN', 'M.01'),
    ('Pelatihan Komunikasi Efektif', 'M.03'),
    ('Coaching Orientasi pada Hasil', 'M.04'),
    ('Mentoring Pelayanan Publik', 'M.05'),
    ('Penugasan Proyek Perubahan Unit', 'M.04'),
    ('Penugasan Proyek Perubahan Unit', 'M.08'),
    ('Magang di Biro Komunikasi', 'M.03'),
    ('Pelatihan Kepemimpinan Administrator', 'M.08'),
    ('Webinar Komunikasi Publik Kesehatan', 'M.03')
) as v (title, code)
join dev_programmes p on p.title = v.title
join competencies k on k.code = v.code
on conflict do nothing;

-- The plans.
insert into rpis (employee_id, year, status, revision, submitted_at, verified_by, verified_at, approved_by, approved_at)
select e.id, extract(year from now() at time zone 'Asia/Jakarta')::int, v.status, v.revision,
       case when v.status <> 'draft' then now() - interval '3 days' end,
       case when v.status in ('verified', 'approved') then anpeg.id end,
       case when v.status in ('verified', 'approved') then now() - interval '2 days' end,
       case when v.status = 'approved' then e.supervisor_id end,
       case when v.status = 'approved' then now() - interval '1 day' end
from (values
    ('199305212019032001', 'submitted', 1),
    ('198807142014031001', 'verified', 1),
    ('198012082005012001', 'approved', 1),
    ('197806252003121001', 'draft', 2)
) as v (nip, status, revision)
join employees e on e.nip = v.nip
join employees anpeg on anpeg.nip = '198611022010121001'
on conflict (employee_id, year) do nothing;

-- Items: the mandatory programme, a coaching, a formal course, and a 30 JP assignment (44 JP in all).
insert into rpi_items (rpi_id, programme_id, kind)
select r.id, p.id, v.kind
from (values
    ('Pelatihan Integritas dan Antikorupsi ASN', 'mandatory'),
    ('Pelatihan Komunikasi Efektif', 'recommended'),
    ('Coaching Orientasi pada Hasil', 'recommended'),
    ('Penugasan Proyek Perubahan Unit', 'recommended')
) as v (title, kind)
join dev_programmes p on p.title = v.title
join rpis r on r.year = extract(year from now() at time zone 'Asia/Jakarta')::int
join employees e on e.id = r.employee_id
  and e.nip in ('199305212019032001', '198807142014031001', '198012082005012001', '197806252003121001')
on conflict do nothing;
-- Hendra is IV/b: the leadership course is mandatory for him; Ratna's plan has the Plataran webinar.
insert into rpi_items (rpi_id, programme_id, kind)
select r.id, p.id, v.kind
from (values ('197806252003121001', 'Pelatihan Kepemimpinan Administrator', 'mandatory'),
             ('198012082005012001', 'Pelatihan Kepemimpinan Administrator', 'mandatory'),
             ('198012082005012001', 'Webinar Komunikasi Publik Kesehatan', 'additional')) as v (nip, title, kind)
join employees e on e.nip = v.nip
join rpis r on r.employee_id = e.id and r.year = extract(year from now() at time zone 'Asia/Jakarta')::int
join dev_programmes p on p.title = v.title
on conflict do nothing;

-- History (only for plans that have none yet).
insert into rpi_events (rpi_id, revision, action, from_status, to_status, actor_id, note, at)
select r.id, v.revision, v.action, v.from_status, v.to_status,
       case v.actor when 'author' then r.employee_id when 'anpeg' then anpeg.id else e.supervisor_id end,
       v.note, now() - v.ago::interval
from (values
    ('199305212019032001', 1, 'create', null, 'draft', 'author', null, '5 days'),
    ('199305212019032001', 1, 'submit', 'draft', 'submitted', 'author', null, '3 days'),
    ('198807142014031001', 1, 'create', null, 'draft', 'author', null, '5 days'),
    ('198807142014031001', 1, 'submit', 'draft', 'submitted', 'author', null, '3 days'),
    ('198807142014031001', 1, 'verify', 'submitted', 'verified', 'anpeg', null, '2 days'),
    ('198012082005012001', 1, 'create', null, 'draft', 'author', null, '5 days'),
    ('198012082005012001', 1, 'submit', 'draft', 'submitted', 'author', null, '3 days'),
    ('198012082005012001', 1, 'verify', 'submitted', 'verified', 'anpeg', null, '2 days'),
    ('198012082005012001', 1, 'approve', 'verified', 'approved', 'atasan', 'Disetujui, laksanakan sesuai jadwal.', '1 day'),
    ('197806252003121001', 1, 'create', null, 'draft', 'author', null, '5 days'),
    ('197806252003121001', 1, 'submit', 'draft', 'submitted', 'author', null, '3 days'),
    ('197806252003121001', 1, 'return', 'submitted', 'draft', 'anpeg',
     'Tambahkan program pengembangan berbentuk penugasan (70%).', '2 days')
) as v (nip, revision, action, from_status, to_status, actor, note, ago)
join employees e on e.nip = v.nip
join employees anpeg on anpeg.nip = '198611022010121001'
join rpis r on r.employee_id = e.id and r.year = extract(year from now() at time zone 'Asia/Jakarta')::int
where not exists (select 1 from rpi_events x where x.rpi_id = r.id);

-- A stored Plataran schedule of the webinar, as the last sync left it (the agenda shows it, stale).
insert into plataran_cache (resource, etag, body, fetched_at, checked_at)
values ('schedule:PS-DEMO-001', '"demo-1"',
        jsonb_build_array(jsonb_build_object('id', 'S-1', 'title', 'Sesi 1: Komunikasi risiko',
            'starts_at', to_char(date_trunc('month', now()) + interval '1 month 2 days 9 hours', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'),
            'ends_at', to_char(date_trunc('month', now()) + interval '1 month 2 days 11 hours', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'),
            'location', 'Zoom Plataran Sehat', 'mode', 'online')),
        now(), now())
on conflict (resource) do nothing;
