#!/usr/bin/env bash
# Launch smoke test of the real Linux desktop binary:
#   - starts it under a private Xvfb display, with HOME and the XDG folders in
#     a temp dir (WebKit writes there; the real user's data is never touched);
#   - waits until the window shows the first screen (the setup form, with the
#     product name in the header), saves a screenshot and checks it is not
#     blank: many distinct colours, the header band and the primary button;
#   - checks the database was created in the isolated config dir;
#   - fills in the setup form with the keyboard (xdotool) and waits for the
#     signed-in screen (saved as a second screenshot);
#   - sends SIGTERM and expects a clean exit (code 0) within a few seconds;
#   - opens the database with rpctl (so the app released it) and checks that
#     its audit log records the setup made through the window.
# Usage: smoke.sh BINARY RPCTL [SCREENSHOT]
set -euo pipefail

usage="usage: smoke.sh BINARY RPCTL [SCREENSHOT]"
bin=$(realpath "${1:?$usage}")
rpctl=$(realpath "${2:?$usage}")
shot=${3:-build/screenshot-smoke.png}
home_shot="${shot%.png}-home.png"
timeout_s=${SMOKE_TIMEOUT:-60}

for tool in Xvfb import convert xdotool; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool is missing (apt-get install xvfb imagemagick xdotool)" >&2; exit 1; }
done
[ -x "$rpctl" ] || { echo "smoke: $rpctl is not an executable (make rpctl)" >&2; exit 1; }
[ -x "$bin" ] || { echo "smoke: $bin is not an executable (run make build)" >&2; exit 1; }

tmp=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill -KILL "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# A private X server on the first free display number.
mkfifo "$tmp/displayfd"
Xvfb -displayfd 3 -screen 0 1280x860x24 -nolisten tcp 3>"$tmp/displayfd" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
read -r -t 10 display <"$tmp/displayfd" || { echo "smoke: Xvfb did not start" >&2; cat "$tmp/xvfb.log" >&2; exit 1; }
export DISPLAY=":$display"

# An isolated home for the app and WebKit.
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export NO_AT_BRIDGE=1 # no accessibility bus under Xvfb

"$bin" >"$tmp/app.log" 2>&1 &
app_pid=$!
start=$SECONDS

# count_colour FILE HEX: how many pixels of exactly that colour.
count_colour() {
  convert "$1" -fill black +opaque "$2" -fill white -opaque "$2" -format '%[fx:round(mean*w*h)]' info:
}

mkdir -p "$(dirname "$shot")"
ok=
while (( SECONDS - start < timeout_s )); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "smoke: the app exited before showing its window" >&2
    cat "$tmp/app.log" >&2
    exit 1
  fi
  if import -display "$DISPLAY" -window root "$tmp/shot.png" 2>/dev/null; then
    colours=$(convert "$tmp/shot.png" -format '%k' info:)
    header=$(count_colour "$tmp/shot.png" '#12382f')   # the header band (AppHeader.vue)
    button=$(count_colour "$tmp/shot.png" '#1f6f5c')   # the primary "Create reseller" button
    if (( colours >= 64 && header >= 20000 && button >= 4000 )); then
      ok=1
      break
    fi
  fi
  sleep 1
done
if [ -z "$ok" ]; then
  cp "$tmp/shot.png" "$shot" 2>/dev/null || true
  echo "smoke: the first screen did not appear within ${timeout_s}s (colours=${colours:-?} header=${header:-?} button=${button:-?}); last screenshot: $shot" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi
sleep 1 # let the fonts and transitions settle
import -display "$DISPLAY" -window root "$shot"
stddev=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "smoke: first screen after $((SECONDS - start))s: $colours colours, header ${header}px, button ${button}px, grey stddev $stddev; screenshot $shot"
awk -v s="$stddev" 'BEGIN { exit !(s > 0.05) }' || { echo "smoke: the screenshot is nearly uniform (stddev $stddev)" >&2; exit 1; }

db="$XDG_CONFIG_HOME/ResellerPortal/portal.db"
[ -s "$db" ] || { echo "smoke: no database at $db" >&2; exit 1; }
echo "smoke: database created at \$XDG_CONFIG_HOME/ResellerPortal/portal.db"

# Set up the portal through the window, as a user would: the reseller field
# has the focus; Tab moves on; Enter submits.
password='correct horse battery staple'
win=$(xdotool search --onlyvisible --name '^Reseller Portal$' | head -1)
[ -n "$win" ] || { echo "smoke: no window named Reseller Portal" >&2; exit 1; }
xdotool windowfocus --sync "$win"
sleep 0.3
xdotool type --delay 20 'Smoke Test Resellers'
xdotool key Tab
xdotool type --delay 20 'alice'
xdotool key Tab
xdotool type --delay 20 "$password"
xdotool key Tab
xdotool type --delay 20 "$password"
xdotool key Return
signed_in=
t0=$SECONDS
while (( SECONDS - t0 < 30 )); do
  import -display "$DISPLAY" -window root "$tmp/home.png"
  header=$(count_colour "$tmp/home.png" '#12382f')
  button=$(count_colour "$tmp/home.png" '#1f6f5c')
  # the signed-in screen keeps the header and has no primary button (the
  # header's logo alone has about 1,300 pixels of that colour)
  if (( header >= 20000 && button < 4000 )); then
    signed_in=1
    break
  fi
  sleep 0.5
done
cp "$tmp/home.png" "$home_shot"
if [ -z "$signed_in" ]; then
  echo "smoke: the window did not leave the setup form after Enter; screenshot $home_shot" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi
sleep 1
import -display "$DISPLAY" -window root "$home_shot"
echo "smoke: set up through the window in $((SECONDS - t0))s; screenshot $home_shot"

kill -TERM "$app_pid"
for _ in $(seq 1 50); do
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$app_pid" 2>/dev/null; then
  echo "smoke: the app did not exit within 5s of SIGTERM" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi
set +e
wait "$app_pid"
code=$?
set -e
app_pid=
if [ "$code" -ne 0 ]; then
  echo "smoke: the app exited with code $code after SIGTERM (want 0)" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi
echo "smoke: clean exit (code 0) on SIGTERM"

# The app closed the database (rpctl can open it) and the setup is in it.
audit=$(RP_PASSWORD="$password" "$rpctl" portal --db "$db" --admin alice --json audit) || {
  echo "smoke: rpctl cannot read the database the app left" >&2; exit 1; }
grep -q '"portal.setup"' <<<"$audit" && grep -q 'Smoke Test Resellers' <<<"$audit" || {
  echo "smoke: the audit log does not record the setup made in the window:" >&2; echo "$audit" >&2; exit 1; }
RP_PASSWORD="$password" "$rpctl" portal --db "$db" --admin alice audit --verify >/dev/null || {
  echo "smoke: the audit chain of the app's database does not verify" >&2; exit 1; }
echo "smoke: the database holds the setup made in the window (audit verified)"
echo "smoke: 1 passed, 0 failed"
