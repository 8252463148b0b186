#!/usr/bin/env bash
# A single-node Slurm on this machine for the Slurm tests: Debian's slurm-wlm with munge, slurmctld and slurmd,
# configured for localhost with proctrack/linuxproc and no cgroups.
#
#   slurm-single-node.sh up   HOLDER   install if missing, start what is not running, wait for the node to be idle
#   slurm-single-node.sh down HOLDER   stop the daemons this script started, once no live holder is left
#
# HOLDER is the process id of the test host using the cluster: test runs side by side (two worktrees) share one
# cluster, and the last one to leave stops it. A Slurm that this script did not start is used and never stopped.
# Exit codes: 0 ready, 3 cannot run here (not root, no apt, the package missing; the reason is on stderr),
# 1 anything else (the reason and the daemons' logs are on stderr).
set -uo pipefail

state=/run/harness-slurm
conf=/etc/slurm/slurm.conf
marker="# written by harness tests/Harness.Tests/Cluster/slurm-single-node.sh"
log=/var/log/harness-slurm

cannot() { echo "slurm-single-node: $*" >&2; exit 3; }
fail() {
  echo "slurm-single-node: $*" >&2
  for f in "$log"/slurmctld.log "$log"/slurmd.log; do
    [ -f "$f" ] && { echo "--- last lines of $f" >&2; tail -n 15 "$f" >&2; }
  done
  exit 1
}

action=${1:-}
holder=${2:-$PPID}
[ "$action" = up ] || [ "$action" = down ] || { echo "usage: $0 up|down [holder-pid]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || cannot "needs root to install and start Slurm (running as $(id -un))"

mkdir -p "$state/holders" "$log"
# One caller at a time: two test hosts starting together must not both install or both write the config. The
# daemons are started with this descriptor closed, or they would hold the lock for as long as they run.
exec 9>"$state/lock"
flock -w 600 9 || fail "another caller has held $state/lock for 10 minutes"

responding() { timeout 10 sinfo -h -o %T >/dev/null 2>&1; }
# pgrep also lists zombies, which a container's init may never reap.
pids_of() {
  for p in $(pgrep -x "$1"); do
    [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] || echo "$p"
  done
}
running() { [ -n "$(pids_of "$1")" ]; }
stop() {
  local pids
  pids=$(pids_of "$1")
  [ -n "$pids" ] || return 0
  kill $pids 2>/dev/null
  for _ in $(seq 40); do running "$1" || return 0; sleep 0.5; done
  kill -KILL $(pids_of "$1") 2>/dev/null
}
live_holders() {
  for f in "$state"/holders/*; do
    [ -e "$f" ] || continue
    if kill -0 "$(basename "$f")" 2>/dev/null; then echo "$f"; else rm -f "$f"; fi
  done
}

if [ "$action" = down ]; then
  rm -f "$state/holders/$holder"
  [ -n "$(live_holders)" ] && exit 0
  [ -f "$state/started" ] || exit 0
  if grep -qx slurmctld "$state/started" && responding; then
    # The cluster is this script's: end what still runs on it first, or its step daemons outlive slurmctld and hang
    # the next slurmd.
    ids=$(timeout 10 squeue -h -o %A 2>/dev/null | sort -u)
    [ -n "$ids" ] && timeout 20 scancel $ids >/dev/null 2>&1
    for _ in $(seq 120); do [ -z "$(timeout 10 squeue -h -t R,CG,S -o %A 2>/dev/null)" ] && break; sleep 0.5; done
    timeout 20 scontrol shutdown >/dev/null 2>&1
  fi
  for daemon in slurmd slurmctld munged; do
    grep -qx "$daemon" "$state/started" && stop "$daemon"
  done
  rm -f "$state/started"
  exit 0
fi

touch "$state/holders/$holder"
if responding; then
  exit 0 # a running Slurm, ours from another holder or the machine's own: use it as it is
fi

missing=()
for cmd in sbatch squeue sacct scontrol slurmctld slurmd munged; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || cannot "Slurm is not installed (${missing[*]} missing) and there is no apt-get to install it"
  echo "slurm-single-node: installing slurm-wlm and munge (missing: ${missing[*]})" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends slurm-wlm munge >"$log/apt.log" 2>&1; then
    apt-get update -qq >>"$log/apt.log" 2>&1 || cannot "apt-get update failed: $(tail -n 3 "$log/apt.log" | tr '\n' ' ')"
    apt-get install -y -qq --no-install-recommends slurm-wlm munge >>"$log/apt.log" 2>&1 \
      || cannot "apt-get install slurm-wlm munge failed: $(tail -n 3 "$log/apt.log" | tr '\n' ' ')"
  fi
fi

if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
  cannot "$conf exists and was not written by this script, but no Slurm answers; not touching a configuration someone else wrote"
fi

host=$(hostname -s)
# The node's real CPUs and memory, as slurmd measures them; slurmd refuses a node that claims more.
node=$(slurmd -C 2>/dev/null | head -n 1)
[ -n "$node" ] || fail "slurmd -C printed nothing"
cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$node")
memory=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$node")

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /run/slurm
cat >"$conf" <<EOF
$marker
# A single-node test cluster: no cgroups, no accounting database.
ClusterName=harness-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=$log/slurmctld.log
SlurmdLogFile=$log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
ReturnToService=2
JobRequeue=1
MinJobAge=600
KillWait=30
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
# proctrack/linuxproc and task/none need no cgroup; an old cgroup.conf asking for cgroup/v1 would stop slurmd.
if [ -f /etc/slurm/cgroup.conf ] && ! grep -qF "$marker" /etc/slurm/cgroup.conf; then
  mv /etc/slurm/cgroup.conf /etc/slurm/cgroup.conf.harness-moved
fi

# Nothing answers, and the configuration is this script's: whatever Slurm daemon is left (one that hung while
# stopping, a step daemon of a job the cleared controller no longer knows) is from an earlier run of it, so start afresh.
stop slurmd
stop slurmstepd
stop slurmctld
started=()
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  stop munged
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  if [ ! -s /etc/munge/munge.key ]; then
    if command -v mungekey >/dev/null; then mungekey --create --keyfile=/etc/munge/munge.key >/dev/null 2>&1
    else dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
  fi
  chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null
  chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key; chmod 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged >"$log/munged.out" 2>&1 9>&- || fail "munged did not start: $(cat "$log/munged.out")"
  started+=(munged)
  for _ in $(seq 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.25; done
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || fail "munge does not answer (munge -n | unmunge)"
fi

slurmctld -c >"$log/slurmctld.out" 2>&1 9>&- || fail "slurmctld did not start: $(cat "$log/slurmctld.out")"
started+=(slurmctld)
slurmd >"$log/slurmd.out" 2>&1 9>&- || fail "slurmd did not start: $(cat "$log/slurmd.out")"
started+=(slurmd)
printf '%s\n' "${started[@]}" >>"$state/started"

for _ in $(seq 120); do
  node_state=$(timeout 5 sinfo -h -n "$host" -o %T 2>/dev/null | head -n 1)
  case "$node_state" in
    idle|mixed|allocated) exit 0 ;;
    down*|drain*) timeout 5 scontrol update nodename="$host" state=resume >/dev/null 2>&1 ;;
  esac
  sleep 0.5
done
fail "node $host did not become idle within 60 s (sinfo: ${node_state:-no answer})"
