-- Authentication flows: a salon that enabled TOTP passes its password first and its code second;
-- between the two steps it holds a short-lived single-use 'mfa_pending' token, never a session.
ALTER TABLE auth_tokens DROP CONSTRAINT auth_tokens_kind_check;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_kind_check
  CHECK (kind IN ('password_reset', 'email_verify', 'salon_invite', 'staff_invite', 'customer_invite', 'handoff', 'webauthn_challenge', 'mfa_pending'));
