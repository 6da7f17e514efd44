package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"regexp"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
)

// memoryLimitVsHeap: max_memory_restart next to a V8 heap limit
// (--max-old-space-size in node_args or NODE_OPTIONS) (docs/pm2-behaviour.md#heap-limit-first).
// RSS is always above the heap. Heap limit below max_memory_restart: V8
// aborts with "JavaScript heap out of memory" (SIGABRT) before PM2's limit
// is reached, and PM2 sees a crash: that is the finding. A heap limit at or
// above it is the intended setup (PM2's graceful restart comes first, at
// its 30-s check) and is not reported.
type memoryLimitVsHeap struct{}

func (memoryLimitVsHeap) Meta() Meta {
	return Meta{ID: "memory-limit-vs-heap", Severity: Info, Behaviours: []string{"heap-limit-first", "max-memory-restart"},
		Docs: docsMemory, Proof: proofDir("memory-limit-vs-heap")}
}

var heapFlag = regexp.MustCompile(`--max[-_]old[-_]space[-_]size[= ](\d+)`)

var byteLimit = regexp.MustCompile(`^(\d+)(G|M|K)?$`)

func (r memoryLimitVsHeap) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		f, ok := option(a.App, "max_memory_restart")
		if !ok || a.PM2.PackageManager() != "" {
			// Through a package manager neither limit reaches the code:
			// options-through-package-manager says so.
			continue
		}
		limit, ok := memoryBytes(f.Value)
		if !ok || limit <= 0 {
			continue
		}
		heapMiB, source, heapField := heapLimit(a)
		if heapMiB <= 0 {
			continue
		}
		heap := heapMiB << 20
		if heap >= limit {
			continue
		}
		key := "heap-below-limit"
		out = append(out, newFinding(r.Meta(), a, f.Line, "max_memory_restart", key, message.Args{
			"limit":      message.CodeOf(display(f.Value)),
			"limit_mib":  message.NumberOf(float64(limit >> 20)),
			"heap_mib":   message.NumberOf(float64(heapMiB)),
			"source":     message.CodeOf(source),
			"heap_below": message.BoolOf(heap < limit),
			"interval_s": message.NumberOf(float64(pm2.WorkerInterval / 1000)),
		}, f, heapField))
	}
	return out
}

// memoryBytes reads a valid max_memory_restart value in bytes.
func memoryBytes(v ecosystem.Value) (int64, bool) {
	if v.Kind == ecosystem.KindNumber {
		return int64(v.Num), true
	}
	s, ok := stringOf(v)
	if !ok {
		return 0, false
	}
	m := byteLimit.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, false
	}
	switch m[2] {
	case "K":
		n <<= 10
	case "M":
		n <<= 20
	case "G":
		n <<= 30
	}
	return n, true
}

// heapLimit finds --max-old-space-size (MiB) in node_args (when they reach
// node) or in env NODE_OPTIONS, with where it was found and the field.
func heapLimit(a *App) (int64, string, ecosystem.Field) {
	if interp, known := interpreterOf(a); known && pm2.IsBun(interp) {
		if cluster, _ := clusterMode(a); !cluster {
			// Bun runs JavaScriptCore and silently ignores
			// --max-old-space-size (oven-sh/bun#34917): no heap abort
			// comes first. (Cluster workers run on the daemon's node.)
			return 0, "", ecosystem.Field{}
		}
	}
	if f, ok := option(a.App, "node_args"); ok {
		interp, known := interpreterOf(a)
		cluster, _ := clusterMode(a)
		if cluster || (known && pm2.IsNode(interp)) {
			if n := heapIn(argStrings(f.Value)); n > 0 {
				return n, f.Key, f
			}
		}
	}
	if f, ok := option(a.App, "env"); ok && f.Value.Kind == ecosystem.KindObject {
		for _, ef := range f.Value.Fields {
			if s, ok := stringOf(ef.Value); ok && ef.Key == "NODE_OPTIONS" {
				if n := heapIn([]string{s}); n > 0 {
					return n, "env.NODE_OPTIONS", ef
				}
			}
		}
	}
	return 0, "", ecosystem.Field{}
}

func argStrings(v ecosystem.Value) []string {
	switch v.Kind {
	case ecosystem.KindString:
		return []string{v.Str}
	case ecosystem.KindArray:
		var out []string
		for _, it := range v.Items {
			if s, ok := stringOf(it); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func heapIn(args []string) int64 {
	var last int64
	for _, m := range heapFlag.FindAllStringSubmatch(strings.Join(args, " "), -1) {
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
			last = n
		}
	}
	return last
}
