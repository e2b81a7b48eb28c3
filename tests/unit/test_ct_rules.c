/*
 * test_ct_rules.c - every container rule (CT-*), with a case where it
 * fires and one where it must not, the way test_rules.c holds the
 * Dockerfile rules to. Run-line cases add flags to a hardened baseline
 * that has no finding at all, so a case fails if its rule does not fire,
 * or fires where it must not; Kubernetes cases edit a hardened Pod. A
 * final test proves the table is complete.
 */
#include "unit.h"
#include "container/check.h"

#define DIGEST "sha256:0000000000000000000000000000000000000000000000000000000000000000"
#define HARDENED "--cap-drop ALL --security-opt no-new-privileges --read-only --user 1000:1000 --memory 512m " \
		 "--cpus 1 --pids-limit 100 --restart on-failure:5 --health-cmd true --network app"

static const char k8s_pod[] = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: c\n    image: nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000\n    imagePullPolicy: Always\n    resources: {limits: {memory: 512Mi, cpu: \"1\"}}\n    livenessProbe: {exec: {command: [true]}}\n    securityContext:\n      runAsNonRoot: true\n      runAsUser: 1000\n      runAsGroup: 1000\n      allowPrivilegeEscalation: false\n      readOnlyRootFilesystem: true\n      capabilities: {drop: [ALL]}\n      seccompProfile: {type: RuntimeDefault}\n";

enum how {
	RUN,       /* docker run HARDENED <flags> nginx@digest */
	RUN_BARE,  /* docker run <flags> nginx@digest: the flags are the whole baseline */
	RUN_IMAGE, /* docker run HARDENED <image> */
	K8S,       /* the hardened Pod with text replaced (first occurrence) */
};

struct ccase {
	const char *rule;
	int fires; /* 1: at least one finding of the rule; 0: none */
	enum how how;
	const char *arg, *with;
};

static const struct ccase cases[] = {
	{"CT-PRIVILEGED", 1, RUN, "--privileged", NULL},
	{"CT-PRIVILEGED", 0, RUN, "--privileged=false", NULL},
	{"CT-CAP-ALL", 1, RUN, "--cap-add ALL", NULL},
	{"CT-CAP-ALL", 0, RUN, "--cap-add CHOWN", NULL},
	{"CT-CAP-DANGEROUS", 1, RUN, "--cap-add SYS_ADMIN", NULL},
	{"CT-CAP-DANGEROUS", 0, RUN, "--cap-add CHOWN", NULL},
	{"CT-CAP-ADD", 1, RUN, "--cap-add WAKE_ALARM", NULL},
	{"CT-CAP-ADD", 0, RUN, "--cap-add CHOWN", NULL},
	{"CT-CAP-DROP-ALL", 1, RUN_BARE, "--security-opt no-new-privileges --read-only --user 1000:1000 --memory 512m --cpus 1 --pids-limit 100 --restart on-failure:5 --health-cmd true --network app --cap-drop NET_RAW", NULL},
	{"CT-CAP-DROP-ALL", 0, RUN, "--cap-drop all", NULL},
	{"CT-NO-NEW-PRIVILEGES", 1, RUN_BARE, "--cap-drop ALL --read-only --user 1000:1000 --memory 512m --cpus 1 --pids-limit 100 --restart on-failure:5 --health-cmd true --network app", NULL},
	{"CT-NO-NEW-PRIVILEGES", 0, RUN, "--security-opt no-new-privileges:true", NULL},
	{"CT-USER-ROOT", 1, RUN, "--user root", NULL},
	{"CT-USER-ROOT", 0, RUN, "--user 1000", NULL},
	{"CT-USER-UNSET", 1, RUN_BARE, "--cap-drop ALL --security-opt no-new-privileges --read-only --memory 512m --cpus 1 --pids-limit 100 --restart on-failure:5 --health-cmd true --network app", NULL},
	{"CT-USER-UNSET", 0, RUN, "--user 1000", NULL},
	{"CT-GROUP-ROOT", 1, RUN, "--group-add docker", NULL},
	{"CT-GROUP-ROOT", 0, RUN, "--user 1000:1000", NULL},
	{"CT-ROOTFS-WRITABLE", 1, RUN_BARE, "--cap-drop ALL --security-opt no-new-privileges --user 1000:1000 --memory 512m --cpus 1 --pids-limit 100 --restart on-failure:5 --health-cmd true --network app", NULL},
	{"CT-ROOTFS-WRITABLE", 0, RUN, "--read-only=true", NULL},
	{"CT-NO-MEMORY-LIMIT", 1, RUN_BARE, "--cap-drop ALL --security-opt no-new-privileges --read-only --user 1000:1000 --cpus 1 --pids-limit 100 --restart on-failure:5 --health-cmd true --network app", NULL},
	{"CT-NO-MEMORY-LIMIT", 0, RUN, "--memory 1g", NULL},
	{"CT-NO-CPU-LIMIT", 1, RUN_BARE, "--cap-drop ALL --security-opt no-new-privileges --read-only --user 1000:1000 --memory 512m --pids-limit 100 --restart on-failure:5 --health-cmd true --network app", NULL},
	{"CT-NO-CPU-LIMIT", 0, RUN, "--cpu-shares 512", NULL},
	{"CT-NO-PIDS-LIMIT", 1, RUN_BARE, "--cap-drop ALL --security-opt no-new-privileges --read-only --user 1000:1000 --memory 512m --cpus 1 --restart on-failure:5 --health-cmd true --network app", NULL},
	{"CT-NO-PIDS-LIMIT", 0, RUN, "--pids-limit 50", NULL},
	{"CT-ULIMIT-UNLIMITED", 1, RUN, "--ulimit nproc=-1", NULL},
	{"CT-ULIMIT-UNLIMITED", 0, RUN, "--ulimit nofile=1024:2048", NULL},
	{"CT-RESTART-POLICY", 1, RUN, "--restart always", NULL},
	{"CT-RESTART-POLICY", 0, RUN, "--restart on-failure:3", NULL},
	{"CT-HOST-NETWORK", 1, RUN, "--network host", NULL},
	{"CT-HOST-NETWORK", 0, RUN, "--network bridge2", NULL},
	{"CT-HOST-PID", 1, RUN, "--pid host", NULL},
	{"CT-HOST-PID", 0, RUN, "--pid container:x", NULL},
	{"CT-HOST-IPC", 1, RUN, "--ipc host", NULL},
	{"CT-HOST-IPC", 0, RUN, "--ipc private", NULL},
	{"CT-HOST-UTS", 1, RUN, "--uts host", NULL},
	{"CT-HOST-UTS", 0, RUN, "--hostname x", NULL},
	{"CT-HOST-USERNS", 1, RUN, "--userns host", NULL},
	{"CT-HOST-USERNS", 0, RUN, "--user 1000", NULL},
	{"CT-HOST-CGROUPNS", 1, RUN, "--cgroupns host", NULL},
	{"CT-HOST-CGROUPNS", 0, RUN, "--cgroupns private", NULL},
	{"CT-DEVICE", 1, RUN, "--device /dev/sda", NULL},
	{"CT-DEVICE", 0, RUN, "--memory 1g", NULL},
	{"CT-DOCKER-SOCKET", 1, RUN, "-v /var/run/docker.sock:/var/run/docker.sock:ro", NULL},
	{"CT-DOCKER-SOCKET", 0, RUN, "-v /srv/data:/data:ro", NULL},
	{"CT-SENSITIVE-MOUNT", 1, RUN, "-v /etc:/host-etc:ro", NULL},
	{"CT-SENSITIVE-MOUNT", 0, RUN, "-v /srv/data:/data:ro", NULL},
	{"CT-BIND-WRITABLE", 1, RUN, "-v /srv/data:/data", NULL},
	{"CT-BIND-WRITABLE", 0, RUN, "-v /srv/data:/data:ro", NULL},
	{"CT-MOUNT-PROPAGATION", 1, RUN, "-v /srv/data:/data:ro,rshared", NULL},
	{"CT-MOUNT-PROPAGATION", 0, RUN, "-v /srv/data:/data:ro,rprivate", NULL},
	{"CT-SECCOMP-UNCONFINED", 1, RUN, "--security-opt seccomp=unconfined", NULL},
	{"CT-SECCOMP-UNCONFINED", 0, RUN, "--security-opt seccomp=/etc/p.json", NULL},
	{"CT-APPARMOR-UNCONFINED", 1, RUN, "--security-opt apparmor=unconfined", NULL},
	{"CT-APPARMOR-UNCONFINED", 0, RUN, "--security-opt apparmor=docker-default", NULL},
	{"CT-SELINUX-DISABLED", 1, RUN, "--security-opt label=disable", NULL},
	{"CT-SELINUX-DISABLED", 0, RUN, "--security-opt label=type:svirt_apache_t", NULL},
	{"CT-PUBLISH-ALL", 1, RUN, "-P", NULL},
	{"CT-PUBLISH-ALL", 0, RUN, "-p 127.0.0.1:8080:8080", NULL},
	{"CT-PORT-ALL-INTERFACES", 1, RUN, "-p 8080:8080", NULL},
	{"CT-PORT-ALL-INTERFACES", 0, RUN, "-p 127.0.0.1:8080:8080", NULL},
	{"CT-PORT-PRIVILEGED", 1, RUN, "-p 127.0.0.1:80:8080", NULL},
	{"CT-PORT-PRIVILEGED", 0, RUN, "-p 127.0.0.1:8080:8080", NULL},
	{"CT-DEFAULT-BRIDGE", 1, RUN_BARE, "--cap-drop ALL --security-opt no-new-privileges --read-only --user 1000:1000 --memory 512m --cpus 1 --pids-limit 100 --restart on-failure:5 --health-cmd true", NULL},
	{"CT-DEFAULT-BRIDGE", 0, RUN, "--network app2", NULL},
	{"CT-IMAGE-LATEST", 1, RUN_IMAGE, "nginx:latest", NULL},
	{"CT-IMAGE-LATEST", 0, RUN_IMAGE, "nginx:1.27", NULL},
	{"CT-IMAGE-DIGEST", 1, RUN_IMAGE, "nginx:1.27", NULL},
	{"CT-IMAGE-DIGEST", 0, RUN_IMAGE, "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000", NULL},
	{"CT-ENV-SECRET", 1, RUN, "-e DB_PASSWORD=hunter2secret", NULL},
	{"CT-ENV-SECRET", 0, RUN, "-e DB_HOST=db", NULL},
	/* --no-healthcheck with --health-cmd is refused by Docker: without it */
	{"CT-NO-HEALTHCHECK", 1, RUN_BARE, "--cap-drop ALL --security-opt no-new-privileges --read-only --user 1000:1000 --memory 512m --cpus 1 --pids-limit 100 --restart on-failure:5 --network app --no-healthcheck", NULL},
	{"CT-NO-HEALTHCHECK", 0, RUN, "--health-cmd \"curl -f localhost\"", NULL},
	{"CT-SYSCTL", 1, RUN, "--sysctl net.ipv4.conf.all.route_localnet=1", NULL},
	{"CT-SYSCTL", 0, RUN, "--sysctl net.ipv4.ip_unprivileged_port_start=0", NULL},
	{"CT-UNKNOWN", 1, RUN, "--frobnicate", NULL},
	{"CT-UNKNOWN", 0, RUN, "--init", NULL},
	{"CT-HOST-PORT", 1, K8S, "imagePullPolicy: Always", "imagePullPolicy: Always\n    ports: [{containerPort: 80, hostPort: 80}]"},
	{"CT-HOST-PORT", 0, K8S, "imagePullPolicy: Always", "imagePullPolicy: Always\n    ports: [{containerPort: 80}]"},
	{"CT-PULL-POLICY", 1, K8S, "nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000\n    imagePullPolicy: Always", "nginx:latest\n    imagePullPolicy: IfNotPresent"},
	{"CT-PULL-POLICY", 0, K8S, "imagePullPolicy: Always", "imagePullPolicy: IfNotPresent"},
	{"CT-SECCOMP-UNSET", 1, K8S, "      seccompProfile: {type: RuntimeDefault}", ""},
	{"CT-SECCOMP-UNSET", 0, K8S, "RuntimeDefault", "Localhost, localhostProfile: p.json"},
	/* values the API refuses are reported and count as no profile (issue 10) */
	{"CT-SECCOMP-UNSET", 1, K8S, "RuntimeDefault", "LocalHost"},
	{"CT-UNKNOWN", 1, K8S, "RuntimeDefault", "runtimedefault"},
	{"CT-UNKNOWN", 1, K8S, "  automountServiceAccountToken: false\n", "  automountServiceAccountToken: false\n  hostNetwork: \"true\"\n"},
	{"CT-GROUP-ROOT", 1, K8S, "  automountServiceAccountToken: false\n", "  automountServiceAccountToken: false\n  securityContext: {supplementalGroups: [0]}\n"},
	{"CT-GROUP-ROOT", 1, K8S, "  automountServiceAccountToken: false\n", "  automountServiceAccountToken: false\n  securityContext: {fsGroup: 0}\n"},
	{"CT-GROUP-ROOT", 0, K8S, "  automountServiceAccountToken: false\n", "  automountServiceAccountToken: false\n  securityContext: {fsGroup: 2000}\n"},
	{"CT-SELINUX-DISABLED", 1, K8S, "      runAsNonRoot: true\n", "      runAsNonRoot: true\n      seLinuxOptions: {role: sysadm_r}\n"},
	{"CT-SELINUX-DISABLED", 0, K8S, "      runAsNonRoot: true\n", "      runAsNonRoot: true\n      seLinuxOptions: {type: container_init_t}\n"},
	{"CT-NO-CPU-LIMIT", 1, K8S, "cpu: \"1\"", "cpu: \"0\""},
	{"CT-SYSCTL", 0, K8S, "  automountServiceAccountToken: false\n", "  automountServiceAccountToken: false\n  securityContext: {sysctls: [{name: net.ipv4.tcp_rmem, value: 4096 87380 6291456}]}\n"},
	{"CT-SA-TOKEN", 1, K8S, "  automountServiceAccountToken: false\n", ""},
	{"CT-SA-TOKEN", 0, K8S, "x", "x"},
	{"CT-PROC-MOUNT", 1, K8S, "      runAsNonRoot: true", "      procMount: Unmasked\n      runAsNonRoot: true"},
	{"CT-PROC-MOUNT", 0, K8S, "      runAsNonRoot: true", "      procMount: Default\n      runAsNonRoot: true"},
	{"CT-NO-CPU-REQUEST", 1, K8S, "resources: {limits: {memory: 512Mi, cpu: \"1\"}}", "resources: {limits: {memory: 512Mi}}"},
	{"CT-NO-CPU-REQUEST", 0, K8S, "resources: {limits: {memory: 512Mi, cpu: \"1\"}}", "resources: {limits: {memory: 512Mi, cpu: \"1\"}, requests: {cpu: 100m}}"},
	{"CT-NO-MEMORY-REQUEST", 1, K8S, "resources: {limits: {memory: 512Mi, cpu: \"1\"}}", "resources: {limits: {cpu: \"1\"}}"},
	{"CT-NO-MEMORY-REQUEST", 0, K8S, "resources: {limits: {memory: 512Mi, cpu: \"1\"}}", "resources: {limits: {memory: 512Mi, cpu: \"1\"}, requests: {memory: 64Mi}}"},
	{"CT-VOLUME-TYPE", 1, K8S, "  containers:", "  volumes: [{name: v, nfs: {server: s, path: /}}]\n  containers:"},
	{"CT-VOLUME-TYPE", 0, K8S, "  containers:", "  volumes: [{name: v, persistentVolumeClaim: {claimName: c}}]\n  containers:"},
	{"CT-HOST-ALIASES", 1, K8S, "  containers:", "  hostAliases: [{ip: 10.0.0.1, hostnames: [a]}]\n  containers:"},
	{"CT-HOST-ALIASES", 0, K8S, "  containers:", "  hostAliases: []\n  containers:"},
	{"CT-ENV-SECRET-REF", 1, K8S, "imagePullPolicy: Always", "imagePullPolicy: Always\n    env: [{name: PW, valueFrom: {secretKeyRef: {name: s, key: k}}}]"},
	{"CT-ENV-SECRET-REF", 0, K8S, "imagePullPolicy: Always", "imagePullPolicy: Always\n    env: [{name: HOST, valueFrom: {configMapKeyRef: {name: s, key: k}}}]"},
	{"CT-HOST-USERNS", 1, K8S, "  containers:", "  hostUsers: true\n  containers:"},
	{"CT-HOST-USERNS", 0, K8S, "  containers:", "  hostUsers: false\n  containers:"},
	{"CT-PSS-LEVEL", 1, K8S, "      runAsNonRoot: true", "      runAsNonRoot: false"},
	{"CT-PSS-LEVEL", 0, K8S, "x", "x"},
};

static size_t count_rule(const struct target *t, const char *rule)
{
	size_t i, n = 0;
	for (i = 0; i < t->nfindings; i++)
		n += !strcmp(t->findings[i].rule->id, rule);
	return n;
}

/* The input of a case, in b. */
static const char *input(const struct ccase *c, struct buf *b)
{
	const char *at;

	buf_clear(b);
	switch (c->how) {
	case RUN: buf_addf(b, "docker run " HARDENED " %s nginx:1.27@" DIGEST, c->arg); break;
	case RUN_BARE: buf_addf(b, "docker run %s nginx:1.27@" DIGEST, c->arg); break;
	case RUN_IMAGE: buf_addf(b, "docker run " HARDENED " %s", c->arg); break;
	case K8S:
		at = strstr(k8s_pod, c->arg);
		assert_non_null(at);
		buf_add(b, k8s_pod, (size_t)(at - k8s_pod));
		buf_adds(b, c->with);
		buf_adds(b, at + strlen(c->arg));
		break;
	}
	assert_true(buf_ok(b));
	return buf_str(b);
}

static void test_baselines_are_clean(void **state)
{
	struct target t;
	struct ct_file f;

	(void)state;
	assert_int_equal(unit_check(&t, "--cmd", "docker run " HARDENED " nginx:1.27@" DIGEST, NULL, &f), 0);
	assert_int_equal(t.nfindings, 0);
	target_release(&t);
	assert_int_equal(unit_check(&t, "pod.yaml", k8s_pod, NULL, &f), 0);
	assert_int_equal(t.nfindings, 0);
	target_release(&t);
}

static void test_every_case(void **state)
{
	struct buf b = BUF_INIT;
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < DS_ARRAY_SIZE(cases); i++) {
		const struct ccase *c = &cases[i];
		struct target t;
		struct ct_file f;
		size_t n;
		assert_int_equal(unit_check(&t, c->how == K8S ? "pod.yaml" : "--cmd", input(c, &b), NULL, &f), 0);
		n = count_rule(&t, c->rule);
		if ((c->fires && !n) || (!c->fires && n)) {
			print_error("%s: %zu findings for case %zu (%s %s)\n", c->rule, n, i, c->arg, c->with ? c->with : "");
			bad++;
		}
		target_release(&t);
	}
	buf_release(&b);
	assert_int_equal(bad, 0);
}

static void test_every_container_rule_has_both_cases(void **state)
{
	size_t r, i, missing = 0;

	(void)state;
	for (r = 0; r < ct_rules_n; r++) {
		bool pos = false, neg = false;
		for (i = 0; i < DS_ARRAY_SIZE(cases); i++)
			if (!strcmp(cases[i].rule, ct_rules[r].id)) {
				pos |= cases[i].fires;
				neg |= !cases[i].fires;
			}
		if (ct_rules[r].fn && (!pos || !neg)) {
			print_error("rule %s lacks a %s case\n", ct_rules[r].id, pos ? "negative" : "positive");
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baselines_are_clean),
		cmocka_unit_test(test_every_case),
		cmocka_unit_test(test_every_container_rule_has_both_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
