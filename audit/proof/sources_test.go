package proof

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit/pm2"
)

// sourceRef is "file:line" or "file:first-last" at the start of a
// behaviour's Source entry.
var sourceRef = regexp.MustCompile(`^([\w./-]+):(\d+)(?:-(\d+))?`)

// pinnedSources are lines docs/pm2-behaviour.md cites with what they must
// say in the installed PM2: the constants and checks the rules' numbers
// and claims come from. They are the lines the fact sheet we started from
// got wrong for 7.0.4 (audit/proof/FINDINGS.md 16).
var pinnedSources = map[string]string{
	"constants.js:34":           "APP_CONF_DEFAULT_FILE   : 'ecosystem.config.js'",
	"constants.js:83":           "GRACEFUL_LISTEN_TIMEOUT : parseInt(process.env.PM2_GRACEFUL_LISTEN_TIMEOUT) || 3000",
	"constants.js:102":          "WORKER_INTERVAL         : process.env.PM2_WORKER_INTERVAL || 30000",
	"constants.js:103":          "KILL_TIMEOUT            : process.env.PM2_KILL_TIMEOUT || 1600",
	"constants.js:105":          "KILL_SIGNAL             : process.env.PM2_KILL_SIGNAL || 'SIGINT'",
	"lib/God.js:333":            "packet.raw === 'ready'",
	"lib/God.js:394":            "packet.raw === 'ready'",
	"lib/God.js:391":            "clu.pm2_env.listen_timeout || cst.GRACEFUL_LISTEN_TIMEOUT",
	"lib/God/ClusterMode.js:40": "cluster.settings.execArgv = env_copy.node_args",
	"lib/God/Methods.js:242":    "process.kill(parseInt(pid), cst.KILL_SIGNAL)",
	"lib/tools/Config.js:100":   "conf[sk] || (conf[sk] = json[alias])",
	"lib/Watcher.js:38":         "ignored       : pm2_env.ignore_watch || /[\\/\\\\]\\.|node_modules/",
	"lib/Common.js:650":         "Environment [%s] is not defined in process file",
	"lib/binaries/CLI.js:189":   "process.argv[_arr.indexOf('log')] = 'logs'",
	"lib/API.js:1469":           "isNaN(process_name) && process_name[0] === '/' && process_name[process_name.length - 1] === '/'",
}

// checkBehaviourSources checks docs/pm2-behaviour.md's source citations
// against the installed PM2: every cited file exists and has the cited
// lines, and the pinned lines say what the behaviours rely on. A PM2 bump
// that moves them fails here, pointing at audit/pm2/behaviour.go.
func checkBehaviourSources(t *testing.T, p *pm2Install) {
	if p.version != pm2.ProvenVersion {
		t.Errorf("installed pm2 %s, but docs/pm2-behaviour.md cites the sources of %s (pm2.ProvenVersion)", p.version, pm2.ProvenVersion)
	}
	lines := func(file string) [][]byte {
		b, err := os.ReadFile(filepath.Join(p.module, filepath.FromSlash(file)))
		if err != nil {
			t.Errorf("pm2 %s has no %s: %v", p.version, file, err)
			return nil
		}
		return bytes.Split(b, []byte("\n"))
	}
	cited := map[string]bool{}
	for _, b := range pm2.Behaviours() {
		for _, src := range b.Source {
			m := sourceRef.FindStringSubmatch(src)
			if m == nil {
				if !strings.HasPrefix(src, "lib/API/schema.json") && !strings.HasPrefix(src, "lib/API/interpreter.json") {
					t.Errorf("behaviour %s: source %q is not file:line", b.ID, src)
				}
				continue
			}
			last, _ := strconv.Atoi(m[2])
			if m[3] != "" {
				last, _ = strconv.Atoi(m[3])
			}
			if ls := lines(m[1]); ls != nil && len(ls) < last {
				t.Errorf("behaviour %s: %s has %d lines, the citation %q needs %d", b.ID, m[1], len(ls), src, last)
			}
			first, _ := strconv.Atoi(m[2])
			for l := first; l <= last; l++ {
				cited[m[1]+":"+strconv.Itoa(l)] = true
			}
		}
	}
	for ref, want := range pinnedSources {
		if !cited[ref] {
			t.Errorf("pinned line %s is cited by no behaviour", ref)
		}
		file, n, _ := strings.Cut(ref, ":")
		i, _ := strconv.Atoi(n)
		ls := lines(file)
		if i > len(ls) || !bytes.Contains(ls[i-1], []byte(want)) {
			got := ""
			if i <= len(ls) {
				got = strings.TrimSpace(string(ls[i-1]))
			}
			t.Errorf("pm2 %s %s is %q, want it to contain %q", p.version, ref, got, want)
		}
	}
}
