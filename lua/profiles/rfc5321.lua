-- rfc5321: a sender that does what RFC 5321 says, and nothing it leaves open.
--
-- Every value cites where it comes from.  Where the RFC gives no number,
-- the comment says so and names the common practice we chose.
-- A scenario can override any knob: sender = { profile = "rfc5321", retry = { "5m" } }.
return {
  description = "RFC 5321 as written: MX by preference, equal preferences "
             .. "shuffled, retry after 30 min, give up after 5 days",

  -- RFC 5321 has no connect timeout.  30 s is the common choice of real
  -- senders (Postfix smtp_connect_timeout, Haraka connect_timeout);
  -- without it the kernel would wait 127 s (Linux tcp_syn_retries = 6).
  connect_timeout = "30s",

  -- §4.5.4.1: "the retry interval SHOULD be at least 30 minutes"; the RFC
  -- suggests two attempts in the first hour, then one every 2-3 hours.
  retry = { "30m", "2h" },

  -- §4.5.4.1: "the give-up time generally needs to be at least 4-5 days".
  give_up = "5d",

  -- §5.1: equal preferences "the sender-SMTP MUST randomize them".
  equal_pref = "shuffle",

  -- RFC 5321 §5.2 gives no order between IPv6 and IPv4; the system's
  -- getaddrinfo() follows RFC 6724's default policy, IPv6 first.
  address_order = "ipv6-first",

  -- RFC 5321 §5.1: an MX name "MUST be a domain name ... that returns at
  -- least one A/AAAA record"; one that does so through a CNAME still
  -- does, so the alias is followed (RFC 2181 §10.3 forbids it to the zone
  -- owner, not to the sender).
  mx_cname = "follow",

  -- RFC 5321 §5.1: the exchange is a domain name, never an address
  -- literal; a name that looks like an address is not used.
  mx_ip_literal = "reject",

  -- §5.1: a sender that finds itself among the MX hosts MUST discard its
  -- own preference and every worse one; with none left (it is the best
  -- MX) the mail is returned as undeliverable.
  mx_self = "truncate",

  -- RFC 7505 §3: a null MX is a single "MX 0 ." record.
  null_mx = "only",

  -- §5.1: with no MX record, the domain itself is the implicit MX.
  implicit_mx = true,

  -- §5.1: the client SHOULD try at least two addresses and MAY cap them;
  -- the RFC sets no cap, so this profile tries them all.
  max_addresses = 0,

  -- §4.5.3.2 minimum timeouts, per command.
  greeting_timeout = "5m",   -- §4.5.3.2.1 initial 220 message
  helo_timeout = "5m",       -- no figure for EHLO; same as the greeting
  mail_timeout = "5m",       -- §4.5.3.2.2 MAIL command
  rcpt_timeout = "5m",       -- §4.5.3.2.3 RCPT command
  data_init_timeout = "2m",  -- §4.5.3.2.4 DATA initiation
  data_done_timeout = "10m", -- §4.5.3.2.6 DATA termination

  -- The system resolver (glibc): RES_TIMEOUT 5 s, RES_DFLRETRY 2
  -- (resolv.conf(5); res_send.c send_dg()).
  dns_timeout = "5s",
  dns_attempts = 2,
}
