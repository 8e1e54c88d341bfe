-- 0009_competency: the competency dictionary, position standards and the
-- assessment history (docs/competency.md). Shared by the assessment module and
-- the RPI builder (which ranks programmes by the gap these give).

create table competencies (
    id          bigint generated always as identity primary key,
    -- M.01..M.08 managerial, SK.01.. socio-cultural (perekat bangsa), T.<...> technical.
    code        text not null unique check (code ~ '^[A-Z]{1,3}\.[A-Z0-9][A-Z0-9._-]{0,29}$'),
    name        text not null check (length(btrim(name)) between 1 and 200),
    category    text not null check (category in ('managerial', 'sociocultural', 'technical')),
    description text not null default '' check (length(description) <= 4000),
    active      boolean not null default true,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create trigger competencies_touch before update on competencies
    for each row execute function eo_touch_updated_at();

-- Level 1..5 descriptions and behavioural indicators (PermenPANRB 38/2017):
-- what the self-assessment shows for each level.
create table competency_levels (
    competency_id bigint not null references competencies(id) on delete cascade,
    level         smallint not null check (level between 1 and 5),
    description   text not null check (length(btrim(description)) between 1 and 4000),
    indicators    jsonb not null default '[]' check (jsonb_typeof(indicators) = 'array'),
    primary key (competency_id, level)
);

-- The level a position requires per competency (technical competencies are
-- tied to positions only through this table).
create table position_standards (
    position_id    bigint not null references positions(id) on delete cascade,
    competency_id  bigint not null references competencies(id) on delete cascade,
    required_level smallint not null check (required_level between 1 and 5),
    updated_at     timestamptz not null default now(),
    primary key (position_id, competency_id)
);
create index position_standards_competency_idx on position_standards (competency_id);

-- One assessment event; never overwritten (history is the point).
create table assessments (
    id                bigint generated always as identity primary key,
    employee_id       bigint not null references employees(id),
    type              text not null check (type in ('assessment_centre', 'self', 'pre', 'post')),
    assessed_on       date not null,
    assessor          text not null default '' check (length(assessor) <= 200),
    -- where it came from; integration pushes are idempotent by (partner, partner_result_id)
    source            text not null default 'manual' check (source in ('manual', 'import', 'integration', 'self')),
    partner           text check (length(partner) <= 100),
    partner_result_id text check (length(partner_result_id) <= 200),
    report_attachment_id bigint references attachments(id),
    -- pre/post: the development programme (or RPI item) it measures, free reference
    programme_ref     text check (length(programme_ref) <= 200),
    created_by        bigint references employees(id),
    created_at        timestamptz not null default now(),
    check ((partner is null) = (partner_result_id is null))
);
create unique index assessments_partner_result_uniq on assessments (partner, partner_result_id)
    where partner is not null;
create index assessments_employee_idx on assessments (employee_id, assessed_on desc, id desc);

create table assessment_scores (
    assessment_id bigint not null references assessments(id) on delete cascade,
    competency_id bigint not null references competencies(id),
    score         numeric(3, 2) not null check (score >= 0 and score <= 5),
    justification text check (length(justification) <= 1000),
    primary key (assessment_id, competency_id)
);
create index assessment_scores_competency_idx on assessment_scores (competency_id);
