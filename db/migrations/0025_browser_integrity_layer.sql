-- A sixth browser-side layer (issue 7): the protected pages' own integrity check reports what the
-- buyer's browser received — the page's CSP header as the network delivered it, CSPs in <meta>,
-- scripts beyond the inventory — when a proxy, a settings change or a tampered process weakened them.
ALTER TABLE security_events DROP CONSTRAINT security_events_layer_check;
ALTER TABLE security_events ADD CONSTRAINT security_events_layer_check CHECK (layer IN ('csp_report', 'trusted_types', 'render_refusal', 'build_verifier', 'db_text_verifier',
    'browser_monitor', 'egress', 'dead_mans_switch', 'settings_change', 'card_testing', 'browser_integrity'));
