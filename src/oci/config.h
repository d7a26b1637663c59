/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config.h - an OCI bundle's config.json read into the runtime's spec, or an error that names the field */
#ifndef SZ_OCI_CONFIG_H
#define SZ_OCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "common/error.h"
#include "runtime/runtime.h"

/* A config.json bigger than this is not one. */
#define SZ_OCI_CONFIG_MAX (4u << 20)

/*
 * A bundle's configuration as stanza's runtime runs it. spec borrows from
 * the rest of the struct: it is valid until sz_oci_config_release.
 *
 * What the runtime spec defines and stanza does is read into spec; what it
 * defines and stanza does not do (yet) is an error that names the field by
 * its path ("linux.resources.memory.reservation"); what it does not define is
 * ignored, as the spec requires. docs/oci.md lists each field.
 */
struct sz_oci_config {
	json_t *doc;
	char *bundle; /* absolute */
	char *rootfs; /* absolute */
	const char **argv;
	const char **env;
	char *user; /* "UID:GID" */
	gid_t *groups;
	int *caps;
	struct sz_rlimit *rlimits;
	struct sz_volume *volumes;
	size_t n_volumes;
	const char **masked;
	const char **readonly;
	char **sysctl;
	struct sz_seccomp_profile seccomp;
	struct sz_seccomp_rule *rules;
	uint32_t *arches;
	const json_t *annotations; /* an object of strings, or NULL */
	bool terminal;
	struct sz_spec spec;
};

/*
 * Parse text (len bytes, from file, for messages) as the configuration of
 * the bundle at bundle (absolute; root.path is resolved against it), for a
 * caller that is root or not (rootless: a user namespace mapping the caller
 * to root is required). The root directory is not looked at. 0, or -1 with
 * *err and cfg zeroed. Pure: the fuzz target calls it.
 */
int sz_oci_config_parse(const char *text, size_t len, const char *file, const char *bundle, bool rootless,
                        uid_t uid, gid_t gid, struct sz_oci_config *cfg, sz_error_t *err);

/* Read BUNDLE/config.json (bundle: any path) and check that its root is a
 * directory. */
int sz_oci_config_load(const char *bundle, struct sz_oci_config *cfg, sz_error_t *err);

void sz_oci_config_release(struct sz_oci_config *cfg);

/* A linux.resources object alone (runc update --resources FILE): the limits
 * stanza can change, or an error naming the field. */
int sz_oci_parse_resources(const char *text, size_t len, const char *file, struct sz_cgroup_limits *limits,
                           sz_error_t *err);

#endif
