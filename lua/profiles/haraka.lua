-- haraka: Haraka outbound (Node.js) with config/outbound.ini defaults.
--
-- Sources: mta-behavior.md (§2.6, §3.1, §3.3, §4.1, §4.5), which read
-- haraka/Haraka: outbound/hmail.js, outbound/config.js,
-- config/outbound.ini.
return {
  description = "Haraka outbound: 30 s connect, retries 2^(n+5) s, the "
             .. "13th temporary failure bounces, 4xx greeting defers, 5xx "
             .. "greeting bounces",

  -- outbound.ini connect_timeout = 30 (s).
  connect_timeout = "30s",

  -- config.js set_temp_fail_intervals(): 2^(n+5) s for n = 1..12.
  schedule = "list",
  retry = { "64s", "128s", "256s", "512s", "1024s", "2048s", "4096s",
            "8192s", "16384s", "32768s", "65536s", "131072s" },
  -- hmail.js temp_fail(): the 13th temporary failure bounces
  -- ("Too many failures").
  max_attempts = 13,
  -- No age limit besides the count: 2^6 + ... + 2^17 s is about 3 days.
  give_up = "7d",
  delay_warning = "0s",

  -- No host memory: each attempt walks the MX list again.
  host_memory = "none",

  -- sort_mx(): sort by priority, then adjacent equal pairs swapped on a
  -- coin flip (a weak shuffle; modelled as a uniform one per host).
  equal_pref = "shuffle",
  -- inet_prefer = default: as resolved (IPv4 answers first here).
  address_order = "ipv4-first",
  pref_order = "ascending",

  max_addresses = 0,
  mx_session_limit = 0,
  mx_lookahead = false,
  mx_host_limit = 0,

  -- Null MX only as the single record.
  null_mx = "only",
  mx_cname = "follow",
  mx_ip_literal = "reject",
  mx_self = "truncate",
  implicit_mx = true,

  -- hmail.js try_deliver_host_on_socket(): a 4xx greeting defers the
  -- whole message (no next MX), a 5xx greeting bounces; MAIL 4xx defers;
  -- RCPT 4xx defers that recipient.
  greeting_4xx = "defer",
  greeting_5xx = "bounce",
  mail_4xx = "defer",
  rcpt_4xx = "defer",

  -- get_mx_error(): NXDOMAIN/NOTFOUND bounce, any other DNS error is a
  -- temporary failure.
  mx_servfail = "defer",
  mx_norecovery = "defer",
  no_address = "bounce",

  -- One socket timeout for the whole conversation (outbound.ini
  -- connect_timeout doubles as it); the RFC 5321 minimums otherwise.
  greeting_timeout = "5m",
  helo_timeout = "5m",
  mail_timeout = "5m",
  rcpt_timeout = "5m",
  data_init_timeout = "2m",
  data_done_timeout = "10m",

  -- c-ares as used by Node: 5 s first try, 4 tries.
  dns_timeout = "5s",
  dns_attempts = 4,
}
