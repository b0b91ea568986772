-- postfix: Postfix 3.x with its default main.cf.
--
-- Sources: mta-behavior.md (§2.2, §3.1, §4.1-4.6), which read
-- vdukhovni/postfix (postfix-3.12): src/smtp/smtp_addr.c,
-- smtp_connect.c, smtp_proto.c, src/global/mail_params.h,
-- src/qmgr/qmgr_active.c, qmgr_queue.c, proto/postconf.proto.
return {
  description = "Postfix 3.x defaults: addresses shuffled, 30 s connect, "
             .. "5 addresses / 2 sessions, backoff 300-4000 s on a 300 s "
             .. "scan, dead destination for 300 s",

  -- smtp_connect_timeout = 30s (mail_params.h DEF_SMTP_CONN_TMOUT).
  connect_timeout = "30s",

  -- qmgr_active.c qmgr_active_done_3_generic(): next attempt in
  -- clamp(time in queue, minimal_backoff_time, maximal_backoff_time),
  -- picked up by the deferred-queue scan every queue_run_delay.
  schedule = "postfix",
  backoff_min = "300s",   -- minimal_backoff_time = 300s
  backoff_max = "4000s",  -- maximal_backoff_time = 4000s
  queue_run = "300s",     -- queue_run_delay = 300s

  -- maximal_queue_lifetime = 5d.
  give_up = "5d",
  -- delay_warning_time = 0h: no "delayed" DSN by default.
  delay_warning = "0s",
  -- When set: one warning, when qmgr_active.c finds warn_time passed as
  -- a deferred message leaves the active queue.
  delay_warning_repeat = false,
  delay_warning_at = "age",

  -- qmgr_queue.c qmgr_queue_throttle(): with
  -- default_destination_concurrency_failed_cohort_limit = 1 a site
  -- failure of the final server makes the next-hop destination dead for
  -- minimal_backoff_time; its mail is deferred "delivery temporarily
  -- suspended" without a connection.
  host_memory = "destination",
  host_memory_time = "300s",

  -- smtp_addr.c: dns_rr_shuffle() of the whole address list, then sort by
  -- preference (smtp_randomize_addresses = yes); smtp_address_preference
  -- = any (default since 2.9).
  equal_pref = "per-address",
  address_order = "random",
  -- smtp_balance_inet_protocols = yes (Postfix >= 3.3): with more
  -- addresses than smtp_mx_address_limit, both families are kept within
  -- it (smtp_addr.c smtp_balance_inet_proto(), mta-behavior.md §2.2
  -- item 6).
  balance_families = true,
  pref_order = "ascending",

  -- smtp_mx_address_limit = 5; smtp_mx_session_limit = 2, a session
  -- counting only once EHLO succeeded (smtp_connect.c comment "Don't
  -- count handshake errors towards the session limit").
  max_addresses = 5,
  mx_session_limit = 2,
  mx_lookahead = false,
  mx_host_limit = 0,
  -- default_destination_concurrency_limit = 20 deliveries at once per
  -- destination, starting from initial_destination_concurrency = 5
  -- (mta-behavior.md §4.2); each delivery without a site failure
  -- widens the window by one (qmgr positive feedback).
  dest_concurrency = 20,
  dest_concurrency_init = 5,

  -- dns_lookup.c: any "." target makes the whole RRset null MX.
  null_mx = "any",
  -- smtp_addr.c (DNS_NULLMX): 5.1.0 "Domain ... does not accept mail
  -- (nullMX)", not RFC 7505's 556 5.1.10 (mta-behavior.md §2.1).
  null_mx_reply = "postfix",
  -- dns_lookup.c follows CNAMEs (up to 10); smtp_addr_one() accepts a
  -- numeric MX target with a warning.
  mx_cname = "follow",
  mx_ip_literal = "accept",
  -- smtp_truncate_self(): best MX is self -> bounce 5.4.6.
  mx_self = "truncate",
  -- smtp_domain_addr(): DNS_NOTFOUND -> smtp_host_addr().
  implicit_mx = true,

  -- §3.1 (smtp_proto.c smtp_helo(), smtp_trouble.c): a 4xx greeting is a
  -- soft site failure -> next; smtp_skip_5xx_greeting = yes rewrites a
  -- 5xx greeting to 4xx -> next, and the final server defers (no bounce).
  greeting_4xx = "next",
  greeting_5xx = "next",
  -- MAIL 4xx and RCPT 4xx: recipients kept for the next address.
  mail_4xx = "next",
  rcpt_4xx = "next",

  -- §3.4: SERVFAIL/timeout DNS_RETRY -> 4.4.3 defer; NO_RECOVERY
  -- DNS_FAIL -> 5.4.3 hard; no MX host address -> bounce.
  mx_servfail = "defer",
  mx_norecovery = "bounce",
  no_address = "bounce",

  -- mail_params.h: smtp_helo_timeout 300s covers greeting and EHLO,
  -- smtp_mail_timeout 300s, smtp_rcpt_timeout 300s,
  -- smtp_data_init_timeout 120s, smtp_data_done_timeout 600s.
  greeting_timeout = "300s",
  helo_timeout = "300s",
  mail_timeout = "300s",
  rcpt_timeout = "300s",
  data_init_timeout = "120s",
  data_done_timeout = "600s",

  -- The system resolver (glibc): RES_TIMEOUT 5 s, RES_DFLRETRY 2.
  dns_timeout = "5s",
  dns_attempts = 2,
}
