# syntax=docker/dockerfile:1
# auditbot: the GitHub App server (auditbot serve) in a minimal image.
# The build command below is run as written by go test ./cmd/auditbot
# (TestDockerfileBuild), since no Docker engine runs in CI.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o bin/auditbot ./cmd/auditbot

# distroless/static: CA certificates, tzdata, a non-root user, no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/bin/auditbot /usr/local/bin/auditbot
USER nonroot:nonroot
ENV AUDITBOT_ADDR=:8080
EXPOSE 8080
# A minimal image has no curl: the binary probes its own /healthz.
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/auditbot", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/auditbot"]
CMD ["serve"]
