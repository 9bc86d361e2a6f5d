#!/usr/bin/env bash
# Entry point for every build task: ./build.sh demo | test | unit | integration | publish | bench [--stop]
set -euo pipefail
cd "$(dirname "$0")"
target="${1:-test}"
shift || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
exec dotnet cake build.cake --target="$target" "$@"
