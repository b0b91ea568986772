-- expect: tests/bad/reply-without-text.lua:5: outage 'mx1': kind 'reply' needs reply = "NNN text" with a code from 200 to 599
-- kind "reply" without the reply to give.
scenario "reply-without-text" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "mx1" { from = "0s", to = "10m", kind = "reply", at = "rcpt" }
