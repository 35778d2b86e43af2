-- The console's own tables; its migrations keep their own history table (console_schema_history),
-- so they never interleave with the sinks' versions in flyway_schema_history.

-- Who acknowledged which alert, and when. The first acknowledgement stands.
create table console_alert_acks (
    alert_id        text        primary key,
    acknowledged_by text        not null,
    acknowledged_at timestamptz not null default now()
);

-- Every change an analyst makes through the console (enrol, erase, feedback), with who made it.
create table console_audit (
    id         bigserial   primary key,
    at         timestamptz not null default now(),
    username   text        not null,
    action     text        not null,
    subject    text        not null,
    detail     text        not null default ''
);
create index console_audit_at on console_audit (at);
