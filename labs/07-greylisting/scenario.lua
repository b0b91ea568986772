-- Lab 07: greylisting.  mx1 answers the first attempt of each (client,
-- sender, recipient) triplet with 450 (RFC 6647, postgrey); to the sender
-- a 4xx means "try the next MX" (RFC 5321 §5.1), so the backup mx2 takes
-- the message and forwards it to mx1 later, once the greylist lets it in.
local retry_after = param "retry_after" { default = "5m", description = "postgrey --delay" }
local relay_retry = param "relay_retry" { default = "30m", description = "mx2's retry delay" }


scenario "lab07" { description = "greylisting on the primary: the mail takes the backup", seed = 1, stop_at = "4h" }

zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = { mailboxes = { "bob@example.test" } } }
host "mx2" { addr = "192.0.2.20", smtp = { relay = true },
             sender = { profile = "rfc5321", resolver = "ns1", retry = { relay_retry } } }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { kind = "greylist", at = "rcpt", retry_after = retry_after }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test", sender = "mta" }

expect { to = "bob@example.test", outcome = "delivered", via = "mx2", host = "mx1", attempts = { "mx1:450", "mx2:delivered" } }
