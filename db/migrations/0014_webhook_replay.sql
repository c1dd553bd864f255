-- A webhook signed at or before the last accepted signature of the same event is a replay
-- (someone re-sending a captured request), not the provider's retry (which signs anew).
ALTER TABLE webhook_events ADD COLUMN last_signature_at timestamptz;
