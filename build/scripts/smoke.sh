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
#     its audit log records the setup made through the window;
#   - phase 2, in a second isolated home: seeds the app's default database
#     through the real rpctl (vendor init, product, portal init, enrollment,
#     a bundle of 40 licenses imported, a user, an assignment), launches the
#     app on it, types the password into the sign-in form (the admin name is
#     prefilled) and Enter, waits for the signed-in shell (header band and
#     side navigation, Dashboard highlighted), clicks "Licenses" in the side
#     navigation at the position measured on the screenshot, and waits until
#     the navigation marks Licenses as current and the table shows rows
#     (evenly spaced row dividers across the main area, each row with text);
#     saves that screenshot;
#   - phase 3, in the same window: the customer side (rpctl client request,
#     its own state) makes an activation request for the assigned license;
#     clicks "Activate" in the side navigation, "Paste text" beside "Open
#     file…" in the drop zone, types the request's compact one-line form into
#     the textarea, clicks "Use the pasted text", waits for the preview with
#     the focus on "Sign the activation" (the only primary button, in its
#     focus colour) and presses Enter; waits until zbarimg reads a response
#     QR code from the screenshot (large: 30,000 dark pixels or more), saves
#     that screenshot, and has rpctl client install the response read from
#     the screen (client status: activated); SIGTERM, exit code 0 within 5 s;
#     rpctl portal activations lists the one activation, active.
# Usage: smoke.sh BINARY RPCTL [SCREENSHOT]
set -euo pipefail

usage="usage: smoke.sh BINARY RPCTL [SCREENSHOT]"
bin=$(realpath "${1:?$usage}")
rpctl=$(realpath "${2:?$usage}")
shot=${3:-build/screenshot-smoke.png}
home_shot="${shot%.png}-home.png"
licenses_shot="${shot%.png}-licenses.png"
activate_shot="${shot%.png}-activate.png"
timeout_s=${SMOKE_TIMEOUT:-60}

for tool in Xvfb import convert xdotool zbarimg; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool is missing (apt-get install xvfb imagemagick xdotool zbar-tools)" >&2; exit 1; }
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

# isolate DIR: a private HOME and XDG folders for the app and WebKit (the real
# user's data is never touched; phase 2 starts from an empty WebKit state).
isolate() {
  export HOME="$1/home" XDG_CONFIG_HOME="$1/config" XDG_DATA_HOME="$1/data" XDG_CACHE_HOME="$1/cache"
  export XDG_RUNTIME_DIR="$1/runtime"
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
}
export NO_AT_BRIDGE=1 # no accessibility bus under Xvfb

# count_colour FILE HEX [CROP]: how many pixels of exactly that colour.
count_colour() {
  convert "$1" ${3:+-crop "$3" +repage} -fill black +opaque "$2" -fill white -opaque "$2" -format '%[fx:round(mean*w*h)]' info:
}

# row_fractions FILE W H X Y MASK...: for each pixel row of the W×H crop at
# X,Y, the share (0..1) of its pixels that MASK (convert options making
# the wanted pixels white, the rest black) keeps.
row_fractions() {
  local f=$1 w=$2 h=$3 x=$4 y=$5
  shift 5
  convert "$f" -crop "${w}x${h}+${x}+${y}" +repage "$@" -colorspace Gray -scale "1x${h}!" -depth 8 txt:- |
    awk -F'[(,)]' 'NR > 1 { printf "%.3f\n", $3 / 255 }'
}

# column_colours FILE X Y H: the colour of each pixel of column X from Y down
# (readers must read it all: pipefail).
column_colours() {
  convert "$1" -crop "1x${4}+${2}+${3}" +repage -depth 8 txt:- | awk 'NR > 1 { print $3 }'
}

# window_geometry WIN: sets wx wy ww wh (root coordinates; no window manager).
window_geometry() {
  local X Y WIDTH HEIGHT WINDOW SCREEN
  eval "$(xdotool getwindowgeometry --shell "$1")"
  wx=$X wy=$Y ww=$WIDTH wh=$HEIGHT
}

# shell_shown FILE: the signed-in frame is on screen: the header band across
# the top of the window (its height goes to header_h) and the side
# navigation's right border (#d9e0dd, 190 px from the left) down at least
# 40% of the rest (it stops where a short page ends).
shell_shown() {
  header_h=$(column_colours "$1" $((wx + 5)) "$wy" "$wh" | awk '$1 != "#12382F" { done = 1 } !done { n++ } END { print n + 0 }')
  (( header_h >= 40 && header_h < wh / 3 )) || return 1
  local border
  border=$(count_colour "$1" '#d9e0dd' "1x$((wh - header_h))+$((wx + 190))+$((wy + header_h))")
  (( border * 10 >= (wh - header_h) * 4 ))
}

# nav_current FILE: the highlighted item of the side navigation, as
# "TOP HEIGHT COLOUR" (TOP from the window's top): the first run of
# non-white pixels in a column of the navigation right of the labels.
nav_current() {
  column_colours "$1" $((wx + 175)) $((wy + header_h)) $((wh - header_h)) |
    awk -v off="$header_h" '
      run && $1 != c { done = 1 }
      !run && $1 != "#FFFFFF" { run = 1; c = $1; top = NR - 1 }
      run && !done { n++ }
      END { if (run) print top + off, n, c }'
}

# table_rows FILE: how many table rows the main area shows. A row is the
# space between two row dividers: pixel rows where most of the main area's
# width is the table's divider colour (#efeff5, Naive UI's table border in
# the light theme); the rows counted are the longest run of evenly spaced
# dividers (24..80 px apart), and each must hold text (dark pixels).
table_rows() {
  local x=$((wx + 191)) y=$((wy + header_h)) w=$((ww - 191 - 14)) h=$((wh - header_h))
  paste <(row_fractions "$1" "$w" "$h" "$x" "$y" -fuzz 1% -fill black +opaque '#efeff5' -fill white -opaque '#efeff5') \
        <(row_fractions "$1" "$w" "$h" "$x" "$y" -colorspace Gray -threshold 55% -negate) |
    awk -v w="$w" '
      { line[NR] = ($1 >= 0.6); dark[NR] = $2 * w }
      END {
        n = 0
        for (i = 1; i <= NR; i++) if (line[i] && !line[i - 1]) at[++n] = i
        best = 0; run = 0
        for (k = 2; k <= n; k++) {
          gap = at[k] - at[k - 1]; ink = 0
          for (i = at[k - 1] + 1; i < at[k]; i++) ink += dark[i]
          ok = gap >= 24 && gap <= 80 && ink >= 40
          if (ok && run > 0 && (gap - prev) * (gap - prev) <= 1) run++
          else run = ok ? 1 : 0
          prev = gap
          if (run > best) best = run
        }
        print best
      }'
}

# buttons FILE COLOUR: the filled buttons of that colour (1,500 pixels or
# more: not a link, not a thin border) in the main area, one "X Y W H" a line
# (root coordinates), top to bottom.
buttons() {
  local x=$((wx + 191)) y=$((wy + header_h))
  convert "$1" -crop "$((ww - 191))x$((wh - header_h))+${x}+${y}" +repage \
      -fill black +opaque "$2" -fill white -opaque "$2" \
      -define connected-components:verbose=true -connected-components 8 null: |
    awk -v x="$x" -v y="$y" 'NR > 1 && $NF ~ /255|white/ && $4 >= 1500 { split($2, g, /[x+]/); print g[3] + x, g[4] + y, g[1], g[2] }' |
    sort -k2,2n
}

# stop_app: SIGTERM, a clean exit (code 0) within 5 s.
stop_app() {
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
  local code=$?
  set -e
  app_pid=
  if [ "$code" -ne 0 ]; then
    echo "smoke: the app exited with code $code after SIGTERM (want 0)" >&2
    cat "$tmp/app.log" >&2
    exit 1
  fi
}

# wait_first_screen: the window shows the header band and a primary button
# (the setup form, or the sign-in form): many colours, not a blank window.
wait_first_screen() {
  local what=$1
  start=$SECONDS
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
      button=$(count_colour "$tmp/shot.png" '#1f6f5c')   # the primary button
      if (( colours >= 64 && header >= 20000 && button >= 4000 )); then
        ok=1
        break
      fi
    fi
    sleep 1
  done
  if [ -z "$ok" ]; then
    cp "$tmp/shot.png" "$2" 2>/dev/null || true
    echo "smoke: the $what did not appear within ${timeout_s}s (colours=${colours:-?} header=${header:-?} button=${button:-?}); last screenshot: $2" >&2
    cat "$tmp/app.log" >&2
    exit 1
  fi
  win=$(xdotool search --onlyvisible --name '^Reseller Portal$' | head -1)
  [ -n "$win" ] || { echo "smoke: no window named Reseller Portal" >&2; exit 1; }
  window_geometry "$win"
}

# ---- phase 1: first run, setup through the window ---------------------------

isolate "$tmp/p1"
"$bin" >"$tmp/app.log" 2>&1 &
app_pid=$!
mkdir -p "$(dirname "$shot")"
wait_first_screen "first screen" "$shot"
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
  button=$(count_colour "$tmp/home.png" '#1f6f5c')
  # the signed-in shell: header band and side navigation, and no primary
  # button (the header's logo alone has about 1,100 pixels of that colour)
  if (( button < 4000 )) && shell_shown "$tmp/home.png"; then
    signed_in=1
    break
  fi
  sleep 0.5
done
cp "$tmp/home.png" "$home_shot"
if [ -z "$signed_in" ]; then
  echo "smoke: the window did not leave the setup form for the signed-in shell after Enter; screenshot $home_shot" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi
sleep 1
import -display "$DISPLAY" -window root "$home_shot"
echo "smoke: set up through the window in $((SECONDS - t0))s (header ${header_h}px, side navigation); screenshot $home_shot"

stop_app
echo "smoke: clean exit (code 0) on SIGTERM"

# The app closed the database (rpctl can open it) and the setup is in it.
audit=$(RP_PASSWORD="$password" "$rpctl" portal --db "$db" --admin alice --json audit) || {
  echo "smoke: rpctl cannot read the database the app left" >&2; exit 1; }
grep -q '"portal.setup"' <<<"$audit" && grep -q 'Smoke Test Resellers' <<<"$audit" || {
  echo "smoke: the audit log does not record the setup made in the window:" >&2; echo "$audit" >&2; exit 1; }
RP_PASSWORD="$password" "$rpctl" portal --db "$db" --admin alice audit --verify >/dev/null || {
  echo "smoke: the audit chain of the app's database does not verify" >&2; exit 1; }
echo "smoke: the database holds the setup made in the window (audit verified)"

# ---- phase 2: a seeded portal, sign in, the licenses screen -----------------

isolate "$tmp/p2"
t2=$SECONDS
t0=$SECONDS
db="$XDG_CONFIG_HOME/ResellerPortal/portal.db"
vdir="$tmp/vendor"
mkdir -p "$(dirname "$db")"
seed() { RP_PASSWORD="$password" "$rpctl" "$@" || { echo "smoke: seeding failed: rpctl $*" >&2; exit 1; }; }
seed vendor init --dir "$vdir" >/dev/null
seed vendor product add --dir "$vdir" --name 'CAD Pro' --id cad-pro >/dev/null
seed portal --db "$db" --admin alice init --reseller 'Smoke Seeded Resellers' >/dev/null
seed portal --db "$db" enroll request --out "$tmp/request.txt" >/dev/null
seed vendor enroll --dir "$vdir" --request "$tmp/request.txt" --products cad-pro --out "$tmp/cert.txt" >/dev/null
seed portal --db "$db" enroll complete --cert "$tmp/cert.txt" >/dev/null
seed vendor allocate --dir "$vdir" --cert "$tmp/cert.txt" --product cad-pro --count 40 --activations 2 --out "$tmp/bundle.txt" --json >"$tmp/allocated.json"
seed portal --db "$db" license import "$tmp/bundle.txt" >/dev/null
user=$(seed portal --db "$db" user create --name 'Bob Builder' --email bob@example.com --json | sed -n 's/^ *"id": *"\([^"]*\)".*/\1/p')
# the key that sorts first: the table's first row shows the assignment
key=$(sed -n 's/^ *"key": *"\([^"]*\)".*/\1/p' "$tmp/allocated.json" | LC_ALL=C sort | head -1)
[ -n "$user" ] && [ -n "$key" ] || { echo "smoke: seeding: no user id or license key in rpctl's output" >&2; exit 1; }
seed portal --db "$db" license assign "$key" --user "$user" >/dev/null
listed=$(seed portal --db "$db" license list --limit 0 | tail -n +2 | wc -l)
(( listed == 40 )) || { echo "smoke: seeding: rpctl lists $listed licenses, want 40" >&2; exit 1; }
echo "smoke: seeded \$XDG_CONFIG_HOME/ResellerPortal/portal.db with rpctl in $((SECONDS - t0))s (enrolled, 40 licenses, 1 user, 1 assigned)"

"$bin" >"$tmp/app.log" 2>&1 &
app_pid=$!
wait_first_screen "sign-in form" "$licenses_shot"
sleep 1 # the form prefills the only admin, then focuses the password field
xdotool windowfocus --sync "$win"
sleep 0.3
xdotool type --delay 20 "$password"
xdotool key Return
t0=$SECONDS
dash=
while (( SECONDS - t0 < 30 )); do
  import -display "$DISPLAY" -window root "$tmp/dash.png"
  if shell_shown "$tmp/dash.png"; then
    dash=$(nav_current "$tmp/dash.png")
    [ -n "$dash" ] && break
  fi
  sleep 0.5
done
if [ -z "$dash" ]; then
  cp "$tmp/dash.png" "$licenses_shot"
  echo "smoke: no signed-in shell with a current navigation item after typing the password; screenshot $licenses_shot" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi
read -r nav_top nav_h nav_colour <<<"$dash"
(( nav_h >= 24 && nav_h <= 64 )) || { echo "smoke: the highlighted navigation item is ${nav_h}px tall (want 24..64)" >&2; exit 1; }
dash_rows=$(table_rows "$tmp/dash.png")
echo "smoke: signed in through the sign-in form in $((SECONDS - t0))s; Dashboard highlighted at ${nav_top}px (${nav_h}px tall), $dash_rows table rows"

# Click "Licenses" in the side navigation — its place counted from the items
# of AppShell.vue, each as tall as the highlighted Dashboard — then move the
# pointer out of the way (no hover colour on the navigation).
shell_vue="$(dirname "$0")/../../frontend/src/layouts/AppShell.vue"
nav_names=($(grep -oE "\{ name: '[a-z]+', to:" "$shell_vue" | sed -E "s/.*name: '([a-z]+)'.*/\1/"))
lic_index=-1
for i in "${!nav_names[@]}"; do [ "${nav_names[$i]}" = licenses ] && lic_index=$i; done
(( lic_index > 0 )) && [ "${nav_names[0]}" = dashboard ] || { echo "smoke: cannot place Licenses in the navigation of $shell_vue (${nav_names[*]})" >&2; exit 1; }
lic_top=$((nav_top + lic_index * nav_h))
sleep 0.5
xdotool mousemove --sync $((wx + 95)) $((wy + lic_top + nav_h / 2)) click 1
xdotool mousemove --sync $((wx + ww + 20)) $((wy + wh + 20))
t0=$SECONDS
shown=
while (( SECONDS - t0 < 20 )); do
  import -display "$DISPLAY" -window root "$tmp/licenses.png"
  cur=$(nav_current "$tmp/licenses.png")
  rows=$(table_rows "$tmp/licenses.png")
  if [ "$cur" = "$lic_top $nav_h $nav_colour" ] && (( rows >= 4 )); then
    shown=1
    break
  fi
  sleep 0.5
done
cp "$tmp/licenses.png" "$licenses_shot"
if [ -z "$shown" ]; then
  echo "smoke: the licenses screen with rows did not appear after clicking Licenses (navigation: '${cur:-none}', want '$lic_top $nav_h $nav_colour'; table rows: $rows with the header row, want 4 or more); screenshot $licenses_shot" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi
sleep 1
import -display "$DISPLAY" -window root "$licenses_shot"
echo "smoke: the licenses screen shows $rows table rows (with the header row) $((SECONDS - t0))s after the click; screenshot $licenses_shot"

echo "smoke: phase 2 in $((SECONDS - t2))s"

# ---- phase 3: one activation through the window -----------------------------

# The same window and portal. The customer's machine (rpctl client, its own
# state; it never opens the portal's database) makes an activation request
# for the assigned license; its compact one-line form is what gets typed.
t3=$SECONDS
cstate="$tmp/client"
compact=$("$rpctl" client --state "$cstate" --json request --product cad-pro --license "$key" \
    --out "$tmp/activation.req.txt" --machine-id smoke-m1 | sed -n 's/^ *"compact": *"\([^"]*\)".*/\1/p')
[ -n "$compact" ] || { echo "smoke: rpctl client request printed no compact form" >&2; exit 1; }

# Click "Activate" in the side navigation (placed like Licenses); the intake
# shows the drop zone with "Open file…" (the only filled primary button).
act_index=-1
for i in "${!nav_names[@]}"; do [ "${nav_names[$i]}" = activate ] && act_index=$i; done
(( act_index > 0 )) || { echo "smoke: cannot place Activate in the navigation of $shell_vue (${nav_names[*]})" >&2; exit 1; }
act_top=$((nav_top + act_index * nav_h))
xdotool mousemove --sync $((wx + 95)) $((wy + act_top + nav_h / 2)) click 1
xdotool mousemove --sync $((wx + ww + 20)) $((wy + wh + 20))
t0=$SECONDS
open_btn=
while (( SECONDS - t0 < 20 )); do
  import -display "$DISPLAY" -window root "$tmp/activate.png"
  cur=$(nav_current "$tmp/activate.png")
  if [ "$cur" = "$act_top $nav_h $nav_colour" ]; then
    open_btn=$(buttons "$tmp/activate.png" '#1f6f5c')
    [ "$(wc -l <<<"$open_btn")" = 1 ] && [ -n "$open_btn" ] && break
  fi
  open_btn=
  sleep 0.3
done
if [ -z "$open_btn" ]; then
  cp "$tmp/activate.png" "$activate_shot"
  echo "smoke: no activation intake after clicking Activate (navigation: '${cur:-none}', want '$act_top $nav_h $nav_colour'; want one primary button); screenshot $activate_shot" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi

# "Paste text" is the next button in the zone's row (8 px gap, at least 40 px
# wide); the textarea opens below the zone (its top about 36 px under the
# buttons, 146 px tall): click inside it, type the request, and the primary
# "Use the pasted text" below it turns on.
read -r bx by bw bh <<<"$open_btn"
xdotool mousemove --sync $((bx + bw + 8 + 30)) $((by + bh / 2)) click 1
sleep 0.5
xdotool mousemove --sync $((bx + bw / 2)) $((by + bh + 80)) click 1
xdotool mousemove --sync $((wx + ww + 20)) $((wy + wh + 20))
typed=$SECONDS
xdotool type --delay 12 "$compact" # a smaller delay loses keys in the webview
typed=$((SECONDS - typed))
import -display "$DISPLAY" -window root "$tmp/typed.png"
use_btn=$(buttons "$tmp/typed.png" '#1f6f5c' | sed -n 2p)
if [ -z "$use_btn" ]; then
  cp "$tmp/typed.png" "$activate_shot"
  echo "smoke: no enabled \"Use the pasted text\" button after typing the request; screenshot $activate_shot" >&2
  exit 1
fi
read -r ux uy uw uh <<<"$use_btn"
xdotool mousemove --sync $((ux + uw / 2)) $((uy + uh / 2)) click 1
xdotool mousemove --sync $((wx + ww + 20)) $((wy + wh + 20))

# The preview: the intake is gone and the focus is on "Sign the activation"
# (a primary button in its focus colour, #2a8a73, and no other); Enter signs.
t0=$SECONDS
previewed=
while (( SECONDS - t0 < 15 )); do
  import -display "$DISPLAY" -window root "$tmp/preview.png"
  if [ -z "$(buttons "$tmp/preview.png" '#1f6f5c')" ] && [ "$(buttons "$tmp/preview.png" '#2a8a73' | wc -l)" = 1 ]; then
    previewed=1
    break
  fi
  sleep 0.2
done
if [ -z "$previewed" ]; then
  cp "$tmp/preview.png" "$activate_shot"
  echo "smoke: no preview with the focus on \"Sign the activation\" after using the pasted request; screenshot $activate_shot" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi
xdotool key Return

# The response: a large QR code in the main area (at least 30,000 near-black
# pixels) that zbarimg reads from the screenshot as a response (not the request).
t0=$SECONDS
response=
main_crop="$((ww - 191))x$((wh - header_h))+$((wx + 191))+$((wy + header_h))"
while (( SECONDS - t0 < 15 )); do
  import -display "$DISPLAY" -window root "$tmp/response.png"
  text=$(zbarimg --raw -q "$tmp/response.png" 2>/dev/null | head -1 || true)
  if [ -n "$text" ] && [ "$text" != "$compact" ]; then
    response=$text
    break
  fi
  sleep 0.2
done
if [ -z "$response" ]; then
  cp "$tmp/response.png" "$activate_shot"
  echo "smoke: no readable response QR code on screen after Enter on \"Sign the activation\"; screenshot $activate_shot" >&2
  cat "$tmp/app.log" >&2
  exit 1
fi
dark=$(convert "$tmp/response.png" -crop "$main_crop" +repage -colorspace Gray -threshold 20% -negate -format '%[fx:round(mean*w*h)]' info:)
(( dark >= 30000 )) || { echo "smoke: the response QR code is small ($dark dark pixels, want 30000 or more); screenshot $activate_shot" >&2; exit 1; }
sleep 0.5 # the screen settles for the saved screenshot
import -display "$DISPLAY" -window root "$activate_shot"
printf '%s\n' "$response" >"$tmp/activation.resp.txt"
"$rpctl" client --state "$cstate" install --publisher-key "$vdir/publisher.pub" --in "$tmp/activation.resp.txt" >/dev/null || {
  echo "smoke: rpctl client install refuses the response read from the screen" >&2; exit 1; }
"$rpctl" client --state "$cstate" --json status --publisher-key "$vdir/publisher.pub" | grep -q '"activated": *true' || {
  echo "smoke: rpctl client status is not activated after installing the response from the screen" >&2; exit 1; }
echo "smoke: activated through the window: request typed (${#compact} characters, ${typed}s), preview with the focus on Sign, QR on screen ($dark dark pixels) read by zbarimg and installed by rpctl client in $((SECONDS - t3))s; screenshot $activate_shot"

stop_app
echo "smoke: clean exit (code 0) on SIGTERM"
acts=$(RP_PASSWORD="$password" "$rpctl" portal --db "$db" --json activations --license "$key") || {
  echo "smoke: rpctl cannot open the database the app left" >&2; exit 1; }
n=$(grep -c '"machine"' <<<"$acts" || true)
(( n == 1 )) && grep -q '"status": *"active"' <<<"$acts" || {
  echo "smoke: the database records $n activations of $key (want 1, active):" >&2; echo "$acts" >&2; exit 1; }
echo "smoke: the database records the activation (rpctl portal activations) — phase 3 in $((SECONDS - t3))s"
echo "smoke: 3 passed, 0 failed"
