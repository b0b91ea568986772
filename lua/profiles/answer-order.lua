-- answer-order: a naive sender that uses the MX records in the order the
-- DNS answer lists them, and fails over only when a connection fails.
--
-- Sources: mta-behavior.md §5 item 18: mxclient used DNS answer order and
-- fell back only on connect failure (richfelker/mxclient#1).
return {
  description = "naive: DNS answer order, no sort and no shuffle; only a "
             .. "failed connection moves to the next MX (mxclient #1)",

  pref_order = "answer",
  equal_pref = "none",
  -- Any SMTP reply ends the attempt: no next MX after a reply.
  greeting_4xx = "defer",
  greeting_5xx = "defer",
  mail_4xx = "defer",
  rcpt_4xx = "defer",

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
