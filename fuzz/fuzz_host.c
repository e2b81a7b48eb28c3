/*
 * fuzz_host.c - libFuzzer target for the host hardening parsers, driven
 * through the public API the way `audit --root DIR` drives them: the
 * input is cut at 0x00 bytes into the files of a host tree (iptables
 * rules, APT configuration, /proc/net/tcp and unix, dpkg status,
 * os-release, sshd_config, daemon.json), written into a private
 * directory, and every host-* check runs on it (iptables-save text and
 * the filter-table walk, the APT grammar, /proc/net hex addresses, dpkg
 * paragraphs and version ordering, the sshd keyword reader).
 */
#include "host/audit.h"
#include "fuzz_target.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {
	"/etc/iptables/rules.v4", "/etc/apt/apt.conf.d/50fuzz", "/proc/net/tcp",	 "/proc/net/unix",
	"/var/lib/dpkg/status",	  "/etc/os-release",	        "/etc/ssh/sshd_config", "/etc/docker/daemon.json",
};

static char dir[64];

static const char *const dirs[] = {"/etc", "/etc/iptables", "/etc/apt", "/etc/apt/apt.conf.d", "/proc",
				   "/proc/net", "/var", "/var/lib", "/var/lib/dpkg", "/etc/ssh", "/etc/docker"};

static void cleanup(void)
{
	char p[128];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(p, sizeof(p), "%s%s", dir, files[i]);
		unlink(p);
	}
	for (i = sizeof(dirs) / sizeof(*dirs); i--;) {
		snprintf(p, sizeof(p), "%s%s", dir, dirs[i]);
		rmdir(p);
	}
	rmdir(dir);
}

static void setup(void)
{
	char p[128];
	size_t i;

	snprintf(dir, sizeof(dir), "/tmp/docksec-fuzz-host.%d", (int)getpid());
	mkdir(dir, 0700);
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		snprintf(p, sizeof(p), "%s%s", dir, dirs[i]);
		mkdir(p, 0700);
	}
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct target t;
	struct ct_file f = {0};
	struct dcfg cfg;
	struct au_data d = {0};
	struct au_result *r;
	size_t i, n, start = 0, k = 0;
	const char *inc[] = {"host-"};

	if (!ready) {
		ds_domains_register();
		setup();
		ready = true;
	}
	for (i = 0; i <= size && k < sizeof(files) / sizeof(*files); i++) {
		if (i < size && data[i])
			continue;
		char p[128];
		FILE *fp;
		snprintf(p, sizeof(p), "%s%s", dir, files[k++]);
		if ((fp = fopen(p, "w"))) {
			fwrite(data + start, 1, i - start, fp);
			fclose(fp);
		}
		start = i + 1;
	}
	for (; k < sizeof(files) / sizeof(*files); k++) { /* absent files are a case too */
		char p[128];
		snprintf(p, sizeof(p), "%s%s", dir, files[k]);
		unlink(p);
	}
	target_init(&t, "host");
	if (host_daemon_config(&t.arena, dir, NULL, &cfg) == 0) {
		d.t = &t;
		d.f = &f;
		d.dcfg = &cfg;
		d.root = dir;
		au_run(&d, &t.arena, inc, 1, NULL, 0, &r, &n);
	}
	arena_release(&t.arena);
	return 0;
}
