package ecosystem

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*/expected.json")

// caseFile is the one input file of a testdata case; its path relative to
// the case directory is the repository path given to Parse.
func caseFile(t *testing.T, dir string) (rel string, src []byte) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "expected.json" {
			return err
		}
		if rel != "" {
			return fmt.Errorf("two inputs in %s", dir)
		}
		r, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(r)
		src, err = os.ReadFile(p)
		return err
	})
	if err != nil || rel == "" {
		t.Fatalf("case %s: %v", dir, err)
	}
	return rel, src
}

// summary is the compact, reviewable form of a parsed file the golden
// files hold.
type summary struct {
	Path       string       `json:"path"`
	Format     Format       `json:"format"`
	Loadable   bool         `json:"loadable"`
	Module     Module       `json:"module"`
	AppsLine   int          `json:"apps_line"`
	AppsDyn    bool         `json:"apps_dynamic,omitempty"`
	Apps       []appSummary `json:"apps"`
	Unresolved []string     `json:"unresolved,omitempty"`
	Lines      int          `json:"lines"`
}

type appSummary struct {
	Name    string   `json:"name"`
	Lines   string   `json:"lines"`
	Dynamic string   `json:"dynamic,omitempty"`
	Fields  []string `json:"fields"`
}

// render writes a value as kind:value plus its markers.
func render(v Value) string {
	var s string
	switch v.Kind {
	case KindString:
		s = strconv.Quote(v.Str)
	case KindNumber:
		s = strconv.FormatFloat(v.Num, 'f', -1, 64)
	case KindBool:
		s = strconv.FormatBool(v.Bool)
	case KindNull, KindUndefined:
		s = string(v.Kind)
	case KindArray:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = render(it)
		}
		s = "[" + strings.Join(parts, ", ") + "]"
	case KindObject:
		parts := make([]string, len(v.Fields))
		for i, f := range v.Fields {
			parts[i] = renderField(f)
		}
		s = "{" + strings.Join(parts, ", ") + "}"
	case KindDynamic:
		s = "dynamic(" + v.Source + ")"
	}
	if v.Env != "" {
		s += " env=" + v.Env
	}
	if v.RepoPath {
		s += " repo"
	}
	if v.Secret {
		s += " secret"
	}
	return s
}

func renderField(f Field) string {
	sp := ""
	if f.Spread {
		sp = "..."
	}
	return fmt.Sprintf("%s%s@%d=%s@%d", sp, f.Key, f.Line, render(f.Value), f.Value.Line)
}

func summarize(f *File) summary {
	s := summary{Path: f.Path, Format: f.Format, Loadable: f.Loadable, Module: f.Module, AppsLine: f.AppsLine, AppsDyn: f.AppsDynamic, Lines: f.Lines, Apps: []appSummary{}}
	for _, a := range f.Apps {
		as := appSummary{Name: a.Name, Lines: fmt.Sprintf("%d-%d", a.Line, a.EndLine), Fields: []string{}}
		if a.Dynamic {
			as.Dynamic = a.Source
		}
		for _, fl := range a.Fields {
			as.Fields = append(as.Fields, renderField(fl))
		}
		s.Apps = append(s.Apps, as)
	}
	for _, u := range f.Unresolved {
		s.Unresolved = append(s.Unresolved, fmt.Sprintf("%d: %s (%s)", u.Line, u.Source, u.Reason))
	}
	return s
}

// TestParseGolden parses every testdata case and compares the summary
// with expected.json (go test -update rewrites them; read the diff).
func TestParseGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "fuzz" {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", d.Name())
			rel, src := caseFile(t, dir)
			f, err := Parse(context.Background(), rel, src)
			if err != nil {
				t.Fatalf("Parse(%s): %v", rel, err)
			}
			got, _ := json.MarshalIndent(summarize(f), "", "  ")
			got = append(got, '\n')
			golden := filepath.Join(dir, "expected.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("summary of %s differs from %s:\n%s", rel, golden, got)
			}
			// No secret from the input may survive anywhere in the result.
			all, _ := json.Marshal(f)
			for _, leak := range []string{"hunter2", "sk_live_", "ghp_", "s3cr3t", "abcdef\""} {
				if bytes.Contains(all, []byte(leak)) {
					t.Errorf("secret %q leaked into the parsed file", leak)
				}
			}
		})
	}
}

// TestDeployHooks protects the deploy section's commands: the report
// tells from them how the repository applies the file on its servers.
func TestDeployHooks(t *testing.T) {
	src := `module.exports = {
  apps: [{ name: 'api', script: 'server.js' }],
  deploy: {
    production: {
      user: 'node',
      'pre-deploy-local': 'echo local',
      'post-deploy': 'npm ci && pm2 reload ecosystem.config.js --env production',
    },
    staging: {
      'post-deploy': process.env.POST_DEPLOY,
    },
    broken: 'not an object',
  },
};
`
	f, err := Parse(context.Background(), "ecosystem.config.js", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []DeployHook{
		{Target: "production", Hook: "pre-deploy-local", Command: "echo local", Line: 6},
		{Target: "production", Hook: "post-deploy", Command: "npm ci && pm2 reload ecosystem.config.js --env production", Line: 7},
		{Target: "staging", Hook: "post-deploy", Command: "process.env.POST_DEPLOY", Line: 10, Dynamic: true},
	}
	if !reflect.DeepEqual(f.Deploy, want) {
		t.Errorf("Deploy:\n got %+v\nwant %+v", f.Deploy, want)
	}
	y, err := Parse(context.Background(), "ecosystem.yml", []byte("apps:\n  - name: api\n    script: server.js\ndeploy:\n  production:\n    post-deploy: pm2 startOrRestart ecosystem.yml\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(y.Deploy) != 1 || y.Deploy[0].Command != "pm2 startOrRestart ecosystem.yml" || y.Deploy[0].Line != 6 {
		t.Errorf("YAML Deploy = %+v", y.Deploy)
	}
}
