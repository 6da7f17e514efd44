// Command auditbench times auditbot on the large generated repository
// (audit/benchrepo) beside git doing the same reads, and prints the
// wall-time ratio and the peak memory of each.
//
// The audit of A..B is compared with
//
//	git diff --name-only A B
//	git grep -n -E '<the scanner's anchor patterns>' B -- services/core
//
// run one after the other (their times add up; the peak is the larger).
// Each side runs in its own process so that its peak resident set size
// comes from the kernel (getrusage's ru_maxrss): git as itself, the audit
// either through the auditbot binary (-cli PATH: `auditbot report A..B
// --repo DIR --format json`) or, by default, through this binary
// re-executed as `auditbench -child`, which calls audit.RunRange in process
// and writes the JSON document, as the CLI does.
//
// Usage:
//
//	go run ./cmd/auditbench [-repo DIR] [-regen] [-runs N] [-cli PATH]
//	    [-files N -commits N -service-files N]
//	    [-cpuprofile F] [-memprofile F]
//
// The repository is generated once into -repo (default
// $TMPDIR/auditbot-bench/repo) and reused while it is complete and of the
// same size; -regen forces a new one. Every command is run once to warm
// the page cache, then -runs times; the fastest wall time and the fastest
// cpu time (user + system) of each are reported, with the load average:
// on a shared machine the cpu times are the steadier comparison. The
// child inherits the environment, so GOGC=400 auditbench measures the
// engine with a less eager garbage collector (git ignores it).
//
// -cpuprofile and -memprofile write profiles of one more engine run (for
// `go tool pprof`).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/benchrepo"
	"github.com/auditbot/auditbot/audit/change"
)

// grepPattern is what the scanner looks for, as one extended regular
// expression: its prefilter anchors (audit/scan/file.go sourceAnchors,
// dotAnchors and the lower-case "port =" check). git grep reads every
// file of the service and prints each matching line, which is the same
// work as the scan's prefilter plus its line positions.
const grepPattern = `process|listen|close|ready|Ready|READY|shutdown|PORT|Port|kill_|pathname|` +
	`\.(get|post|put|delete|patch|all|head|options|route)\(|\.(url|path)|port[[:space:]]*[=:]`

func main() {
	if err := mainErr(); err != nil {
		fmt.Fprintln(os.Stderr, "auditbench:", err)
		os.Exit(2)
	}
}

func mainErr() error {
	def := benchrepo.DefaultConfig()
	var (
		repo    = flag.String("repo", filepath.Join(os.TempDir(), "auditbot-bench", "repo"), "repository to generate (or reuse) and audit")
		regen   = flag.Bool("regen", false, "regenerate the repository even when a complete one exists")
		runs    = flag.Int("runs", 3, "timed runs of each side (the fastest is reported)")
		cli     = flag.String("cli", "", "time this auditbot binary (`auditbot report A..B`) instead of the in-process engine")
		child   = flag.Bool("child", false, "internal: audit -range in -repo in this process and write the JSON document to stdout")
		rng     = flag.String("range", "", "internal: the range audited by -child")
		cpuProf = flag.String("cpuprofile", "", "write a CPU profile of one engine run to this file")
		memProf = flag.String("memprofile", "", "write an allocation profile of one engine run to this file")
		files   = flag.Int("files", def.Files, "files in the generated repository")
		commits = flag.Int("commits", def.Commits, "commits in the generated repository")
		svc     = flag.Int("service-files", def.ServiceFiles, "JavaScript files of the audited service")
	)
	flag.Parse()
	ctx := context.Background()
	if *child {
		return runChild(ctx, *repo, *rng, *cpuProf, *memProf)
	}
	if *runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	cfg := benchrepo.Config{Files: *files, Commits: *commits, ServiceFiles: *svc}
	base, head, err := ensureRepo(ctx, *repo, cfg, *regen)
	if err != nil {
		return err
	}
	spec := base + ".." + head

	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own binary: %w", err)
	}
	auditCmd := []string{self, "-child", "-repo", *repo, "-range", spec}
	auditName := "auditbot (engine in process)"
	if *cli != "" {
		auditCmd = []string{*cli, "report", spec, "--repo", *repo, "--format", "json", "--fail-on", "never"}
		auditName = "auditbot report"
	}
	gitCmds := [][]string{
		{"git", "diff", "--name-only", base, head},
		{"git", "grep", "-n", "-E", grepPattern, head, "--", benchrepo.ServiceDir},
	}

	gitBest, err := best(ctx, *repo, gitCmds, *runs)
	if err != nil {
		return err
	}
	auditBest, err := best(ctx, *repo, [][]string{auditCmd}, *runs)
	if err != nil {
		return err
	}
	if *cpuProf != "" || *memProf != "" {
		args := append([]string{}, auditCmd...)
		args = append(args[:1], append([]string{"-cpuprofile", *cpuProf, "-memprofile", *memProf}, args[1:]...)...)
		if *cli != "" {
			return errors.New("profiles need the in-process engine (no -cli)")
		}
		if _, err := measure(ctx, *repo, [][]string{args}); err != nil {
			return err
		}
	}

	size, err := repoSize(ctx, *repo)
	if err != nil {
		return err
	}
	fmt.Printf("repository: %s (%s; %s)\n", *repo, strings.TrimSpace(cfg.String()), size)
	fmt.Printf("range:      %s\n", spec)
	fmt.Printf("machine:    %d CPUs (GOMAXPROCS %d), %s/%s, %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Printf("runs:       fastest of %d (wall and cpu each), after one warm-up run; load average %s\n\n", *runs, loadAvg())
	fmt.Printf("%-32s %10s %10s %12s\n", "", "wall", "cpu", "peak RSS")
	fmt.Printf("%-32s %10s %10s %9.1f MB\n", "git diff + git grep", round(gitBest.wall), round(gitBest.cpu), mb(gitBest.maxRSS))
	fmt.Printf("%-32s %10s %10s %9.1f MB\n", auditName, round(auditBest.wall), round(auditBest.cpu), mb(auditBest.maxRSS))
	fmt.Printf("\nratio (auditbot / git): %.2fx wall time, %.2fx cpu time, %.2fx peak RSS\n",
		auditBest.wall.Seconds()/gitBest.wall.Seconds(), auditBest.cpu.Seconds()/gitBest.cpu.Seconds(),
		float64(auditBest.maxRSS)/float64(gitBest.maxRSS))
	fmt.Printf("targets: at most 2x git's wall time (%s), under 150 MB peak (%s)\n",
		verdict(auditBest.wall <= 2*gitBest.wall), verdict(auditBest.maxRSS < 150<<20))
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func round(d time.Duration) time.Duration { return d.Round(100 * time.Microsecond) }

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// ensureRepo reuses a complete repository of the same size or generates one.
func ensureRepo(ctx context.Context, dir string, cfg benchrepo.Config, regen bool) (string, string, error) {
	if !regen {
		if base, head, ok := benchrepo.Complete(ctx, dir, cfg); ok {
			return base, head, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", "", fmt.Errorf("remove %s: %w", dir, err)
	}
	fmt.Fprintf(os.Stderr, "generating %s (%s)...\n", dir, strings.TrimSpace(cfg.String()))
	start := time.Now()
	base, head, err := benchrepo.Generate(ctx, dir, cfg)
	if err != nil {
		return "", "", fmt.Errorf("generate %s: %w", dir, err)
	}
	fmt.Fprintf(os.Stderr, "generated in %s\n", time.Since(start).Round(time.Millisecond))
	return base, head, nil
}

// repoSize describes the repository: files at HEAD, commits, pack size.
func repoSize(ctx context.Context, dir string) (string, error) {
	count := func(args ...string) (int, error) {
		out, err := exec.CommandContext(ctx, "git", args...).Output()
		if err != nil {
			return 0, fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return bytes.Count(out, []byte("\n")), nil
	}
	files, err := count("-C", dir, "ls-tree", "-r", "--name-only", "HEAD")
	if err != nil {
		return "", err
	}
	commits, err := count("-C", dir, "rev-list", "HEAD")
	if err != nil {
		return "", err
	}
	var packBytes int64
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	for _, p := range packs {
		if st, err := os.Stat(p); err == nil {
			packBytes += st.Size()
		}
	}
	return fmt.Sprintf("%d files at HEAD, %d commits, %.1f MB packed", files, commits, mb(packBytes)), nil
}

// sample is one measured run of a list of commands.
type sample struct {
	wall   time.Duration // summed over the commands
	cpu    time.Duration // user + system, summed over the commands
	maxRSS int64         // bytes, the largest of the commands
}

// best runs cmds once to warm up, then runs times, and returns the fastest.
func best(ctx context.Context, dir string, cmds [][]string, runs int) (sample, error) {
	if _, err := measure(ctx, dir, cmds); err != nil {
		return sample{}, err
	}
	var b sample
	for i := range runs {
		s, err := measure(ctx, dir, cmds)
		if err != nil {
			return sample{}, err
		}
		if i == 0 || s.wall < b.wall {
			b.wall = s.wall
		}
		if i == 0 || s.cpu < b.cpu {
			b.cpu = s.cpu
		}
		b.maxRSS = max(b.maxRSS, s.maxRSS)
	}
	return b, nil
}

// measure runs cmds one after the other in dir, output discarded.
func measure(ctx context.Context, dir string, cmds [][]string) (sample, error) {
	var s sample
	for _, args := range cmds {
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir = dir
		cmd.Stdout = io.Discard
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		err := cmd.Run()
		s.wall += time.Since(start)
		var exit *exec.ExitError
		// git grep exits 1 when nothing matches, auditbot report 1 when a
		// finding is at or above --fail-on: both ran fully.
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
			return s, fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			s.maxRSS = max(s.maxRSS, ru.Maxrss*1024) // Linux: kilobytes
			s.cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return s, nil
}

// runChild audits spec in repo in this process, as `auditbot report
// --format json` does, writing the document to stdout.
func runChild(ctx context.Context, dir, spec, cpuProf, memProf string) (err error) {
	if cpuProf != "" {
		f, err := os.Create(cpuProf)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if memProf != "" {
		runtime.MemProfileRate = 4096
	}
	repo, _, err := change.Open(ctx, dir)
	if err != nil {
		return err
	}
	doc, err := audit.RunRange(ctx, repo, spec, audit.Options{Version: "bench", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write document: %w", err)
	}
	fmt.Fprintf(os.Stderr, "verdict %s, %d findings, %d changed files\n", doc.Summary.Verdict, len(doc.Findings), len(doc.Changed))
	if memProf != "" {
		f, err := os.Create(memProf)
		if err != nil {
			return fmt.Errorf("memory profile: %w", err)
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return fmt.Errorf("memory profile: %w", err)
		}
	}
	return nil
}

// loadAvg is the 1-minute load average ("?" where unknown): other work on
// the machine inflates wall times.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}
