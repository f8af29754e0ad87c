-- Schema version 7 for SQLite: the alert outbox. Keep in step with
-- postgres/007_alert_outbox.sql.
--
-- alert_events: every alert event queued, in the order it was queued (id), written in the
-- transaction of the change that caused it (a finding opening or resolving, a target going
-- down), so that no change is lost to a crash between the two. `document` is the event's
-- slowscope.alert/1 JSON as every sink builds its request from it; the store does not read
-- it. target is the target's name ('' for none). Times are UTC epoch seconds.
CREATE TABLE alert_events (
  id INTEGER PRIMARY KEY,
  target TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  action TEXT NOT NULL,
  severity TEXT NOT NULL,
  summary TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE INDEX alert_events_by_key ON alert_events (dedup_key, id);

-- alert_deliveries: one row per event and sink it goes to. state is pending, delivered or
-- failed. A sender claims a pending row (claimed_by, until claimed_until) before it sends,
-- so that two processes sending from one store do not both send it; an expired claim is
-- the crash of its sender, and the row is due again. next_attempt_at delays retries.
CREATE TABLE alert_deliveries (
  event_id BIGINT NOT NULL REFERENCES alert_events (id),
  sink TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  first_attempt_at BIGINT,
  next_attempt_at BIGINT NOT NULL,
  claimed_by TEXT NOT NULL,
  claimed_until BIGINT NOT NULL,
  last_error TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (event_id, sink)
);

CREATE INDEX alert_deliveries_by_state ON alert_deliveries (sink, state, event_id);
