-- "Not this person": an analyst says a face (a sightings row key, or a track id once appearances are read) is not
-- the identity it matched. Recorded here until the recognizers read feedback from a vap.feedback topic.
create table console_feedback (
    face_key    text        not null,
    identity_id text        not null,
    camera_id   text        not null,
    marked_by   text        not null,
    marked_at   timestamptz not null default now(),
    primary key (face_key, identity_id)
);
create index console_feedback_identity on console_feedback (identity_id, marked_at);
