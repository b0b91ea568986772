-- lossy-link: the sender sits behind a poor access link (5% loss, up to
-- 5 ms of jitter, 2 Mbit/s) and sends a 60 KB message.
--
-- Loss costs time, not mail: lost DNS queries are asked again after the
-- resolver's 5 s, lost TCP segments are retransmitted (a duplicate ACK
-- tells the sender; three of them, or a timeout, make it resend), and the
-- message arrives intact.  The capture shows the retransmissions and
-- duplicate ACKs Wireshark flags, and says on each lost frame where it was
-- lost.  The serialisation delay of 2 Mbit/s shows in the data segments'
-- spacing (about 6 ms per 1514-byte frame).

scenario "lossy-link" {
  description = "5% loss and jitter on the sender's link: retransmissions, and the mail still arrives",
  seed = 21,
  stop_at = "1h",
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
             link = { latency = "20ms", jitter = "5ms", loss = 0.05, bandwidth = "2Mbit" },
             sender = { profile = "rfc5321", resolver = "ns1" } }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test", size = 60000 }

expect { to = "bob@example.test", outcome = "delivered", via = "mx1", before = "1m",
         attempts = { "mx1:delivered" } }
