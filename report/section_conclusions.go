package report

import "github.com/auditbot/auditbot/audit"

// nextStep is one remediation of section 10, with the rows it resolves.
type nextStep struct {
	IDs  []string
	Text string
	// In names the section whose recommendation answers every row of
	// the step (a twin pair's, section 7): a comment points there.
	In string
}

// conclusions fills section 10's next steps: each remediation once, with
// the finding rows it answers.
func (b *builder) conclusions() {
	idx := map[string]int{}
	for _, f := range sortedFindings(b.doc.Findings) {
		if f.State == audit.Fixed {
			continue
		}
		r := b.view(f).Remediation
		if r == "" {
			continue
		}
		i, ok := idx[r]
		if !ok {
			i = len(b.v.NextSteps)
			idx[r] = i
			b.v.NextSteps = append(b.v.NextSteps, nextStep{Text: r})
		}
		b.v.NextSteps[i].IDs = appendNew(b.v.NextSteps[i].IDs, b.idOf(f))
	}
	b.v.NextSteps = capped(b.v.NextSteps, b.lim.list)
}
