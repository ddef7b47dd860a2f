# Sourced by the benchmark scripts. ensure_commands CMD:PACKAGE ... installs, from the distribution's
# packages (Debian/Ubuntu apt-get), the package of every command that is missing. The package lists are
# refreshed once per run (APT_UPDATED is exported so that child scripts do not refresh them again). Installing
# must not start a service (Debian's nginx would take port 80): while installing, a policy-rc.d answering 101
# forbids it when the machine has none.
ensure_commands() {
  local missing=() spec
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null || missing+=("${spec#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "# missing ${missing[*]}: install them (apt-get needs root)" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then
    echo "# apt-get update" >&2
    apt-get update -q >&2
    export APT_UPDATED=1
  fi
  local policy=/usr/sbin/policy-rc.d made_policy= rc=0
  if [ ! -e $policy ]; then
    printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy && made_policy=1
  fi
  echo "# apt-get install ${missing[*]}" >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || rc=$?
  [ -n "$made_policy" ] && rm -f $policy
  return $rc
}
