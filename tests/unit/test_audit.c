/*
 * test_audit.c - deciding CIS checks from Engine API data: containers from
 * inspect JSON judged by the container rules and mapped to docker-bench ids,
 * swarm mode, sshd in /top output, and exec sessions (privileged, root) -
 * the cases a test daemon on this machine cannot produce.
 */
#include "unit.h"
#include "container/check.h"
#include "host/audit.h"

static const struct au_result *find(const struct au_result *r, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(r[i].rule->id, id))
			return &r[i];
	fail_msg("no result for %s", id);
	return NULL;
}

static void test_runtime_checks_from_inspect_top_and_exec_data(void **state)
{
	const char *inspect =
		"{\"Name\": \"/web\", \"State\": {\"Status\": \"running\", \"Running\": true},"
		" \"Config\": {\"Image\": \"nginx:latest\", \"User\": \"\", \"Env\": [\"TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\"]},"
		" \"HostConfig\": {\"Privileged\": false, \"NetworkMode\": \"host\", \"PidsLimit\": null, \"Memory\": 0,"
		"  \"CapAdd\": [\"SYS_ADMIN\"], \"SecurityOpt\": [\"seccomp=unconfined\"], \"ReadonlyRootfs\": true,"
		"  \"PortBindings\": {\"80/tcp\": [{\"HostIp\": \"\", \"HostPort\": \"80\"}]},"
		"  \"RestartPolicy\": {\"Name\": \"on-failure\", \"MaximumRetryCount\": 5}, \"FutureKnob\": 1},"
		" \"Mounts\": [{\"Type\": \"bind\", \"Source\": \"/run/containerd/containerd.sock\","
		"  \"Destination\": \"/c.sock\", \"RW\": false, \"Propagation\": \"rshared\"}]}";
	json_t *j = json_loads(inspect, 0, NULL), *info = json_loads("{\"Swarm\": {\"LocalNodeState\": \"active\"}}", 0, NULL);
	json_t *top = json_loads("{\"Titles\": [\"PID\", \"CMD\"], \"Processes\": [[\"1\", \"/usr/sbin/sshd -D\"]]}", 0, NULL);
	json_t *execs = json_loads("[{\"ID\": \"e1\", \"ProcessConfig\": {\"privileged\": true, \"user\": \"\"}},"
				   " {\"ID\": \"e2\", \"ProcessConfig\": {\"privileged\": false, \"user\": \"0:0\"}}]", 0, NULL);
	struct target t;
	struct ct_file f = {0};
	struct au_data d = {0};
	struct au_result *r;
	size_t n;

	(void)state;
	assert_non_null(j);
	target_init(&t, "docker");
	t.cfg = cfg_default();
	assert_int_equal(ct_from_inspect(&t, &f, j), 0);
	ct_judge(&t, &f);
	assert_string_equal(f.c[0]->name, "web (running)");
	assert_int_equal(unit_count(&t, "CT-UNKNOWN"), 1); /* HostConfig.FutureKnob kept, not dropped */
	d.info = info;
	d.root = "/nonexistent-docksec-root"; /* host files absent: section 1 is SKIP */
	d.t = &t;
	d.f = &f;
	d.top = &top;
	d.execs = &execs;
	assert_int_equal(au_run(&d, &t.arena, NULL, 0, NULL, 0, &r, &n), 0);
	assert_true(n > au_cis_n + 6); /* the CIS checks, then the host hardening modules */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(strncmp(r[i].rule->id, "host-", 5) != 0, i < au_cis_n);
	assert_string_equal(r[au_cis_n].rule->id, "host-ssh-01");
	assert_int_equal(find(r, n, "5.1")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.4")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.7")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.8")->status, AU_PASS); /* host network: the published ports are discarded */
	assert_int_equal(find(r, n, "5.10")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.11")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.13")->status, AU_PASS);
	assert_int_equal(find(r, n, "5.15")->status, AU_PASS);
	assert_int_equal(find(r, n, "5.20")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.22")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.23")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.24")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.29")->status, AU_WARN);
	assert_int_equal(find(r, n, "5.32")->status, AU_WARN);
	assert_non_null(strstr(find(r, n, "5.32")->message, "web (running): mounts the container runtime socket"));
	assert_non_null(strstr(find(r, n, "5.32")->message, "(Mounts[0])"));
	/* the result record names the container and the field, not a file line */
	assert_int_equal(find(r, n, "5.32")->nitems, 1);
	assert_int_equal(find(r, n, "5.32")->items[0]->loc.kind, LOC_CONTAINER);
	assert_string_equal(find(r, n, "5.32")->items[0]->loc.container, "web (running)");
	assert_string_equal(find(r, n, "5.32")->items[0]->loc.field, "Mounts[0]");
	assert_int_equal(find(r, n, "5.28")->status, AU_NOTE);
	assert_int_equal(find(r, n, "1.1.1")->status, AU_SKIP);
	d.podman = true; /* a Podman socket: dockerd's own checks are marked, the rest still decided */
	assert_int_equal(au_run(&d, &t.arena, NULL, 0, NULL, 0, &r, &n), 0);
	assert_int_equal(find(r, n, "2.2")->status, AU_SKIP);
	assert_non_null(strstr(find(r, n, "2.2")->message, "does not apply to Podman"));
	assert_int_equal(find(r, n, "7.1")->status, AU_SKIP);
	assert_int_equal(find(r, n, "5.4")->status, AU_WARN);
	assert_null(strstr(find(r, n, "3.15")->message, "Podman"));
	d.podman = false;
	assert_int_equal(au_run(&d, &t.arena, (const char *[]){"5.2"}, 1, (const char *[]){"5.24"}, 1, &r, &n), 0);
	assert_int_equal(n, 1); /* prefixes match whole components: 5.2, not 5.20-5.29 */
	assert_string_equal(r[0].rule->id, "5.2");
	/* "host-" names every host check, "host-fw-" one module */
	assert_int_equal(au_run(&d, &t.arena, (const char *[]){"host-"}, 1, NULL, 0, &r, &n), 0);
	assert_true(n > 20);
	assert_int_equal(au_run(&d, &t.arena, (const char *[]){"host-fw-"}, 1, NULL, 0, &r, &n), 0);
	assert_int_equal(n, 4);
	json_decref(j);
	json_decref(info);
	json_decref(top);
	json_decref(execs);
	target_release(&t);
}

/* What the daemon would not answer is never judged as fine: a /top, an
 * exec session or an image inspect that failed makes its check ERROR,
 * with the request and the reason. */
static void test_unanswered_requests_are_error_not_pass(void **state)
{
	const char *inspect = "{\"Name\": \"/db\", \"State\": {\"Status\": \"running\", \"Running\": true},"
			      " \"Config\": {\"Image\": \"db:1\"}, \"HostConfig\": {}}";
	json_t *j = json_loads(inspect, 0, NULL), *info = json_loads("{}", 0, NULL);
	json_t *top = json_pack("{s:s}", "error", "GET /containers/x/top: HTTP 500 boom");
	json_t *execs = json_pack("[{s:s}]", "error", "GET /exec/y/json: timed out");
	json_t *images = json_pack("[{s:s,s:[s]}]", "Id", "sha256:aa", "RepoTags", "db:1");
	json_t *ins = json_pack("{s:s}", "error", "GET /images/aa/json: HTTP 500");
	json_t *hist = json_pack("[]");
	struct target t;
	struct ct_file f = {0};
	struct au_data d = {0};
	struct au_result *r;
	size_t n;

	(void)state;
	target_init(&t, "docker");
	t.cfg = cfg_default();
	assert_int_equal(ct_from_inspect(&t, &f, j), 0);
	ct_judge(&t, &f);
	d.info = info;
	d.root = "/nonexistent-docksec-root";
	d.t = &t;
	d.f = &f;
	d.top = &top;
	d.execs = &execs;
	d.images = images;
	d.image_inspect = &ins;
	d.image_history = &hist;
	assert_int_equal(au_run(&d, &t.arena, (const char *[]){"5.7", "5.23", "4.1", "4.9"}, 4, NULL, 0, &r, &n), 0);
	assert_int_equal(find(r, n, "5.7")->status, AU_ERROR);
	assert_non_null(strstr(find(r, n, "5.7")->message, "HTTP 500 boom"));
	assert_int_equal(find(r, n, "5.23")->status, AU_ERROR);
	assert_int_equal(find(r, n, "4.1")->status, AU_ERROR);
	assert_non_null(strstr(find(r, n, "4.1")->message, "db:1: not read"));
	assert_int_equal(find(r, n, "4.9")->status, AU_PASS); /* its history was read */
	json_decref(j);
	json_decref(info);
	json_decref(top);
	json_decref(execs);
	json_decref(images);
	json_decref(ins);
	json_decref(hist);
	target_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runtime_checks_from_inspect_top_and_exec_data),
		cmocka_unit_test(test_unanswered_requests_are_error_not_pass),
	};
	json_set_alloc_funcs(ds_malloc, ds_free);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
