-- A throwaway Prosody 0.12 for the federation interop tests, started in the foreground by the
-- test (prosody --config THIS -F). {{NAME}} placeholders are filled in by ProsodyServer.cs.
run_as_root = true
daemonize = false
pidfile = "{{DIR}}/prosody.pid"
data_path = "{{DIR}}/data"
certificates = "{{DIR}}/certs"
log = { debug = "{{DIR}}/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { {{C2S_PORT}} }
c2s_direct_tls_ports = {}
s2s_ports = { {{S2S_PORT}} }
s2s_direct_tls_ports = {}
http_ports = {}
https_ports = {}
authentication = "internal_hashed"
-- Only admins create nodes on mod_pubsub: the RTBL test's list owner (a user only that test registers).
admins = { "rtblowner@{{DOMAIN}}" }
-- Converge's test certificate is self-signed: links authenticate with dialback (XEP-0220) over TLS.
s2s_secure_auth = false
s2s_require_encryption = true
modules_enabled = { "roster", "saslauth", "tls", "dialback", "disco", "ping", "presence", "message", "iq" }
-- mod_limits throttles clients to 10 kB/s (PEERS.md); everything else is Prosody's default.
modules_disabled = { "limits" }
ssl = { certificate = "{{DIR}}/certs/{{DOMAIN}}.crt", key = "{{DIR}}/certs/{{DOMAIN}}.key" }
-- Outgoing s2s looks up _xmpp-server._tcp.<domain>: the test's DNS responder answers for *.test.
unbound = {
    resolvconf = false;
    hoststxt = false;
    forward = "127.0.0.1@{{DNS_PORT}}";
    options = { ["do-not-query-localhost:"] = "no"; ["local-zone:"] = "test. transparent" };
}

VirtualHost "{{DOMAIN}}"

-- Group chat (XEP-0045) for the group-chat interop test; its own certificate is made beside the domain's.
Component "conference.{{DOMAIN}}" "muc"
    muc_room_locking = false
    ssl = { certificate = "{{DIR}}/certs/conference.{{DOMAIN}}.crt", key = "{{DIR}}/certs/conference.{{DOMAIN}}.key" }

-- Publish-subscribe (XEP-0060) for the real-time blocklist test: the RTBL node lives here.
Component "pubsub.{{DOMAIN}}" "pubsub"
    ssl = { certificate = "{{DIR}}/certs/pubsub.{{DOMAIN}}.crt", key = "{{DIR}}/certs/pubsub.{{DOMAIN}}.key" }
