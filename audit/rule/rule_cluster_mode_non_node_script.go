package rule

import (
	"github.com/auditbot/auditbot/audit/ecosystem"

	"github.com/auditbot/auditbot/audit/message"
)

// clusterModeNonNodeScript: an app that PM2 runs in cluster mode whose
// script is not JavaScript (.sh, .py, a binary, or a command with spaces
// such as 'npm start'). Cluster workers are always node requiring the
// script, so it fails at once and crash-loops to errored (docs/pm2-behaviour.md#interpreter-by-extension, docs/pm2-behaviour.md#implicit-cluster-mode,
// §13.13). Split from implicit-cluster-mode because the outcome is an
// outage, not a surprise.
type clusterModeNonNodeScript struct{}

func (clusterModeNonNodeScript) Meta() Meta {
	return Meta{ID: "cluster-mode-non-node-script", Severity: Error, Behaviours: []string{"cluster-mode-node-only", "implicit-cluster-mode", "unstable-restarts"},
		Docs: docsCluster, Proof: proofDir("cluster-mode-non-node-script")}
}

func (r clusterModeNonNodeScript) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		if cluster, known := clusterMode(a); !cluster || !known {
			continue
		}
		js, known := scriptIsJS(a)
		if js || !known {
			continue
		}
		line, opt := a.App.Line, "exec_mode"
		explicit := false
		var cite []ecosystem.Field
		if f, ok := option(a.App, "exec_mode"); ok {
			line, explicit = f.Line, true
			cite = append(cite, f)
		} else if f, ok := option(a.App, "instances"); ok {
			line, opt = f.Line, "instances"
			cite = append(cite, f)
		}
		if f, ok := option(a.App, "script"); ok {
			cite = append(cite, f)
		}
		out = append(out, newFinding(r.Meta(), a, line, opt, "", message.Args{
			"script":    message.CodeOf(scriptOf(a)),
			"via_shell": message.BoolOf(viaShell(a)),
			"explicit":  message.BoolOf(explicit),
		}, cite...))
	}
	return out
}
