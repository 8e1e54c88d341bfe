-- Demo data of the training -> profile -> RPI realisation wiring (docs/rpi.md
-- "Realisation"). Runs after demo_rpi.sql and demo_profile.sql (name order).
-- Idempotent: trainings are keyed by (partner, partner_training_id), profile
-- records by training, assessments by (employee, type, date, programme_ref).
--
-- Ratna Sari Dewi (198012082005012001) has the approved plan of this year:
--   * the Plataran webinar (PS-DEMO-001) pushed with Plataran's id    -> item realised, 4 JP
--   * the mandatory integrity course pushed with "programme:<id>"     -> item realised, 4 JP
--   * a seminar that is in no item of her plan                        -> "other realised JP", 2.5 JP
--   * a pre/post pair on M.03 referenced "plataran:PS-DEMO-001"       -> the webinar's effect
-- Dates lie this year (WIB), in the past; the other items stay open, so the
-- plan is not realised (no realised_at, nobody notified).

create temporary table demo_wiring_trainings (
    tid text, title text, organiser text, jp numeric, ago int, ext text, prog_title text
) on commit drop;
insert into demo_wiring_trainings values
    ('DEMO-PLT-0001', 'Webinar Komunikasi Publik Kesehatan', 'Plataran Sehat', 4, 20, 'PS-DEMO-001', null),
    ('DEMO-PLT-0002', 'Pelatihan Integritas dan Antikorupsi ASN', 'BBPK Jakarta', 4, 12, null,
     'Pelatihan Integritas dan Antikorupsi ASN'),
    ('DEMO-PLT-0003', 'Seminar Kesehatan Kerja ASN', 'BBPK Jakarta', 2.5, 5, null, null);

insert into training_completions (employee_id, title, organiser, jp_hours, started_on, finished_on, partner,
                                  partner_training_id, programme_external_id, programme_id, programme_ref)
select e.id, d.title, d.organiser, d.jp, day.d, day.d, 'plataran-sehat', d.tid, d.ext, p.id,
       case when p.id is not null then 'programme:' || p.id end
from demo_wiring_trainings d
join employees e on e.nip = '198012082005012001'
left join dev_programmes p on p.title = d.prog_title
cross join lateral (select greatest(date_trunc('year', now() at time zone 'Asia/Jakarta'),
                                    (now() at time zone 'Asia/Jakarta') - make_interval(days => d.ago))::date as d) day
on conflict (partner, partner_training_id) do nothing;

-- Their records in the profile's competency-development section (as a push writes them).
insert into profile_records (employee_id, section, data, training_id)
select t.employee_id, 'competency',
       jsonb_build_object('activity', t.title, 'organiser', t.organiser,
                          'jp', case when t.jp_hours = trunc(t.jp_hours) then to_jsonb(t.jp_hours::int) else to_jsonb(t.jp_hours) end,
                          'start_date', t.started_on::text, 'end_date', t.finished_on::text), t.id
from training_completions t
where t.partner = 'plataran-sehat' and t.partner_training_id like 'DEMO-PLT-%'
on conflict (training_id) where training_id is not null do nothing;

-- The webinar's pre- and post-assessment (M.03 Komunikasi).
insert into assessments (employee_id, type, assessed_on, assessor, source, programme_ref)
select e.id, v.type, greatest(date_trunc('year', now() at time zone 'Asia/Jakarta'),
                              (now() at time zone 'Asia/Jakarta') - make_interval(days => v.ago))::date,
       'Plataran Sehat', 'manual', 'plataran:PS-DEMO-001'
from (values ('pre', 25), ('post', 15)) as v (type, ago)
join employees e on e.nip = '198012082005012001'
where not exists (select 1 from assessments a where a.employee_id = e.id and a.type = v.type
                    and a.programme_ref = 'plataran:PS-DEMO-001');
insert into assessment_scores (assessment_id, competency_id, score)
select a.id, k.id, case a.type when 'pre' then 2.00 else 3.00 end
from assessments a
join employees e on e.id = a.employee_id and e.nip = '198012082005012001'
join competencies k on k.code = 'M.03'
where a.programme_ref = 'plataran:PS-DEMO-001' and a.type in ('pre', 'post')
on conflict (assessment_id, competency_id) do nothing;
