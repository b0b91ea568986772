-- exim: Exim 4.9x with configure.default (Debian's exim4 run as a daemon).
--
-- Sources: mta-behavior.md (§2.3, §3.1, §3.2, §4.1-4.6), which read
-- Exim/exim: src/src/host.c, routers/dnslookup.c, transports/smtp.c,
-- retry.c, src/src/configure.default, doc/doc-docbook/spec.xfpt.
return {
  description = "Exim 4 defaults: hosts shuffled, AAAA first, 5 min "
             .. "connect, retry rules F,2h,15m; G,16h,1h,1.5; F,4d,6h per "
             .. "IP address, queue runs every 30 min",

  -- transports/smtp.c connect_timeout = 5m.
  connect_timeout = "5m",

  -- configure.default: "* * F,2h,15m; G,16h,1h,1.5; F,4d,6h", the rules
  -- running from the first failure of a host (retry.c retry_update()).
  schedule = "exim",
  retry_rules = "F,2h,15m; G,16h,1h,1.5; F,4d,6h",
  -- retry_interval_max = 24h.
  retry_max = "24h",
  -- Retry times are hints: deliveries happen at queue runs.  Debian's
  -- /etc/default/exim4 QUEUEINTERVAL='30m' (exim4 -q30m; the comment of
  -- Debian's retry/30_exim4-config points to it).
  queue_run = "30m",
  -- The last cutoff, 4 days from the first failure.  With these rules
  -- and host_memory = "address" the Exim path in sim/mta/mta.c decides
  -- instead (retry.c retry_update(): every host record past the last
  -- cutoff, or the message older than it); give_up is what
  -- "mxsim explain" shows.
  give_up = "4d",
  -- smtp transport delay_after_cutoff = true (Exim spec): once every
  -- address is past its cutoff, later messages bounce at once until an
  -- address's retry time comes round; false tries the addresses not
  -- tried since the message arrived (mta-behavior.md §3.3).  Addresses
  -- past their cutoff do not count towards hosts_max_try (§2.3 item 8).
  delay_after_cutoff = true,
  -- delay_warning = 24h.
  delay_warning = "24h",
  -- deliver.c: the last time of the delay_warning list repeats (globals.c
  -- "Times between warnings"): one more warning every 24 h.
  delay_warning_repeat = true,
  delay_warning_at = "age",

  -- Host errors leave a retry record per IP address
  -- (retry_include_ip_address = true), shared by all messages; the IP
  -- is skipped until its retry time ("retry time not reached").
  host_memory = "address",
  host_memory_time = "15m",

  -- host.c host_find_bydns(): sort key pref*1000 + random(500) per host;
  -- AAAA before A within a host and an MX level.
  equal_pref = "shuffle",
  address_order = "ipv6-first",
  -- host.c set_address_from_dns(): each address's key is
  -- pref*1000 + random(500) (+500 for A): IPv6 first, then the
  -- addresses of each family shuffled (mta-behavior.md §2.3 item 3).
  shuffle_in_family = true,
  pref_order = "ascending",

  -- hosts_max_try = 5 IP addresses, with a look-ahead for a host of a
  -- different MX value that is not counted (spec "How the limits for the
  -- number of hosts to try are used").
  max_addresses = 5,
  mx_lookahead = true,
  mx_session_limit = 0,
  mx_host_limit = 0,

  -- A "." host gets no address; only when nothing else is usable does
  -- the router decline -> the set counts as null MX only when alone.
  null_mx = "only",
  -- "we use the general lookup function that handles [CNAMEs], just in
  -- case"; allow_mx_to_ip = false.
  mx_cname = "follow",
  mx_ip_literal = "reject",
  -- Generic router option self = freeze.
  mx_self = "freeze",
  implicit_mx = true,

  -- §3.1: 4xx greeting = host error -> next; 5xx greeting -> next if
  -- another host follows, else FAIL (transports/smtp.c "host->next ?
  -- DEFER : FAIL"); MAIL 4xx message error and RCPT 4xx recipient error:
  -- other hosts are tried in the same run.
  greeting_4xx = "next",
  greeting_5xx = "bounce-if-last",
  mail_4xx = "next",
  rcpt_4xx = "next",

  -- §3.4: DNS_AGAIN and DNS_FAIL both -> HOST_FIND_AGAIN -> defer; no MX
  -- host address -> decline (bounce).
  mx_servfail = "defer",
  mx_norecovery = "defer",
  no_address = "bounce",

  -- command_timeout = 5m for greeting, EHLO, MAIL, RCPT, DATA;
  -- final_timeout = 10m after ".".
  greeting_timeout = "5m",
  helo_timeout = "5m",
  mail_timeout = "5m",
  rcpt_timeout = "5m",
  data_init_timeout = "5m",
  data_done_timeout = "10m",

  -- dns_retrans/dns_retry = 0: the system resolver's (glibc) defaults.
  dns_timeout = "5s",
  dns_attempts = 2,
}
