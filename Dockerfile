# syntax=docker/dockerfile:1

# ---- build ------------------------------------------------------------------
# Runs on the build host's platform and cross-compiles (pure Go, CGO off).
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
WORKDIR /src

# Module download as its own layer: only re-run when go.mod/go.sum change.
# (go.sum* so the build also works while the module has no dependencies yet.)
COPY go.mod go.sum* ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download

COPY . .
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/actorgraph ./cmd/actorgraph

# ---- runtime ----------------------------------------------------------------
# Small image that still has busybox `wget` for the compose healthcheck (/readyz);
# alpine's base already carries the CA bundle (ca-certificates-bundle).
FROM alpine:3.22
RUN addgroup -S -g 10001 actorgraph \
 && adduser -S -D -H -u 10001 -G actorgraph -h /var/lib/actorgraph actorgraph \
 && mkdir -p /var/lib/actorgraph \
 && chown actorgraph:actorgraph /var/lib/actorgraph

COPY --from=build /out/actorgraph /usr/local/bin/actorgraph

ENV ACTORGRAPH_DATA_DIR=/var/lib/actorgraph
# A named volume mounted here starts out with this directory's owner (actorgraph).
VOLUME ["/var/lib/actorgraph"]
WORKDIR /var/lib/actorgraph
# Numeric so runtimes can verify non-root (runAsNonRoot) without /etc/passwd.
USER 10001:10001

EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/actorgraph"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
