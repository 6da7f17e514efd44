package report

import (
	"strings"
	"testing"
)

// section returns section N of a Markdown document, asked for as "## N.":
// from its <details><summary>N. line to the next numbered section (or
// the footer). Sections are folded, numbered without gaps.
func section(md, prefix string) string {
	if strings.HasPrefix(prefix, "### ") {
		// A subsection: to the next subsection or the end of its section.
		i := strings.Index(md, "\n"+prefix)
		if i < 0 {
			return ""
		}
		rest := md[i+1:]
		end := len(rest)
		for _, stop := range []string{"\n### ", "\n</details>"} {
			if j := strings.Index(rest[len(prefix):], stop); j >= 0 && len(prefix)+j < end {
				end = len(prefix) + j
			}
		}
		return rest[:end]
	}
	num := strings.TrimSuffix(strings.TrimPrefix(prefix, "## "), ".")
	start := "<details><summary>" + num + ". "
	i := strings.Index(md, start)
	if i < 0 {
		return ""
	}
	rest := md[i:]
	end := len(rest)
	for _, stop := range []string{"\n<details><summary>", "\n---\n"} {
		off := len(start)
		for {
			j := strings.Index(rest[off:], stop)
			if j < 0 {
				break
			}
			k := off + j
			after := rest[k+len(stop):]
			if stop == "\n---\n" || (len(after) > 0 && after[0] >= '0' && after[0] <= '9') {
				if k < end {
					end = k
				}
				break
			}
			off = k + len(stop)
		}
	}
	return rest[:end]
}

// firstScreen is everything before the first <details>: what a reviewer
// sees without a click.
func firstScreen(md string) string {
	if i := strings.Index(md, "<details>"); i >= 0 {
		return md[:i]
	}
	return md
}

// TestSeedFacts lists the facts of the hand-written seed audit
// (canonizacion-pm2-session-manager.md), section by section, and checks
// that the generated Spanish document states each of them in the right
// section. It protects the report's purpose: the machine writes what the
// careful engineer wrote.
func TestSeedFacts(t *testing.T) {
	md := render(t, loadDoc(t, "seed"), Options{Now: testNow, Version: "0.1.0"})
	// Paths are shown relative to the service directory the header names.
	const js, cjs = "ecosystem.config.js", "ecosystem.config.cjs"
	facts := []struct {
		section string
		what    string
		want    []string
	}{
		{"# ", "first screen: date, state, service directory, what the change fixes, the command that applies it", []string{"**Fecha:** 2026-02-25", "✅ APROBADO",
			"**Directorio:** `services/session-manager/`", "**El cambio introduce:** ningún hallazgo.", "**El cambio corrige:**", "`" + cjs + ":50`, `" + js + ":61`",
			"cd services/session-manager && pm2 delete session-manager && pm2 start ecosystem.config.js --only session-manager"}},
		{"findings", "every finding's message, once", []string{"nunca llama a `process.send('ready')`", "(15000 / 10000 ms)", "script provisional", "`max_memory_restart: '1G'` (1024 MiB), por debajo del heap de V8"}},
		{"## 1.", "type and scope", []string{"**Tipo:** Simplificación de la configuración de PM2", "**Alcance:** `" + cjs + "`, `" + js + "`"}},
		{"## 1.", "removed options with their files and lines", []string{
			"`wait_ready`: `true` en `" + cjs + "` (línea 50); `true` en `" + js + "` (línea 61)",
			"`listen_timeout`: `15000` en `" + cjs + "` (línea 51); `10000` en `" + js + "` (línea 62)"}},
		{"## 1.", "justification: the code never sends ready", []string{"**Justificación:** el cambio corrige H1.", "nunca envía `process.send('ready')`"}},
		{"## 1.", "what stays: fork, one instance, no watch, port, logs, env, restart policy, kill_timeout, node_args", []string{
			"`exec_mode: 'fork'`", "`instances: 1`", "`watch: false`", "PORT: 3001", "`error_file: '/root/.pm2/logs/session-manager-error.log'`",
			"LOGIN_MODE: 'server'", "`max_restarts: 10`", "`min_uptime: '10s'`", "`restart_delay: 5000`", "`exp_backoff_restart_delay: 100`",
			"`max_memory_restart: '1G'`", "`kill_timeout: 10000` en `" + js + "`", "`node_args: '--max-old-space-size=2048'` en `" + js + "`"}},
		{"## 2.", "rerunnable search command", []string{"git grep -n -E '", "wait_ready", "listen_timeout", `process\.send`, "-- services/session-manager", "grep -rnE '"}},
		{"## 2.", "configuration files with lines", []string{"`" + js + "` antes del cambio (`9e4b7c2`), líneas 61-62", "`" + cjs + "` antes del cambio (`9e4b7c2`), líneas 50-51"}},
		{"## 2.", "documentation mention, not implementation", []string{"(documentación, no implementación)", "`docs/INIT_ENDPOINT_REPORT.md`, líneas 728-729, 732"}},
		{"## 2.", "handshake absent from the code", []string{"❌ NO existe `process.send('ready')` en ninguna parte del código (14 archivos analizados)"}},
		{"## 2.", "shutdown handlers, listen, routes", []string{"// index.js:96-97\nprocess.on('SIGINT', () => gracefulShutdown('SIGINT'));\nprocess.on('SIGTERM'", "// index.js:13\nconst server = app.listen(PORT", "`GET /health`", "`GET /status`"}},
		{"## 2.", "code excerpt around listen(), labelled path:line, said to be an excerpt", []string{"### 2.2 Validación del código",
			"Solo las líneas que encontró el análisis", "```javascript\n// index.js:13\n", "**Conclusión:** el código llama a `listen()`, pero nunca envía `process.send('ready')`"}},
		{"## 2.", "interpreter and wrapper checks", []string{"`script: 'index.js'`", "Intérprete `node`: no hay wrapper de shell", "`node_args: '--max-old-space-size=2048'` (`" + js + "`) → flags de Node.js"}},
		{"## 3.", "before/after of both files", []string{"#### A) `" + cjs + "`", "#### B) `" + js + "`", "kill_timeout: 10000,\nwait_ready: true,\nlisten_timeout: 10000,", "kill_timeout: 10000,\n\n// === Prevención de loops ==="}},
		{"## 3.", "justification table", []string{"| `wait_ready: true` | PM2 espera `process.send('ready')`", "**No implementado.**", "❌ Eliminar", "| `kill_timeout: 30000 / 10000` |", "✅ Mantener", "**Irrelevante** sin `wait_ready`"}},
		{"## 3.", "impact in PM2's real terms and risk", []string{"PM2 espera `listen_timeout` (10000 / 15000 ms) en cada arranque", "marca el proceso `online` en cuanto arranca", "**Riesgo:** ✅ ninguno"}},
		{"## 4.", "final configuration synthesized", []string{"```javascript\nmodule.exports = {", "name: 'session-manager',", "kill_timeout: 10000,", "node_args: '--max-old-space-size=2048'\n    }\n  ]\n};", "**Instancia única**", "**Sin watch**", "**Sin handshake de arranque**", "**Heap de Node.js**"}},
		{"## 5.", "operating procedure with real names, one app only", []string{"cd services/session-manager", "pm2 delete session-manager\npm2 start ecosystem.config.js --only session-manager", "pm2 show session-manager", "pm2 logs session-manager --lines 80 --nostream", "curl -fsS http://localhost:3001/health", "pm2 start ecosystem.config.js --only session-manager --env local", "pm2 save", "ss -ltnp | grep ':3001\\b'", "netstat -tulpn"}},
		{"## 6.", "risks and rollback with the base SHA", []string{"| Riesgo | Probabilidad | Impacto | Mitigación |",
			"git checkout 9e4b7c21d0a3f5e8b6c1d2e3f4a5b6c7d8e9f0a1 -- services/session-manager/" + cjs + " services/session-manager/" + js,
			"git revert c57d1e0a9b8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d", "pm2 delete session-manager && pm2 start ecosystem.config.js --only session-manager", "**Condiciones de rollback:**"}},
		{"## 7.", ".js/.cjs differences and which to keep", []string{"| `kill_timeout` | `30000` | `10000` |",
			"| `node_args` | `'--max-old-space-size=1536 --experimental-modules'` | `'--max-old-space-size=2048'` |",
			"| `listen_timeout` (eliminada) | `15000` | `10000` |", "mantener `" + js + "`"}},
		{"## 8.", "placeholder script", []string{"### `start-with-xvfb.sh` (H4)", "```bash\nchmod +x start-with-xvfb.sh\n```"}},
		{"## 9.", "checklist with real commands", []string{"### 9.1 Antes del despliegue", "- [ ] Confirmar que PM2 está instalado: `pm2 --version`",
			"- [ ] Borrar el proceso y arrancarlo desde el archivo: `cd services/session-manager && pm2 delete session-manager && pm2 start ecosystem.config.js --only session-manager`",
			"- [ ] Salud: `curl -fsS http://localhost:3001/health` responde 200", "- [ ] Logs sin errores: `pm2 logs session-manager --lines 80 --nostream`", "- [ ] Persistir la lista de procesos: `pm2 save`",
			"- [ ] Puerto en escucha: `ss -ltnp | grep ':3001\\b'`"}},
		{"## 10.", "verdict, changes, next steps", []string{"✅ **Aprobado.**", "- Eliminado `wait_ready` de `" + cjs + "` y `" + js + "`", "### 10.2 Próximos pasos", "**H2.** Dejar un solo archivo", "y entonces sin `node_args`"}},
		{"## 11.", "references", []string{"[`" + js + "`](services/session-manager/ecosystem.config.js)", "[`" + cjs + "`](services/session-manager/ecosystem.config.cjs)", "signals-clean-restart/#graceful-start", "INIT_ENDPOINT_REPORT.md"}},
		{"---\n\n_Generado", "footer with version and both SHAs", []string{"auditbot 0.1.0", "de `9e4b7c21d0a3f5e8b6c1d2e3f4a5b6c7d8e9f0a1` a `c57d1e0a9b8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d`"}},
	}
	for _, f := range facts {
		var part string
		if f.section == "# " {
			part = firstScreen(md)
		} else if f.section == "findings" {
			part = md[strings.Index(md, "<details><summary>Hallazgos"):strings.Index(md, "<details><summary>1. ")]
		} else if strings.HasPrefix(f.section, "---") {
			part = md[strings.LastIndex(md, f.section):]
		} else {
			part = section(md, f.section)
		}
		if part == "" {
			t.Errorf("%s: section %q missing", f.what, f.section)
			continue
		}
		for _, w := range f.want {
			if !strings.Contains(part, w) {
				t.Errorf("%s: section %q does not state %q", f.what, f.section, w)
			}
		}
	}
	if strings.Contains(section(md, "## 4."), "wait_ready:") {
		t.Error("the final configuration still contains wait_ready")
	}
}
