-- timeout-means-no-mx: a sender that takes a failed MX lookup (timeout,
-- SERVFAIL) for "no MX record" and delivers to the domain's own address
-- record, often a web server.
--
-- Sources: mta-behavior.md §5 item 15: postalserver/postal#2833 (MX
-- lookup timeout -> delivery to the A record -> permanent failure);
-- related postalserver/postal#1088.
return {
  description = "naive: an MX lookup timeout or SERVFAIL falls back to "
             .. "the domain's A record (postal #2833)",

  mx_servfail = "implicit",
  pref_order = "ascending",
  equal_pref = "shuffle",

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
