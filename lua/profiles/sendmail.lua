-- sendmail: Sendmail 8.18 with cf/README defaults, run as "-bd -q30m".
--
-- Sources: mta-behavior.md (§2.5, §3.1-3.4, §4.1-4.6), which read
-- hrs-allbsd/sendmail: sendmail/domain.c, deliver.c, usersmtp.c,
-- daemon.c, conf.h, doc/op/op.me, cf/README.
return {
  description = "Sendmail 8.18: per-process host hash for equal "
             .. "preferences, kernel connect timeout, whole queue every "
             .. "30 min, host status kept 30 min, warn 4 h, return 5 d",

  -- Timeout.connect = 0: the kernel's limit (127 s on Linux).
  connect_timeout = "0s",

  -- The whole queue is run every -q interval (op.me: "typically ...
  -- fifteen minutes and one hour"); FreeBSD's rc.conf default
  -- sendmail_flags is "-L sm-mta -bd -q30m".
  schedule = "queue-run",
  queue_run = "30m",
  -- Timeout.queuereturn = 5d, Timeout.queuewarn = 4h.
  give_up = "5d",
  delay_warning = "4h",
  -- One warning, at the queue run that finds the message older than
  -- Timeout.queuewarn.
  delay_warning_repeat = false,
  delay_warning_at = "age",

  -- mci host status, Timeout.hoststatus = 30m: a host that failed is not
  -- contacted again before that.
  host_memory = "host",
  host_memory_time = "30m",

  -- domain.c mxrand(): hash of the host name with a per-process seed,
  -- "random but repeatable".
  equal_pref = "hash",
  -- makeconnection() walks h_addr_list in resolver order.
  address_order = "ipv4-first",
  pref_order = "ascending",

  -- conf.h MAXMXHOSTS = 100: no practical cap.
  max_addresses = 0,
  mx_session_limit = 0,
  mx_lookahead = false,
  mx_host_limit = 0,

  -- getmxrr(): null MX only when "0 ." is the only record.
  null_mx = "only",
  mx_cname = "follow",
  mx_ip_literal = "reject",
  -- DROPLOCALHOST; nothing left: "MX list ... points back to" (error).
  mx_self = "truncate",
  implicit_mx = true,

  -- §3.1 (usersmtp.c smtpinit(), deliver.c "try next MX site"): 4xx
  -- greeting EX_TEMPFAIL -> next; 5xx greeting -> next if more MX, else
  -- EX_UNAVAILABLE (fail); MAIL/RCPT 4xx -> next MX.
  greeting_4xx = "next",
  greeting_5xx = "bounce-if-last",
  mail_4xx = "next",
  rcpt_4xx = "next",

  -- §3.4: TRY_AGAIN -> EX_TEMPFAIL; NO_RECOVERY -> "punt" to the host
  -- itself; an MX host without address is that MX's connection failing.
  mx_servfail = "defer",
  mx_norecovery = "implicit",
  no_address = "defer",

  -- op.me: Timeout.initial 5m, helo 5m, mail 10m, rcpt 1h, datainit 5m,
  -- datafinal 1h.
  greeting_timeout = "5m",
  helo_timeout = "5m",
  mail_timeout = "10m",
  rcpt_timeout = "1h",
  data_init_timeout = "5m",
  data_done_timeout = "1h",

  -- Timeout.resolver.* = the system (glibc) defaults.
  dns_timeout = "5s",
  dns_attempts = 2,
}
