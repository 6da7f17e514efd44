package rule

import (
	"strings"

	"github.com/auditbot/auditbot/audit/message"
)

// clusterInterpreterIgnored: `interpreter`/`exec_interpreter` on an app
// that runs in cluster mode. Cluster workers are always the daemon's node
// running PM2's container: the interpreter is not used at all, and a
// `node@<version>` interpreter is refused outright (docs/pm2-behaviour.md#interpreter-by-extension, docs/pm2-behaviour.md#cluster-mode-node-only).
type clusterInterpreterIgnored struct{}

func (clusterInterpreterIgnored) Meta() Meta {
	return Meta{ID: "cluster-interpreter-ignored", Severity: Warning, Behaviours: []string{"cluster-mode-node-only", "interpreter-by-extension"},
		Docs: docsCluster, Proof: proofDir("cluster-interpreter-ignored")}
}

func (r clusterInterpreterIgnored) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		f, ok := option(a.App, "exec_interpreter")
		if !ok {
			continue
		}
		s, ok := stringOf(f.Value)
		if !ok || s == "" || s == "node" {
			continue
		}
		if cluster, known := clusterMode(a); !cluster || !known {
			continue
		}
		out = append(out, newFinding(r.Meta(), a, f.Line, "exec_interpreter", "", message.Args{
			"key":          message.OptionOf(f.Key),
			"interpreter":  message.CodeOf(s),
			"node_version": message.BoolOf(strings.HasPrefix(s, "node@")),
		}, f))
	}
	return out
}
