---@meta
-- mxsim.meta.lua: the scenario language for editors (lua-language-server).
--
-- Type annotations only: nothing here runs.  Point the language server at
-- this file and scenarios get completion, hover text and type checks for
-- every declaration and field of docs/scenario-reference.md, which stays
-- the reference.  In .luarc.json next to your scenarios:
--
--     { "workspace.library": [ "/path/to/mxsim/lua/mxsim.meta.lua" ],
--       "runtime.version": "Lua 5.4" }
--
-- Scenarios run in a sandbox: string, table, math (math.random follows the
-- scenario's seed; no math.randomseed), utf8, coroutine and the basic
-- functions; no io, os, require, load, dofile, debug or collectgarbage.

-- --- values --------------------------------------------------------------

---A duration: a string with a unit ("250ms", "30s", "5m", "2h", "1d",
---"1h30m", "1.5s"; units ns, us, ms, s, m or min, h, d) or a number of
---seconds (90, 0.25).
---@alias mxsim.duration string|number

---An address: "192.0.2.10" or "2001:db8::10".
---@alias mxsim.address string

---@alias mxsim.rrtype "A"|"AAAA"|"NS"|"MX"|"CNAME"|"PTR"|"TXT"|"SOA"

---@alias mxsim.outage_kind
---| "down"        # network: every packet to or from the host vanishes
---| "refuse"      # network: TCP RST, UDP ICMP port unreachable
---| "unreachable" # network: the last router answers ICMP host unreachable
---| "filtered"    # network: ICMP administratively prohibited
---| "link-down"   # link: every frame on the access link (or uplink) is lost
---| "loss"        # link: frames lost with probability `rate`
---| "reply"       # SMTP: answer `reply` at phase `at`
---| "drop"        # SMTP: close without a reply at phase `at`
---| "slow"        # SMTP: wait `delay` before the reply at `at`; DNS: every answer `delay` late
---| "hang"        # SMTP: never reply at phase `at`
---| "greylist"    # SMTP: RFC 6647 greylisting (postgrey)
---| "servfail"    # DNS: every answer SERVFAIL
---| "refused"     # DNS: every answer REFUSED
---| "nxdomain"    # DNS: every answer NXDOMAIN
---| "lame"        # DNS: REFUSED as if it did not serve its zones
---| "truncate"    # DNS: UDP answers with TC set, full answers over TCP
---| "no-tcp"      # DNS: TCP to port 53 dropped

---@alias mxsim.smtp_phase "greeting"|"ehlo"|"mail"|"rcpt"|"data"|"dot"

---@alias mxsim.outcome "delivered"|"bounced"|"deferred"

-- --- scenario --------------------------------------------------------------

---@class mxsim.scenario
---@field description? string one line for listings
---@field seed? integer the seed of every random draw, math.random's too (default 1; `mxsim run --seed N` overrides)
---@field stop_at? mxsim.duration the simulated horizon (default "1d"); messages still queued then are `deferred`
---@field latency? mxsim.duration one-way latency between two hosts over the default links (default "200us")

---The scenario's name and settings; once per file, before any math.random.
---```lua
---scenario "primary-down" { description = "...", seed = 42, stop_at = "2h" }
---```
---@param name string
---@return fun(body: mxsim.scenario)
function scenario(name) end

-- --- zone ------------------------------------------------------------------

---A record: `{ owner, type, data... }` in master-file column order, e.g.
---`{ "@", "MX", 10, "mx1" }`; `"@"` is the origin, names without a final
---dot are relative.
---@class mxsim.zone_row
---@field [1] string owner
---@field [2] mxsim.rrtype type
---@field [integer] string|integer the data
---@field ttl? mxsim.duration this record's TTL (whole seconds)

---@class mxsim.zone
---@field ttl? mxsim.duration TTL of the records (default "1h", whole seconds)
---@field file? string an RFC 1035 master file instead of rows, relative to the file that declares the zone
---@field [integer] mxsim.zone_row the records

---DNS data for a zone, inline or from a master file.
---```lua
---zone "example.test" { { "@", "NS", "ns1" }, { "@", "MX", 10, "mx1" } }
---```
---@param origin string the zone's name; "." is the root
---@return fun(body: mxsim.zone)
function zone(origin) end

---@class mxsim.zone_change
---@field at mxsim.duration required: when the change happens
---@field zone string required: a declared zone
---@field remove? mxsim.zone_row[] rows to take out (each must be in the zone then)
---@field add? mxsim.zone_row[] rows to put in

---Records added or removed at a time (the SOA serial goes up by one).
---@param body mxsim.zone_change
function zone_change(body) end

-- --- host ------------------------------------------------------------------

---@class mxsim.link
---@field latency? mxsim.duration one-way propagation delay
---@field jitter? mxsim.duration extra delay per frame, uniform in [0, jitter], from the seed
---@field loss? number probability that a frame is lost, each way (0.05 = 5%)
---@field bandwidth? string|number "100Mbit", "10Mbps", "1Gbit", "64kbit" or bits per second

---Linux's TCP defaults unless set (docs/network.md).
---@class mxsim.tcp
---@field syn_retries? integer SYN retransmissions before a connect fails (6: 127 s)
---@field syn_linear_timeouts? integer the first N+1 SYN waits stay at 1 s (0; Linux >= 6.5 uses 4)
---@field synack_retries? integer SYN-ACK retransmissions of a server (5)
---@field rto_initial? mxsim.duration the first retransmission timeout ("1s")
---@field rto_min? mxsim.duration lower bound of the retransmission timeout ("200ms")
---@field rto_max? mxsim.duration upper bound of the retransmission timeout ("120s")
---@field retries2? integer data retransmissions before the connection is reset (15)
---@field mss? integer the MSS announced (1460; 1440 over IPv6 at most)
---@field time_wait? mxsim.duration how long a closed connection keeps its ports ("60s")

---An authoritative DNS server (UDP and TCP port 53).
---@class mxsim.dns
---@field serves string|string[] the zones it answers for, with AA set

---A recursive caching resolver.
---@class mxsim.resolver
---@field roots? string|string[] root hints: hosts whose addresses start every resolution (default: every host that serves ".")
---@field timeout? mxsim.duration wait for one server's answer before the next (default "1s")

---A mail exchanger on port 25.
---@class mxsim.smtp
---@field mailboxes? string[] known recipients; others get 550 5.1.1 (default: every address)
---@field size_limit? integer SIZE advertised and enforced (default 10240000)
---@field max_conns? integer concurrent sessions before 421 4.7.0 (default 100)
---@field relay? boolean a backup MX that stores and forwards with the host's own sender role

---@alias mxsim.mx_action "next"|"defer"|"bounce"|"bounce-if-last"
---@alias mxsim.dns_action "defer"|"bounce"|"implicit"

---A sending MTA: a profile from lua/profiles/ and any of its knobs
---(`mxsim profiles NAME` lists them with their values).
---@class mxsim.sender
---@field profile? "rfc5321"|"postfix"|"exim"|"opensmtpd"|"sendmail"|"haraka"|"go"|"answer-order"|"first-mx-only"|"highest-number-first"|"timeout-means-no-mx"|string the profile (default "rfc5321")
---@field resolver? string|string[] the nameserver host (or up to 3) the stub resolver asks
---@field connect_timeout? mxsim.duration give up a TCP connect after this long (0 = the kernel's 127 s)
---@field retry? mxsim.duration[] delays between delivery attempts; the last one repeats
---@field schedule? "list"|"postfix"|"exim"|"quadratic"|"chasquid"|"queue-run" how the next attempt is computed
---@field backoff_min? mxsim.duration postfix: minimal_backoff_time; quadratic: the base delay
---@field backoff_max? mxsim.duration postfix: maximal_backoff_time
---@field queue_run? mxsim.duration attempts only at queue runs, every this long (0 = at the computed time)
---@field retry_rules? string exim: retry rules, e.g. "F,2h,15m; G,16h,1h,1.5; F,4d,6h"
---@field retry_max? mxsim.duration exim: retry_interval_max (0 = none)
---@field retry_jitter? mxsim.duration a random extra delay below this, drawn from the seed
---@field max_attempts? integer bounce at this failed attempt (0 = no limit)
---@field delay_warning? mxsim.duration send a 'delayed' DSN once the message is this old (0 = never)
---@field delay_warning_repeat? boolean send another 'delayed' DSN every delay_warning (Exim)
---@field delay_warning_at? "age"|"next-try" what makes the warning due at a failed attempt: the message's age, or its next attempt (OpenSMTPD)
---@field balance_families? boolean keep both address families within max_addresses (Postfix smtp_balance_inet_protocols)
---@field least_conn? boolean among one preference, the address with the fewest open sessions first (OpenSMTPD)
---@field host_memory? "none"|"destination"|"address"|"route"|"host" what a failure leaves for later deliveries
---@field host_memory_time? mxsim.duration how long a failed destination or host is skipped
---@field give_up? mxsim.duration a message still queued after this long bounces
---@field equal_pref? "shuffle"|"none"|"per-address"|"hash" order of MX hosts with the same preference
---@field null_mx? "only"|"any" which MX sets mean "no mail" (RFC 7505)
---@field implicit_mx? boolean with no MX record, deliver to the domain's own address
---@field address_order? "ipv6-first"|"ipv4-first"|"random" which family of an MX host's addresses goes first
---@field mx_cname? "follow"|"refuse" an MX host that is an alias
---@field mx_ip_literal? "reject"|"accept" an MX exchange written as an address
---@field mx_self? "truncate"|"freeze" the sender among the MX hosts, as the best one
---@field max_addresses? integer addresses tried per delivery attempt (0 = all)
---@field mx_session_limit? integer sessions that got past EHLO per attempt (0 = no limit)
---@field mx_lookahead? boolean past max_addresses, still try one address of each further preference
---@field delay_after_cutoff? boolean Exim: with every address past its retry cutoff, bounce at once until a retry time comes (true), or try those not tried since the message arrived (false)
---@field mx_host_limit? integer MX hosts used, best first (0 = all)
---@field dest_concurrency? integer delivery attempts in progress at once per destination domain, or sessions per destination address (see concurrency_scope) (0 = no limit)
---@field dest_concurrency_init? integer the starting window of dest_concurrency, one more after each delivery (0 = the limit)
---@field concurrency_scope? "domain"|"address" what dest_concurrency limits: attempts per destination domain (Postfix) or sessions per destination address (OpenSMTPD maxconn_per_route)
---@field shuffle_in_family? boolean shuffle an MX host's addresses within each family (Exim)
---@field null_mx_reply? "rfc7505"|"postfix" the bounce of a null MX: 556 5.1.10 or Postfix's 5.1.0
---@field pref_order? "ascending"|"descending"|"answer" how preferences are walked
---@field greeting_4xx? mxsim.mx_action a 4xx greeting
---@field greeting_5xx? mxsim.mx_action a 5xx greeting
---@field mail_4xx? mxsim.mx_action a 4xx to MAIL FROM
---@field rcpt_4xx? mxsim.mx_action a 4xx to RCPT TO
---@field mx_servfail? mxsim.dns_action MX lookup SERVFAIL or timeout
---@field mx_norecovery? mxsim.dns_action MX lookup REFUSED, NOTIMP or FORMERR
---@field no_address? mxsim.dns_action MX hosts exist but none has an address
---@field greeting_timeout? mxsim.duration wait for the 220 greeting
---@field helo_timeout? mxsim.duration wait for the EHLO/HELO reply
---@field mail_timeout? mxsim.duration wait for the MAIL FROM reply
---@field rcpt_timeout? mxsim.duration wait for each RCPT TO reply
---@field data_init_timeout? mxsim.duration wait for the 354 reply to DATA
---@field data_done_timeout? mxsim.duration wait for the reply after the final "."
---@field dns_timeout? mxsim.duration resolver: wait per query in the first round (glibc options timeout)
---@field dns_attempts? integer resolver: rounds over the nameservers (glibc options attempts)

---@class mxsim.host
---@field addr? mxsim.address one IPv4 or IPv6 address
---@field addrs? mxsim.address[] a list of addresses (with or instead of addr)
---@field hostname? string the host's FQDN (EHLO, banners, Received:)
---@field dns? mxsim.dns authoritative DNS server role
---@field resolver? mxsim.resolver recursive caching resolver role
---@field smtp? mxsim.smtp mail exchanger role
---@field sender? mxsim.sender sending MTA role
---@field link? mxsim.link its access link
---@field tcp? mxsim.tcp its TCP stack's knobs

---A machine and its roles (any combination).
---```lua
---host "mx1" { addr = "192.0.2.10", smtp = {} }
---```
---@param label string
---@return fun(body: mxsim.host)
function host(label) end

-- --- site ------------------------------------------------------------------

---@class mxsim.site
---@field hosts string[] required: the hosts behind the site's router
---@field link? mxsim.link the uplink to the internet
---@field router? mxsim.address|mxsim.address[] the router's address(es)

---A group of hosts behind one router.
---@param name string
---@return fun(body: mxsim.site)
function site(name) end

-- --- outage ----------------------------------------------------------------

---@class mxsim.outage
---@field kind mxsim.outage_kind required: what goes wrong
---@field from? mxsim.duration the window starts (inclusive, default "0s")
---@field to? mxsim.duration the window ends (exclusive, default the end)
---@field service? "smtp"|"dns" only port 25 or port 53 (default the whole host)
---@field family? "ipv4"|"ipv6" network and link kinds: one family only
---@field rate? number kind loss: the probability that a frame is lost
---@field at? mxsim.smtp_phase SMTP kinds: the phase
---@field reply? string kind reply: "NNN text"
---@field delay? mxsim.duration kind slow: how long the reply or answer is held
---@field retry_after? mxsim.duration kind greylist: the earliest retry accepted (default "300s")
---@field window? mxsim.duration kind greylist: how long a first attempt is remembered (default "2d")
---@field probability? number SMTP kinds: the share of connections hit, drawn per connection (default 1)
---@field model? "random" windows drawn from the seed instead of one [from, to)
---@field mtbf? mxsim.duration model random: mean time between failures
---@field mttr? mxsim.duration model random: mean time to repair

---A time window in which a host (or a site's uplink) misbehaves.
---```lua
---outage "mx1" { from = "0s", to = "20m", kind = "down" }
---```
---@param target string a host or a site
---@return fun(body: mxsim.outage)
function outage(target) end

-- --- message and expect ----------------------------------------------------

---@class mxsim.message
---@field from string required: envelope sender
---@field to string|string[] required: a recipient or a list
---@field at? mxsim.duration when it enters the sender's queue (default "0s")
---@field sender? string the host whose MTA sends it (default the only sender)
---@field size? integer approximate size in bytes
---@field subject? string the Subject: header

---Mail to send.
---@param body mxsim.message
function message(body) end

---@class mxsim.attempts_range
---@field min? integer
---@field max? integer

---@class mxsim.expect
---@field to string required: the recipient
---@field message? integer the message number (default every message to `to`)
---@field outcome? mxsim.outcome
---@field via? string the host the sender handed the message to
---@field host? string the host whose mailbox finally holds it
---@field before? mxsim.duration the outcome at or before this time
---@field after? mxsim.duration the outcome at or after this time
---@field attempts? string[]|mxsim.attempts_range "host:result" in order (delivered, timeout, refused, unreachable, dropped or a reply code), or bounds

---What must have happened; checked after the run (exit status 1 if not).
---@param body mxsim.expect
function expect(body) end

-- --- reuse -------------------------------------------------------------------

---@class mxsim.param
---@field default integer|number|string|boolean required: the value, and the param's type (a string with a unit is a duration)
---@field description? string what it changes, for `mxsim check FILE --params`

---A value the command line may change: `mxsim run FILE -D name=value`.
---Returns the default, or the -D value typed like the default.
---```lua
---local n = param "messages" { default = 10, description = "how many" }
---```
---@param name string letters, digits, '_' or '-', starting with a letter
---@return fun(body: mxsim.param): any
function param(name) end

---Runs a file of the scenario's folder (relative to the including file; no
---"..", no absolute path) in the scenario's environment, and returns what
---it returns.
---```lua
---local lib = include "lib/hosts.lua"
---```
---@param path string
---@return any ...
function include(path) end
