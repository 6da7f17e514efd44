package rule

import "github.com/auditbot/auditbot/audit/message"

// implicitClusterMode: `instances` (>= -1, or 'max') without `exec_mode`
// and a Node interpreter puts the app in cluster mode, even with
// instances: 1 (docs/pm2-behaviour.md#implicit-cluster-mode). PM2 only does this for node/bun interpreters; a
// non-Node script with instances and no exec_mode stays in fork mode, and
// a non-Node script that does end up in cluster mode is the separate
// error cluster-mode-non-node-script.
type implicitClusterMode struct{}

func (implicitClusterMode) Meta() Meta {
	return Meta{ID: "implicit-cluster-mode", Severity: Warning, Behaviours: []string{"implicit-cluster-mode", "cluster-separate-processes"},
		Docs: docsCluster, Proof: proofDir("implicit-cluster-mode")}
}

func (r implicitClusterMode) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		inst, ok := option(a.App, "instances")
		if !ok {
			continue
		}
		if a.PM2.Mode.Set {
			continue // exec_mode is written (an empty one is dropped: not written)
		}
		if cluster, known := clusterMode(a); !cluster || !known {
			continue
		}
		if js, known := scriptIsJS(a); known && !js {
			continue // cluster-mode-non-node-script reports it as an error
		}
		out = append(out, newFinding(r.Meta(), a, inst.Line, "instances", "", message.Args{
			"instances": message.CodeOf(display(inst.Value)),
			"one":       message.BoolOf(display(inst.Value) == "1"),
		}, inst))
	}
	return out
}
