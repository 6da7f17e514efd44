package report

import "github.com/auditbot/auditbot/audit"

// The Document carries severities, states and kinds as strings (its JSON
// schema); the report reads them once, at its boundary, into these types,
// and an unknown value is a distinct case, never a silent default.

// Severity is a finding's severity.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
	SeverityUnknown Severity = ""
)

// State is what the change did to a finding.
type State string

// States.
const (
	StateIntroduced State = audit.Introduced
	StateFixed      State = audit.Fixed
	StateUnchanged  State = audit.Persisting
	StateUnknown    State = ""
)

// severityOf reads a finding's severity.
func severityOf(f audit.Finding) Severity {
	switch s := Severity(f.Severity); s {
	case SeverityError, SeverityWarning, SeverityInfo:
		return s
	}
	return SeverityUnknown
}

// stateOf reads a finding's state.
func stateOf(f audit.Finding) State {
	switch s := State(f.State); s {
	case StateIntroduced, StateFixed, StateUnchanged:
		return s
	}
	return StateUnknown
}

// rank orders severities, most severe first.
func (s Severity) rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}
