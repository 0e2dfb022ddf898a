#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for the tests of deploy/slurm (Debian 12's
# slurmctld, slurmd, slurm-client and munge; `.ci/run` installs them; must run as root).
#
#   scripts/env/slurm_local.sh start DIR   writes DIR/slurm.conf, starts the daemons, waits for the node
#   scripts/env/slurm_local.sh stop DIR    stops the daemons this script started (by their PID files)
#
# Clients need SLURM_CONF=DIR/slurm.conf. munge is shared: a munged already answering is used
# as it is (and left running); otherwise one is started and later stopped.
set -euo pipefail
command=${1:?usage: slurm_local.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: slurm_local.sh start|stop DIR}")
conf="$dir/slurm.conf"

stop_pidfile() {  # kills the process named in $1 and waits until it is gone (a zombie counts as gone)
  local file=$1 pid
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)
    [ "$state" = gone ] || [ "$state" = Z ] && break
    sleep 0.1
  done
  rm -f "$file"
}

case "$command" in
start)
  # The daemons must hold none of the caller's files: a program that started this script (a test
  # reading its output, say) would otherwise wait for them. Every descriptor above 2 is closed.
  for fd in $(ls /proc/$$/fd); do
    [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true
  done
  for tool in slurmctld slurmd sinfo munged; do
    command -v "$tool" >/dev/null || { echo "slurm_local: $tool not installed (apt-get install slurmctld slurmd slurm-client munge)" >&2; exit 2; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "slurm_local: must run as root (slurmd starts jobs as their user)" >&2; exit 2; }
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  host=$(hostname -s)
  memory=$(awk '/MemTotal/ { print int($2 / 1024 * 0.95) }' /proc/meminfo)
  cat > "$conf" <<CONF
ClusterName=facemirrortest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=$host CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  if ! (munge -n | unmunge) >/dev/null 2>&1; then
    # munged refuses to run as root, and expects its socket folder (systemd makes it elsewhere).
    mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
    # Its own output goes nowhere: a daemon holding the caller's pipes open would keep it waiting.
    runuser -u munge -- munged </dev/null >"$dir/log/munged.out" 2>&1
    for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
    cp /run/munge/munged.pid "$dir/munged.pid"
    (munge -n | unmunge) >/dev/null || { echo "slurm_local: munge does not answer" >&2; exit 1; }
  fi
  export SLURM_CONF="$conf"
  slurmctld -D -f "$conf" </dev/null >"$dir/log/slurmctld.out" 2>&1 &
  slurmd -D -f "$conf" </dev/null >"$dir/log/slurmd.out" 2>&1 &
  # sinfo blocks while slurmctld is not up: each try is bounded, and the whole wait too.
  for _ in $(seq 60); do
    if [ "$(timeout 3 sinfo -h -o %T 2>/dev/null | head -1)" = idle ]; then
      echo "slurm_local: node $host idle; export SLURM_CONF=$conf"
      exit 0
    fi
    sleep 0.5
  done
  echo "slurm_local: the node did not become idle; logs in $dir/log" >&2
  tail -5 "$dir/log/"*.log >&2 || true
  exit 1
  ;;
stop)
  stop_pidfile "$dir/slurmd.pid"
  stop_pidfile "$dir/slurmctld.pid"
  stop_pidfile "$dir/munged.pid"
  ;;
*)
  echo "usage: slurm_local.sh start|stop DIR" >&2
  exit 64
  ;;
esac
