-- 0002_identity: accounts, authenticator enrolments, sessions, refresh tokens,
-- devices, e-mailed one-time codes, throttling and the mail outbox.
-- Secrets are never stored in clear: passwords as argon2id strings, TOTP
-- secrets encrypted (secretbox), refresh tokens / recovery codes / e-mail
-- codes / enrolment tokens as keyed hashes.

-- One account per employee. status: pending until the first authenticator
-- is verified, then active; disabled by an admin.
create table accounts (
    id              bigint generated always as identity primary key,
    employee_id     bigint not null unique references employees(id),
    password_hash   text not null,
    personal_email  text not null check (length(personal_email) <= 254),
    -- Office address given at sign-up (must equal the master data's when that
    -- has one): where reset codes and security notices go.
    office_email    text not null check (length(office_email) <= 254),
    phone           text not null check (length(phone) <= 32),
    status          text not null default 'pending'
                    check (status in ('pending', 'active', 'disabled')),
    totp_secret_enc bytea,
    totp_nonce      bytea,
    -- Last accepted TOTP time-step: a code whose step is not newer is a replay.
    totp_last_step  bigint not null default 0,
    password_changed_at timestamptz not null default now(),
    disabled_at     timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    check ((status = 'active') <= (totp_secret_enc is not null))
);
create trigger accounts_touch before update on accounts
    for each row execute function eo_touch_updated_at();

-- A pending authenticator: kind register (sign-up) or reset (lost device,
-- admin reset). The account keeps its old secret until this one is verified.
create table enrolments (
    id              bigint generated always as identity primary key,
    account_id      bigint not null references accounts(id) on delete cascade,
    kind            text not null check (kind in ('register', 'reset')),
    token_hash      bytea not null unique,
    totp_secret_enc bytea not null,
    totp_nonce      bytea not null,
    expires_at      timestamptz not null,
    verified_at     timestamptz,
    attempts        integer not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index enrolments_account_idx on enrolments (account_id) where verified_at is null;
create trigger enrolments_touch before update on enrolments
    for each row execute function eo_touch_updated_at();

-- One-time recovery codes (keyed hashes). enrolment_id is set while the
-- codes belong to a not yet verified enrolment; NULL means in force.
create table recovery_codes (
    id           bigint generated always as identity primary key,
    account_id   bigint not null references accounts(id) on delete cascade,
    enrolment_id bigint references enrolments(id) on delete cascade,
    code_hash    bytea not null,
    used_at      timestamptz,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index recovery_codes_account_idx on recovery_codes (account_id);
create trigger recovery_codes_touch before update on recovery_codes
    for each row execute function eo_touch_updated_at();

-- Mobile devices an employee signed in from.
create table devices (
    id           bigint generated always as identity primary key,
    employee_id  bigint not null references employees(id),
    device_id    text not null check (length(device_id) between 1 and 128),
    device_name  text not null default '' check (length(device_name) <= 128),
    platform     text not null check (platform in ('android', 'ios')),
    app_version  text not null default '' check (length(app_version) <= 32),
    first_seen_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    unique (employee_id, device_id)
);
create trigger devices_touch before update on devices
    for each row execute function eo_touch_updated_at();

-- A session is one sign-in; its refresh tokens rotate within it, so the
-- session is the "family" that a re-used refresh token revokes.
create table sessions (
    id            bigint generated always as identity primary key,
    employee_id   bigint not null references employees(id),
    device_id     bigint references devices(id),
    client        text not null check (client in ('web', 'mobile')),
    ip            text,
    user_agent    text,
    expires_at    timestamptz not null,
    last_seen_at  timestamptz not null default now(),
    revoked_at    timestamptz,
    revoked_reason text,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
create index sessions_employee_idx on sessions (employee_id) where revoked_at is null;
create trigger sessions_touch before update on sessions
    for each row execute function eo_touch_updated_at();

create table refresh_tokens (
    id         bigint generated always as identity primary key,
    session_id bigint not null references sessions(id) on delete cascade,
    token_hash bytea not null unique,
    expires_at timestamptz not null,
    used_at    timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);
create trigger refresh_tokens_touch before update on refresh_tokens
    for each row execute function eo_touch_updated_at();

-- One-time codes mailed to the office address (authenticator reset).
create table email_codes (
    id         bigint generated always as identity primary key,
    account_id bigint not null references accounts(id) on delete cascade,
    purpose    text not null check (purpose in ('authenticator_reset')),
    code_hash  bytea not null,
    expires_at timestamptz not null,
    used_at    timestamptz,
    attempts   integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index email_codes_account_idx on email_codes (account_id, purpose) where used_at is null;
create trigger email_codes_touch before update on email_codes
    for each row execute function eo_touch_updated_at();

-- Failure counters with growing delays, keyed by what is throttled
-- ("login:nip:…", "login:ip:…", "reset:nip:…"), so an attacker hits the same
-- wall from every session and IP, and an unknown NIP behaves like a known one.
create table auth_throttle (
    key            text primary key check (length(key) <= 200),
    failures       integer not null default 0,
    window_start   timestamptz not null default now(),
    throttle_until timestamptz,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
create trigger auth_throttle_touch before update on auth_throttle
    for each row execute function eo_touch_updated_at();

-- Mail to send; the sender thread delivers with retries and records the outcome.
create table mail_outbox (
    id              bigint generated always as identity primary key,
    to_addr         text not null check (length(to_addr) <= 254),
    subject         text not null check (length(subject) <= 200),
    body            text not null,
    status          text not null default 'queued'
                    check (status in ('queued', 'sending', 'sent', 'failed')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    sent_at         timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index mail_outbox_due_idx on mail_outbox (next_attempt_at) where status = 'queued';
create trigger mail_outbox_touch before update on mail_outbox
    for each row execute function eo_touch_updated_at();

create index audit_log_action_at_idx on audit_log (action, at);
create index audit_log_target_idx on audit_log (target_type, target_id);
