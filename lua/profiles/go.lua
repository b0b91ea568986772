-- go: a Go sender in the style of chasquid (and maddy), on net.LookupMX.
--
-- Sources: mta-behavior.md (§2.6, §3.1, §4.1, §4.5), which read
-- albertito/chasquid: internal/courier/smtp.go, internal/queue/queue.go;
-- foxcpp/maddy: internal/target/remote/*.go; golang/go:
-- src/net/dnsclient.go.
return {
  description = "chasquid-like Go sender: LookupMX shuffle, first 5 MX "
             .. "hosts, 1 min dial, retry at 1/5/10 then every 20 min "
             .. "(+0-60 s), give up after 20 h",

  -- courier/smtp.go smtpDialTimeout = 1 min.
  connect_timeout = "1m",

  -- queue.go nextDelay(): by age <1m: 1m, <5m: 5m, <10m: 10m, else 20m,
  -- plus rand.N(60 s).
  schedule = "chasquid",
  retry_jitter = "60s",
  queue_run = "0s",
  -- queue.go GiveUpAfter = 20h.
  give_up = "20h",
  delay_warning = "0s",

  host_memory = "none",

  -- dnsclient.go byPref.sort(): uniform shuffle, then sort by preference.
  equal_pref = "shuffle",
  -- The Go dialer walks the addresses as the resolver returns them.
  address_order = "ipv4-first",
  pref_order = "ascending",

  -- courier/smtp.go lookupMXs(): at most 5 MX hosts.
  max_addresses = 0,
  mx_session_limit = 0,
  mx_lookahead = false,
  mx_host_limit = 5,

  -- chasquid does not special-case null MX; a lone "." is all it can
  -- ignore, so only that counts.
  null_mx = "only",
  mx_cname = "follow",
  mx_ip_literal = "reject",
  mx_self = "truncate",
  -- IsNotFound (NXDOMAIN or NODATA) -> implicit MX.
  implicit_mx = true,

  -- courier/smtp.go Deliver(): a dial or Hello error is transient -> next
  -- MX; a transient MAIL/RCPT/DATA error -> next MX; a permanent one
  -- stops the loop.
  greeting_4xx = "next",
  greeting_5xx = "next",
  mail_4xx = "next",
  rcpt_4xx = "next",

  -- dnsErr.Temporary(): SERVFAIL/timeout transient, others permanent.
  mx_servfail = "defer",
  mx_norecovery = "bounce",
  no_address = "bounce",

  -- maddy remote.go: command_timeout 5m, submission_timeout 5m.
  greeting_timeout = "5m",
  helo_timeout = "5m",
  mail_timeout = "5m",
  rcpt_timeout = "5m",
  data_init_timeout = "5m",
  data_done_timeout = "5m",

  -- The system resolver (glibc defaults via Go's resolv.conf reader).
  dns_timeout = "5s",
  dns_attempts = 2,
}
