-- Re-verification reminders: the daily job mails a salon's owners once per verification period,
-- when the expiry comes within the reminder window; this records that it did, so a rerun (or a
-- second process running the same schedule) does not mail twice.
ALTER TABLE salon_accounts ADD COLUMN verification_reminded_at timestamptz;

-- A shop can see a salon's data once the salon applied to it, and the FOR ALL policies of 0003
-- would also let that shop's scope DELETE those rows (DELETE checks only USING). Only the salon
-- itself or the operator may delete a salon's own data.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['salon_accounts', 'salon_users', 'salon_locations', 'salon_certificates'] LOOP
    EXECUTE format($p$CREATE POLICY owner_deletes ON %I AS RESTRICTIVE FOR DELETE
      USING (%s = nullif(current_setting('app.account_id', true), '')::uuid
             OR current_setting('app.audience', true) = 'operator')$p$,
      t, CASE WHEN t = 'salon_accounts' THEN 'id' ELSE 'account_id' END);
  END LOOP;
END $$;
