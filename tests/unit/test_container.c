/*
 * test_container.c - the container model and its front-ends: Docker's
 * mini-syntaxes (ports, volumes, --mount, sizes, CPUs, restart, security
 * options), the same container described three ways judged the same,
 * Compose interpolation and merge-key precedence, Kubernetes pod/container
 * securityContext merging and the Pod Security Standards level, and every
 * front-end surviving each allocation failing in turn.
 */
#include "unit.h"
#include "container/check.h"

static struct ct_container *port_case(struct arena *a, const char *spec, bool *ok)
{
	static struct ct_file f;
	struct ct_container *c;

	memset(&f, 0, sizeof(f));
	c = ct_new(a, &f, CT_FROM_RUN, "t", 1, 1);
	*ok = ct_parse_port(a, c, spec, (struct ct_src){1, 1, NULL, NULL});
	return c;
}

static void test_port_syntaxes_parse_as_the_docker_cli_reads_them(void **state)
{
	struct arena a;
	struct ct_container *c;
	bool ok;

	(void)state;
	arena_init(&a, 0);
	c = port_case(&a, "80", &ok);
	assert_true(ok);
	assert_int_equal(c->ports[0].ct_lo, 80);
	assert_int_equal(c->ports[0].host_lo, 0);
	assert_null(c->ports[0].host_ip);
	c = port_case(&a, "127.0.0.1:8080:80/udp", &ok);
	assert_true(ok);
	assert_string_equal(c->ports[0].host_ip, "127.0.0.1");
	assert_int_equal(c->ports[0].host_lo, 8080);
	assert_string_equal(c->ports[0].proto, "udp");
	c = port_case(&a, "[::1]:9000-9001:9000-9001", &ok);
	assert_true(ok);
	assert_string_equal(c->ports[0].host_ip, "::1");
	assert_int_equal(c->ports[0].host_hi, 9001);
	c = port_case(&a, "127.0.0.1::80", &ok);
	assert_true(ok);
	assert_int_equal(c->ports[0].host_lo, 0);
	c = port_case(&a, "80:http", &ok);
	assert_false(ok);
	c = port_case(&a, "70000:80", &ok);
	assert_false(ok);
	c = port_case(&a, "90-80:90-80", &ok);
	assert_false(ok);
	arena_release(&a);
}

static void test_sizes_cpus_and_restart_policies(void **state)
{
	struct arena a;
	struct ct_file f = {0};
	struct ct_container *c;
	int64_t v;

	(void)state;
	assert_true(ct_parse_bytes("512m", &v) && v == 512LL << 20);
	assert_true(ct_parse_bytes("1g", &v) && v == 1LL << 30);
	assert_true(ct_parse_bytes("128Mi", &v) && v == 128LL << 20);
	assert_true(ct_parse_bytes("1024", &v) && v == 1024);
	assert_false(ct_parse_bytes("lots", &v));
	assert_false(ct_parse_bytes("-1m", &v));
	assert_true(ct_parse_cpus("1.5", &v) && v == 1500000000LL);
	assert_true(ct_parse_cpus("500m", &v) && v == 500000000LL);
	assert_false(ct_parse_cpus("x", &v));
	arena_init(&a, 0);
	c = ct_new(&a, &f, CT_FROM_RUN, "t", 1, 1);
	assert_true(ct_parse_restart(&a, c, "on-failure:5", (struct ct_src){1, 1, NULL, NULL}));
	assert_string_equal(c->restart.v, "on-failure");
	assert_true(c->restart_max.set && c->restart_max.v == 5);
	assert_false(ct_parse_restart(&a, c, "sometimes", (struct ct_src){1, 1, NULL, NULL}));
	assert_true(ct_security_opt(&a, c, "no-new-privileges", (struct ct_src){2, 1, NULL, NULL}));
	assert_true(c->no_new_privs.set && c->no_new_privs.v);
	assert_true(ct_security_opt(&a, c, "no-new-privileges:false", (struct ct_src){3, 1, NULL, NULL}));
	assert_true(c->no_new_privs.set && !c->no_new_privs.v);
	assert_true(ct_security_opt(&a, c, "seccomp:unconfined", (struct ct_src){4, 1, NULL, NULL}));
	assert_string_equal(c->seccomp.v, "unconfined");
	assert_false(ct_security_opt(&a, c, "frobnicate=1", (struct ct_src){5, 1, NULL, NULL}));
	assert_true(ct_parse_mount(&a, c, "type=bind,src=/etc,dst=/e,readonly,bind-propagation=rshared",
				   (struct ct_src){6, 1, NULL, NULL}));
	assert_int_equal(c->mounts[0].type, CT_MOUNT_BIND);
	assert_true(c->mounts[0].read_only);
	assert_string_equal(c->mounts[0].propagation, "rshared");
	assert_true(ct_parse_volume(&a, c, "data:/data:ro", (struct ct_src){7, 1, NULL, NULL}));
	assert_int_equal(c->mounts[1].type, CT_MOUNT_VOLUME);
	assert_true(ct_parse_volume(&a, c, "./x:/x:rw,shared", (struct ct_src){8, 1, NULL, NULL}));
	assert_int_equal(c->mounts[2].type, CT_MOUNT_BIND);
	assert_string_equal(c->mounts[2].propagation, "shared");
	assert_false(c->mounts[2].read_only);
	assert_string_equal(ct_cap_norm(&a, "cap_sys_admin"), "SYS_ADMIN");
	arena_release(&a);
}

static size_t count(const struct target *t, const char *rule)
{
	return unit_count(t, rule);
}

/* One insecure container, described three ways, gets the same verdicts. */
static void test_one_container_three_front_ends_same_findings(void **state)
{
	static const char *const rules[] = {"CT-PRIVILEGED", "CT-DOCKER-SOCKET", "CT-HOST-PID", "CT-CAP-DANGEROUS",
					    "CT-ROOTFS-WRITABLE", "CT-NO-MEMORY-LIMIT", "CT-USER-ROOT",
					    "CT-IMAGE-LATEST", "CT-SECCOMP-UNCONFINED"};
	const char *run = "docker run --privileged -v /var/run/docker.sock:/var/run/docker.sock --pid host "
			  "--cap-add SYS_ADMIN -u 0 --security-opt seccomp=unconfined nginx:latest";
	const char *compose = "services:\n  web:\n    image: nginx:latest\n    privileged: true\n"
			      "    volumes: [/var/run/docker.sock:/var/run/docker.sock]\n    pid: host\n"
			      "    cap_add: [SYS_ADMIN]\n    user: \"0\"\n    security_opt: [seccomp=unconfined]\n";
	const char *k8s = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  hostPID: true\n"
			  "  volumes: [{name: s, hostPath: {path: /var/run/docker.sock}}]\n  containers:\n"
			  "  - name: web\n    image: nginx:latest\n    volumeMounts: [{name: s, mountPath: /s}]\n"
			  "    securityContext:\n      privileged: true\n      runAsUser: 0\n"
			  "      capabilities: {add: [SYS_ADMIN]}\n      seccompProfile: {type: Unconfined}\n";
	struct target t[3];
	struct ct_file f[3];
	size_t i, k;

	(void)state;
	assert_int_equal(unit_check(&t[0], "--cmd", run, NULL, &f[0]), 0);
	assert_int_equal(unit_check(&t[1], "compose.yml", compose, NULL, &f[1]), 0);
	assert_int_equal(unit_check(&t[2], "pod.yaml", k8s, NULL, &f[2]), 0);
	for (k = 0; k < DS_ARRAY_SIZE(rules); k++)
		for (i = 0; i < 3; i++)
			if (count(&t[i], rules[k]) != 1)
				fail_msg("%s: %zu findings from front-end %zu", rules[k], count(&t[i], rules[k]), i);
	for (i = 0; i < 3; i++)
		target_release(&t[i]);
}

static void test_compose_interpolation_merge_precedence_and_unset_vs_false(void **state)
{
	static const char *const env[] = {"MEM=1g", "EMPTY=", NULL};
	const char *src = "x-a: &a {read_only: true, mem_limit: 64m}\n"
			  "x-b: &b {read_only: false, pids_limit: 5}\n"
			  "services:\n"
			  "  s:\n    <<: [*a, *b]\n    image: \"i:${TAG:-1.0}${EMPTY:-x}${EMPTY-y}\"\n"
			  "    mem_limit: ${MEM}\n    environment: {PRICE: $$5}\n"
			  "  u:\n    image: u:1\n    read_only: false\n";
	struct target t;
	struct ct_file f;
	struct ct_container *s, *u;

	(void)state;
	assert_int_equal(unit_check(&t, "compose.yml", src, env, &f), 0);
	assert_int_equal(f.n, 2);
	s = f.c[0];
	u = f.c[1];
	assert_string_equal(s->image.v, "i:1.0x");       /* :- takes empty as unset, - does not */
	assert_true(s->read_only.set && s->read_only.v); /* the earlier merged mapping wins */
	assert_int_equal(s->memory.v, 1LL << 30);        /* own key over merged */
	assert_int_equal(s->pids_limit.v, 5);
	assert_string_equal(s->env.v[0].v, "$5");
	assert_true(u->read_only.set && !u->read_only.v); /* false, not unset */
	assert_int_equal(u->read_only.at.line, 11);
	assert_false(u->privileged.set);
	target_release(&t);
}

static void test_k8s_container_context_overrides_pod_and_pss_levels(void **state)
{
	const char *src = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
			  "  securityContext: {runAsUser: 1000, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n"
			  "  containers:\n"
			  "  - name: strict\n    image: a:1\n"
			  "    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n"
			  "  - name: root\n    image: a:1\n    securityContext: {runAsUser: 0}\n"
			  "  - name: net\n    image: a:1\n    securityContext: {capabilities: {add: [NET_ADMIN]}}\n";
	struct target t;
	struct ct_file f;

	(void)state;
	assert_int_equal(unit_check(&t, "p.yaml", src, NULL, &f), 0);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.c[0]->user.v, "1000");
	assert_string_equal(f.c[0]->pss, "restricted");
	assert_string_equal(f.c[1]->user.v, "0");
	assert_string_equal(f.c[1]->pss, "baseline");
	assert_string_equal(f.c[2]->pss, "privileged");
	assert_int_equal(count(&t, "CT-USER-ROOT"), 1);
	assert_int_equal(count(&t, "CT-PSS-LEVEL"), 2);
	target_release(&t);
}

/* Podman's inspect writes --cap-drop ALL as the 14 default capabilities */
static void test_dropping_every_default_capability_is_drop_all(void **state)
{
	const char *all = "docker run --cap-drop AUDIT_WRITE --cap-drop CHOWN --cap-drop DAC_OVERRIDE --cap-drop FOWNER "
			  "--cap-drop FSETID --cap-drop KILL --cap-drop MKNOD --cap-drop NET_BIND_SERVICE --cap-drop NET_RAW "
			  "--cap-drop SETFCAP --cap-drop SETGID --cap-drop SETPCAP --cap-drop SETUID --cap-drop SYS_CHROOT a:1";
	const char *some = "docker run --cap-drop NET_RAW --cap-drop MKNOD a:1";
	struct target t;
	struct ct_file f;

	(void)state;
	assert_int_equal(unit_check(&t, "--cmd", all, NULL, &f), 0);
	assert_int_equal(count(&t, "CT-CAP-DROP-ALL"), 0);
	target_release(&t);
	assert_int_equal(unit_check(&t, "--cmd", some, NULL, &f), 0);
	assert_int_equal(count(&t, "CT-CAP-DROP-ALL"), 1);
	target_release(&t);
}

static void test_run_lines_found_in_scripts_with_shell_quoting(void **state)
{
	const char *src = "#!/bin/sh\n"
			  "if true; then sudo docker run --rm \\\n  -e 'A=b c' --name x \"alp\"ine:3 sh -c 'docker run -P y'; fi\n"
			  "echo docker-compose run z; podman create --privileged q:1\n"
			  "docker -H tcp://h:2376 container run --read-only=false r:1\n";
	struct target t;
	struct ct_file f;

	(void)state;
	assert_int_equal(unit_check(&t, "x.sh", src, NULL, &f), 0);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.c[0]->image.v, "alpine:3");
	assert_string_equal(f.c[0]->env.v[0].v, "b c");
	assert_int_equal(f.c[0]->env.v[0].at.line, 3);
	assert_string_equal(f.c[1]->image.v, "q:1");
	assert_true(f.c[1]->privileged.v);
	assert_true(f.c[2]->read_only.set && !f.c[2]->read_only.v);
	target_release(&t);
}

static void test_front_ends_survive_every_allocation_failure(void **state)
{
	static const char *const inputs[][2] = {
		{"compose.yml", "x-a: &x {cap_add: [ALL]}\nservices:\n  a:\n    <<: *x\n    image: \"i:${T:-1}\"\n"
				"    ports: [\"80:80\"]\n    volumes: [\"/:/h\"]\n    environment: [K=AKIAIOSFODNN7EXAMPLE]\n"
				"  b: {extends: a, privileged: true}\n"},
		{"k.yaml", "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: p}\n  spec:\n"
			   "    hostNetwork: true\n    volumes: [{name: v, hostPath: {path: /etc}}]\n"
			   "    containers: [{name: c, image: x, volumeMounts: [{name: v, mountPath: /e}]}]\n"},
		{"--cmd", "docker run -it --privileged -p 80:80 -v /:/h --mount type=bind,src=/,dst=/x x:1 sh"},
	};
	size_t i;
	long n;

	(void)state;
	for (i = 0; i < DS_ARRAY_SIZE(inputs); i++) {
		for (n = 1; n < 100000; n++) {
			struct target t;
			struct ct_file f;
			int rc;

			ds_alloc_fail_at(n);
			rc = unit_check(&t, inputs[i][0], inputs[i][1], NULL, &f);
			ds_alloc_fail_at(0);
			if (rc != 0 && rc != DS_ENOMEM)
				fail_msg("%s: allocation %ld: %s", inputs[i][0], n, t.err.msg);
			target_release(&t);
			if (rc == 0 && !t.nomem)
				break;
		}
		assert_true(n > 2);
		assert_true(n < 100000);
	}
}

/* The environment list keeps Compose's and Docker's meaning however long
 * it grows: set replaces the value in place (the order of first
 * appearance stays), add keeps duplicates and a lookup finds the last,
 * across the point where the hash index takes over from the scan. */
static void test_env_lists_keep_their_meaning_past_the_index(void **state)
{
	struct arena a;
	struct ct_kvs l = {0};
	struct ct_src at = {0, 0, NULL, NULL};
	char k[32];
	size_t i;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < 5000; i++) {
		snprintf(k, sizeof(k), "VAR%zu", i);
		assert_int_equal(ct_kvs_set(&a, &l, arena_strdup(&a, k), "first", at), 0);
	}
	for (i = 0; i < 5000; i += 7) {
		snprintf(k, sizeof(k), "VAR%zu", i);
		assert_int_equal(ct_kvs_set(&a, &l, arena_strdup(&a, k), "second", at), 0);
	}
	assert_int_equal(l.n, 5000);
	assert_string_equal(l.v[14].k, "VAR14");
	assert_string_equal(l.v[14].v, "second");
	assert_string_equal(l.v[15].v, "first");
	assert_string_equal(ct_kvs_getn(&l, "VAR4998xyz", 7)->v, "second"); /* 4998 = 7 x 714 */
	assert_null(ct_kvs_getn(&l, "VAR5000", 7));
	assert_int_equal(ct_kvs_add(&a, &l, "VAR1", "third", at), 0); /* docker run -e VAR1=... twice */
	assert_int_equal(l.n, 5001);
	assert_string_equal(ct_kvs_getn(&l, "VAR1", 4)->v, "third");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_syntaxes_parse_as_the_docker_cli_reads_them),
		cmocka_unit_test(test_sizes_cpus_and_restart_policies),
		cmocka_unit_test(test_one_container_three_front_ends_same_findings),
		cmocka_unit_test(test_compose_interpolation_merge_precedence_and_unset_vs_false),
		cmocka_unit_test(test_k8s_container_context_overrides_pod_and_pss_levels),
		cmocka_unit_test(test_dropping_every_default_capability_is_drop_all),
		cmocka_unit_test(test_run_lines_found_in_scripts_with_shell_quoting),
		cmocka_unit_test(test_front_ends_survive_every_allocation_failure),
		cmocka_unit_test(test_env_lists_keep_their_meaning_past_the_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
