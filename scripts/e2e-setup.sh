#!/usr/bin/env bash
# Prepares this machine for the end-to-end tests (npm run test:e2e):
# QEMU user emulation registered with binfmt_misc, a private Docker daemon
# and an image registry on loopback, and one small base image per platform.
#
# Needs Debian 12 on amd64, run as root, with only Debian's package mirror
# reachable. Nothing is pulled from an image registry: the daemon sends its
# registry requests to a closed loopback port, so an accidental pull fails
# at once instead of leaving the machine.
#
# Usage:
#   scripts/e2e-setup.sh           set up, or reuse what is already running;
#                                  exit status 2 when this machine cannot
#                                  run it (not root, not Debian, no
#                                  binfmt_misc), with the reason
#   scripts/e2e-setup.sh --status  exit 0 when the daemon and registry run
#   scripts/e2e-setup.sh --stop    stop the daemon and registry it started
#
# Environment:
#   GEN_CI_E2E_STATE          state folder (default /tmp/gen-ci-e2e)
#   GEN_CI_E2E_REGISTRY_PORT  registry port on 127.0.0.1 (default 5000)
#
# Running it again is safe: each step checks its result first. The daemon
# and the registry are stopped only by the process ids that this script
# recorded in the state folder.
set -euo pipefail

STATE_DIR=${GEN_CI_E2E_STATE:-/tmp/gen-ci-e2e}
REGISTRY_PORT=${GEN_CI_E2E_REGISTRY_PORT:-5000}
REGISTRY_ADDR="127.0.0.1:$REGISTRY_PORT"
DOCKER_SOCKET="$STATE_DIR/docker.sock"
# Debian's 20.10 client: with DOCKER_BUILDKIT=1 it uses the daemon's built-in
# BuildKit, which `docker build --platform` needs. Newer clients want buildx,
# which Debian 12 does not package.
DOCKER=/usr/bin/docker
BINFMT_DIR=/proc/sys/fs/binfmt_misc

# gitlab-ci-local, which runs the GitLab jobs, copies the work tree with
# git and rsync.
PACKAGES=(qemu-user-static binfmt-support docker.io docker-registry git rsync)
# binfmt_misc handlers from qemu-user-static that the tests use.
QEMU_HANDLERS=(qemu-ppc64le qemu-s390x qemu-aarch64 qemu-arm)
# Base images: "<Debian architecture> <Docker platform> <tag>". The tag is
# gen-ci's architecture slug.
BASE_IMAGES=(
  "amd64 linux/amd64 amd64"
  "ppc64el linux/ppc64le ppc64le"
  "s390x linux/s390x s390x"
  "arm64 linux/arm64 arm64"
  "armhf linux/arm/v7 armv7"
)
BASE_REPOSITORY=gen-ci-e2e/base

START_SECONDS=$SECONDS

log() {
  printf '[e2e-setup %3ss] %s\n' "$((SECONDS - START_SECONDS))" "$*"
}

fail() {
  printf 'e2e-setup: %s\n' "$*" >&2
  exit 1
}

# --- checks ---------------------------------------------------------------

unsupported() {
  printf 'e2e-setup: not supported here: %s\n' "$1" >&2
  exit 2
}

# Exits with status 2 and the reason when this machine cannot run the set-up.
require_supported_machine() {
  local reason=''
  if [ "$(id -u)" != 0 ]; then
    reason='it must run as root (it installs packages and registers binfmt_misc handlers)'
  elif [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null; then
    reason='it needs Debian with apt-get'
  elif [ "$(dpkg --print-architecture)" != amd64 ]; then
    reason='it needs an amd64 host'
  fi
  if [ -n "$reason" ]; then
    unsupported "$reason"
  fi
}

# --- process bookkeeping --------------------------------------------------

# Prints the recorded process id of a service when that process still runs
# the expected program. A stale file, or a reused id, prints nothing.
recorded_pid() {
  local name=$1 program=$2 pid
  [ -s "$STATE_DIR/$name.pid" ] || return 0
  pid=$(cat "$STATE_DIR/$name.pid")
  [ -r "/proc/$pid/cmdline" ] || return 0
  if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$program"; then
    printf '%s\n' "$pid"
  fi
}

docker_responds() {
  DOCKER_HOST="unix://$DOCKER_SOCKET" "$DOCKER" version >/dev/null 2>&1
}

registry_responds() {
  curl -sf --max-time 2 "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1
}

# Waits up to $2 seconds for the check command $1 to succeed.
wait_for() {
  local check=$1 seconds=$2 tries
  for ((tries = seconds * 4; tries > 0; tries--)); do
    "$check" && return 0
    sleep 0.25
  done
  return 1
}

stop_service() {
  local name=$1 program=$2 pid
  pid=$(recorded_pid "$name" "$program")
  if [ -z "$pid" ]; then
    log "$name: not running"
    rm -f "$STATE_DIR/$name.pid"
    return 0
  fi
  log "$name: stopping process $pid"
  kill "$pid"
  for ((tries = 120; tries > 0; tries--)); do
    [ -e "/proc/$pid" ] || break
    sleep 0.25
  done
  if [ -e "/proc/$pid" ]; then
    fail "$name (process $pid) did not stop within 30 s; see $STATE_DIR/$name.log"
  fi
  rm -f "$STATE_DIR/$name.pid"
}

# --- steps ----------------------------------------------------------------

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_packages() {
  local missing=() package
  for package in "${PACKAGES[@]}"; do
    package_installed "$package" || missing+=("$package")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "packages: already installed"
    return 0
  fi
  log "packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

handler_has_fix_binary() {
  grep -q '^flags: .*F' "$BINFMT_DIR/$1" 2>/dev/null
}

# Registers Debian's handlers with the F (fix-binary) flag: the kernel then
# opens the emulator once, on the host, so containers need no copy of it.
# A handler left without F (by an interrupted legacy test, for example) is
# removed and registered again from Debian's definition.
register_qemu() {
  local handler
  if ! grep -q " $BINFMT_DIR " /proc/mounts &&
    ! mount -t binfmt_misc binfmt_misc "$BINFMT_DIR"; then
    unsupported "binfmt_misc cannot be mounted at $BINFMT_DIR (kernel without it, or no privilege)"
  fi
  for handler in "${QEMU_HANDLERS[@]}"; do
    if [ -e "$BINFMT_DIR/$handler" ] && ! handler_has_fix_binary "$handler"; then
      log "binfmt: $handler lacks the F flag, registering it again"
      echo -1 >"$BINFMT_DIR/$handler"
    fi
    [ -e "$BINFMT_DIR/$handler" ] || update-binfmts --enable "$handler"
    handler_has_fix_binary "$handler" ||
      fail "binfmt handler $handler has no F flag after registration"
  done
  log "binfmt: ${QEMU_HANDLERS[*]} registered with the F flag"
}

start_docker() {
  if [ -n "$(recorded_pid dockerd /usr/sbin/dockerd)" ] && docker_responds; then
    log "dockerd: already running (process $(cat "$STATE_DIR/dockerd.pid"))"
    return 0
  fi
  rm -f "$DOCKER_SOCKET" "$STATE_DIR/dockerd.pid"
  log "dockerd: starting on $DOCKER_SOCKET"
  # No bridge and no iptables rules: containers get no network unless one
  # is created. The proxy variables point at a closed port, so any pull
  # from a remote registry fails at once. Loopback bypasses the proxy.
  HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
    NO_PROXY=127.0.0.1,localhost \
    setsid /usr/sbin/dockerd \
    --host "unix://$DOCKER_SOCKET" \
    --data-root "$STATE_DIR/docker-data" \
    --exec-root "$STATE_DIR/docker-exec" \
    --pidfile "$STATE_DIR/dockerd.pid" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    >"$STATE_DIR/dockerd.log" 2>&1 </dev/null &
  # dockerd writes its own pid file, and refuses to start if one exists.
  # setsid runs in the background here, so it does not fork: $! is dockerd.
  local started=$!
  if ! wait_for docker_responds 60; then
    kill "$started" 2>/dev/null || true
    fail "dockerd did not respond within 60 s; see $STATE_DIR/dockerd.log"
  fi
  log "dockerd: running (process $(cat "$STATE_DIR/dockerd.pid"))"
}

write_registry_config() {
  cat >"$STATE_DIR/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
}

start_registry() {
  if [ -n "$(recorded_pid registry /usr/bin/docker-registry)" ] && registry_responds; then
    log "registry: already running on $REGISTRY_ADDR (process $(cat "$STATE_DIR/registry.pid"))"
    return 0
  fi
  if registry_responds; then
    fail "$REGISTRY_ADDR already responds, but not from a registry that this script started; stop it or set GEN_CI_E2E_REGISTRY_PORT"
  fi
  write_registry_config
  log "registry: starting on $REGISTRY_ADDR"
  setsid /usr/bin/docker-registry serve "$STATE_DIR/registry.yml" \
    >"$STATE_DIR/registry.log" 2>&1 </dev/null &
  echo "$!" >"$STATE_DIR/registry.pid"
  if ! wait_for registry_responds 30; then
    kill "$(cat "$STATE_DIR/registry.pid")" 2>/dev/null || true
    fail "the registry did not respond within 30 s; see $STATE_DIR/registry.log"
  fi
  log "registry: running (process $(cat "$STATE_DIR/registry.pid"))"
}

# Downloads Debian's busybox-static for every base image architecture into
# $1. A private apt state keeps the machine's dpkg architectures unchanged.
download_busybox() {
  local target=$1 apt_dir="$STATE_DIR/apt" options=() names=() entry
  local debian_arch
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  options+=(-o "Dir::State::Lists=$apt_dir/lists")
  options+=(-o "Dir::Cache=$apt_dir/cache")
  for entry in "${BASE_IMAGES[@]}"; do
    read -r debian_arch _ _ <<<"$entry"
    options+=(-o "APT::Architectures::=$debian_arch")
    names+=("busybox-static:$debian_arch")
  done
  # apt drops privileges to _apt for downloads.
  chown -R _apt "$apt_dir" "$target"
  apt-get -qq "${options[@]}" update
  (cd "$target" && apt-get -qq "${options[@]}" download "${names[@]}")
}

# Writes a root file system with the busybox of package $1 to folder $2.
# Debian 12's busybox-static has the same applets on all five architectures
# (compared with `busybox --list`), so the amd64 busybox $3 lists them
# without running a foreign binary.
make_rootfs() {
  local deb=$1 rootfs=$2 host_busybox=$3 unpacked applet
  unpacked=$(mktemp -d)
  dpkg-deb -x "$deb" "$unpacked"
  mkdir -p "$rootfs"/{bin,etc,tmp,root,proc,sys,dev}
  cp "$unpacked/bin/busybox" "$rootfs/bin/busybox"
  rm -rf "$unpacked"
  for applet in $("$host_busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  chmod 1777 "$rootfs/tmp"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
  echo 'root:x:0:' >"$rootfs/etc/group"
}

# Builds an image FROM scratch for the platform: BuildKit records the
# platform's architecture and variant in the image config.
build_base_image() {
  local rootfs_parent=$1 platform=$2 tag=$3
  printf 'FROM scratch\nCOPY rootfs/ /\nCMD ["/bin/sh"]\n' \
    >"$rootfs_parent/Dockerfile"
  DOCKER_HOST="unix://$DOCKER_SOCKET" DOCKER_BUILDKIT=1 "$DOCKER" build \
    --quiet --platform "$platform" --network none \
    --tag "$BASE_REPOSITORY:$tag" "$rootfs_parent" >/dev/null
}

base_image_exists() {
  DOCKER_HOST="unix://$DOCKER_SOCKET" "$DOCKER" image inspect \
    "$BASE_REPOSITORY:$1" >/dev/null 2>&1
}

make_base_images() {
  local missing=() entry work debian_arch platform tag host_busybox debs
  for entry in "${BASE_IMAGES[@]}"; do
    read -r _ _ tag <<<"$entry"
    base_image_exists "$tag" || missing+=("$entry")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "base images: already loaded"
    return 0
  fi
  work=$(mktemp -d)
  download_busybox "$work"
  # busybox picks the applet by its own file name, so keep the name.
  mkdir "$work/host"
  host_busybox="$work/host/busybox"
  debs=("$work"/busybox-static_*_amd64.deb)
  dpkg-deb --fsys-tarfile "${debs[0]}" |
    tar -xO ./bin/busybox >"$host_busybox"
  chmod +x "$host_busybox"
  for entry in "${missing[@]}"; do
    read -r debian_arch platform tag <<<"$entry"
    log "base images: $BASE_REPOSITORY:$tag ($platform)"
    mkdir -p "$work/$tag"
    debs=("$work"/busybox-static_*_"$debian_arch".deb)
    make_rootfs "${debs[0]}" "$work/$tag/rootfs" "$host_busybox"
    build_base_image "$work/$tag" "$platform" "$tag"
  done
  rm -rf "$work"
}

# Runs `uname -m` in each base image: a failure here means that emulation
# or the daemon is broken, not gen-ci.
check_base_images() {
  local entry platform tag machine
  for entry in "${BASE_IMAGES[@]}"; do
    read -r _ platform tag <<<"$entry"
    machine=$(DOCKER_HOST="unix://$DOCKER_SOCKET" "$DOCKER" run --rm \
      --network none --platform "$platform" "$BASE_REPOSITORY:$tag" uname -m) ||
      fail "running $BASE_REPOSITORY:$tag ($platform) failed"
    log "check: $platform runs, uname -m = $machine"
  done
}

write_env_file() {
  cat >"$STATE_DIR/env" <<EOF
DOCKER_HOST=unix://$DOCKER_SOCKET
GEN_CI_E2E_DOCKER=$DOCKER
GEN_CI_E2E_REGISTRY=$REGISTRY_ADDR
GEN_CI_E2E_BASE_REPOSITORY=$BASE_REPOSITORY
EOF
}

# --- modes ----------------------------------------------------------------

set_up() {
  require_supported_machine
  mkdir -p "$STATE_DIR"
  install_packages
  register_qemu
  start_docker
  start_registry
  make_base_images
  check_base_images
  write_env_file
  log "ready: the tests read $STATE_DIR/env; stop with $0 --stop"
}

show_status() {
  local running=0
  if [ -n "$(recorded_pid dockerd /usr/sbin/dockerd)" ] && docker_responds; then
    log "dockerd: running on $DOCKER_SOCKET"
  else
    log "dockerd: not running"
    running=1
  fi
  if [ -n "$(recorded_pid registry /usr/bin/docker-registry)" ] && registry_responds; then
    log "registry: running on $REGISTRY_ADDR"
  else
    log "registry: not running"
    running=1
  fi
  return "$running"
}

# dockerd can leave a bind mount of its data folder behind after it stops
# (seen once with Debian's 20.10), and then the state folder cannot be
# deleted. Unmounts what is left under the state folder, deepest first.
unmount_state() {
  local mount_point
  awk -v prefix="$STATE_DIR/" 'index($2, prefix) == 1 { print $2 }' /proc/mounts |
    sort -r | while read -r mount_point; do
      log "unmounting $mount_point"
      umount "$mount_point"
    done
}

stop_all() {
  stop_service registry /usr/bin/docker-registry
  stop_service dockerd /usr/sbin/dockerd
  unmount_state
}

case "${1:-}" in
  '') set_up ;;
  --status) show_status ;;
  --stop) stop_all ;;
  *)
    echo "usage: $0 [--status | --stop]" >&2
    exit 2
    ;;
esac
