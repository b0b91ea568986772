-- expect: tests/bad/slow-without-at.lua:14: outage 'mx1': kind 'slow' without 'at' slows DNS answers, and 'mx1' answers no DNS; to slow its SMTP replies give 'at' (greeting, ehlo, mail, rcpt, data or dot)
-- An SMTP slow-down without its phase: "slow" without "at" is the DNS
-- kind, and mx1 answers no DNS.
scenario "slow-without-at" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "mx1" { from = "0s", to = "10m", kind = "slow", delay = "30s" }
