/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spec.h - the OCI runtime spec's config.json that describes what stanza's runtime does by default */
#ifndef SZ_OCI_SPEC_H
#define SZ_OCI_SPEC_H

#include <stdbool.h>
#include <sys/types.h>

#include <jansson.h>

/* The runtime-spec version stanza writes. */
#define SZ_OCI_VERSION "1.0.2"

/*
 * A config.json, as `runc spec` writes one, with what stanza's runtime does
 * (runtime.h's sz_runtime_profile): the 11 capabilities in the bounding,
 * effective and permitted sets, Docker's masked and read-only paths, the
 * seccomp profile as an OCI seccomp object, and stanza's mounts. rootless:
 * a user namespace mapping uid and gid to root inside, and no devpts gid=5
 * (the host's tty group is not mapped). New reference.
 */
json_t *sz_oci_default_spec(bool rootless, uid_t uid, gid_t gid);

#endif
