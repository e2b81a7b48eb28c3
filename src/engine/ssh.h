/*
 * ssh.h - DOCKER_HOST=ssh://[user@]host[:port], the way the Docker CLI
 * reaches a remote daemon: for every connection, run
 *   ssh [-l user] [-p port] -- host docker system dial-stdio
 * and speak HTTP over the ssh process's standard input and output.
 *
 * No helper thread and no file: libcurl connects to an abstract UNIX
 * socket of this process, and each connection it opens
 * (CURLOPT_OPENSOCKETFUNCTION) gets its own ssh, whose stdin and stdout are
 * that connection (ssh.c says why not a socketpair); closing it ends that
 * ssh. ssh's own
 * messages (host key, authentication, "connection refused") are kept,
 * bounded, for the error a failed request gets, never printed directly.
 * ssh reads its configuration, keys and agent as it always does; the
 * password of a URL is refused (it would sit in the environment).
 *
 * Ownership: eng_ssh_new() returns a struct the caller frees with
 * eng_ssh_free(), after the curl handle it was attached to is cleaned up
 * (cleanup closes the connections through the struct's callbacks).
 */
#ifndef DS_ENG_SSH_H
#define DS_ENG_SSH_H

#include "../core/ds.h"

struct eng_ssh;

/* Parse url ("ssh://..."); errors name it and say what is expected. */
int eng_ssh_new(const char *url, struct eng_ssh **out, struct ds_err *err);

/* Make curl (a CURL *) open its connections through ssh. */
void eng_ssh_attach(struct eng_ssh *s, void *curl);

/* What went wrong on the ssh side, for an error message: the last line
 * ssh wrote on its stderr, or why it could not be started; "" if nothing. */
const char *eng_ssh_error(struct eng_ssh *s);

/* The destination, "user@host:port" as given, for messages. */
const char *eng_ssh_dest(const struct eng_ssh *s);

void eng_ssh_free(struct eng_ssh *s);

#endif
