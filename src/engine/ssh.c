/*
 * ssh.c - Engine API connections through `ssh ... docker system
 * dial-stdio` (see ssh.h).
 *
 * The URL is checked the way the Docker CLI checks it: a user, a host and
 * a port, nothing else (a password, a path, a query are refused). The
 * destination is passed after `--`, so a host spelled like an option
 * ("-oProxyCommand=...") stays a host name; the user goes as the value of
 * -l.
 *
 * libcurl 7.88 (Debian 12) connects a socket even when the application
 * says it is already connected (curl issue 10626), so ssh cannot simply
 * be handed one end of a socketpair. Instead each handle listens on an
 * abstract UNIX socket with a random name (nothing on disk), curl connects
 * to it as to a local daemon, and for each connection curl opens a child
 * is forked that accepts it - only from this process (SO_PEERCRED), since
 * any local user can reach an abstract name - and execs ssh with it as
 * stdin and stdout. The child does only async-signal-safe calls before
 * exec (the snapshot runs threads). Each child is reaped when curl closes
 * its socket: EOF on its stdin ends dial-stdio; SIGTERM, then SIGKILL
 * after a second, make sure.
 */
#include "ssh.h"
#include "curl_api.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <stddef.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define SSH_MAX_CONN 16 /* connections one curl handle keeps open at once */
#define SSH_ERR_MAX 300 /* bytes of ssh's last stderr line kept */

struct ssh_conn {
	int fd; /* curl's end of the socketpair; -1: slot free */
	pid_t pid;
	int errfd; /* read end of ssh's stderr pipe, non-blocking */
};

struct eng_ssh {
	char *user, *host, *port, *dest;
	char *argv[12];	     /* ssh [-l user] [-p port] -- host docker system dial-stdio */
	char path[PATH_MAX]; /* ssh as found in PATH before any fork; "" if not found */
	char name[64];	     /* the abstract socket curl connects to, one per handle */
	int listener;
	struct ssh_conn conn[SSH_MAX_CONN];
	char err[SSH_ERR_MAX + 1];
};

static bool host_char_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("/?#@[]\\'\"`$;&|<>(){}*", c);
}

static void set_argv(struct eng_ssh *s)
{
	int n = 0;

	s->argv[n++] = "ssh";
	if (s->user) {
		s->argv[n++] = "-l";
		s->argv[n++] = s->user;
	}
	if (s->port) {
		s->argv[n++] = "-p";
		s->argv[n++] = s->port;
	}
	s->argv[n++] = "--";
	s->argv[n++] = s->host;
	s->argv[n++] = "docker";
	s->argv[n++] = "system";
	s->argv[n++] = "dial-stdio";
	s->argv[n] = NULL;
}

/* ssh's path, looked up as execvp would, but before the fork. */
static void find_ssh(struct eng_ssh *s)
{
	const char *path = getenv("PATH"), *p, *e;

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; *p; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ":");
		if (e - p > 0 && (size_t)(e - p) + 5 < sizeof(s->path)) {
			snprintf(s->path, sizeof(s->path), "%.*s/ssh", (int)(e - p), p);
			if (access(s->path, X_OK) == 0)
				return;
		}
	}
	s->path[0] = 0;
}

/* A listening socket in the abstract namespace (no file to create or
 * leave behind) under a random name; the child checks who connected. */
static int listen_abstract(struct eng_ssh *s)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	unsigned char rnd[12];
	size_t i, n;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -1;
	n = (size_t)snprintf(s->name, sizeof(s->name), "docksec-ssh-%ld-", (long)getpid());
	for (i = 0; i < sizeof(rnd); i++)
		n += (size_t)snprintf(s->name + n, sizeof(s->name) - n, "%02x", rnd[i]);
	memcpy(sa.sun_path + 1, s->name, n);
	if ((s->listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (bind(s->listener, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)) ||
	    listen(s->listener, 4))
		return -1;
	return 0;
}

int eng_ssh_new(const char *url, struct eng_ssh **out, struct ds_err *err)
{
	const char *p = url + 6, *at, *end, *h, *he, *colon = NULL;
	struct eng_ssh *s;
	size_t i;

	*out = NULL;
	end = p + strcspn(p, "/?#");
	if (*end && !(end[0] == '/' && !end[1]))
		return ds_err_set(err, DS_EUSAGE, url, 0, 0,
				  "an ssh:// Docker host is ssh://[user@]host[:port]: '%s' is not "
				  "allowed after the host",
				  end);
	at = memchr(p, '@', (size_t)(end - p));
	h = at ? at + 1 : p;
	if (at && memchr(p, ':', (size_t)(at - p)))
		return ds_err_set(
		    err, DS_EUSAGE, url, 0, 0,
		    "a password in an ssh:// Docker host is not supported: use a key or ssh-agent");
	if (at && at == p)
		return ds_err_set(err, DS_EUSAGE, url, 0, 0,
				  "an empty user name before '@' in an ssh:// Docker host");
	if (*h == '[') { /* [v6 address]:port */
		he = memchr(h, ']', (size_t)(end - h));
		if (!he)
			return ds_err_set(err, DS_EUSAGE, url, 0, 0,
					  "an ssh:// Docker host has '[' without ']'");
		if (he + 1 < end && he[1] != ':')
			return ds_err_set(err, DS_EUSAGE, url, 0, 0,
					  "an ssh:// Docker host has text after ']'");
		colon = he + 1 < end ? he + 1 : NULL;
		h++;
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		he = colon ? colon : end;
	}
	if (he == h)
		return ds_err_set(
		    err, DS_EUSAGE, url, 0, 0,
		    "an ssh:// Docker host needs a host name (ssh://[user@]host[:port])");
	for (const char *c = h; c < he; c++)
		if (!host_char_ok((unsigned char)*c) && !(*c == ':' && h[-1] == '['))
			return ds_err_set(
			    err, DS_EUSAGE, url, 0, 0,
			    "an ssh:// Docker host has a character not allowed in a host name");
	if (colon) {
		unsigned long port = 0;
		const char *c = colon + 1;
		if (c == end || end - c > 5)
			return ds_err_set(
			    err, DS_EUSAGE, url, 0, 0,
			    "the port of an ssh:// Docker host is a number from 1 to 65535");
		for (; c < end; c++) {
			if (*c < '0' || *c > '9')
				return ds_err_set(err, DS_EUSAGE, url, 0, 0,
						  "the port of an ssh:// Docker host is a number "
						  "from 1 to 65535");
			port = port * 10 + (unsigned long)(*c - '0');
		}
		if (port < 1 || port > 65535)
			return ds_err_set(
			    err, DS_EUSAGE, url, 0, 0,
			    "the port of an ssh:// Docker host is a number from 1 to 65535");
	}
	if (at)
		for (const char *c = p; c < at; c++)
			if ((unsigned char)*c <= 0x20 || *c == 0x7f)
				return ds_err_set(err, DS_EUSAGE, url, 0, 0,
						  "the user of an ssh:// Docker host has a space "
						  "or control character");
	if (!(s = ds_calloc(1, sizeof(*s))))
		return ds_oom(err);
	for (i = 0; i < SSH_MAX_CONN; i++)
		s->conn[i].fd = s->conn[i].errfd = -1;
	s->listener = -1;
	s->host = ds_strndup(h, (size_t)(he - h));
	s->user = at ? ds_strndup(p, (size_t)(at - p)) : NULL;
	s->port = colon ? ds_strndup(colon + 1, (size_t)(end - colon - 1)) : NULL;
	s->dest = ds_strndup(p, (size_t)(end - p));
	if (!s->host || !s->dest || (at && !s->user) || (colon && !s->port)) {
		eng_ssh_free(s);
		return ds_oom(err);
	}
	set_argv(s);
	find_ssh(s);
	if (listen_abstract(s)) {
		ds_err_set(err, DS_EIO, url, 0, 0, "cannot make the local socket for ssh: %s",
			   strerror(errno));
		eng_ssh_free(s);
		return DS_EIO;
	}
	*out = s;
	return 0;
}

const char *eng_ssh_dest(const struct eng_ssh *s)
{
	return s->dest;
}

/* Keep the last non-empty line of what ssh wrote on stderr. */
static void drain_stderr(struct eng_ssh *s, int fd)
{
	char b[4096], *line, *e;
	ssize_t n;
	size_t len;

	while ((n = read(fd, b, sizeof(b) - 1)) > 0 || (n < 0 && errno == EINTR)) {
		if (n <= 0)
			continue;
		b[n] = 0;
		e = b + n;
		while (e > b && (e[-1] == '\n' || e[-1] == '\r'))
			*--e = 0;
		if (e == b)
			continue;
		line = b;
		for (char *c = b; c < e; c++)
			if (*c == '\n')
				line = c + 1;
		len = (size_t)(e - line);
		if (len > SSH_ERR_MAX)
			len = SSH_ERR_MAX;
		memcpy(s->err, line, len);
		s->err[len] = 0;
	}
}

static void reap(struct eng_ssh *s, struct ssh_conn *c)
{
	int status, i;

	if (c->pid > 0) {
		kill(c->pid, SIGTERM);
		for (i = 0; i < 100 && waitpid(c->pid, &status, WNOHANG) == 0; i++) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (i == 100) {
			kill(c->pid, SIGKILL);
			while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
				;
		}
	}
	if (c->errfd >= 0) {
		drain_stderr(s, c->errfd);
		close(c->errfd);
	}
	c->fd = c->errfd = -1;
	c->pid = 0;
}

/* In the child, before exec: only async-signal-safe calls. Take the one
 * connection the parent's curl makes to the listener (a process that is
 * not the parent is dropped: abstract sockets are open to the whole host),
 * make it ssh's stdin and stdout, and run ssh. */
static void child(struct eng_ssh *s, pid_t parent, int errfd)
{
	struct ucred cr;
	socklen_t len;
	int a, i;

	for (i = 0; i < 16; i++) {
		struct pollfd pfd = {s->listener, POLLIN, 0};
		if (poll(&pfd, 1, 30000) <= 0)
			break;
		if ((a = accept(s->listener, NULL, NULL)) < 0)
			continue;
		len = sizeof(cr);
		if (getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.pid == parent) {
			if (dup2(a, 0) < 0 || dup2(a, 1) < 0 || dup2(errfd, 2) < 0)
				_exit(126);
			execve(s->path, s->argv, environ);
			_exit(127);
		}
		close(a);
	}
	_exit(125);
}

static curl_socket_t open_conn(void *ud, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct eng_ssh *s = ud;
	struct ssh_conn *c = NULL;
	pid_t parent = getpid();
	int fd, ep[2];
	size_t i;

	(void)purpose;
	(void)addr;
	for (i = 0; i < SSH_MAX_CONN && !c; i++)
		if (s->conn[i].fd < 0)
			c = &s->conn[i];
	if (!c) {
		snprintf(s->err, sizeof(s->err), "more than %d ssh connections at once",
			 SSH_MAX_CONN);
		return CURL_SOCKET_BAD;
	}
	if (!s->path[0]) {
		snprintf(s->err, sizeof(s->err), "cannot run ssh: not found in PATH");
		return CURL_SOCKET_BAD;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return CURL_SOCKET_BAD;
	if (pipe2(ep, O_CLOEXEC)) {
		close(fd);
		return CURL_SOCKET_BAD;
	}
	c->pid = fork();
	if (c->pid == 0)
		child(s, parent, ep[1]);
	close(ep[1]);
	if (c->pid < 0) {
		snprintf(s->err, sizeof(s->err), "cannot run ssh: %s", strerror(errno));
		close(fd);
		close(ep[0]);
		c->pid = 0;
		return CURL_SOCKET_BAD;
	}
	fcntl(ep[0], F_SETFL, O_NONBLOCK);
	c->fd = fd;
	c->errfd = ep[0];
	return fd;
}

static int close_conn(void *ud, curl_socket_t fd)
{
	struct eng_ssh *s = ud;
	size_t i;

	close(fd);
	for (i = 0; i < SSH_MAX_CONN; i++)
		if (s->conn[i].fd == fd)
			reap(s, &s->conn[i]);
	return 0;
}

void eng_ssh_attach(struct eng_ssh *s, void *curl)
{
	eng_curl.easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_conn);
	eng_curl.easy_setopt(curl, CURLOPT_OPENSOCKETDATA, s);
	eng_curl.easy_setopt(curl, CURLOPT_CLOSESOCKETFUNCTION, close_conn);
	eng_curl.easy_setopt(curl, CURLOPT_CLOSESOCKETDATA, s);
	eng_curl.easy_setopt(curl, CURLOPT_ABSTRACT_UNIX_SOCKET, s->name);
}

const char *eng_ssh_error(struct eng_ssh *s)
{
	size_t i;

	for (i = 0; i < SSH_MAX_CONN; i++)
		if (s->conn[i].errfd >= 0)
			drain_stderr(s, s->conn[i].errfd);
	return s->err;
}

void eng_ssh_free(struct eng_ssh *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < SSH_MAX_CONN; i++)
		if (s->conn[i].fd >= 0) {
			close(s->conn[i].fd);
			reap(s, &s->conn[i]);
		}
	if (s->listener >= 0)
		close(s->listener);
	ds_free(s->user);
	ds_free(s->host);
	ds_free(s->port);
	ds_free(s->dest);
	ds_free(s);
}
