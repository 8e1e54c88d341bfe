-- 0052_wiring: partner trainings feed the profile and the RPI realisation
-- (docs/integration-api.md "Where a training goes", docs/rpi.md "Realisation").

-- The programme a pushed training belongs to, as the partner named it:
-- Plataran's id (programme_external_id, also taken from a programme_ref
-- "plataran:<id>") or an e-Office catalogue id (programme_ref "programme:<id>",
-- resolved at push time). Matched to RPI items when a plan is read, so a
-- training pushed before the plan (or before Plataran's catalogue sync)
-- still counts once both exist.
alter table training_completions
    add column programme_external_id text check (length(programme_external_id) between 1 and 100),
    add column programme_id bigint references dev_programmes(id),
    add column programme_ref text check (length(programme_ref) between 1 and 200);
create index training_completions_external_idx on training_completions (programme_external_id)
    where programme_external_id is not null;

-- A competency-development record written by the server from a partner's
-- training: at most one per training (a re-push adds nothing), and not the
-- employee's to change through PDM.
alter table profile_records add column training_id bigint references training_completions(id);
create unique index profile_records_training_uniq on profile_records (training_id) where training_id is not null;

-- When an approved plan's items were first all realised (rpi.realised sent then).
alter table rpis add column realised_at timestamptz;
