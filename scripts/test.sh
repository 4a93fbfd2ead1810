#!/bin/sh
# Runs every test of Converge: unit tests and the interop tests against real third-party
# peers. Installs what those peers need first (Debian packages, npm packages) when missing.
set -eu
repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

sh scripts/install-test-deps.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Converge.sln -c Release -nologo -v q
# One project at a time keeps the interop servers from competing with unit tests for the two cores.
dotnet test Converge.sln -c Release --no-build -nologo -m:1 --logger "console;verbosity=normal" "$@"
