package ecosystem

import (
	"context"
	"testing"
)

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		path     string
		format   Format
		loadable bool
	}{
		{"ecosystem.config.js", FormatJS, true},
		{"services/api/ecosystem.config.cjs", FormatCJS, true},
		{"ecosystem.config.mjs", FormatMJS, true},
		{"ecosystem.json", FormatJSON, true},
		{"ecosystem.json5", FormatJSON, true}, // substring match, docs/pm2-behaviour.md#config-file-names
		{"process.yml", FormatYAML, true},
		{"pm2.yaml", FormatYAML, true},
		{"ecosystem.js", FormatJS, false}, // pm2 start runs it as an app
		{"ecosystem.cjs", FormatCJS, false},
		{"ecosystem.mjs", FormatMJS, false},
		{"ecosystem.config.ts", FormatTS, false},
		{"pm2.config.ts", FormatTS, false},
		{"README.md", "", false},
	}
	for _, tc := range tests {
		f, l := DetectFormat(tc.path)
		if f != tc.format || l != tc.loadable {
			t.Errorf("DetectFormat(%q) = %q, %v; want %q, %v", tc.path, f, l, tc.format, tc.loadable)
		}
	}
}

func TestIsCandidate(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"ecosystem.config.js", true},
		{"services/a/ecosystem.config.cjs", true},
		{"ecosystem.config.mjs", true},
		{"ecosystem.config.ts", true},
		{"pm2.config.js", true},
		{"process.config.js", true},
		{"apps.config.js", true},
		{"my-ecosystem.config.js", true},
		{"prod.pm2.config.js", true},
		{"ecosystem.js", true},
		{"ecosystem.prod.json", true},
		{"ecosystem.json5", true},
		{"ecosystem.yml", true},
		{"pm2.json", true},
		{"pm2-prod.yaml", true},
		{"process.json", true},
		{"api.pm2.json", true},
		{"api.pm2.yml", true},
		{"vite.config.js", false},
		{"jest.config.js", false},
		{"eslint.config.js", false},
		{"webpack.config.ts", false},
		{"package.json", false},
		{"tsconfig.json", false},
		{"docker-compose.yml", false},
		{"index.js", false},
		// process*.yml/yaml too: a real repository runs
		// pm2-runtime .docker/pm2/process.app.yml (issue 8).
		{"process.yml", true},
		{".docker/pm2/process.app.yml", true},
		{"process-prod.yaml", true},
		{"processors.txt", false},
		{"pm2.json5", false},
	}
	for _, tc := range tests {
		if got := IsCandidate(tc.path); got != tc.want {
			t.Errorf("IsCandidate(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

func TestLooksLikeEcosystem(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            bool
	}{
		{"apps with script", "ecosystem.config.js", `module.exports = {apps: [{name: 'a', script: 'a.js'}]}`, true},
		{"single object app", "ecosystem.json", `{"name": "a", "script": "a.js"}`, true},
		{"name plus pm2 option", "pm2.json", `{"apps": [{"name": "a", "exec_mode": "cluster"}]}`, true},
		{"cmd alias", "ecosystem.yml", "apps:\n  - name: a\n    exec: ./run.sh\n", true},
		{"package.json", "package.json", `{"name": "x", "version": "1.0.0", "scripts": {"start": "node ."}, "main": "index.js", "env": {}}`, false},
		{"tsconfig.json", "tsconfig.json", `{"compilerOptions": {"target": "es2020"}, "include": ["src"]}`, false},
		{"docker-compose", "docker-compose.yml", "version: '3'\nservices:\n  api:\n    image: node\n    command: node index.js\n    ports: ['3000:3000']\n", false},
		{"vite config", "vite.config.js", `module.exports = {plugins: [], server: {port: 3000}}`, false},
		{"dynamic apps export", "ecosystem.config.js", `module.exports = {apps: load()}`, true},
		{"dynamic whole export", "ecosystem.config.js", `module.exports = load()`, false},
		{"no export", "ecosystem.js", `require('http').createServer().listen(3000)`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(context.Background(), tc.path, []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if got := LooksLikeEcosystem(f); got != tc.want {
				t.Errorf("LooksLikeEcosystem = %v, want %v (apps %+v)", got, tc.want, f.Apps)
			}
		})
	}
	if LooksLikeEcosystem(nil) {
		t.Error("LooksLikeEcosystem(nil) = true")
	}
}
