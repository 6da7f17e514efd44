// Command auditbot audits changes to PM2 ecosystem files against the code
// they run and writes the audit as a report (Spanish by default).
//
//	auditbot demo                     audit the built-in example
//	auditbot report [RANGE]           audit a change of a local repository
//	auditbot rules [ID]               list the rules, or explain one
//	auditbot serve                    run the GitHub App server
//
// This file is a thin shell: the work is done by packages audit, report and
// webhook.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/auditbot/auditbot/audit/secret"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit statuses.
const (
	exitOK       = 0 // no finding at or above --fail-on
	exitFindings = 1 // some finding at or above --fail-on
	exitError    = 2 // the command could not run
	// exitIncomplete: no finding at or above --fail-on, but part of the
	// configuration was not audited (verdict "incomplete").
	exitIncomplete = 3
)

// exitCodeError carries an exit status through cobra.
type exitCodeError struct {
	code int
	err  error
}

func (e *exitCodeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitCodeError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ce *exitCodeError
	if errors.As(err, &ce) {
		if ce.err != nil {
			fmt.Fprintf(stderr, "auditbot: %s\n", secret.RedactURLs(oneLine(ce.err)))
		}
		return ce.code
	}
	fmt.Fprintf(stderr, "auditbot: %s\n", secret.RedactURLs(oneLine(err)))
	return exitError
}

// oneLine flattens an error message to a single line: the error contract
// is one line on stderr, whatever a wrapped error carries.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "auditbot",
		Short: "Audit changes to PM2 ecosystem files against the code they run",
		Long: `auditbot audits every change to a PM2 ecosystem file (ecosystem.config.js and
friends) against the code the file runs, and writes the audit as a Markdown
report: Spanish by default, English with --lang en.

Configs are parsed, never executed; nothing outside the repository is read.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildVersion(),
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitCodeError{code: exitError, err: fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.AddCommand(newReportCmd(), newDemoCmd(), newRulesCmd(), newServeCmd(), newHealthcheckCmd())
	return root
}

// buildVersion is the version given at link time, else the module version
// or VCS revision recorded by the Go toolchain.
func buildVersion() string {
	if version != "dev" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return version
}
