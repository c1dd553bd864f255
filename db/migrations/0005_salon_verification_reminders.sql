-- Re-verification reminders: the daily job mails a salon's owners once per verification period,
-- when the expiry comes within the reminder window; this records that it did, so a rerun (or a
-- second process running the same schedule) does not mail twice.
ALTER TABLE salon_accounts ADD COLUMN verification_reminded_at timestamptz;
