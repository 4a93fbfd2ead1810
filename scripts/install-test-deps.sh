#!/bin/sh
# Installs the real third-party peers the Converge.Interop tests run against:
#   - python3-slixmpp (Debian) for /usr/bin/python3
#   - postgresql (Debian) for the PostgreSQL storage and migration tests
#   - @xmpp/client (npm, pinned by tests/Converge.Interop/peers/node/package-lock.json)
# Idempotent and non-interactive; checks before installing, so a second run only
# takes the time of the checks. Needs a Debian 12 host with node/npm and the .NET SDK.
set -eu

repo_root=$(cd "$(dirname "$0")/.." && pwd)
node_peers="$repo_root/tests/Converge.Interop/peers/node"
# python3-slixmpp: XMPP clients; swaks (with libnet-ssleay-perl for its STARTTLS), python3-aiosmtpd, dnsmasq-base: mail in and out,
# MX look-ups; prosody, ejabberd,
# lua-unbound: the third-party XMPP servers the federation tests interconnect with;
# prometheus (with promtool): scrapes and checks /metrics; python3-aiohttp: the HTTP client slixmpp's
# XEP-0363 (file upload) plugin PUTs with; chromium: the browser the web console and web chat tests
# drive (puppeteer-core, playwright-core; /usr/bin/chromium); postgresql: the storage tests start a
# throwaway server of their own (initdb/pg_ctl from /usr/lib/postgresql/*/bin); stunnel4: the TLS
# terminator in front of the SMSC simulator for the SMPP-over-TLS tests.
debian_packages="python3-slixmpp swaks libnet-ssleay-perl python3-aiosmtpd dnsmasq-base prosody ejabberd lua-unbound prometheus python3-aiohttp chromium postgresql stunnel4"

say() { printf 'install-test-deps: %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        say "need root to run: $*" >&2
        exit 1
    fi
}

# --- Debian packages -------------------------------------------------------
missing=""
for package in $debian_packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $package"
    fi
done
if [ -n "$missing" ]; then
    say "installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    # The servers are only started by the tests, each with its own configuration and ports:
    # keep Debian from starting their system services while installing.
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    as_root apt-get install -y -q --no-install-recommends $missing || { as_root rm -f /usr/sbin/policy-rc.d; exit 1; }
    as_root rm -f /usr/sbin/policy-rc.d
else
    say "Debian packages present: $debian_packages"
fi
if ! /usr/bin/python3 -c 'import slixmpp' 2>/dev/null; then
    say "/usr/bin/python3 cannot import slixmpp after installing python3-slixmpp" >&2
    exit 1
fi

# --- npm packages ------------------------------------------------------------
for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        say "$tool is not on PATH; install Node.js 20.10 or later first" >&2
        exit 1
    fi
done

# Each peer folder pins its npm packages in a lock file; the stamp records which lock file its
# node_modules was installed from, so an unchanged folder costs only the check.
install_npm_peer() {
    dir="$1"
    stamp="$dir/node_modules/.converge-installed-from"
    if [ -f "$dir/package-lock.json" ]; then
        wanted=$(sha256sum "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
    else
        wanted=$(sha256sum "$dir/package.json" | cut -d' ' -f1)
    fi
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        say "npm packages present in $dir/node_modules"
        return
    fi
    say "installing npm packages in $dir"
    (
        cd "$dir"
        if [ -f package-lock.json ]; then
            npm ci --no-audit --no-fund
        else
            npm install --no-audit --no-fund
        fi
    )
    printf '%s\n' "$wanted" > "$stamp"
}

install_npm_peer "$node_peers"
install_npm_peer "$repo_root/tests/Converge.Interworking.Tests/peers/smsc"
# puppeteer-core drives Debian's chromium (no browser download) through the web console.
install_npm_peer "$repo_root/tests/Converge.Interop/peers/console"

say "done"
