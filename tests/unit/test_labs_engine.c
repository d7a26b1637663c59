/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_labs_engine.c - unit tests for the engine's parts that need no container: placeholders, work
 * directory, skip reasons */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/util.h"
#include "labs/engine_internal.h"

#define CONTENT_DIR FIXTURES_DIR "/labs/content"

static void load(const char *id, struct sz_lab *lab)
{
	struct sz_diags d = {0};
	char *path = sz_asprintf("%s/labs/alpha/%s.yaml", CONTENT_DIR, id);

	assert_int_equal(sz_lab_load_file(path, "alpha", lab, &d), 0);
	free(path);
}

static char *tmp_dir(void)
{
	char *dir = sz_xstrdup("/tmp/stanza-test-labs-XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void rm_dir(const char *dir)
{
	sz_error_t err = NULL;

	assert_int_equal(sz_rm_rf_at(AT_FDCWD, dir, &err), 0);
}

/* ---- placeholders ------------------------------------------------------ */

static void test_expand(void **state)
{
	struct sz_lab_run run = {.wd = {"/tmp/wd", -1}, .stanza_exe = "/usr/bin/stanza"};
	char *s = sz_lab_expand(&run, "{stanza} run -v {workdir}/x:/x {pid} {pids} {} {workdir");

	/* No container: {pid} is 0. Anything else in braces stays as it is. */
	assert_string_equal(s, "/usr/bin/stanza run -v /tmp/wd/x:/x 0 {pids} {} {workdir");
	free(s);
	s = sz_lab_expand(&run, "");
	assert_string_equal(s, "");
	free(s);
}

/* ---- the work directory ------------------------------------------------ */

static void test_workdir(void **state)
{
	char *base = tmp_dir(), *path;
	struct sz_workdir w = {NULL, -1};
	struct sz_lab lab;
	struct stat st;
	sz_error_t err = NULL;
	char *data = NULL;

	load("every-check", &lab);
	assert_int_equal(sz_workdir_make(&w, base, &lab, &err), 0);
	assert_true(sz_str_has_prefix(w.path, base));
	assert_non_null(strstr(w.path, "/stanza-lab-every-check-"));
	assert_int_equal(stat(w.path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	path = sz_asprintf("%s/shared/hello.txt", w.path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(sz_read_file(path, &data, NULL, &err), 0);
	assert_string_equal(data, "hello from the host\n");
	free(data);
	free(path);
	path = sz_asprintf("%s/empty", w.path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	free(path);
	path = sz_xstrdup(w.path);
	assert_int_equal(sz_workdir_remove(&w, &err), 0);
	assert_null(w.path);
	assert_int_equal(w.fd, -1);
	assert_int_equal(stat(path, &st), -1);            /* gone */
	assert_int_equal(sz_workdir_remove(&w, &err), 0); /* twice is fine */
	free(path);
	sz_lab_release(&lab);
	rm_dir(base);
	free(base);
}

/* Make dir look a few minutes old. */
static void age(const char *dir)
{
	struct timeval tv[2];

	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= 300;
	tv[1] = tv[0];
	assert_int_equal(utimes(dir, tv), 0);
}

static void test_collect(void **state)
{
	char *base = tmp_dir();
	struct sz_workdir live = {NULL, -1};
	struct sz_lab lab;
	sz_error_t err = NULL;
	char *dead = sz_asprintf("%s/stanza-lab-tiny-dead01", base);
	char *young = sz_asprintf("%s/stanza-lab-tiny-young1", base);
	char *other = sz_asprintf("%s/not-a-lab", base);
	struct stat st;

	load("tiny", &lab);
	assert_int_equal(sz_workdir_make(&live, base, &lab, &err), 0);
	assert_int_equal(mkdir(dead, 0700), 0);
	assert_int_equal(mkdir(young, 0700), 0);
	assert_int_equal(mkdir(other, 0700), 0);
	age(live.path);
	age(dead);
	age(other);
	sz_workdir_collect(base);
	assert_int_equal(stat(dead, &st), -1);     /* nobody holds it: collected */
	assert_int_equal(stat(live.path, &st), 0); /* held by its stanza */
	assert_int_equal(stat(young, &st), 0);     /* maybe not locked yet */
	assert_int_equal(stat(other, &st), 0);     /* not ours to touch */
	assert_int_equal(sz_workdir_remove(&live, &err), 0);
	sz_lab_release(&lab);
	rm_dir(base);
	free(dead);
	free(young);
	free(other);
	free(base);
}

/* ---- skip reasons, from hand-made facts --------------------------------- */

static void probe_init(struct sz_probe *p, bool root)
{
	memset(p, 0, sizeof(*p));
	p->user.name = sz_xstrdup(root ? "root" : "alice");
	p->user.uid = p->user.euid = root ? 0 : 1000;
	p->user.root = p->user.cap_sys_admin = root;
	p->exe = sz_xstrdup("/usr/bin/stanza");
	p->kernel.release = sz_xstrdup("6.1.0");
	p->kernel.machine = sz_xstrdup("x86_64");
	p->kernel.major = 6;
	p->kernel.minor = 1;
	p->knobs = (struct sz_probe_userns_knobs){15000, -1, -1};
	p->overlay_dir = sz_xstrdup("/tmp");
	p->overlay_fstype = sz_xstrdup("ext4");
	p->overlay_listed = true;
	p->seccomp = (struct sz_probe_seccomp){.available = true, .filter = true};
	p->cgroup.mode = SZ_CGROUP_V2;
	p->cgroup.v2_mount = sz_xstrdup("/sys/fs/cgroup");
	p->cgroup.delegated = true;
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		p->cgroup.ctrl[c].mounted = p->cgroup.ctrl[c].writable = p->cgroup.ctrl[c].enabled = true;
		p->cgroup.ctrl[c].on_v2 = true;
		p->cgroup.ctrl[c].mount = sz_xstrdup("/sys/fs/cgroup");
		p->cgroup.ctrl[c].base = sz_xstrdup("/sys/fs/cgroup/stanza-alice");
	}
}

static char *reason(struct sz_probe *p, const char *needs, const char *container)
{
	struct sz_diags d = {0};
	struct sz_lab lab;
	char *text = sz_asprintf("id: x\nneeds: [%s]\ncontainer: {%s}\nsteps:\n  - id: s\n    kind: demo\n"
	                         "    run: \"true\"\n",
	                         needs, container);
	char *why;

	assert_int_equal(sz_lab_load_buffer("x.yaml", "alpha", text, strlen(text), &lab, &d), 0);
	sz_probe_judge(p);
	why = sz_lab_skip_reason(&lab, p);
	sz_lab_release(&lab);
	free(text);
	return why;
}

static void assert_reason(char *why, const char *want)
{
	if (want == NULL) {
		if (why != NULL)
			fail_msg("unexpected reason: %s", why);
	} else if (why == NULL || strstr(why, want) == NULL) {
		fail_msg("reason '%s' lacks '%s'", why != NULL ? why : "(none)", want);
	}
	free(why);
}

static void test_skip_reasons(void **state)
{
	struct sz_probe p;

	probe_init(&p, false);
	assert_reason(reason(&p, "", ""), NULL);
	assert_reason(reason(&p, "userns, cgroup-memory, overlay", "memory: 32M"), NULL);
	assert_reason(reason(&p, "root", ""), "needs root: you are alice (run it with sudo)");
	assert_reason(reason(&p, "rootless", ""), NULL);
	p.cgroup.ctrl[SZ_CTRL_PIDS].mounted = false;
	assert_reason(reason(&p, "cgroup-pids", ""), "needs cgroup-pids: this host has no such controller");
	/* A limit needs its controller even when `needs` forgets it. */
	assert_reason(reason(&p, "", "pids: 10"), "needs cgroup-pids:");
	p.overlay = (struct sz_probe_trial){SZ_STEP_MOUNT_OVERLAY, 1};
	assert_reason(reason(&p, "overlay", ""), "needs overlay:");
	/* Without a user namespace nothing runs rootless: that comes first. */
	p.userns = p.namespaces = (struct sz_probe_trial){SZ_STEP_UNSHARE_USER, 1};
	assert_reason(reason(&p, "", ""), "this host cannot run containers:");
	sz_probe_release(&p);

	probe_init(&p, true);
	assert_reason(reason(&p, "root", ""), NULL);
	assert_reason(reason(&p, "rootless", ""), "needs rootless");
	p.userns = (struct sz_probe_trial){SZ_STEP_UNSHARE_USER, 1};
	assert_reason(reason(&p, "", ""), NULL); /* root does without one */
	assert_reason(reason(&p, "userns", ""), "needs userns:");
	p.seccomp.filter = false;
	assert_reason(reason(&p, "", ""), "this host cannot run containers:");
	sz_probe_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_expand),
	    cmocka_unit_test(test_workdir),
	    cmocka_unit_test(test_collect),
	    cmocka_unit_test(test_skip_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
