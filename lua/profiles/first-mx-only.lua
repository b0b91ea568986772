-- first-mx-only: a naive sender that tries only the best MX host.
--
-- Sources: mta-behavior.md §5 item 18: smtp-cli only tries the first MX
-- (mailcow/mailcow-dockerized#6200); swaks aborts if the lowest MX is
-- down (jetmore/swaks#53).
return {
  description = "naive: only the best MX host is ever tried "
             .. "(smtp-cli, swaks)",

  -- Sorted by preference (RFC 5321 §5.1), then cut to one host.
  pref_order = "ascending",
  equal_pref = "none",
  mx_host_limit = 1,

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
