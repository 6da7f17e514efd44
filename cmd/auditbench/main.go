// Command auditbench measures `auditbot report A..B` against git doing the
// same reads (`git diff --name-only A B` plus `git grep` of the patterns
// auditbot looks for in the service) on a generated repository, and prints
// the wall-time ratio and peak memory of each.
//
//	go run ./cmd/auditbench            # default size, 5 runs each
//	go run ./cmd/auditbench -runs 10 -dir /tmp/bench
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/auditbot/auditbot/audit/benchrepo"
)

// grepPattern is what auditbot's scan looks for, as an extended regexp.
const grepPattern = `process\.send|process\.(on|once)\(|\.listen\(|\.close\(|wait_ready|listen_timeout|kill_timeout`

func main() {
	runs := flag.Int("runs", 5, "runs of each command (the median is reported)")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "auditbot-bench"), "where the generated repository lives (reused when present)")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(context.Background(), *dir, *runs, os.Stdout); err != nil {
		logger.Error("benchmark failed", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir string, runs int, w io.Writer) error {
	repo := filepath.Join(dir, "repo")
	if _, err := os.Stat(filepath.Join(repo, ".git")); err != nil {
		fmt.Fprintf(w, "generating %s ...\n", repo)
		if _, _, err := benchrepo.Generate(ctx, repo, benchrepo.DefaultConfig()); err != nil {
			return fmt.Errorf("generate repository: %w", err)
		}
	}
	bin := filepath.Join(dir, "auditbot")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/auditbot")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build auditbot (run from the module root): %w", err)
	}
	files, err := exec.CommandContext(ctx, "git", "-C", repo, "ls-files").Output()
	if err != nil {
		return fmt.Errorf("git ls-files: %w", err)
	}
	fmt.Fprintf(w, "repository: %d files, range HEAD~1..HEAD, service %s\n\n", countLines(files), benchrepo.ServiceDir)

	auditbot := measure(ctx, runs, repo, [][]string{{bin, "report", "HEAD~1..HEAD", "--format", "json", "--fail-on", "never"}})
	git := measure(ctx, runs, repo, [][]string{
		{"git", "diff", "--name-only", "HEAD~1", "HEAD"},
		{"git", "grep", "-n", "-E", grepPattern, "HEAD", "--", benchrepo.ServiceDir},
	})
	if auditbot.err != nil {
		return auditbot.err
	}
	if git.err != nil {
		return git.err
	}
	fmt.Fprintf(w, "%-10s %12s %14s\n", "", "median wall", "peak RSS")
	fmt.Fprintf(w, "%-10s %12s %11.1f MB\n", "git", git.wall.Round(time.Millisecond), git.rssMB)
	fmt.Fprintf(w, "%-10s %12s %11.1f MB\n", "auditbot", auditbot.wall.Round(time.Millisecond), auditbot.rssMB)
	fmt.Fprintf(w, "\nratio auditbot/git: wall %.2fx, peak memory %.2fx (targets: wall <= 2x, memory < 150 MB)\n",
		float64(auditbot.wall)/float64(git.wall), auditbot.rssMB/git.rssMB)
	return nil
}

type result struct {
	wall  time.Duration
	rssMB float64
	err   error
}

// measure runs the command sequence runs times and returns the median
// total wall time and the largest peak RSS of any process.
func measure(ctx context.Context, runs int, dir string, cmds [][]string) result {
	var walls []time.Duration
	var peak int64
	for range runs {
		var total time.Duration
		for _, argv := range cmds {
			cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
			cmd.Dir = dir
			cmd.Stdout = io.Discard
			start := time.Now()
			if err := cmd.Run(); err != nil {
				var ee *exec.ExitError
				// git grep exits 1 when nothing matches; that is a result.
				if !(errors.As(err, &ee) && ee.ExitCode() == 1) {
					return result{err: fmt.Errorf("%v: %w", argv, err)}
				}
			}
			total += time.Since(start)
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				peak = max(peak, ru.Maxrss) // kilobytes on Linux
			}
		}
		walls = append(walls, total)
	}
	slices.Sort(walls)
	return result{wall: walls[len(walls)/2], rssMB: float64(peak) / 1024}
}

func countLines(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n
}
