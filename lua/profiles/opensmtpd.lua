-- opensmtpd: OpenSMTPD 7.x (portable 7.8.0p1) defaults.
--
-- Sources: mta-behavior.md (§2.4, §3.1-3.4, §4.1-4.6), which read
-- OpenSMTPD/OpenSMTPD: usr.sbin/smtpd/dns.c, mta.c, mta_session.c,
-- limit.c, scheduler_ramqueue.c, smtpd.h, smtpd.conf.5, and libasr.
return {
  description = "OpenSMTPD 7 defaults: answer order (no shuffle), IPv6 "
             .. "first, quadratic 400 s * n^2 schedule, route penalties "
             .. "15 s * p^2, RCPT 4xx back to the scheduler",

  -- mta_session.c: io_set_timeout(..., 300000); the kernel's SYN limit
  -- (127 s on Linux) is reached first.
  connect_timeout = "0s",

  -- scheduler_ramqueue.c scheduler_next(): creation + 400 s * n^2
  -- (BACKOFF_TRANSFER = 400).
  schedule = "quadratic",
  backoff_min = "400s",
  queue_run = "0s",
  -- smtpd.h SMTPD_QUEUE_EXPIRY: queue ttl 4d.
  give_up = "4d",
  -- smtpd.conf.5: bounce warn-interval 4h.
  delay_warning = "4h",
  -- scheduler.c (IMSG_QUEUE_DELIVERY_TEMPFAIL): the warning goes out at
  -- the temporary failure whose next try is not before creation +
  -- warn-interval ("si.nexttry >= timestamp && si.lastbounce <
  -- timestamp"), so one attempt before the 4 h mark.
  delay_warning_at = "next-try",
  delay_warning_repeat = false,

  -- mta.c mta_route_disable(): a failed route (source IP -> destination
  -- IP) is disabled for DELAY_ROUTE_BASE (15 s) * penalty^2, at most
  -- DELAY_ROUTE_MAX (1 h).
  host_memory = "route",
  host_memory_time = "15s",

  -- dns.c dns_dispatch_mx(): entries inserted by preference as answers
  -- arrive, equal preferences in arrival order: no randomisation.
  equal_pref = "none",
  -- Portable libasr: ac_family = {AF_INET6, AF_INET}.
  address_order = "ipv6-first",
  -- mta.c mta_find_route(): among the routes of one preference level,
  -- the one with the fewest connections (mta-behavior.md §2.4 item 4).
  least_conn = true,
  pref_order = "ascending",

  -- No address or session cap: mta_find_route() iterates routes.
  max_addresses = 0,
  mx_session_limit = 0,
  mx_lookahead = false,
  mx_host_limit = 0,
  -- limit.c limit_mta_set_defaults(): maxconn_per_route = 5, a route
  -- being (source IP, destination IP) (mta-behavior.md §4.2, §2.4 item
  -- 4).  One source here, so 5 sessions per destination address: two MX
  -- addresses take 10 at once.  maxconn_per_domain = 100 and
  -- maxconn_per_host = 10 are not reached first and not modelled.
  dest_concurrency = 5,
  concurrency_scope = "address",

  -- dns.c: "MX 0 ." (or "localhost") only when no other MX was found.
  null_mx = "only",
  -- getaddrinfo() follows CNAMEs and takes numeric hosts.
  mx_cname = "follow",
  mx_ip_literal = "accept",
  mx_self = "truncate",
  implicit_mx = true,

  -- §3.1 (mta_session.c mta_response()): a non-2xx banner is a route
  -- error -> next route; MAIL 4xx and RCPT 4xx TEMPFAIL the envelope back
  -- to the scheduler (no failover in the same attempt).
  greeting_4xx = "next",
  greeting_5xx = "next",
  mail_4xx = "defer",
  rcpt_4xx = "defer",

  -- §3.4: SERVFAIL/timeout DNS_RETRY -> TEMPFAIL; NO_RECOVERY ->
  -- DNS_EINVAL PERMFAIL ("Invalid domain name", #852); no MX host
  -- resolves -> DNS_ENOTFOUND TEMPFAIL.
  mx_servfail = "defer",
  mx_norecovery = "bounce",
  no_address = "defer",

  -- mta_session.c: 300 s for every read.
  greeting_timeout = "300s",
  helo_timeout = "300s",
  mail_timeout = "300s",
  rcpt_timeout = "300s",
  data_init_timeout = "300s",
  data_done_timeout = "300s",

  -- libasr asr_ctx_create(): ac_nstimeout = 5, ac_nsretries = 4.
  dns_timeout = "5s",
  dns_attempts = 4,
}
