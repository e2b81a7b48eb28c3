/*
 * session.c - one whole audit (see session.h): the host's own facts are
 * read on a thread while the daemon answers; every inspected container
 * becomes the container model (the inspect front-end) and is judged by
 * the same CT-* rules as `check`; then au_run decides every selected
 * check from the rows of the registry.
 */
#include "session.h"
#include "../container/check.h"
#include "../core/config.h"
#include <pthread.h>
#include <sys/stat.h>

struct prefetch {
	struct au_data d;
	struct au_host h;
	struct arena a;
};

static void *prefetch_host(void *arg)
{
	struct prefetch *p = arg;

	au_host_prefetch(&p->d, &p->a, &p->h);
	return NULL;
}

/* Is a host hardening check (domain "host") selected? Only then are the
 * host facts (dpkg, the rule sets: nft and two iptables-save runs, the
 * sockets) read ahead; a CIS check that needs some reads them itself. */
static bool host_selected(const struct au_session_opts *o)
{
	size_t i;

	for (i = 0; i < rules_count(); i++)
		if (!strcmp(rules_at(i)->domain, "host") &&
		    au_selected(rules_at(i)->id, o->include, o->ninclude, o->exclude, o->nexclude))
			return true;
	return false;
}

/* Fetch the daemon's snapshot while the host facts are read. */
static int fetch_live(struct au_session *s, const struct au_session_opts *o, struct ds_err *err)
{
	struct prefetch pf = {{0}, {0}, {0}};
	pthread_t th;
	bool threaded;
	int rc;

	if ((rc = eng_open(&s->e, o->host, o->timeout_ms, err)))
		return rc;
	s->lim.max_bytes = ENG_MAX_TOTAL;
	s->lim.deadline_ms = o->deadline_ms ? eng_now_ms() + o->deadline_ms : 0;
	s->e.lim = &s->lim;
	pf.d.root = "/";
	pf.d.remote = !s->e.sock;
	arena_init(&pf.a, 0);
	threaded = host_selected(o) && pthread_create(&th, NULL, prefetch_host, &pf) == 0;
	rc = eng_snapshot_fetch(&s->e, &s->x, o->timeout_ms,
				au_selected("4.8", o->include, o->ninclude, o->exclude, o->nexclude) ? o->image_files_max : 0,
				o->progress, err);
	if (threaded)
		pthread_join(th, NULL);
	s->host_arena = pf.a;
	s->host = pf.h;
	s->d.host = threaded ? &s->host : NULL;
	return rc;
}

/* Does a comma list of patterns have one within name or image? */
static bool any_within(const char *list, const char *name, const char *image)
{
	while (list && *list) {
		size_t n = strcspn(list, ",");
		if (n && ((name && memmem(name, strlen(name), list, n)) || (image && memmem(image, strlen(image), list, n))))
			return true;
		list += n + (list[n] == ',');
	}
	return false;
}

/* Leave out the containers -i/-x do not select (their inspect dropped,
 * so nothing judges them); count the rest. */
static void select_containers(struct au_session *s, const struct au_session_opts *o)
{
	size_t i;

	for (i = 0; i < s->x.n; i++) {
		json_t *in = s->x.inspect[i];
		const char *name = in ? json_string_value(json_object_get(in, "Name")) : NULL;
		const char *image = in ? json_string_value(json_object_get(json_object_get(in, "Config"), "Image")) : NULL;
		if (!in)
			continue;
		if ((o->containers_in && !any_within(o->containers_in, name, image)) ||
		    (o->containers_out && any_within(o->containers_out, name, image))) {
			json_decref(in);
			s->x.inspect[i] = NULL;
			continue;
		}
		s->ncontainers++;
	}
}

/* The inspected containers as the container model, judged by CT-*. */
static int judge_containers(struct au_session *s, struct ds_err *err)
{
	struct eng_snapshot *x = &s->x;
	size_t i, k = 0;
	int rc;

	s->t.cfg = cfg_default();
	for (i = 0; i < x->n; i++)
		if (x->inspect[i] && (rc = ct_from_inspect(&s->t, &s->f, x->inspect[i]))) {
			*err = s->t.err;
			return rc;
		}
	/* top and execs follow the containers that were inspected */
	for (i = 0; i < x->n; i++)
		if (x->inspect[i]) {
			json_t *tp = x->top[i], *ex = x->execs[i];
			x->top[i] = x->execs[i] = NULL;
			x->top[k] = tp;
			x->execs[k++] = ex;
		}
	ct_judge(&s->t, &s->f);
	return s->t.nomem ? ds_oom(err) : 0;
}

int au_session_run(struct au_session *s, const struct au_session_opts *o, struct ds_err *err)
{
	struct au_data *d = &s->d;
	int rc;

	target_init(&s->t, "docker");
	if (o->root) {
		struct stat st;
		if (stat(o->root, &st) || !S_ISDIR(st.st_mode))
			return ds_err_set(err, DS_EUSAGE, o->root, 0, 0, "--root must name a directory");
	} else if ((rc = fetch_live(s, o, err))) {
		return rc;
	} else {
		select_containers(s, o);
	}
	if (host_daemon_config(&s->t.arena, o->root ? o->root : "/", s->e.sock, &s->dcfg))
		return ds_oom(err);
	if ((rc = judge_containers(s, err)))
		return rc;
	d->info = s->x.info;
	d->version = s->x.version;
	d->vulns = o->vulns;
	d->t = &s->t;
	d->f = &s->f;
	d->top = s->x.top;
	d->execs = s->x.execs;
	d->podman = s->e.podman;
	d->remote = !o->root && !s->e.sock;
	d->dcfg = d->remote ? NULL : &s->dcfg; /* this host's files describe a local daemon only */
	d->root = o->root ? o->root : "/";
	d->sock = s->e.sock;
	d->networks = s->x.networks;
	d->images = s->x.images;
	d->image_inspect = s->x.img_inspect;
	d->image_history = s->x.img_history;
	d->image_setid = s->x.img_setid;
	if ((rc = au_run(d, &s->t.arena, o->include, o->ninclude, o->exclude, o->nexclude, &s->res, &s->n)))
		return rc == DS_ENOMEM ? ds_oom(err) : ds_err_set(err, rc, NULL, 0, 0, "%s", ds_rc_message(rc));
	return 0;
}

void au_session_release(struct au_session *s)
{
	eng_snapshot_release(&s->x);
	eng_close(&s->e);
	arena_release(&s->host_arena);
	target_release(&s->t);
}
