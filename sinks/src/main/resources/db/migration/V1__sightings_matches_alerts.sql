-- Every face the recognizer saw. The key is the face's identity in the pipeline, so a replayed record
-- (after a worker restart or a database outage) is written once: inserts use ON CONFLICT DO NOTHING.
create table sightings (
    camera_id        text        not null,
    frame_sequence   bigint      not null,
    face_index       integer     not null,
    captured_at      timestamptz not null,
    recognized_at    timestamptz not null,
    box_x1 real not null, box_y1 real not null, box_x2 real not null, box_y2 real not null,
    detection_score  real        not null,
    age              real        not null,
    metric           text        not null,
    matched          boolean     not null,
    best_identity_id text,
    best_score       real,
    candidates       jsonb       not null,
    embedding        real[]      not null,
    crop_topic text, crop_partition integer, crop_offset bigint,
    written_at       timestamptz not null default now(),
    primary key (camera_id, frame_sequence, face_index)
);
-- Analysts ask: what happened on this camera in this interval; when was this person seen; what happened lately.
create index sightings_camera_time on sightings (camera_id, captured_at);
create index sightings_identity_time on sightings (best_identity_id, captured_at) where matched;
create index sightings_time on sightings (captured_at);

-- Faces whose best candidate passed the threshold.
create table matches (
    camera_id      text        not null,
    frame_sequence bigint      not null,
    face_index     integer     not null,
    identity_id    text        not null,
    display_name   text        not null,
    watchlist      text        not null,
    metric         text        not null,
    score          real        not null,
    threshold      real        not null,
    age            real        not null,
    captured_at    timestamptz not null,
    recognized_at  timestamptz not null,
    box_x1 real not null, box_y1 real not null, box_x2 real not null, box_y2 real not null,
    crop_topic text, crop_partition integer, crop_offset bigint,
    written_at     timestamptz not null default now(),
    primary key (camera_id, frame_sequence, face_index)
);
create index matches_identity_time on matches (identity_id, captured_at);
create index matches_camera_time on matches (camera_id, captured_at);
create index matches_time on matches (captured_at);

-- One row per alert (one per appearance of a watchlisted person on a camera), as published on the alert topic.
create table alerts (
    alert_id      text        primary key,
    identity_id   text        not null,
    display_name  text        not null,
    watchlist     text        not null,
    camera_id     text        not null,
    captured_at   timestamptz not null,
    alerted_at    timestamptz not null,
    metric        text        not null,
    score         real        not null,
    age           real        not null,
    frame_sequence bigint     not null,
    face_index    integer     not null,
    crop_topic text, crop_partition integer, crop_offset bigint,
    written_at    timestamptz not null default now()
);
create index alerts_identity_time on alerts (identity_id, captured_at);
create index alerts_camera_time on alerts (camera_id, captured_at);
