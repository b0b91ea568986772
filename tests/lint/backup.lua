-- backup.lua - the checks "mxsim lint" makes only on a scenario, where
-- the hosts behind the MX names are known (tests/cli/lint.sh pins the
-- output in backup.expected).  Findings name this file and the line of
-- the zone's declaration.  Every host sits in its own /48, so no
-- shared-network finding gets in the way.
--
--  - example.test: the primary mx1 knows its users, the backup mx2 takes
--    any recipient: backup-accepts-all (warning; Postfix
--    STANDARD_CONFIGURATION_README, backup MX: relay_recipient_maps,
--    without which the queue fills with undeliverable bounces).
--  - other.test: the backup mx4 lacks dan@ and eve@other.test, which the primary
--    mx3 accepts: backup-rejects-users (warning; RFC 5321 §4.2.1, a 550
--    at RCPT is permanent: senders bounce instead of waiting).
--  - third.test: the primary mx5 accepts everyone, the backup mx6 only
--    its list: backup-rejects-users.
--  - dead.test: one MX name is the nameserver (no smtp role) and one has
--    an address no host has: mx-no-server, twice (error; RFC 5321 §5.1).
--  - good.test: primary and backup know the same users: nothing.
--  - store.test: the backup mx8 has no smtp.relay: mail it takes stays
--    in its own mailbox (backup-no-relay, info; RFC 5321 §5.1, a backup
--    MX relays to a better one; Postfix's backup MX recipe relays).
-- The other backups are relays (smtp.relay = true, with the sender role
-- a relay needs), so that finding stays out of their domains.

scenario "lint-backup" { description = "backup MX configurations for lint" }

zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "AAAA", "2001:db8:53::53" },
  { "mx1", "AAAA", "2001:db8:1::10" },
  { "mx2", "AAAA", "2001:db8:2::10" },
  { "mx3", "AAAA", "2001:db8:3::10" },
  { "mx4", "AAAA", "2001:db8:4::10" },
  { "mx5", "AAAA", "2001:db8:5::10" },
  { "mx6", "AAAA", "2001:db8:6::10" },
  { "mx7", "AAAA", "2001:db8:7::10" },
  { "mx8", "AAAA", "2001:db8:8::10" },
}
zone "other.test" {
  { "@",   "MX", 10, "mx3.example.test." },
  { "@",   "MX", 20, "mx4.example.test." },
}
zone "third.test" {
  { "@",   "MX", 10, "mx5.example.test." },
  { "@",   "MX", 20, "mx6.example.test." },
}
zone "dead.test" {
  { "@",     "MX", 10, "mx1.example.test." },
  { "@",     "MX", 20, "ns1.example.test." },
  { "@",     "MX", 30, "nohost" },
  { "nohost", "AAAA", "2001:db8:99::1" },
}
zone "good.test" {
  { "@",   "MX", 10, "mx3.example.test." },
  { "@",   "MX", 20, "mx7.example.test." },
}
zone "store.test" {
  { "@",   "MX", 10, "mx3.example.test." },
  { "@",   "MX", 20, "mx8.example.test." },
}

host "ns1" { addr = "2001:db8:53::53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "2001:db8:1::10",
             smtp = { mailboxes = { "bob@example.test", "carol@example.test" } } }
host "mx2" { addr = "2001:db8:2::10", smtp = { relay = true },
             sender = { resolver = "ns1" } }
host "mx3" { addr = "2001:db8:3::10",
             smtp = { mailboxes = { "bob@other.test", "dan@other.test",
                                    "eve@other.test", "bob@good.test",
                                    "bob@store.test" } } }
host "mx4" { addr = "2001:db8:4::10",
             smtp = { relay = true, mailboxes = { "bob@other.test" } },
             sender = { resolver = "ns1" } }
host "mx5" { addr = "2001:db8:5::10", smtp = {} }
host "mx6" { addr = "2001:db8:6::10",
             smtp = { relay = true, mailboxes = { "bob@third.test" } },
             sender = { resolver = "ns1" } }
host "mx7" { addr = "2001:db8:7::10",
             smtp = { relay = true, mailboxes = { "bob@good.test" } },
             sender = { resolver = "ns1" } }
host "mx8" { addr = "2001:db8:8::10",
             smtp = { mailboxes = { "bob@store.test" } } }
