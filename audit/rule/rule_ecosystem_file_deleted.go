package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"path"
	"strings"

	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// ecosystemFileDeleted: the change deletes an ecosystem file whose apps no
// other file declares at head. Deleting a file stops nothing: running
// apps keep their configuration until deleted (docs/pm2-behaviour.md#restart-keeps-config, `pm2 restart
// <name>` does not read the file), and `pm2 start` of the file now fails
// (docs/pm2-behaviour.md#deleted-file-apps-keep-running). The finding names the apps and the
// commands that stop them. Proven against PM2 in audit/proof.
type ecosystemFileDeleted struct{}

func (ecosystemFileDeleted) Meta() Meta {
	return Meta{ID: "ecosystem-file-deleted", Severity: Warning,
		Behaviours: []string{"deleted-file-apps-keep-running", "restart-keeps-config", "config-file-names"},
		Docs:       docsDeclaration, Proof: proofDir("ecosystem-file-deleted")}
}

func (r ecosystemFileDeleted) Check(in *Input) []Finding {
	var out []Finding
	m := r.Meta()
	for _, d := range in.Deleted {
		if d.File == nil || len(d.Gone) == 0 {
			continue
		}
		names := make([]string, len(d.Gone))
		cmds := make([]string, len(d.Gone))
		for i, n := range d.Gone {
			names[i] = n
			// A name PM2 would read as an option is given as a regular
			// expression of that name (docs/pm2-behaviour.md#cli-option-like-names).
			args := pm2.AppArgs("delete", n)
			for j := 1; j < len(args); j++ {
				args[j] = shellQuote(args[j])
			}
			cmds[i] = "pm2 " + strings.Join(args, " ")
		}
		out = append(out, Finding{Rule: m.ID, Severity: m.Severity, Path: d.File.Path, Line: fileLine(d.File),
			Args: message.Args{
				"file":     message.CodeOf(path.Base(d.File.Path)),
				"apps":     message.CodesOf(names),
				"count":    message.CountOf(len(d.Gone)),
				"commands": message.CodeOf(strings.Join(cmds, " && ") + " && pm2 save"),
			},
			Evidence: []scan.Evidence{exportEvidence(d.File)}})
	}
	return out
}

// shellQuote quotes s for a POSIX shell: single quotes, with each single
// quote written as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
