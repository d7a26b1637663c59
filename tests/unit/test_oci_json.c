/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_oci_json.c - unit tests for image/oci_json.c: the index, manifest, config and docker manifest.json
 * checks */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "image/oci_json.h"

#define HEX8(c)  c c c c c c c c
#define HEX64(c) HEX8(c) HEX8(c) HEX8(c) HEX8(c) HEX8(c) HEX8(c) HEX8(c) HEX8(c)
#define DA       "sha256:" HEX64("a")
#define DB       "sha256:" HEX64("b")
#define DC       "sha256:" HEX64("c")

#define MT_MANIFEST "\"application/vnd.oci.image.manifest.v1+json\""
#define MT_INDEX    "\"application/vnd.oci.image.index.v1+json\""
#define MT_CONFIG   "\"application/vnd.oci.image.config.v1+json\""
#define MT_TGZ      "\"application/vnd.oci.image.layer.v1.tar+gzip\""

/* A descriptor of media type MT (quoted) and digest D, with more members. */
#define DESC(mt, d, more) "{\"mediaType\":" mt ",\"digest\":\"" d "\",\"size\":10" more "}"
#define PLATFORM(arch)    ",\"platform\":{\"architecture\":\"" arch "\",\"os\":\"linux\"}"

static const char manifest[] =
    "{\"schemaVersion\":2,\"config\":" DESC(MT_CONFIG, DB, "") ",\"layers\":[" DESC(MT_TGZ, DC, "") "," DESC(
        "\"application/vnd.docker.image.rootfs.diff.tar.gzip\"", DC, "") "]}";
static const char config[] = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                             "\"diff_ids\":[\"" DA "\",\"" DB "\"]}}";

/* The blobs a test's documents name, handed out in turn; what each read was for. */
struct reader {
	const char *const *texts;
	size_t next;
	char whats[8][16];
};

static json_t *read_next(void *ctx, const json_t *desc, const char *what, sz_error_t *err)
{
	struct reader *r = ctx;
	const char *text;

	assert_in_range(r->next, 0, 7);
	snprintf(r->whats[r->next], sizeof(r->whats[0]), "%s", what);
	text = r->texts[r->next];
	if (text == NULL) {
		sz_error_make(err, 0, "no blob");
		return NULL;
	}
	r->next++;
	return sz_json_parse(text, strlen(text), json_string_value(json_object_get(desc, "digest")), err);
}

/* index chosen from for arch, blobs after it: the error message, or NULL
 * when both the choice and the image are accepted. r->next is how many
 * blobs were read. */
static char *walk(const char *index, const char *arch, struct reader *r)
{
	const struct sz_oci_blobs blobs = {.read_json = read_next, .ctx = r};
	cleanup_json json_t *idx = json_loads(index, 0, NULL);
	cleanup_json json_t *desc = NULL;
	json_t *m = NULL, *c = NULL;
	sz_error_t err = NULL;

	assert_non_null(idx);
	desc = sz_oci_choose_manifest(idx, "index.json", arch, &blobs, &err);
	if (desc == NULL)
		return sz_error_take_msg(&err);
	if (sz_oci_read_image(desc, arch, &blobs, &m, &c, &err) < 0) {
		assert_null(m);
		assert_null(c);
		return sz_error_take_msg(&err);
	}
	assert_null(err);
	assert_non_null(m);
	assert_non_null(c);
	json_decref(m);
	json_decref(c);
	return NULL;
}

static void assert_walk(const char *index, const char *arch, const char *const *blobs, const char *want,
                        size_t reads)
{
	struct reader r = {.texts = blobs};
	char *got = walk(index, arch, &r);

	if (want == NULL && got != NULL)
		fail_msg("refused: %s", got);
	if (want != NULL)
		assert_string_equal(got, want);
	assert_int_equal(r.next, reads);
	free(got);
}

#define INDEX(entries) "{\"schemaVersion\":2,\"manifests\":[" entries "]}"

static void test_image_accepted(void **state)
{
	const char *const blobs[] = {manifest, config, NULL};
	struct reader r = {.texts = blobs};

	assert_null(walk(INDEX(DESC(MT_MANIFEST, DA, "")), "amd64", &r));
	assert_int_equal(r.next, 2);
	assert_string_equal(r.whats[0], "manifest");
	assert_string_equal(r.whats[1], "config");
}

static void test_platform_choice(void **state)
{
	static const char two[] =
	    INDEX(DESC(MT_MANIFEST, DA, PLATFORM("arm64")) "," DESC(MT_MANIFEST, DA, PLATFORM("s390x")));
	const char *const blobs[] = {manifest, config, NULL};

	assert_walk(
	    two, "amd64", blobs,
	    "index.json has no image for linux/amd64, only for linux/arm64, linux/s390x: its programs "
	    "would fail with \"exec format error\", the kernel's word for machine code of another "
	    "processor",
	    0);
	/* The config's architecture is checked too. */
	assert_walk(
	    two, "arm64", blobs,
	    "the image is for amd64, this machine is arm64: its programs would fail with \"exec format "
	    "error\", the kernel's word for machine code of another processor",
	    2);
	assert_walk(
	    INDEX("{\"platform\":{}}"), "amd64", blobs,
	    "index.json has no image for linux/amd64, only for ?/?: its programs would fail with \"exec "
	    "format error\", the kernel's word for machine code of another processor",
	    0);
	assert_walk(INDEX(""), "amd64", blobs, "index.json lists no manifest", 0);
	assert_walk("{}", "amd64", blobs, "index.json lists no manifest", 0);
	assert_walk(INDEX(DESC(MT_CONFIG, DA, "")), "amd64", blobs,
	            "index.json names a 'application/vnd.oci.image.config.v1+json', not an image manifest",
	            0);
	assert_walk(INDEX("{}"), "amd64", blobs,
	            "index.json names a '(no media type)', not an image manifest", 0);
}

static void test_nested_index(void **state)
{
	static const char nested[] = INDEX(DESC(MT_MANIFEST, DA, PLATFORM("amd64")));
	static const char deeper[] = INDEX(DESC(MT_INDEX, DB, ""));
	const char *const once[] = {nested, manifest, config, NULL};
	const char *const deep[] = {deeper, deeper, deeper, deeper, deeper, deeper, NULL};

	assert_walk(INDEX(DESC(MT_INDEX, DB, PLATFORM("amd64"))), "amd64", once, NULL, 3);
	assert_walk(deeper, "amd64", deep, DB ": indexes nested more than 4 deep", 5);
	assert_walk(INDEX(DESC(MT_INDEX, "sha256:abc", "")), "amd64", once,
	            "the index's digest 'sha256:abc' is not 64 lowercase hex digits", 0);
}

/* A descriptor is refused before anything reads what it names. */
static void test_descriptor(void **state)
{
	const char *const blobs[] = {manifest, config, NULL};

	assert_walk(INDEX("{\"mediaType\":" MT_MANIFEST ",\"size\":10}"), "amd64", blobs,
	            "the manifest's descriptor has no digest or no size", 0);
	assert_walk(INDEX("{\"mediaType\":" MT_MANIFEST ",\"digest\":\"" DA "\",\"size\":-1}"), "amd64",
	            blobs, "the manifest's descriptor has no digest or no size", 0);
	assert_walk(INDEX("{\"mediaType\":" MT_MANIFEST ",\"digest\":\"" DA "\",\"size\":\"10\"}"), "amd64",
	            blobs, "the manifest's descriptor has no digest or no size", 0);
	assert_walk(
	    INDEX(DESC(MT_MANIFEST, "sha512:" HEX64("a"), "")), "amd64", blobs,
	    "the manifest's digest 'sha512:" HEX64("a") "' is not sha256: stanza verifies sha256 only", 0);
	assert_walk(INDEX(DESC(MT_MANIFEST, "sha256:" HEX64("A"), "")), "amd64", blobs,
	            "the manifest's digest 'sha256:" HEX64("A") "' is not 64 lowercase hex digits", 0);
	assert_walk(INDEX("{\"mediaType\":" MT_MANIFEST ",\"digest\":\"" DA "\",\"size\":4194305}"), "amd64",
	            blobs, "the manifest " DA " is 4194305 bytes: too big to be one", 0);
	assert_walk(INDEX("{\"mediaType\":" MT_MANIFEST ",\"digest\":\"" DA "\",\"size\":4194304}"), "amd64",
	            blobs, NULL, 2);
}

static void assert_manifest(const char *text, const char *want)
{
	cleanup_json json_t *m = json_loads(text, 0, NULL);
	sz_error_t err = NULL;

	assert_non_null(m);
	assert_int_equal(sz_oci_check_manifest(m, &err), want ? -1 : 0);
	assert_string_equal(sz_error_msg(err), want ? want : "");
	sz_error_release(&err);
}

static void test_manifest(void **state)
{
	assert_manifest(manifest, NULL);
	assert_manifest("{\"config\":" DESC("\"application/vnd.example+json\"", DB, "") ",\"layers\":[]}",
	                "the manifest's config has media type 'application/vnd.example+json', not an image "
	                "config");
	assert_manifest("{\"layers\":[]}",
	                "the manifest's config has media type '(none)', not an image config");
	assert_manifest("{\"config\":{\"mediaType\":" MT_CONFIG "}}",
	                "the config's descriptor has no digest or no size");
	assert_manifest("{\"config\":" DESC(MT_CONFIG, DB, "") ",\"layers\":[]}",
	                "the manifest lists no layers");
	assert_manifest("{\"config\":" DESC(MT_CONFIG, DB, "") ",\"layers\":{}}",
	                "the manifest lists no layers");
	assert_manifest(
	    "{\"config\":" DESC(MT_CONFIG, DB, "") ",\"layers\":[" DESC(MT_TGZ, DC, "") "," DESC(
	        "\"application/vnd.oci.image.layer.v1.tar+bzip2\"", DC, "") "]}",
	    "layer 2 has media type 'application/vnd.oci.image.layer.v1.tar+bzip2', which is not a "
	    "layer stanza knows");
	assert_manifest("{\"config\":" DESC(MT_CONFIG, DB, "") ",\"layers\":[7]}",
	                "layer 1 has media type '(none)', which is not a layer stanza knows");
	assert_manifest(
	    "{\"config\":" DESC(MT_CONFIG, DB, "") ",\"layers\":[" DESC(MT_TGZ, "sha256:../x", "") "]}",
	    "the layer's digest 'sha256:../x' is not 64 lowercase hex digits");
	/* Only blobs read as JSON have a size limit. */
	assert_manifest("{\"config\":" DESC(MT_CONFIG, DB, "") ",\"layers\":[{\"mediaType\":" MT_TGZ
	                                                       ",\"digest\":\"" DC "\",\"size\":4194305}]}",
	                NULL);
}

static void assert_config(const char *text, size_t n_layers, const char *want)
{
	cleanup_json json_t *c = json_loads(text, 0, NULL);
	sz_error_t err = NULL;

	assert_non_null(c);
	assert_int_equal(sz_oci_check_config(c, DB, n_layers, "amd64", &err), want ? -1 : 0);
	assert_string_equal(sz_error_msg(err), want ? want : "");
	sz_error_release(&err);
}

static void test_config(void **state)
{
	assert_config(config, 2, NULL);
	assert_config(config, 1, "the config " DB " lists 2 diff-ids for 1 layers");
	assert_config("{}", 1, "the config " DB " lists 0 diff-ids for 1 layers");
	assert_config("{\"os\":\"windows\"}", 1, "the image is for windows, not Linux");
	assert_config("{\"rootfs\":{\"diff_ids\":[\"" DA "\",\"sha256:x\"]}}", 2,
	              "the config " DB " has a bad diff-id at 1");
	assert_config("{\"rootfs\":{\"diff_ids\":[null]}}", 1, "the config " DB " has a bad diff-id at 0");
}

static void assert_docker(const char *text, const char *want)
{
	cleanup_json json_t *list = json_loads(text, 0, NULL);
	sz_error_t err = NULL;

	assert_non_null(list);
	assert_int_equal(sz_docker_check_manifest(list, "x.tar/manifest.json", &err), want ? -1 : 0);
	assert_string_equal(sz_error_msg(err), want ? want : "");
	sz_error_release(&err);
}

static void test_docker_manifest(void **state)
{
	static const char none[] = "x.tar/manifest.json: a docker archive's manifest.json lists its images; "
	                           "this one lists none";
	static const char not_file[] = "manifest.json names '', which is not a file of the archive";

	assert_docker("[{\"Config\":\"c.json\",\"RepoTags\":[\"a:1\"],\"Layers\":[\"0/layer.tar\"]}]", NULL);
	assert_docker("[]", none);
	assert_docker("{}", none);
	assert_docker("[{\"Layers\":[]}]", not_file);
	assert_docker("[{\"Config\":\"c.json\"}]", "x.tar/manifest.json: the image has no \"Layers\" list");
	assert_docker("[{\"Config\":\"c.json\",\"Layers\":[\"0/layer.tar\",1]}]", not_file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_image_accepted),  cmocka_unit_test(test_platform_choice),
	    cmocka_unit_test(test_nested_index),    cmocka_unit_test(test_descriptor),
	    cmocka_unit_test(test_manifest),        cmocka_unit_test(test_config),
	    cmocka_unit_test(test_docker_manifest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
