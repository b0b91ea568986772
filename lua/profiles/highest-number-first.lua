-- highest-number-first: a naive sender that sorts MX preferences the
-- wrong way round, so the backup (highest number) gets the mail first.
--
-- Sources: mta-behavior.md §5 item 18: node-sendmail sorted MX
-- highest-number-first (guileen/node-sendmail#57); §5 item 21 (mistaken
-- priorities send normal traffic to the backup).
return {
  description = "naive: MX walked from the highest preference number "
             .. "down (node-sendmail #57)",

  pref_order = "descending",
  equal_pref = "none",

  -- The rest as the rfc5321 profile: 30 s connect (common practice),
  -- retry after 30 min then every 2 h (RFC 5321 §4.5.4.1), 5 days.
  connect_timeout = "30s",
  retry = { "30m", "2h" },
  give_up = "5d",
  implicit_mx = true,
  null_mx = "only",
  dns_timeout = "5s",
  dns_attempts = 2,
}
