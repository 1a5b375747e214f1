#!/bin/bash
# Slurm test (docs/hpc.md): starts a private one-node Slurm cluster on localhost (Debian's
# slurm-wlm and munge), submits scripts/slurm/attachsim.sbatch (2 MPI ranks x 1 thread; once
# with srun --mpi=pmix, its default, once with its mpirun alternative) and
# scripts/slurm/attachsim-array.sbatch (4 array tasks), waits for them and checks their output:
# job state COMPLETED with exit code 0:0, 2 processes, the HDF5 files' arms, dyads and seeds.
#
# Usage: tests/slurm/slurm_test.sh ATTACHSIM_BINARY
#
#   ATTACHSIM_BINARY  attachsim of the MPI build (preset mpi: build/mpi/apps/attachsim)
#   KEEP=1            keep the temporary directory (configuration, logs, job output) afterwards
#   TIMEOUT=300       seconds to wait for each job
#
# Exit status: 0 passed, 1 failed, 2 usage error, 77 skipped (not root; slurmctld, slurmd or
# munged missing: apt-get install slurm-wlm munge; or a machine whose cgroups slurmd cannot use,
# e.g. a chroot without /sys/fs/cgroup). Everything the cluster needs lives in one
# temporary directory: configuration, munge key and socket, state, spool, logs, pid files; the
# daemons listen on random free ports of 127.0.0.1 only, so the test neither needs nor touches
# a system Slurm or munge. The daemons are stopped and the directory removed on exit.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
sbatch_script=$repo/scripts/slurm/attachsim.sbatch
array_script=$repo/scripts/slurm/attachsim-array.sbatch

DYADS=200
MONTHS=3
ARRAY_DYADS=50
BASE_SEED=4100
TIMEOUT=${TIMEOUT:-300}

log() { printf '[slurm_test %(%H:%M:%S)T] %s\n' -1 "$*"; }
fail() { log "FAIL: $*"; exit 1; }
skip() { log "SKIP: $*"; exit 77; }

if [ $# -ne 1 ]; then
    echo "usage: $0 ATTACHSIM_BINARY" >&2
    exit 2
fi
binary=$1
case $binary in /*) ;; *) binary=$(pwd)/$binary ;; esac
[ -x "$binary" ] || { echo "$0: $binary is not an executable" >&2; exit 2; }

[ "$(id -u)" = 0 ] || skip "needs root (the daemons run as root, SlurmUser=root, and so do the jobs)"
PATH=$PATH:/usr/sbin:/sbin
for tool in slurmctld slurmd munged; do
    command -v "$tool" > /dev/null || skip "$tool not found (apt-get install slurm-wlm munge)"
done
for tool in sbatch squeue scontrol sinfo scancel munge unmunge; do
    command -v "$tool" > /dev/null || fail "$tool not found although slurmctld, slurmd and munged are"
done

started=$(date +%s)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/attachsim-slurm.XXXXXX") || fail "mktemp"
# Others may pass through (munged wants every directory above its socket searchable), not list.
chmod 0711 "$tmp"
mkdir -p "$tmp"/{etc,munge,munge-socket,state,spool/slurmd,jobtmp,log,run,work}
conf=$tmp/etc/slurm.conf
node=$(hostname -s)
pids=()
jobs_submitted=()

# stepds: the ids of the slurmstepd processes of this cluster.
# shellcheck disable=SC2317  # (called by cleanup)
stepds() {
    local dir
    for dir in /proc/[0-9]*; do
        [ "$(cat "$dir/comm" 2> /dev/null)" = slurmstepd ] &&
            tr '\0' '\n' 2> /dev/null < "$dir/environ" | grep -q -x -F "SLURM_CONF=$conf" &&
            echo "${dir#/proc/}"
    done
}

# shellcheck disable=SC2317  # (called by the EXIT trap)
cleanup() {
    local rc=$? i pid
    trap - EXIT INT TERM
    if [ ${#jobs_submitted[@]} -gt 0 ]; then
        # Stop leftover jobs first: their slurmstepd processes are not children of slurmd.
        scancel "${jobs_submitted[@]}" 2> /dev/null
        for _ in $(seq 20); do
            [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break
            sleep 1
        done
    fi
    # A slurmstepd outlives its job by a moment; slurmd daemonizes it, so it is not slurmd's
    # child. Wait for those of this cluster (they inherit SLURM_CONF from slurmd) to exit.
    for _ in $(seq 50); do
        [ -z "$(stepds)" ] && break
        sleep 0.2
    done
    for pid in $(stepds); do
        log "killing slurmstepd $pid, still running"
        kill -KILL "$pid" 2> /dev/null
    done
    # Stop slurmd, slurmctld and munged (started in the foreground, so these ids are theirs).
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2> /dev/null
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2> /dev/null
        wait "$pid" 2> /dev/null
    done
    if [ "$rc" != 0 ]; then
        for f in "$tmp"/log/*.log; do
            [ -s "$f" ] || continue
            echo "----- last lines of $f"
            tail -n 25 "$f"
        done
    fi
    if [ "${KEEP:-0}" = 1 ]; then
        log "kept $tmp"
    else
        rm -rf "$tmp"
    fi
    if [ "$rc" = 0 ]; then
        log "PASSED in $(( $(date +%s) - started )) s"
    elif [ "$rc" = 77 ]; then
        log "SKIPPED after $(( $(date +%s) - started )) s"
    else
        log "FAILED (exit $rc) after $(( $(date +%s) - started )) s"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "attachsim binary: $binary"
log "temporary directory: $tmp"

# --- Two free TCP ports on 127.0.0.1 (slurmctld, slurmd) -----------------------------------------
# Below the kernel's ephemeral port range (32768 and up by default), so that no outgoing
# connection holds them; a port where nothing answers counts as free.
port_free() { ! (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null)
[ "${low:-0}" -gt 12000 ] 2> /dev/null || low=32768
ctld_port='' slurmd_port=''
for _ in $(seq 50); do
    p=$(( 10000 + RANDOM % (low - 10002) ))
    if port_free "$p" && port_free $((p + 1)); then
        ctld_port=$p slurmd_port=$((p + 1))
        break
    fi
done
[ -n "$ctld_port" ] || fail "no free pair of ports found"
log "ports: slurmctld $ctld_port, slurmd $slurmd_port"

# --- munge: its own key, socket, pid, log and seed files -----------------------------------------
# The key in a private directory, the socket in one that others may enter (munged warns else).
munge_socket=$tmp/munge-socket/munge.socket
if command -v mungekey > /dev/null; then
    mungekey --create --keyfile="$tmp/munge/munge.key" || fail "mungekey"
else
    dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1 count=1024 status=none || fail "dd"
fi
chmod 0700 "$tmp/munge"
chmod 0755 "$tmp/munge-socket"
chmod 0400 "$tmp/munge/munge.key"
# --force: munged checks the permissions of the directories above its files and would refuse,
# e.g., a group-writable TMPDIR; the directories it uses here are root's and not writable by others.
munged --foreground --force --socket="$munge_socket" --key-file="$tmp/munge/munge.key" \
    --pid-file="$tmp/run/munged.pid" --log-file="$tmp/log/munged.log" \
    --seed-file="$tmp/munge/munged.seed" > "$tmp/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
    munge -S "$munge_socket" -n 2> /dev/null | unmunge -S "$munge_socket" > /dev/null 2>&1 && break
    kill -0 "${pids[-1]}" 2> /dev/null || { cat "$tmp/log/munged.out"; fail "munged exited"; }
    sleep 0.2
done
munge -S "$munge_socket" -n | unmunge -S "$munge_socket" > /dev/null || fail "no munge round trip"
log "munged up (socket $munge_socket)"

# --- slurm.conf, cgroup.conf, plugstack.conf -----------------------------------------------------
# The MPI job needs 2 CPUs: a one-CPU machine (or CPU set) is declared to have 2, and
# SlurmdParameters=config_overrides makes slurmd report the configured CPUs, not the hardware's.
cpus=$(nproc)
[ "$cpus" -ge 2 ] || cpus=2
# A little below the node's memory: slurmd drains a node that has less than its RealMemory.
mem_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 9 / 10240 ))
cat > "$conf" << EOF
# Private one-node cluster of tests/slurm/slurm_test.sh
ClusterName=attachsimtest
# The controller and the node are this host, reached at 127.0.0.1 whatever its name resolves to.
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool/slurmd
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# Not /etc/slurm/plugstack.conf (SPANK plugins of the host).
PlugStackConfig=$tmp/etc/plugstack.conf
# Job temporary files, among them the PMIx server's of srun --mpi=pmix.
TmpFS=$tmp/jobtmp
# No cgroups: processes are tracked through /proc, tasks are not bound to CPUs.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# A node that registers with a valid configuration is up, even if it was down before.
ReturnToService=2
# Without accounting, scontrol is the only record of finished jobs: keep them for an hour.
MinJobAge=3600
MailProg=/bin/true
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
# Slurm 22.05's slurmd loads a cgroup plugin even with proctrack/linuxproc and task/none, though
# nothing is constrained. It reads cgroup.conf next to slurm.conf, so this file, not a system
# one, applies: the plugin matching the host (cgroup/v1 or v2), and on cgroup v2 no asking
# systemd over D-Bus for a scope (containers and CI runners have no systemd).
cat > "$tmp/etc/cgroup.conf" << EOF
CgroupPlugin=autodetect
IgnoreSystemd=yes
EOF
: > "$tmp/etc/plugstack.conf"
# Forget any Slurm settings of the caller (e.g. when this test itself runs inside a Slurm job):
# they would steer sbatch and srun, and the jobs would inherit them.
while read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN)_')
export SLURM_CONF=$conf
# The jobs inherit this (sbatch's default --export=ALL): OpenMPI ranks that wait yield the CPU
# instead of spinning. On a test machine the ranks may share cores with each other (the 2 CPUs
# of a one-CPU machine) or with other work, and spinning ranks then slow each other down
# tenfold; mpirun --oversubscribe does the same outside Slurm.
export OMPI_MCA_mpi_yield_when_idle=1

# --- slurmctld and slurmd (in the foreground, so that their ids are ours) ------------------------
# -i: ignore the missing state files of a first start.
slurmctld -D -i -f "$conf" > "$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    scontrol ping 2> /dev/null | grep -q 'is UP' && break
    kill -0 "${pids[-1]}" 2> /dev/null || { cat "$tmp/log/slurmctld.out"; fail "slurmctld exited"; }
    sleep 0.2
done
scontrol ping | grep -q 'is UP' || fail "slurmctld does not answer"
log "slurmctld up"

slurmd -D -f "$conf" -N "$node" > "$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
state=
# slurmd_exited: slurmd stopped during start-up. When its cgroup plugin cannot start (no cgroup
# file system mounted, as in a bare chroot; or a mix of cgroup v1 and v2, which Slurm 22.05
# refuses), the machine cannot run Slurm 22.05 at all: that is skipped, saying why, rather than
# failed. Any other reason is a failure.
slurmd_exited() {
    cat "$tmp/log/slurmd.out"
    local why
    why=$(grep -h -E 'cgroup|Hybrid mode' "$tmp/log/slurmd.log" "$tmp/log/slurmd.out" 2> /dev/null |
          head -n 3)
    if grep -q -E 'Unable to initialize cgroup plugin|Hybrid mode is not supported|No filesystem mounted on /sys/fs/cgroup' \
        <<< "$why"; then
        skip "slurmd cannot start on this machine (its cgroup plugin fails: $(tr '\n' ' ' <<< "$why"))"
    fi
    fail "slurmd exited"
}
for i in $(seq 120); do
    kill -0 "${pids[-1]}" 2> /dev/null || slurmd_exited
    state=$(sinfo -h -N -n "$node" -o %T 2> /dev/null | head -n 1)
    case $state in
        idle) break ;;
        down*|drain*|fail*)
            # ReturnToService=2 brings it up once slurmd registers; nudge it if that is not enough.
            [ $((i % 10)) = 0 ] && scontrol update nodename="$node" state=resume 2> /dev/null ;;
    esac
    sleep 0.5
done
[ "$state" = idle ] || { scontrol show node "$node"; fail "node $node is '$state', not idle"; }
log "slurmd up, node $node idle ($cpus CPUs)"

# --- Helpers -------------------------------------------------------------------------------------
# wait_job ID: waits until job ID (every task of an array) has ended; prints a line
# "JOBID[_TASK] STATE EXITCODE" for each. Fails after TIMEOUT seconds.
wait_job() {
    local id=$1 deadline=$(( $(date +%s) + TIMEOUT )) lines
    while :; do
        lines=$(scontrol -o show job "$id" 2> /dev/null |
            awk '{ id = ""; st = ""; ec = ""; tk = "";
                   for (i = 1; i <= NF; i++) {
                       if ($i ~ /^JobId=/) id = substr($i, 7);
                       if ($i ~ /^ArrayTaskId=/) tk = substr($i, 13);
                       if ($i ~ /^JobState=/) st = substr($i, 10);
                       if ($i ~ /^ExitCode=/) ec = substr($i, 10) }
                   print id (tk == "" ? "" : "_" tk), st, ec }')
        [ -n "$lines" ] || { log "job $id unknown to slurmctld" >&2; return 1; }
        if ! grep -q -E ' (PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED|REQUEUED|RESIZING|SIGNALING|STAGE_OUT) ' <<< "$lines"; then
            echo "$lines"
            return 0
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            log "job $id not finished after $TIMEOUT s:" >&2
            scontrol show job "$id" >&2
            return 1
        fi
        sleep 1
    done
}

# The arms of scenario first-look, from attachsim's own resolved configuration.
arms=$("$binary" run first-look --dyads "$DYADS" --months "$MONTHS" --print-config |
    awk '/^\[\[arm\]\]/ { getline; if ($1 == "name") { gsub(/"/, "", $3); print $3 } }' |
    sort | tr '\n' ' ')
[ -n "$arms" ] || fail "could not read the arms of scenario first-look"

# check_h5 FILE DYADS SEED: /scenarios holds exactly the expected arms, each with n_dyads = DYADS
# and DYADS rows of metrics (and seed = SEED unless SEED is -).
check_h5() {
    local file=$1 dyads=$2 seed=$3 arm got
    [ -s "$file" ] || { log "$file missing or empty"; return 1; }
    if /usr/bin/python3 -c 'import h5py' 2> /dev/null; then
        /usr/bin/python3 - "$file" "$dyads" "$seed" "$arms" << 'EOF'
import sys
import h5py
path, dyads, seed, arms = sys.argv[1], int(sys.argv[2]), sys.argv[3], sorted(sys.argv[4].split())
with h5py.File(path, "r") as f:
    got = sorted(f["scenarios"].keys())
    if got != arms:
        sys.exit(f"{path}: /scenarios holds {got}, expected {arms}")
    for arm in arms:
        attrs = f["scenarios"][arm].attrs
        if int(attrs["n_dyads"]) != dyads:
            sys.exit(f"{path}: {arm} n_dyads = {attrs['n_dyads']}, expected {dyads}")
        if seed != "-" and int(attrs["seed"]) != int(seed):
            sys.exit(f"{path}: {arm} seed = {attrs['seed']}, expected {seed}")
        rows = f["scenarios"][arm]["metrics"]["trust"].shape[0]
        if rows != dyads:
            sys.exit(f"{path}: {arm} metrics/trust has {rows} rows, expected {dyads}")
EOF
    else
        # Without h5py: the groups with h5ls, the attributes with h5dump.
        got=$(h5ls "$file/scenarios" | awk '$2 == "Group" {print $1}' | sort | tr '\n' ' ')
        [ "$got" = "$arms" ] || { log "$file: /scenarios holds '$got', expected '$arms'"; return 1; }
        for arm in $arms; do
            h5dump -a "/scenarios/$arm/n_dyads" "$file" | grep -q -E "^ *\(0\): $dyads\$" ||
                { log "$file: $arm n_dyads is not $dyads"; return 1; }
            [ "$seed" = - ] || h5dump -a "/scenarios/$arm/seed" "$file" | grep -q -E "^ *\(0\): $seed\$" ||
                { log "$file: $arm seed is not $seed"; return 1; }
        done
    fi
}

# --- 1. The MPI job: 2 ranks x 1 thread, started by srun (the default) and by mpirun -----------
# mpi_job LAUNCHER: submits attachsim.sbatch with MPI_LAUNCHER=LAUNCHER and checks the job.
mpi_job() {
    local launcher=$1 h5=$tmp/work/mpi-$1.h5 job result out jstate jexit
    log "submitting $sbatch_script (MPI_LAUNCHER=$launcher, 2 ranks x 1 thread," \
        "$DYADS dyads, $MONTHS months)"
    job=$(ATTACHSIM="$binary" ATTACHSIM_ARGS="--dyads $DYADS --months $MONTHS" OUTPUT="$h5" \
          MPI_LAUNCHER=$launcher sbatch --parsable --chdir="$tmp/work" "$sbatch_script") ||
        fail "sbatch $sbatch_script"
    job=${job%%;*}
    jobs_submitted+=("$job")
    log "job $job submitted, waiting (at most $TIMEOUT s)"
    result=$(wait_job "$job") || fail "job $job did not finish"
    out=$tmp/work/attachsim-$job.out
    read -r _ jstate jexit <<< "$result"
    log "job $job: $jstate, exit code $jexit; its output begins:"
    [ -f "$out" ] && head -n 2 "$out"
    { [ "$jstate" = COMPLETED ] && [ "$jexit" = 0:0 ]; } ||
        { [ -f "$out" ] && cat "$out"; fail "job $job: expected COMPLETED with exit code 0:0"; }
    grep -q "^attachsim job $job on $node: $launcher," "$out" ||
        { cat "$out"; fail "job $job did not start its ranks with $launcher"; }
    grep -q 'on 2 processes x 1 thread(s)' "$out" ||
        { cat "$out"; fail "job $job did not run on 2 processes x 1 thread"; }
    check_h5 "$h5" "$DYADS" - || fail "job $job: $h5 is not as expected"
    log "job $job: ran on 2 processes; $(basename "$h5") holds arms $arms(n_dyads $DYADS)"
}
mpi_job srun
mpi_job mpirun

# --- 2. The job array: 4 single-process tasks, one seed each -------------------------------------
log "submitting $array_script (array 0-3, $ARRAY_DYADS dyads, 1 month, seeds $BASE_SEED + task)"
ajob=$(ATTACHSIM="$binary" ATTACHSIM_ARGS="--dyads $ARRAY_DYADS --months 1" BASE_SEED=$BASE_SEED \
       OUTPUT_PREFIX="$tmp/work/array-" sbatch --parsable --chdir="$tmp/work" "$array_script") ||
    fail "sbatch $array_script"
ajob=${ajob%%;*}
jobs_submitted+=("$ajob")
log "array job $ajob submitted, waiting (at most $TIMEOUT s)"
result=$(wait_job "$ajob") || fail "array job $ajob did not finish"
echo "$result"
n=0
while read -r tid tstate texit; do
    task=${tid##*_}
    { [ "$tstate" = COMPLETED ] && [ "$texit" = 0:0 ]; } ||
        { cat "$tmp/work/attachsim-array-${ajob}_$task.out" 2> /dev/null
          fail "array task $tid: state $tstate, exit code $texit (expected COMPLETED 0:0)"; }
    n=$((n + 1))
done <<< "$result"
[ "$n" = 4 ] || fail "array job $ajob has $n tasks, expected 4"
for task in 0 1 2 3; do
    check_h5 "$tmp/work/array-$task.h5" "$ARRAY_DYADS" $((BASE_SEED + task)) ||
        fail "array task $task: $tmp/work/array-$task.h5 is not as expected"
done
log "array job $ajob: 4 tasks COMPLETED 0:0; array-{0..3}.h5 with seeds $BASE_SEED..$((BASE_SEED + 3))"

exit 0
