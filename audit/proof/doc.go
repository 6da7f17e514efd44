// Package proof holds the integration proofs of auditbot's rules: for
// every rule that claims how PM2 behaves at run time, a case under
// testdata/<rule-id>/ with a bad and a corrected variant, and a Go test
// that installs the pinned PM2 from the npm registry and observes the claim
// on a real PM2 daemon.
//
// The package has no API; everything lives in its tests and testdata. See
// README.md for how to run the suite and how to bump PM2.
package proof
