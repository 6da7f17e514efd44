package report

import (
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
)

// Evidence kinds and contexts as the scanner writes them (audit/scan).
const (
	evHandshake     = "ready-handshake"
	evReadyMention  = "ready-mention"
	evSignal        = "signal-handler"
	evShutdownMsg   = "shutdown-message"
	evListen        = "listen"
	evClose         = "close"
	evRoute         = "route"
	evPortDefault   = "port-default"
	evOptionMention = "option-mention"
	evPossible      = "possible-handshake"
	evWorker        = "worker-ready-handshake"
	ctxCode         = "code"
	ctxTest         = "test"
	defaultEcoFile  = "ecosystem.config.js" // what `pm2 start` loads (docs/pm2-behaviour.md#default-config-file)
	defaultListenMS = 3000                  // docs/pm2-behaviour.md#wait-ready-timeout
)

// optionGroups sorts options into the groups of the "unchanged" lists,
// by canonical PM2 key (groupOf folds aliases and camelCase).
var optionGroups = map[string]string{
	"name": "process", "script": "process", "cwd": "process", "args": "process",
	"exec_interpreter": "process", "namespace": "process",
	"instances": "mode", "exec_mode": "mode", "increment_var": "mode", "instance_var": "mode",
	"watch": "watch", "ignore_watch": "watch", "watch_delay": "watch", "watch_options": "watch",
	"port": "env", "env": "env", "filter_env": "env", "append_env_to_name": "env",
	"error_file": "logs", "out_file": "logs", "log_file": "logs", "log_date_format": "logs",
	"merge_logs": "logs", "pid_file": "logs", "log_type": "logs", "time": "logs",
	"autorestart": "restart", "max_restarts": "restart", "min_uptime": "restart", "restart_delay": "restart",
	"exp_backoff_restart_delay": "restart", "stop_exit_codes": "restart", "cron_restart": "restart",
	"kill_timeout": "shutdown", "shutdown_with_message": "shutdown", "kill_retry_time": "shutdown",
	"treekill": "shutdown", "wait_ready": "startup", "listen_timeout": "startup",
	"max_memory_restart": "memory", "node_args": "memory",
}

// groupOrder is the order of the groups in the "unchanged" lists.
var groupOrder = []string{"process", "mode", "watch", "env", "logs", "restart", "shutdown", "startup", "memory", "other"}

func groupOf(key string) string {
	if c, ok := pm2.Default().Canonical(key); ok {
		key = c
	}
	if g, ok := optionGroups[key]; ok {
		return g
	}
	if strings.HasPrefix(key, "env_") {
		return "env"
	}
	return "other"
}

// healthRoute matches route paths used for health checks.
var healthRoute = regexp.MustCompile(`(?i)(health|ready|readiness|live|liveness|ping)`)

// safeRoute matches route paths that can go into a curl command as is.
var safeRoute = regexp.MustCompile(`^/[A-Za-z0-9._~/-]*$`)

// optionKeyRe matches option names that can go into a search pattern.
var optionKeyRe = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

func sevRank(s string) int { return Severity(s).rank() }

// sortedFindings returns the findings in report order.
func sortedFindings(fs []audit.Finding) []audit.Finding {
	out := append([]audit.Finding(nil), fs...)
	slices.SortStableFunc(out, audit.CompareFindings)
	return out
}

// findingView is a finding in the report's language.
type findingView struct {
	audit.Finding
	Message     string
	Title       string
	Remediation string
}

// viewFinding phrases a finding in the catalog's language.
func (c *catalog) viewFinding(f audit.Finding) (findingView, error) {
	title, msg, rem, err := c.rules.finding(f)
	if err != nil {
		return findingView{}, err
	}
	return findingView{Finding: f, Message: msg, Title: title, Remediation: rem}, nil
}

// ecoLang is the fence language of an ecosystem file.
func ecoLang(format, p string) string {
	switch format {
	case "json":
		return "json"
	case "yaml":
		return "yaml"
	case "ts":
		return "typescript"
	case "js", "cjs", "mjs":
		return "javascript"
	}
	switch path.Ext(p) {
	case ".json":
		return "json"
	case ".yml", ".yaml":
		return "yaml"
	case ".ts":
		return "typescript"
	}
	return "javascript"
}

// headApps returns the apps of an ecosystem at head (nil when deleted or
// unparsable).
func headApps(e *audit.Ecosystem) []audit.App {
	if e.Head == nil || e.Head.Error != nil {
		return nil
	}
	return e.Head.Apps
}

func findApp(apps []audit.App, name string) *audit.App {
	for i := range apps {
		if apps[i].Name == name {
			return &apps[i]
		}
	}
	return nil
}

// findOption returns the app's option key. For an option PM2 knows it is
// the spelling PM2 reads, whatever the app writes (waitReady,
// interpreter_args, exec for script: pm2.Schema.Pick, as the engine reads
// it); any other key is matched as written.
func findOption(a *audit.App, key string) *audit.Option {
	if a == nil {
		return nil
	}
	if c, ok := pm2.Default().Canonical(key); ok {
		keys := make([]string, len(a.Options))
		for i, o := range a.Options {
			keys[i] = o.Key
		}
		i, ok := pm2.Default().Pick(keys, func(i int) (bool, bool) { return pm2Value(&a.Options[i]).Truthy() })[c]
		if !ok {
			return nil
		}
		return &a.Options[i]
	}
	for i := range a.Options {
		if a.Options[i].Key == key {
			return &a.Options[i]
		}
	}
	return nil
}

// pm2Value is an option of the document as pm2 reads values.
func pm2Value(o *audit.Option) pm2.Value {
	if o.Dynamic {
		return pm2.Value{Kind: pm2.Dynamic, Source: o.Source}
	}
	switch x := o.Value.(type) {
	case nil:
		return pm2.Value{Kind: pm2.Null}
	case string:
		return pm2.Value{Kind: pm2.String, Str: x}
	case bool:
		return pm2.Value{Kind: pm2.Boolean, Bool: x}
	case []any:
		return pm2.Value{Kind: pm2.Array}
	case map[string]any:
		return pm2.Value{Kind: pm2.Object}
	}
	if f, ok := numeric(o.Value); ok {
		return pm2.Value{Kind: pm2.Number, Num: f}
	}
	return pm2.Value{Kind: pm2.Object}
}

// appNames lists the distinct app names of the change, in order of
// appearance (head first, then base).
func appNames(doc *audit.Document) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for i := range doc.Ecosystems {
		e := &doc.Ecosystems[i]
		for _, a := range headApps(e) {
			add(a.Name)
		}
		if e.Base != nil {
			for _, a := range e.Base.Apps {
				add(a.Name)
			}
		}
	}
	for _, s := range doc.Services {
		add(s.App)
	}
	return out
}

// changeCounts counts option changes by kind over every ecosystem.
func changeCounts(doc *audit.Document) map[string]int {
	n := map[string]int{}
	for _, e := range doc.Ecosystems {
		for _, c := range e.Changes {
			n[c.Change]++
		}
		if e.Status == "added" && len(e.Changes) == 0 {
			n[audit.Added]++
		}
		if e.Status == "deleted" && len(e.Changes) == 0 {
			n[audit.Removed]++
		}
	}
	return n
}

// changeType classifies the change for the header's "Tipo".
func changeType(doc *audit.Document) string {
	if !doc.Impact {
		return "none"
	}
	n := changeCounts(doc)
	add, rem, mod := n[audit.Added], n[audit.Removed], n[audit.Modified]
	switch {
	case rem > 0 && add == 0 && mod == 0:
		return "removal"
	case add > 0 && rem == 0 && mod == 0:
		return "addition"
	case add+rem+mod > 0:
		return "mixed"
	}
	for _, c := range doc.Changed {
		if c.Kind == audit.KindEcosystem {
			return "mixed"
		}
	}
	return "source"
}

// twinPairs lists each pair of twin files once, sorted.
func twinPairs(doc *audit.Document) [][2]string {
	seen := map[[2]string]bool{}
	var out [][2]string
	for _, e := range doc.Ecosystems {
		for _, t := range e.Twins {
			p := [2]string{e.Path, t}
			if p[1] < p[0] {
				p[0], p[1] = p[1], p[0]
			}
			if p[0] == p[1] || seen[p] {
				continue
			}
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}

// primaryEcosystem picks, for an app, the file to start it with: the one
// `pm2 start` loads by default when the app is in it, else the first
// loadable file that has the app at head, else any.
func primaryEcosystem(doc *audit.Document, app string) *audit.Ecosystem {
	var first, loadable *audit.Ecosystem
	for i := range doc.Ecosystems {
		e := &doc.Ecosystems[i]
		if findApp(headApps(e), app) == nil {
			continue
		}
		if path.Base(e.Path) == defaultEcoFile {
			return e
		}
		if first == nil {
			first = e
		}
		if loadable == nil && e.Loadable {
			loadable = e
		}
	}
	if loadable != nil {
		return loadable
	}
	return first
}

// serviceFor finds the service of an app in an ecosystem file.
func serviceFor(doc *audit.Document, eco, app string) *audit.Service {
	var any *audit.Service
	for i := range doc.Services {
		s := &doc.Services[i]
		if s.App != app {
			continue
		}
		if s.Ecosystem == eco {
			return s
		}
		if any == nil {
			any = s
		}
	}
	return any
}

// testEvidence is the evidence found only in tests and fixtures, which
// PM2 does not run (the scanner keeps handshakes and shutdown handlers
// there, in context test).
func testEvidence(s *audit.Service) []audit.Evidence {
	if s == nil {
		return nil
	}
	var out []audit.Evidence
	for _, e := range s.Evidence {
		if e.Context == ctxTest {
			out = append(out, e)
		}
	}
	return out
}

func evidenceOf(s *audit.Service, kind string, codeOnly bool) []audit.Evidence {
	if s == nil {
		return nil
	}
	var out []audit.Evidence
	for _, e := range s.Evidence {
		if e.Kind == kind && (!codeOnly || e.Context == ctxCode) {
			out = append(out, e)
		}
	}
	return out
}

// portOf finds the port an app listens on, and where that came from:
// the literal argument of every listen() call of the code when they all
// have one, else env.PORT of the app, its port option, a default port in
// code, or a numeric listen() argument. ok is false when it is unknown.
func portOf(app *audit.App, svc *audit.Service) (port, source string, ok bool) {
	// A code that listens only on literal ports listens there, whatever
	// env.PORT or a default says: the configuration's PORT is then not
	// read.
	literal := ""
	for _, e := range evidenceOf(svc, evListen, true) {
		n, err := strconv.Atoi(strings.TrimSpace(e.Detail))
		if err != nil || n <= 0 || n >= 65536 || (literal != "" && literal != strconv.Itoa(n)) {
			literal = ""
			break
		}
		literal = strconv.Itoa(n)
	}
	if literal != "" {
		return literal, "listen", true
	}
	if o := findOption(app, "env"); o != nil && !o.Dynamic {
		if m, isMap := o.Value.(map[string]any); isMap {
			if f, num := numeric(m["PORT"]); num && f > 0 && f < 65536 && f == float64(int(f)) {
				return strconv.Itoa(int(f)), "env", true
			}
		}
	}
	if o := findOption(app, "port"); o != nil && !o.Dynamic {
		if f, num := numeric(o.Value); num && f > 0 && f < 65536 && f == float64(int(f)) {
			return strconv.Itoa(int(f)), "option", true
		}
	}
	for _, e := range evidenceOf(svc, evPortDefault, true) {
		if n, err := strconv.Atoi(strings.TrimSpace(e.Detail)); err == nil && n > 0 && n < 65536 {
			return strconv.Itoa(n), "code", true
		}
	}
	for _, e := range evidenceOf(svc, evListen, true) {
		if n, err := strconv.Atoi(strings.TrimSpace(e.Detail)); err == nil && n > 0 && n < 65536 {
			return strconv.Itoa(n), "listen", true
		}
	}
	return "", "", false
}

// healthRoutes lists the GET routes of a service that look like health
// checks and are safe to put in a command.
func healthRoutes(svc *audit.Service) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range evidenceOf(svc, evRoute, true) {
		method, p, found := strings.Cut(strings.TrimSpace(e.Detail), " ")
		if !found {
			p, method = method, "GET"
		}
		if !strings.EqualFold(method, "GET") && !strings.EqualFold(method, "ALL") && !strings.EqualFold(method, "USE") {
			continue
		}
		if !safeRoute.MatchString(p) || !healthRoute.MatchString(p) || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// envNames lists the names given by env_<name> options (for --env).
func envNames(app *audit.App) []string {
	var out []string
	if app == nil {
		return nil
	}
	for _, o := range app.Options {
		if n, ok := strings.CutPrefix(o.Key, "env_"); ok && n != "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// pm2SignalsPage is PM2's "Graceful Start/Shutdown" page; its "Graceful
// start" heading (anchor #graceful-start) documents wait_ready and
// process.send('ready'). Only that anchor is added: it is the one the
// page's heading really produces and others link to.
const pm2SignalsPage = "https://pm2.keymetrics.io/docs/usage/signals-clean-restart/"

// docsURL is the PM2 page of a finding: the rule's Docs link, pointed at
// the "Graceful start" section when the finding is about wait_ready.
func docsURL(f audit.Finding) string {
	if f.Docs != pm2SignalsPage {
		return f.Docs
	}
	if s := f.About.Subject; f.Option == "wait_ready" || s == rule.HandshakeAbsent || s == rule.HandshakeIgnored {
		return f.Docs + "#graceful-start"
	}
	return f.Docs
}
