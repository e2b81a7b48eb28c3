/*
 * engine.h - a Docker Engine API client (also Podman's Docker-compatible
 * API) over a UNIX socket, TCP with TLS or ssh, built on libcurl.
 *
 * libcurl gives what the client needs and would otherwise be hand-written:
 * UNIX-socket transport (CURLOPT_UNIX_SOCKET_PATH), keep-alive on one
 * handle, chunked responses, timeouts and TLS with client certificates.
 * The API version is negotiated once (/_ping's Api-Version header, capped
 * at the newest version this client knows) and every path is prefixed
 * with it, as the Docker CLI does.
 *
 * Responses are parsed with jansson, rejecting duplicate keys and keys
 * equal after case-folding (dockerd matches keys case-insensitively, so
 * such a body means different things to different readers), and bounded
 * in size. Ownership: eng_get() hands the caller a json_t reference to
 * json_decref(); the struct eng owns its curl handle and strings.
 */
#ifndef DS_ENGINE_H
#define DS_ENGINE_H

#include "../core/ds.h"
#include <jansson.h>

#define ENG_MAX_RESPONSE (64u << 20)
#define ENG_API_MAX "1.45"         /* newest API version this client speaks */
#define ENG_DEFAULT_SOCKET "/var/run/docker.sock"

/* What a whole run may take from a daemon, shared by every connection of
 * the run (the snapshot's workers): bytes of all answers together, and
 * one deadline. Owned by the caller; NULL in struct eng: no run limits. */
struct eng_limits {
	_Atomic unsigned long long used; /* bytes received so far */
	unsigned long long max_bytes;
	long long deadline_ms;           /* CLOCK_MONOTONIC milliseconds; 0: none */
};
/* Now on the clock eng_limits.deadline_ms is read against. */
long long eng_now_ms(void);

struct eng {
	void *curl;           /* CURL * */
	char *sock;           /* UNIX socket path, or NULL for TCP */
	char *base;           /* "http://localhost", "https://host:2376" */
	char api[16];         /* negotiated, e.g. "1.41" */
	char server_api[16];  /* what the daemon said it speaks */
	bool podman;          /* the daemon is Podman's compatibility API */
	long timeout_ms;
	char *host;           /* as given or from DOCKER_HOST, for messages */
	struct eng_ssh *ssh;  /* ssh:// hosts: how connections are opened; else NULL */
	const char *host_ref; /* the same, not owned (argv, environ or a literal):
			       * error messages point at it and outlive the struct */
	struct eng_limits *lim; /* borrowed; NULL: per-request limits only */
};

/* Connect to host ("unix:///path", "tcp://h:p", "ssh://[user@]h[:p]",
 * "/path"; NULL: DOCKER_HOST, else the default socket) and negotiate the
 * API version. ssh:// runs `ssh ... docker system dial-stdio` per
 * connection, as the Docker CLI does (ssh.h). TLS is used for
 * tcp:// when DOCKER_TLS_VERIFY or DOCKER_TLS is set or the port is 2376,
 * always verifying the daemon's certificate unless DOCKER_TLS is set
 * without DOCKER_TLS_VERIFY (the Docker CLI's --tls); DOCKER_CERT_PATH
 * names the CA and client
 * certificates. Errors say whether the daemon is absent, refused access or
 * did not answer. */
int eng_open(struct eng *e, const char *host, long timeout_ms, struct ds_err *err);
void eng_close(struct eng *e);

/* GET /vAPI/path (path starts with '/'); *out is the parsed JSON. status,
 * when not NULL, receives the HTTP status; a status >= 400 is an error
 * carrying the daemon's message. */
int eng_get(struct eng *e, const char *path, json_t **out, long *status, struct ds_err *err);

/* GET /vAPI/path and write the body to fd as it arrives (an image export
 * is larger than memory should hold). No overall timeout: a transfer
 * idle for the client's timeout is cut. When the reader closes its end
 * early, the transfer stops without an error. */
int eng_stream(struct eng *e, const char *path, int fd, struct ds_err *err);

/* Parse a JSON body the way the engine will read it: duplicates and
 * case-folded duplicates refused. what names the body in errors. */
int eng_parse_json(const char *body, size_t len, const char *what, json_t **out, struct ds_err *err);

#endif
