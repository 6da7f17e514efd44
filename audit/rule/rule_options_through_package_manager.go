package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/pm2"
)

// optionsThroughPackageManager: node_args (or interpreter_args) and
// max_memory_restart on an app started through a package manager
// (`script: 'npm', args: 'start'`, yarn, pnpm) apply to the package
// manager's process, not to the code it starts in a child: PM2 hands
// node_args to the node that runs npm (docs/pm2-behaviour.md#package-manager-process), and checks the RSS of
// the main pid only, children not included (docs/pm2-behaviour.md#max-memory-restart). One finding per
// option; proven against PM2 in audit/proof.
type optionsThroughPackageManager struct{}

func (optionsThroughPackageManager) Meta() Meta {
	return Meta{ID: "options-through-package-manager", Severity: Warning, Behaviours: []string{"package-manager-process"},
		Docs: docsDeclaration, Proof: proofDir("options-through-package-manager")}
}

// packageManagerOptions are the options that act on PM2's own child
// process only (canonical names: option() also finds node_args'
// aliases interpreter_args and interpreterArgs).
var packageManagerOptions = []string{"node_args", "max_memory_restart"}

func (r optionsThroughPackageManager) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		script := scriptOf(a)
		pmName := a.PM2.PackageManager()
		if pmName == "" {
			continue
		}
		for _, key := range packageManagerOptions {
			f, ok := option(a.App, key)
			if !ok || isFalsy(f.Value) {
				continue
			}
			if key == "node_args" {
				if viaShell(a) {
					continue // 'npm start' runs through bash: node-args-non-node-interpreter
				}
				if interp, known := interpreterOf(a); !known || !pm2.IsNode(interp) {
					continue // interpreter 'none': node-args-non-node-interpreter says they are ignored
				}
			}
			fd := newFinding(r.Meta(), a, f.Line, key, key, message.Args{
				"pm":     message.CodeOf(pmName),
				"script": message.CodeOf(script),
				"option": message.OptionOf(f.Key),
				"value":  message.CodeOf(display(f.Value)),
				"memory": message.BoolOf(key == "max_memory_restart"),
			}, cite(a.App, key, "script", "args")...)
			fd.About.PackageManager = pmName
			out = append(out, fd)
		}
	}
	return out
}
