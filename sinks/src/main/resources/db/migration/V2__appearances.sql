-- One row per face track (an appearance of a person on a camera), as the recognizer publishes it on the
-- appearances topic. Keyed by the track id; a later record of the same track (a replay, or the same track closed
-- again by the recognizer that took over its camera after a rebalance) replaces the row only if it saw the
-- track later, so replays change nothing.
create table appearances (
    track_id          text        primary key,
    camera_id         text        not null,
    first_seen_at     timestamptz not null,
    last_seen_at      timestamptz not null,
    faces             integer     not null,
    embedded_faces    integer     not null,
    best_frame_sequence bigint    not null,
    best_captured_at  timestamptz not null,
    best_face_index   integer     not null,
    best_box_x1 real not null, best_box_y1 real not null, best_box_x2 real not null, best_box_y2 real not null,
    best_crop_topic text, best_crop_partition integer, best_crop_offset bigint,
    best_shot_jpeg    bytea       not null,
    best_quality      real        not null,
    identity_id       text,
    display_name      text,
    watchlist         text,
    metric            text        not null,
    score             real        not null,
    threshold         real        not null,
    age               real        not null,
    embedding         real[]      not null,
    closed            boolean     not null,
    published_at      timestamptz not null,
    written_at        timestamptz not null default now()
);
-- Analysts ask: who came by this camera in this interval; when was this person here.
create index appearances_camera_time on appearances (camera_id, first_seen_at);
create index appearances_identity_time on appearances (identity_id, first_seen_at) where identity_id is not null;
create index appearances_time on appearances (first_seen_at);

-- The track each record belongs to (null from detectors before tracking), so rows join their appearance.
alter table sightings add column track_id text, add column quality real;
alter table matches add column track_id text;
alter table alerts add column track_id text, add column best_shot_jpeg bytea;
create index sightings_track on sightings (track_id) where track_id is not null;
