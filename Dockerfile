# Multi-stage build: a static binary in a scratch image, run as non-root.
# GO_IMAGE lets machines without registry access build from a local Go image.
ARG GO_IMAGE=golang:1.26
FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
# One binary for both programs: login-setup is a link to monarch-mcp, which
# runs as login-setup when started under that name (half the image size).
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" -o /out/bin/monarch-mcp ./cmd/monarch-mcp \
 && ln -s monarch-mcp /out/bin/login-setup
# The session file and the change journal beside it live in /data, owned by the runtime user;
# mount a volume there to keep them.
RUN mkdir -p /out/data && chown 65532:65532 /out/data && chmod 0700 /out/data

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/bin/ /
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV MONARCH_SESSION_FILE=/data/session.json HOME=/data
ENTRYPOINT ["/monarch-mcp"]
