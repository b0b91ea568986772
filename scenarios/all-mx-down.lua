-- all-mx-down: every MX host is down for good; the message waits in the
-- queue, is retried on the sender's schedule, and bounces when it is too
-- old.
--
-- The sender here overrides the rfc5321 profile's schedule to make the
-- story short: retry after 5 min, then every 10 min, and give up after
-- 1 hour.  Each delivery attempt costs 60 s (two connect timeouts of 30 s),
-- so attempts start at 0, 6m, 17m, 28m, 39m, 50m and 61m; the seventh
-- fails after the message has been queued for more than an hour, and the
-- message bounces.

scenario "all-mx-down" {
  description = "both MX hosts down: retries every 10 min, bounce after 1 h",
  seed = 5,
  stop_at = "2h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2.20", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1",
                        retry = { "5m", "10m" }, give_up = "1h" } }

outage "mx1" { kind = "down" }
outage "mx2" { kind = "down" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 5321 §4.5.4.1: queue, retry, and give up after the give-up time.
expect { to = "bob@example.test", outcome = "bounced",
         after = "1h2m", before = "1h3m", attempts = { min = 14, max = 14 } }
