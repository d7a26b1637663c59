/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_oci_config.c - libFuzzer target: an OCI bundle's config.json read into the runtime's spec */
#include <string.h>

#include "fuzz.h"
#include "oci/config.h"

/*
 * The first byte chooses the caller (bit 0: rootless, mapped from uid and
 * gid 1000); the rest is config.json, parsed as `stanza create` parses it.
 * A refusal comes with a message naming the file and leaves nothing
 * allocated; what is accepted is what the runtime relies on: a command,
 * an absolute root below or outside the bundle with no ',' or ':', an
 * absolute working directory, absolute mount destinations, limits only
 * where the config set them.
 */

static void expect(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sz_oci_config cfg;
	sz_error_t err = NULL;
	bool rootless;

	if (size < 1)
		return 0;
	rootless = data[0] & 1;
	if (sz_oci_config_parse((const char *)data + 1, size - 1, "config.json", "/bundle", rootless, 1000,
	                        1000, &cfg, &err) < 0) {
		expect(err != NULL && strncmp(sz_error_msg(err), "config.json", 11) == 0);
		expect(cfg.doc == NULL);
		sz_error_release(&err);
		return 0;
	}
	expect(err == NULL);
	expect(cfg.spec.argv != NULL && cfg.spec.argv[0] != NULL && cfg.spec.argv[0][0] != '\0');
	expect(cfg.spec.image != NULL && cfg.spec.image[0] == '/' && strpbrk(cfg.spec.image, ",:") == NULL);
	expect(cfg.spec.workdir != NULL && cfg.spec.workdir[0] == '/');
	expect(cfg.spec.read_only != cfg.spec.bind_root);
	for (size_t i = 0; i < cfg.spec.n_volumes; i++)
		expect(cfg.spec.volumes[i].container[0] == '/' &&
		       (cfg.spec.volumes[i].fstype != NULL || cfg.spec.volumes[i].host[0] == '/') &&
		       strstr(cfg.spec.volumes[i].container, "/../") == NULL);
	expect(!rootless || strcmp(cfg.spec.user, "0:0") == 0);
	expect(cfg.spec.hostname == NULL || strlen(cfg.spec.hostname) <= 64);
	sz_oci_config_release(&cfg);
	return 0;
}
