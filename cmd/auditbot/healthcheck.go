package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// newHealthcheckCmd is the container's HEALTHCHECK: a minimal image has no
// curl, so the binary probes its own server.
func newHealthcheckCmd() *cobra.Command {
	var url string
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "healthcheck",
		Short: "Probe a running server's /healthz (for container health checks)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			client := &http.Client{Timeout: timeout}
			req, err := http.NewRequestWithContext(c.Context(), http.MethodGet, url, nil)
			if err != nil {
				return &exitCodeError{code: exitError, err: fmt.Errorf("bad --url: %w", err)}
			}
			resp, err := client.Do(req)
			if err != nil {
				return &exitCodeError{code: exitFindings, err: fmt.Errorf("probe %s: %w", url, err)}
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return &exitCodeError{code: exitFindings, err: fmt.Errorf("probe %s: %s", url, resp.Status)}
			}
			return nil
		},
	}
	c.Flags().StringVar(&url, "url", "http://127.0.0.1:8080/healthz", "health endpoint to probe")
	c.Flags().DurationVar(&timeout, "timeout", 2*time.Second, "probe timeout")
	return c
}
