#!/usr/bin/env bash
# The guided tour: a local master and three minions (web1, web2, db1) on 127.0.0.1, keys accepted, a few commands run.
# Leaves them running (stop with: ./build.sh demo --stop).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="$repo/artifacts/orch"
demo="$repo/.demo"
minions=(web1 web2 db1)

stop_all() {
  local stopped=0
  for pidfile in "$demo"/*/daemon.pid "$demo"/master/cache/cloud/*/minion.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      stopped=$((stopped + 1))
    fi
    rm -f "$pidfile"
  done
  # The demo's web role runs a service and an nginx instance per web minion; stop those too.
  for script in /etc/init.d/orch-demo-* "${minions[@]/#//etc/init.d/orch-nginx-}"; do
    [ -x "$script" ] && "$script" stop >/dev/null 2>&1 && stopped=$((stopped + 1))
  done
  echo "Stopped $stopped daemon(s) and service(s)."
}

if [ "${1:-}" = "--stop" ]; then
  stop_all
  exit 0
fi

stop_all >/dev/null
# A fresh tour each time: new keys, job cache and managed files.
rm -rf "$demo" /tmp/orch-demo
mkdir -p "$demo/master"
# The state tree in git, as operators keep it: a bare repository made from the repo's states/, served through gitfs.
command -v git >/dev/null || { apt-get install -y -q git >/dev/null 2>&1 || true; }
git_tree=""
if command -v git >/dev/null; then
  git init -q --bare -b master "$demo/states.git"
  git clone -q "$demo/states.git" "$demo/states-work" 2>/dev/null
  cp -r "$repo/states/." "$demo/states-work/"
  git -C "$demo/states-work" add -A
  git -C "$demo/states-work" -c user.name=demo -c user.email=demo@localhost commit -q -m "the demo's state tree"
  git -C "$demo/states-work" push -q origin HEAD:master
  git_tree="file://$demo/states.git"
fi
# The REST API and web console (salt-api's shapes, under /ui): one file eauth user with a fresh random password.
api_password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
(umask 077; printf '%s\n' "$api_password" >"$demo/master/api-password"
 printf 'admin:%s\n' "$(openssl passwd -6 "$api_password")" >"$demo/master/api.htpasswd")
cat > "$demo/master/master" <<YAML
interface: 127.0.0.1
publish_port: 4605
ret_port: 4606
pki_dir: $demo/master/pki
cachedir: $demo/master/cache
sock_dir: $demo/master/sock
log_file: $demo/master/master.log
log_level: warning
log_level_logfile: debug
timeout: 10
file_roots:
  base:
    - $repo/states
# gitfs first (the bare repository above), then the directory: minions get salt:// from git.
fileserver_backend: [${git_tree:+gitfs, }roots]
${git_tree:+gitfs_remotes: [$git_tree]}
pillar_roots:
  base:
    - $repo/pillars
nodegroups:
  webservers: 'G@roles:web'
# Auto-healing: the service beacon of a web minion (pillars/web.sls) reports its nginx down; the reactor restarts it.
reactor:
  - 'salt/beacon/*/service/orch-nginx-*':
    - $repo/reactor/heal-nginx.sls
  # Provisioning: a node salt-cloud made configures itself and joins the load balancer; a destroyed one leaves it.
  - 'salt/cloud/*/created':
    - $repo/reactor/cloud-provisioned.sls
  - 'salt/cloud/*/destroyed':
    - $repo/reactor/cloud-destroyed.sls
# REST API and web console on loopback (plain HTTP is allowed only there), for the file eauth user admin.
rest_api:
  host: 127.0.0.1
  port: 8000
  disable_ssl: true
external_auth:
  file:
    ^filename: $demo/master/api.htpasswd
    ^filetype: htpasswd
    admin: ['.*', '@runner', '@wheel', '@jobs']
# orch cloud -p web web3: a new orch-minion process on this host, its key accepted before it starts.
cloud_providers:
  demo-local:
    driver: local
cloud_profiles:
  web:
    provider: demo-local
    minion:
      grains:
        roles: [web]
YAML
for id in "${minions[@]}"; do
  role=web; [ "$id" = db1 ] && role='db, lb'   # db1 doubles as the load balancer (states/lb, from the mine)
  mkdir -p "$demo/$id"
  cat > "$demo/$id/minion" <<YAML
id: $id
master: 127.0.0.1
master_port: 4606
publish_port: 4605
pki_dir: $demo/$id/pki
cachedir: $demo/$id/cache
sock_dir: $demo/$id/sock
log_file: $demo/$id/minion.log
log_level: warning
log_level_logfile: debug
acceptance_wait_time: 1
heartbeat_interval: 5
grains:
  roles: [$role]
YAML
done

start() { # name binary
  nohup "$bin/$2" -c "$demo/$1" >"$demo/$1/stdout.log" 2>&1 &
  echo $! >"$demo/$1/daemon.pid"
}

export ORCH_CONFIG_DIR="$demo/master"
orch() { "$bin/orch" "$@"; }
show() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 150); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "demo: timed out waiting for $what (logs in $demo)" >&2; exit 1
}

start master orch-master
wait_for "the master's socket" test -S "$demo/master/sock/master.ipc"
for id in "${minions[@]}"; do start "$id" orch-minion; done
pending() { [ "$(orch key -l pending | grep -cE '^(web1|web2|db1)$')" = 3 ]; }
wait_for "three pending keys" pending

show orch key -L; orch key -L
show orch key -A -y; orch key -A -y
all_up() { [ "$(orch --out txt '*' test.ping 2>/dev/null | grep -c ': True')" = 3 ]; }
wait_for "three minions to answer" all_up

show "orch '*' test.ping"; orch '*' test.ping
show "orch 'web*' cmd.run 'uname -a'"; orch 'web*' cmd.run 'uname -a'
show "orch -G 'roles:db' grains.item os roles"; orch -G 'roles:db' grains.item os roles
show "orch -N webservers test.version"; orch -N webservers test.version
show "orch --async '*' test.echo 'hello from the tour'"
jid=$(orch --async '*' test.echo 'hello from the tour' | awk '{print $NF}')
echo "Executed command with job ID: $jid"
sleep 1
show "orch run jobs.lookup_jid $jid"; orch run jobs.lookup_jid "$jid"
show "orch run manage.status"; orch run manage.status

# The same from another program, through the REST API as salt-api clients (pepper, scripts) use it.
api=http://127.0.0.1:8000
show "curl -s $api/login -H 'Content-Type: application/json' -d '{\"username\": \"admin\", \"password\": \"...\", \"eauth\": \"file\"}'"
token=$(curl -sf "$api/login" -H 'Content-Type: application/json' \
  -d "{\"username\": \"admin\", \"password\": \"$api_password\", \"eauth\": \"file\"}" | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
echo "token: ${token:0:8}..."
show "curl -s $api/ -H 'X-Auth-Token: ...' -d client=local -d tgt='web*' -d fun=test.ping"
curl -sf "$api/" -H "X-Auth-Token: $token" -d client=local -d tgt='web*' -d fun=test.ping; echo

# States: the repo's states/ and pillars/ (see states/top.sls). The first run changes things, the second changes nothing.
show "orch db1 pillar.get db:max_connections"; orch db1 pillar.get db:max_connections
mined() { [ "$(orch --out json db1 mine.get 'web*' internal_ip 2>/dev/null | grep -cE '"web[12]"')" = 2 ]; }
wait_for "the web minions' mine data" mined
show "orch --state-verbose=False '*' state.apply"; orch -t 60 --state-verbose=False '*' state.apply
show "cat /tmp/orch-demo/web1/web/site.conf"; cat /tmp/orch-demo/web1/web/site.conf
# Each web minion now runs its own service (web1 on 8081, web2 on 8082); service.running returns once it is started,
# which can be before it listens.
serving() { curl -sf -o /dev/null http://127.0.0.1:8081/; }
wait_for "web1's service on port 8081" serving
show "orch web1 cmd.run 'curl -s http://127.0.0.1:8081/'"; orch web1 cmd.run 'curl -s http://127.0.0.1:8081/'
show "orch web2 service.status orch-demo-web2"; orch web2 service.status orch-demo-web2
# And its own nginx instance (states/nginx: web1 on 8181, web2 on 8182), when this host has nginx.
if [ -x /opt/orchestrator/nginx/usr/sbin/nginx ]; then
  show "curl -s http://127.0.0.1:8181/"; curl -s http://127.0.0.1:8181/
  show "orch web1 service.status orch-nginx-web1"; orch web1 service.status orch-nginx-web1
fi
# The mine: web minions send internal_ip (pillars/web.sls) at start-up; db1's states/lb rendered its backends from it.
show "orch db1 mine.get 'web*' internal_ip"; orch db1 mine.get 'web*' internal_ip
show "cat /tmp/orch-demo/db1/lb/backends.cfg"; cat /tmp/orch-demo/db1/lb/backends.cfg
show "orch --state-output=terse '*' state.apply    # second run: nothing to change"
orch -t 60 --state-output=terse '*' state.apply

# The state tree is in git (gitfs): commit a change, update the master's file server, apply it.
if [ -n "$git_tree" ]; then
  sed -i 's/is managed by Orchestrator\./is managed by Orchestrator, from git./' "$demo/states-work/common/init.sls"
  show "git commit -am 'motd: say where it comes from' && git push    # in $demo/states-work"
  git -C "$demo/states-work" -c user.name=demo -c user.email=demo@localhost commit -q -am "motd: say where it comes from"
  git -C "$demo/states-work" push -q origin HEAD:master
  show "orch run fileserver.update"; orch run fileserver.update
  show "orch --state-output=changes web1 state.apply common"; orch -t 60 --state-output=changes web1 state.apply common
  show "cat /tmp/orch-demo/web1/motd"; cat /tmp/orch-demo/web1/motd
fi

# Orchestration (states/orch/deploy.sls), run on the master: db1 first, then the web minions one at a time, then an HTTP
# check of each web site. A failed step stops the steps after it, and the command exits non-zero.
show "orch run state.orchestrate orch.deploy test=True    # what it would do"
orch run state.orchestrate orch.deploy test=True
show "orch run state.orchestrate orch.deploy --state-output=terse"
orch run state.orchestrate orch.deploy --state-output=terse

# Provisioning: a new web node. Its key is accepted before it starts; salt/cloud/web3/created runs, through the reactor,
# states/orch/provisioned.sls: web3's highstate, its mine data, then db1's load balancer backends from the mine.
backends=/tmp/orch-demo/db1/lb/backends.cfg
show "orch cloud -p web web3"; orch cloud -p web web3
listed() { grep -q 'server web3' "$backends" 2>/dev/null; }
wait_for "db1's backends to list web3" listed
show "cat $backends    # web3 joined"; cat "$backends"
show "orch web3 test.ping"; orch web3 test.ping
show "orch cloud -d web3 -y"; orch cloud -d web3 -y
unlisted() { ! grep -q 'server web3' "$backends" 2>/dev/null; }
wait_for "db1's backends to drop web3" unlisted
show "cat $backends    # web3 left"; cat "$backends"

# Auto-healing: kill web1's nginx master with SIGKILL; its service beacon reports it down, the reactor on the master
# restarts it on web1 (reactor/heal-nginx.sls); time it from the kill to a new master serving the page.
heal() {
  local pidfile=/tmp/orch-demo/web1/nginx/run/nginx.pid url=http://127.0.0.1:8181/ old start now elapsed events
  printf '\n\033[1m# Auto-healing: SIGKILL web1'"'"'s nginx master, the beacon and the reactor bring it back\033[0m\n'
  old=$(cat "$pidfile")
  events="$demo/heal-events.txt"
  # Watch the bus first (Salt's salt-run state.event): the beacon's two events (down, then up) and the reactor's job.
  orch run state.event 'salt/beacon/web1/service/*' count=2 >"$events" 2>&1 &
  local watcher=$!
  orch run state.event 'salt/job/*/new' count=1 >"$demo/heal-job.txt" 2>&1 &
  local job_watcher=$!
  sleep 1
  show "kill -KILL $old    # web1's nginx master"
  start=$(date +%s%N)
  kill -KILL "$old"
  # nginx's workers outlive their master and keep answering for a moment, so healthy means: a new master (not the
  # killed one) is running and the page answers.
  healthy() { local pid; pid=$(cat "$pidfile" 2>/dev/null) && [ "$pid" != "$old" ] && /etc/init.d/orch-nginx-web1 status >/dev/null && curl -sf -o /dev/null "$url"; }
  for _ in $(seq 600); do healthy && break; sleep 0.05; done
  now=$(date +%s%N)
  if ! healthy; then
    echo "demo: web1's nginx did not come back within 30 s (logs in $demo, /tmp/orch-demo/web1/nginx/logs)" >&2
    kill "$watcher" "$job_watcher" 2>/dev/null
    exit 1
  fi
  elapsed=$(( (now - start) / 1000000 ))
  echo "web1's nginx is back: new master pid $(cat "$pidfile"), page answering, ${elapsed} ms after the kill."
  show "curl -s $url"; curl -s "$url"
  for _ in $(seq 100); do kill -0 "$watcher" 2>/dev/null || kill -0 "$job_watcher" 2>/dev/null || break; sleep 0.1; done
  kill "$watcher" "$job_watcher" 2>/dev/null || true
  show "orch run state.event 'salt/beacon/web1/service/*' count=2    # what the beacon fired, watched from the start"
  cat "$events"
  local jid
  jid=$(awk -F'/' 'NR == 1 {print $3}' "$demo/heal-job.txt")
  if [ -n "$jid" ]; then
    show "orch run state.event 'salt/job/*/new' count=1    # the job the reactor published"
    cat "$demo/heal-job.txt"
    show "orch run jobs.lookup_jid $jid    # its return, from the job cache"; orch run jobs.lookup_jid "$jid"
  fi
}
if [ -x /opt/orchestrator/nginx/usr/sbin/nginx ]; then
  heal
else
  printf '\n# Auto-healing: skipped, nginx is not installed here (scripts/install-nginx.sh could not install it).\n'
fi

cat <<TXT

The master and minions web1, web2 and db1 are still running (logs under .demo/).
Try it yourself:

  export ORCH_CONFIG_DIR=$demo/master PATH=$bin:\$PATH
  orch '*' test.ping
  orch -C 'G@roles:web and not web2' cmd.run 'uptime'
  orch run jobs.list_jobs
  orch run state.orchestrate orch.deploy
  orch run state.event pretty=True       # the master's event bus, live (Ctrl-C ends it)
  kill -KILL \$(cat /tmp/orch-demo/web2/nginx/run/nginx.pid)   # and watch the reactor heal web2's nginx

The web console: http://127.0.0.1:8000/ui/  (user admin, eauth file, password in $demo/master/api-password)

Stop everything with: ./build.sh demo --stop
TXT
