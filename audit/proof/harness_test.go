package proof

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// requireEnv makes a missing Node.js, npm or registry a failure instead of
// a skip. CI sets it.
const requireEnv = "AUDITBOT_REQUIRE_PM2"

// npmDir holds package.json and package-lock.json pinning PM2.
const npmDir = "testdata/npm"

// Timeouts for one CLI command and for the npm install. They only stop a
// hung process; no assertion depends on them.
const (
	commandTimeout = 60 * time.Second
	installTimeout = 4 * time.Minute
)

// pm2Install is PM2 installed with `npm ci` from the pinned lock file.
type pm2Install struct {
	// bin is <dir>/node_modules/.bin/pm2; module is <dir>/node_modules/pm2.
	bin, module string
	// version is the installed PM2 version, read from its package.json.
	version string
	// path is the PATH given to every PM2 command: node's directory first.
	path string
	node string
}

// skipOrFail skips the test with the reason, or fails it when CI demands
// PM2 (AUDITBOT_REQUIRE_PM2=1).
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(requireEnv) == "1" {
		t.Fatalf("%s (and %s=1 demands the PM2 proofs)", msg, requireEnv)
	}
	t.Skipf("skipping the PM2 proofs: %s (set %s=1 to make this a failure)", msg, requireEnv)
}

// registryDown matches npm's messages for an unreachable registry.
var registryDown = regexp.MustCompile(`ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network request .* failed|request to .* failed`)

// cacheEnv overrides where installed copies of the pinned PM2 are kept
// (default: the user's cache directory, auditbot/).
const cacheEnv = "AUDITBOT_PM2_CACHE"

// completeMark is written into an installed copy last, before the rename
// that publishes it.
const completeMark = ".auditbot-complete"

// installPM2 gives the pinned PM2, installed with the ordinary npm client
// (`npm ci`, exact versions from the lock file) into a cache folder keyed
// by the lock file's hash, so that later runs make no registry request at
// all (npm is not even run). It skips the test when node or npm is missing
// or the registry cannot be reached, unless AUDITBOT_REQUIRE_PM2=1.
func installPM2(t *testing.T) *pm2Install {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "Node.js (node) is not in PATH")
	}
	want, err := pinnedVersion()
	if err != nil {
		t.Fatal(err)
	}
	root, err := pm2CacheRoot()
	if err != nil {
		t.Fatal(err)
	}
	key, err := lockKey()
	if err != nil {
		t.Fatal(err)
	}
	npm := "npm"
	if !installed(filepath.Join(root, key)) {
		if npm, err = exec.LookPath("npm"); err != nil {
			skipOrFail(t, "npm is not in PATH")
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), installTimeout)
	defer cancel()
	start := time.Now()
	dir, ran, out, err := ensurePM2(ctx, root, key, npm, nil)
	if err != nil {
		if registryDown.Match(out) {
			skipOrFail(t, "the npm registry is unreachable, so pm2@%s cannot be installed: %v\n%s", want, err, tail(out, 2000))
		}
		t.Fatalf("npm ci of pm2@%s failed: %v\n%s", want, err, tail(out, 4000))
	}
	if ran {
		t.Logf("npm ci installed pm2@%s into %s in %v", want, dir, time.Since(start).Round(time.Millisecond))
	} else {
		t.Logf("pm2@%s from the cache %s (npm not run)", want, dir)
	}
	inst := &pm2Install{
		bin:    filepath.Join(dir, "node_modules", ".bin", "pm2"),
		module: filepath.Join(dir, "node_modules", "pm2"),
		node:   node,
		path:   filepath.Dir(node) + string(os.PathListSeparator) + "/usr/local/bin:/usr/bin:/bin",
	}
	// Never `pm2 --version`: every pm2 command, even that one, starts a
	// daemon in $PM2_HOME (or ~/.pm2).
	var pkg struct{ Version string }
	b, err := os.ReadFile(filepath.Join(inst.module, "package.json"))
	if err == nil {
		err = json.Unmarshal(b, &pkg)
	}
	if err != nil {
		t.Fatalf("reading the installed PM2 version: %v", err)
	}
	if pkg.Version != want {
		t.Fatalf("npm installed pm2 %s, the lock pins %s", pkg.Version, want)
	}
	inst.version = pkg.Version
	return inst
}

// pm2CacheRoot is the folder of installed copies: $AUDITBOT_PM2_CACHE,
// else auditbot/ in the user's cache directory.
func pm2CacheRoot() (string, error) {
	if d := os.Getenv(cacheEnv); d != "" {
		return filepath.Abs(d)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for PM2 (set %s): %w", cacheEnv, err)
	}
	return filepath.Join(base, "auditbot"), nil
}

// lockKey names the installed copy of testdata/npm: pm2-<the first 16 hex
// digits of the lock file's SHA-256>. Another lock, another copy.
func lockKey() (string, error) {
	b, err := os.ReadFile(filepath.Join(npmDir, "package-lock.json"))
	if err != nil {
		return "", fmt.Errorf("reading the PM2 pin: %w", err)
	}
	sum := sha256.Sum256(b)
	return "pm2-" + hex.EncodeToString(sum[:8]), nil
}

// installed reports whether dir is a complete installed copy.
func installed(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, completeMark))
	return err == nil
}

// ensurePM2 makes root/key hold testdata/npm installed by `npm ci` and
// returns that directory; ran tells whether npm ran (false: the copy was
// there, no registry request). The install goes into a temporary folder
// beside it, which is renamed into place once complete: a reader never
// sees a half-installed copy, and of several processes installing at once
// the first rename wins and the others use its copy. env is added to
// npm's environment; out is npm's output.
func ensurePM2(ctx context.Context, root, key, npm string, env []string) (dir string, ran bool, out []byte, err error) {
	dir = filepath.Join(root, key)
	if installed(dir) {
		return dir, false, nil, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", false, nil, err
	}
	tmp, err := os.MkdirTemp(root, key+".tmp-")
	if err != nil {
		return "", false, nil, err
	}
	defer os.RemoveAll(tmp) // gone after a successful rename
	for _, name := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join(npmDir, name))
		if err != nil {
			return "", false, nil, fmt.Errorf("reading the PM2 pin: %w", err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return "", false, nil, err
		}
	}
	// PM2 and its dependencies have no install scripts (no
	// hasInstallScript in the lock), so --ignore-scripts loses nothing.
	// The user's npm configuration and cache are used as they are.
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), env...)
	out, err = cmd.CombinedOutput()
	if err != nil {
		return "", true, out, fmt.Errorf("npm ci: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, completeMark), nil, 0o644); err != nil {
		return "", true, out, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if installed(dir) {
			return dir, true, out, nil // another process published first
		}
		return "", true, out, fmt.Errorf("publishing the installed PM2: %w", err)
	}
	return dir, true, out, nil
}

// pinnedVersion is the PM2 version in package-lock.json, checked against
// the exact version package.json asks for.
func pinnedVersion() (string, error) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	for name, v := range map[string]any{"package.json": &pkg, "package-lock.json": &lock} {
		b, err := os.ReadFile(filepath.Join(npmDir, name))
		if err != nil {
			return "", fmt.Errorf("reading the PM2 pin: %w", err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			return "", fmt.Errorf("parsing %s: %w", name, err)
		}
	}
	asked := pkg.Dependencies["pm2"]
	locked := lock.Packages["node_modules/pm2"].Version
	if asked == "" || asked != locked {
		return "", fmt.Errorf("package.json asks for pm2 %q but package-lock.json has %q: pin an exact version and regenerate the lock", asked, locked)
	}
	return locked, nil
}

// tail is the last n bytes of b, as a string.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// daemon is one PM2 daemon with its own short PM2_HOME. Every test case
// gets its own; the cleanup always runs `pm2 kill` and then kills whatever
// is left of that PM2_HOME's processes.
type daemon struct {
	t    *testing.T
	pm2  *pm2Install
	home string
	// extra environment for the CLI, which PM2 hands to the apps it starts
	// (docs/pm2-behaviour.md#env-name).
	extra []string
}

// newDaemon prepares a PM2 daemon in a fresh PM2_HOME; the first pm2
// command starts it (with the same environment as every later command).
// The home is short (os.MkdirTemp("", "p2")) because PM2 puts its unix
// sockets there and socket paths are limited to about 107 bytes. extra is
// added to the CLI environment ("KEY=value").
func (p *pm2Install) newDaemon(t *testing.T, extra ...string) *daemon {
	t.Helper()
	home, err := os.MkdirTemp("", "p2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(home); err != nil {
			t.Logf("removing PM2_HOME %s: %v", home, err)
		}
	})
	d := &daemon{t: t, pm2: p, home: home, extra: extra}
	t.Cleanup(d.kill)
	return d
}

// environ is the whole environment of a PM2 command: minimal and explicit.
func (d *daemon) environ() []string {
	return append([]string{
		"PATH=" + d.pm2.path,
		"HOME=" + d.home,
		"PM2_HOME=" + d.home,
		"FORCE_COLOR=0",
	}, d.extra...)
}

// result is what one PM2 command did.
type result struct {
	args []string
	out  string // stdout and stderr, ANSI colours removed
	code int
	took time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("pm2 %s: exit %d after %v\n%s", strings.Join(r.args, " "), r.code, r.took.Round(time.Millisecond), r.out)
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// run runs `pm2 args...` in dir ("" = PM2_HOME) and reports how it went;
// it fails the test only when the command cannot run at all.
func (d *daemon) run(dir string, args ...string) result {
	d.t.Helper()
	return d.runCtx(d.t.Context(), dir, args...)
}

func (d *daemon) runCtx(ctx context.Context, dir string, args ...string) result {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, d.pm2.bin, args...)
	if dir == "" {
		dir = d.home
	}
	cmd.Dir = dir
	cmd.Env = d.environ()
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := result{args: args, out: ansi.ReplaceAllString(string(out), ""), took: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && ctx.Err() == nil:
		r.code = exit.ExitCode()
	default:
		d.t.Fatalf("pm2 %s: %v\n%s", strings.Join(args, " "), err, r.out)
	}
	return r
}

// mustRun is run that fails the test unless the command exits 0.
func (d *daemon) mustRun(dir string, args ...string) result {
	d.t.Helper()
	r := d.run(dir, args...)
	if r.code != 0 {
		d.t.Fatalf("expected exit 0: %s", r)
	}
	return r
}

// kill stops the daemon through its own PM2_HOME, then SIGKILLs any
// process still running with that PM2_HOME (daemon or app). It runs as a
// cleanup even when the test failed or was interrupted.
func (d *daemon) kill() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, d.pm2.bin, "kill")
	cmd.Dir = d.home
	cmd.Env = d.environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Logf("pm2 kill (PM2_HOME=%s): %v\n%s", d.home, err, out)
	}
	pids := []string{filepath.Join(d.home, "pm2.pid")}
	more, _ := filepath.Glob(filepath.Join(d.home, "pids", "*.pid"))
	pids = append(pids, more...)
	for _, f := range pids {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 1 {
			continue
		}
		// The daemon exits a moment after `pm2 kill` returns: give it
		// that moment before killing it.
		deadline := time.Now().Add(3 * time.Second)
		for d.owns(pid) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if d.owns(pid) {
			d.t.Logf("pid %d (%s) survived pm2 kill by 3s: sending SIGKILL", pid, filepath.Base(f))
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// owns reports whether pid is alive and runs with this daemon's PM2_HOME,
// so that a recycled pid is never killed.
func (d *daemon) owns(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		return false
	}
	return bytes.Contains(b, []byte("\x00PM2_HOME="+d.home+"\x00")) || bytes.HasPrefix(b, []byte("PM2_HOME="+d.home+"\x00"))
}

// proc is one entry of `pm2 jlist`.
type proc struct {
	Name string         `json:"name"`
	PmID int            `json:"pm_id"`
	PID  int            `json:"pid"`
	Env  map[string]any `json:"pm2_env"`
}

// status is pm2_env.status.
func (p proc) status() string {
	s, _ := p.Env["status"].(string)
	return s
}

// num is a numeric pm2_env field, and whether it is set.
func (p proc) num(key string) (float64, bool) {
	v, ok := p.Env[key].(float64)
	return v, ok
}

// jlist runs `pm2 jlist` and parses it.
func (d *daemon) jlist() []proc {
	d.t.Helper()
	r := d.mustRun("", "jlist")
	i := strings.Index(r.out, "[")
	if i < 0 {
		d.t.Fatalf("pm2 jlist printed no JSON array: %s", r)
	}
	var list []proc
	if err := json.NewDecoder(strings.NewReader(r.out[i:])).Decode(&list); err != nil {
		d.t.Fatalf("parsing pm2 jlist: %v\n%s", err, r)
	}
	return list
}

// one is the only process named name; it fails the test otherwise.
func (d *daemon) one(name string) proc {
	d.t.Helper()
	var found []proc
	list := d.jlist()
	for _, p := range list {
		if p.Name == name {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		d.t.Fatalf("want exactly one process named %q, jlist has %d of %d: %v", name, len(found), len(list), names(list))
	}
	return found[0]
}

// names lists "name:status" of every process.
func names(list []proc) []string {
	var s []string
	for _, p := range list {
		s = append(s, p.Name+":"+p.status())
	}
	return s
}

// waitFor polls `pm2 jlist` every 50 ms (plus the CLI's own start-up time)
// until ok is true: timeout on an idle machine, up to hangGuard on a
// loaded one, after which it fails the test.
func (d *daemon) waitFor(what string, timeout time.Duration, ok func([]proc) bool) []proc {
	d.t.Helper()
	var list []proc
	if !await(d.t, what, timeout, 50*time.Millisecond, func() bool {
		list = d.jlist()
		return ok(list)
	}) {
		d.t.Fatalf("after %v still not %s; jlist: %v", max(hangGuard, timeout), what, names(list))
	}
	return list
}

// readText reads a file PM2 or an app wrote (daemon log, app logs,
// markers); "" when it does not exist (yet).
func readText(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

// daemonLog is PM2_HOME/pm2.log.
func (d *daemon) daemonLog() string { return readText(filepath.Join(d.home, "pm2.log")) }

// errLog is the app's error log (pm2_env.pm_err_log_path).
func (p proc) errLog() string {
	path, _ := p.Env["pm_err_log_path"].(string)
	return readText(path)
}

// observation is one line of testdata/tools/observe.js.
type observation struct {
	Kind  string `json:"kind"`
	Event string `json:"event"`
	// At is the daemon's clock when it emitted the event; T is the
	// observer's clock when it saw a status change. Both ms since epoch.
	At   int64  `json:"at"`
	T    int64  `json:"t"`
	Name string `json:"name"`
	// PmID is a number, or a string such as "_old_0" for the worker a
	// cluster reload replaces.
	PmID        any    `json:"pm_id"`
	PID         int    `json:"pid"`
	Status      string `json:"status"`
	PmUptime    int64  `json:"pm_uptime"`
	RestartTime int    `json:"restart_time"`
	Error       string `json:"error"`
	// Raw and Data are the payload of an IPC message (kind "msg").
	Raw  any `json:"raw"`
	Data any `json:"data"`
}

// observer runs observe.js against a daemon: the daemon's bus events and a
// 50 ms poll of its process list, with the daemon's own timestamps.
type observer struct {
	t    *testing.T
	mu   sync.Mutex
	seen []observation
}

// observe starts the daemon (`pm2 ping`), then observe.js, and waits
// until it is subscribed.
func (d *daemon) observe() *observer {
	d.t.Helper()
	d.mustRun("", "ping")
	script, err := filepath.Abs("testdata/tools/observe.js")
	if err != nil {
		d.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, d.pm2.node, script, d.pm2.module)
	cmd.Env = d.environ()
	cmd.Dir = d.home
	cmd.WaitDelay = 2 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		d.t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		cancel()
		d.t.Fatalf("starting observe.js: %v", err)
	}
	o := &observer{t: d.t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var ob observation
			if json.Unmarshal(sc.Bytes(), &ob) != nil {
				continue
			}
			o.mu.Lock()
			o.seen = append(o.seen, ob)
			o.mu.Unlock()
		}
	}()
	// Registered after the daemon's kill, so it runs before it.
	d.t.Cleanup(func() {
		cancel()
		<-done
		_ = cmd.Wait()
	})
	if _, ok := o.wait(hangGuard, func(ob observation) bool { return ob.Kind == "ready" || ob.Kind == "error" }); !ok {
		d.t.Fatalf("observe.js did not subscribe within %v; stderr: %s", hangGuard, stderr.String())
	}
	return o
}

// wait returns the first observation matching ok, waiting up to timeout.
func (o *observer) wait(timeout time.Duration, ok func(observation) bool) (observation, bool) {
	deadline := time.Now().Add(timeout)
	for {
		o.mu.Lock()
		for _, ob := range o.seen {
			if ok(ob) {
				o.mu.Unlock()
				return ob, true
			}
		}
		o.mu.Unlock()
		if time.Now().After(deadline) {
			return observation{}, false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mustEvent waits for the bus event (e.g. "online") of the app name:
// timeout on an idle machine, up to hangGuard on a loaded one.
func (o *observer) mustEvent(name, event string, timeout time.Duration) observation {
	o.t.Helper()
	start := time.Now()
	ob, ok := o.wait(max(hangGuard, timeout), func(ob observation) bool {
		return ob.Kind == "event" && ob.Event == event && ob.Name == name
	})
	if !ok {
		o.t.Fatalf("no %q event for %s within %v; observed: %s", event, name, max(hangGuard, timeout), o.dump())
	}
	if took := time.Since(start); took > timeout {
		o.t.Logf("waited %v for %s's %q event, over the %v of an idle machine (a loaded machine; not a failure)", took.Round(time.Millisecond), name, event, timeout)
	}
	return ob
}

// all is every observation so far.
func (o *observer) all() []observation {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]observation(nil), o.seen...)
}

// dump renders the observations for a failure message.
func (o *observer) dump() string {
	var b strings.Builder
	for _, ob := range o.all() {
		fmt.Fprintf(&b, "\n  %+v", ob)
	}
	return b.String()
}

// stage copies testdata/<rule>/<variant> into a fresh temporary directory,
// applying the old/new string replacements to every file (used to turn the
// literal port of a case file into a free one), and returns the directory.
func stage(t *testing.T, rule, variant string, replace ...string) string {
	t.Helper()
	src := filepath.Join("testdata", rule, variant)
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatalf("staging %s: %v", src, err)
	}
	if len(replace) == 0 {
		return dst
	}
	r := strings.NewReplacer(replace...)
	err := filepath.WalkDir(dst, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(path, []byte(r.Replace(string(b))), 0o644)
	})
	if err != nil {
		t.Fatalf("staging %s: %v", src, err)
	}
	return dst
}

// freePort is a TCP port nobody listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// hangGuard bounds every wait for something that must happen (an app
// online, a marker line, a log line, a bus event). The durations the
// proofs give those waits are what an idle machine needs; a loaded one
// (a load average of 25 was seen in CI) is slower, not wrong, so a wait
// past its duration is logged and goes on. Only a wait past hangGuard
// fails: what was awaited did not happen. What the proofs assert about
// time comes from PM2's own clock (observe.js), never from these waits.
const hangGuard = 3 * time.Minute

// await polls ok every poll until it is true, and reports whether it was
// before hangGuard. expect is how long it takes on an idle machine: a
// longer wait is logged with what it waited for.
func await(t testing.TB, what string, expect, poll time.Duration, ok func() bool) bool {
	t.Helper()
	start := time.Now()
	for !ok() {
		if time.Since(start) > max(hangGuard, expect) {
			return false
		}
		time.Sleep(poll)
	}
	if took := time.Since(start); took > expect {
		t.Logf("waited %v for %s, over the %v of an idle machine (a loaded machine; not a failure)", took.Round(time.Millisecond), what, expect)
	}
	return true
}

// waitFile waits until the file contains want (the apps write markers):
// timeout on an idle machine, up to hangGuard on a loaded one.
func waitFile(t *testing.T, path, want string, timeout time.Duration) {
	t.Helper()
	if !await(t, fmt.Sprintf("%q in %s", want, filepath.Base(path)), timeout, 50*time.Millisecond, func() bool {
		return strings.Contains(readText(path), want)
	}) {
		t.Fatalf("%s does not contain %q after %v: %q", path, want, max(hangGuard, timeout), readText(path))
	}
}

// logWithin returns the text read by get once it contains want, or the
// last text read after hangGuard. PM2 writes apps' output and its own log
// asynchronously, so a line can land after the status it explains.
func logWithin(get func() string, want string) string {
	deadline := time.Now().Add(hangGuard)
	for {
		text := get()
		if strings.Contains(text, want) || time.Now().After(deadline) {
			return text
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// firstLineWith returns the first line of text that contains want, or "".
func firstLineWith(text, want string) string {
	for line := range strings.Lines(text) {
		if strings.Contains(line, want) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}
