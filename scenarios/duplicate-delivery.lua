-- duplicate-delivery: the reply to "." never comes; the message arrives twice.
--
-- For the first 20 minutes mx1 hangs after the end of data: it has
-- stored the message, but its "250 Ok: queued" is never sent (a crashed
-- content filter, a stuck disk flush).  The sender waits for the reply
-- as long as RFC 5321 §4.5.3.2.6 asks (data_done_timeout, 10 minutes)
-- and gives up; it cannot know the message was taken, so it keeps it
-- and, with no other MX, tries again at the next retry, 30 minutes
-- later (rfc5321 retry).  mx1 answers this time: the recipient gets the
-- message twice.  Postfix logs this case as "conversation with ... timed
-- out while sending end of data -- message may be sent more than once"
-- (reference/mta-behavior.md §3.1, "Timeout / drop after '.'").  RFC
-- 5321 §4.5.3.2.6: a timeout at this point "would typically result in
-- delivery of multiple copies of the message"; RFC 1047 names the gap
-- between "." and its 250 and asks receivers to "acknowledge the final
-- dot as soon as possible".  The capture shows two complete DATA
-- transactions.

scenario "duplicate-delivery" {
  description = "mx1 stores the message but never answers '.': a timeout, a retry, two copies",
  seed = 8,
  stop_at = "2h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { from = "0s", to = "20m", kind = "hang", at = "dot" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- 10 min of silence after "." (a timeout), then the retry 30 min later
-- is delivered: 40 min and a few milliseconds.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "40m", before = "41m", attempts = { "mx1:timeout", "mx1:delivered" } }
