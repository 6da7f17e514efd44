package report

import "github.com/auditbot/auditbot/audit"

// conclusions fills section 10's next steps.
func (b *builder) conclusions() {
	for _, f := range sortedFindings(b.doc.Findings) {
		if f.State == audit.Fixed {
			continue
		}
		r := viewFinding(f, b.opt.Lang).Remediation
		if r != "" && !contains(b.v.NextSteps, r) {
			b.v.NextSteps = append(b.v.NextSteps, r)
		}
	}
	b.v.NextSteps = capped(b.v.NextSteps, b.lim.list)
}
