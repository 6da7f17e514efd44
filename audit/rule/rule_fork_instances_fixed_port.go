package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// forkInstancesFixedPort: exec_mode 'fork' with more than one instance and
// one fixed port (docs/pm2-behaviour.md#fork-instances-no-port-sharing). Fork instances do not share a port:
// every instance but one dies with EADDRINUSE and crash-loops to errored.
// A port is fixed when env/env_* set PORT to a literal number, when the
// `port` option is set, or when the code listens on a literal port or on
// `process.env.PORT || <n>` that the config leaves unset. increment_var
// naming the port variable, or a listen call that uses the instance
// number, gives each instance its own port: no finding.
type forkInstancesFixedPort struct{}

func (forkInstancesFixedPort) Meta() Meta {
	return Meta{ID: "fork-instances-fixed-port", Severity: Error, Behaviours: []string{"fork-instances-no-port-sharing", "unstable-restarts"},
		Docs: docsCluster, Proof: proofDir("fork-instances-fixed-port")}
}

func (r forkInstancesFixedPort) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		if m := a.PM2.Mode; !m.Set || !m.Known || m.Value != pm2.Fork {
			continue
		}
		inst, ok := option(a.App, "instances")
		if !ok {
			continue
		}
		count, many := manyInstances(inst.Value, a.PM2.Instances)
		if !many {
			continue
		}
		port, source, line := fixedPort(a)
		if port == "" {
			continue
		}
		if f, ok := option(a.App, "increment_var"); ok {
			s, isStr := stringOf(f.Value)
			if !isStr || s == "PORT" {
				continue
			}
		}
		mode, _ := option(a.App, "exec_mode")
		fd := newFinding(r.Meta(), a, inst.Line, "instances", "", message.Args{
			"instances":   message.CodeOf(count),
			"per_cpu":     message.BoolOf(count == "max" || count == "0"),
			"cpu_minus":   message.CountOf(cpuMinus(count)),
			"port":        message.CodeOf(port),
			"port_source": message.CodeOf(source),
		}, mode, inst)
		if line > 0 && source != "code" {
			fd.Evidence = append(fd.Evidence, configEvidence(a.File.Path, line, source+" = "+port))
		}
		if res := scanOf(a); res != nil && source == "code" {
			fd.Evidence = append(fd.Evidence, res.Filter(scan.PortDefault, scan.InCode)...)
			fd.Evidence = append(fd.Evidence, res.Filter(scan.Listen, scan.InCode)...)
		}
		out = append(out, fd)
	}
	return out
}

// manyInstances reports whether the app's instance count (App.PM2)
// means more than one process (> 1; 0: one per CPU; negative: CPUs + n,
// docs/pm2-behaviour.md#implicit-cluster-mode), with the value as text:
// 'max' as written, else the count PM2 uses ('all' is parseInt's 0).
func manyInstances(v ecosystem.Value, n pm2.Resolved[int]) (text string, many bool) {
	if !n.Known {
		return "", false
	}
	if s, ok := stringOf(v); ok && s == "max" {
		return "max", true
	}
	return itoa(n.Value), n.Value > 1 || n.Value <= 0
}

// cpuMinus is n for an instances value of -n (CPUs - n), else 0.
func cpuMinus(text string) int {
	n, ok := jsNumber(text)
	if !ok || n >= 0 {
		return 0
	}
	return int(-n)
}

// fixedPort finds a port every instance would use: from env (any env or
// env_*: whichever --env is used), the `port` option, or the code.
func fixedPort(a *App) (port, source string, line int) {
	for _, f := range a.App.Fields {
		if f.Key != "env" && !strings.HasPrefix(f.Key, "env_") {
			continue
		}
		if f.Value.Kind != ecosystem.KindObject {
			continue
		}
		for _, ef := range f.Value.Fields {
			if ef.Key != "PORT" {
				continue
			}
			if n, ok := numberOf(ef.Value); ok && n > 0 {
				return formatNumber(n), f.Key + ".PORT", ef.Line
			}
		}
	}
	if f, ok := option(a.App, "port"); ok {
		if n, ok := numberOf(f.Value); ok && n > 0 {
			return formatNumber(n), "port", f.Line
		}
	}
	res := scanOf(a)
	if res == nil {
		return "", "", 0
	}
	listens := res.Filter(scan.Listen, scan.InCode)
	for _, l := range listens {
		if strings.Contains(l.Detail, "NODE_APP_INSTANCE") || strings.Contains(l.Detail, "instance") {
			return "", "", 0
		}
	}
	for _, l := range listens {
		if n, ok := jsNumber(l.Detail); ok && n > 0 && strings.TrimSpace(l.Detail) != "" {
			return formatNumber(n), "code", l.Line
		}
	}
	if defs := res.Filter(scan.PortDefault, scan.InCode); len(defs) > 0 && len(listens) > 0 {
		return defs[0].Detail, "code", defs[0].Line
	}
	return "", "", 0
}
