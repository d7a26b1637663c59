/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_image.c - `stanza image`: import, list, inspect and remove the images of the store */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "image/export.h"
#include "image/import.h"
#include "image/store.h"

static void usage(FILE *out)
{
	fputs(_("Usage: stanza image COMMAND [OPTIONS]\n"
	        "\n"
	        "The images of your store, an OCI image layout: $STANZA_STORE, else\n"
	        "/var/lib/stanza as root and $XDG_DATA_HOME/stanza (~/.local/share/stanza)\n"
	        "without. 'stanza run --image NAME' runs one.\n"
	        "\n"
	        "Commands:\n"
	        "  import PATH|- [--name NAME[:TAG]]\n"
	        "                    add an image: an OCI layout directory, or a tar of one\n"
	        "                    (oci-archive), or what 'docker save' and 'podman save'\n"
	        "                    write (docker-archive); '-' reads the tar from stdin.\n"
	        "                    Every blob is checked against its digest first.\n"
	        "  ls                list the images: name, manifest digest, layers, size\n"
	        "  inspect NAME      the manifest, the config and the layers, as JSON\n"
	        "  history NAME      how the image was made: the config's history, each\n"
	        "                    step with the size of the layer it added\n"
	        "  tag NAME NEW      give the image a second name\n"
	        "  export NAME -o PATH\n"
	        "                    write the image out: a tar of an OCI layout\n"
	        "                    (oci-archive) when PATH ends in .tar or is -, else a\n"
	        "                    new OCI layout directory; what skopeo, umoci and\n"
	        "                    podman read (podman load -i PATH.tar)\n"
	        "  rm NAME...        forget images (their layers stay until 'prune')\n"
	        "  prune             remove the blobs and layers no image uses\n"
	        "\n"
	        "NAME is name[:tag] (the tag is 'latest' when left out) or 12 or more hex\n"
	        "digits of a manifest digest.\n"),
	      out);
}

#define bad_usage(...) (sz_error_say(__VA_ARGS__), SZ_EXIT_USAGE)

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	return false;
}

/* The start of every sub-command: -h or --help anywhere shows the usage
 * (SZ_EXIT_OK); a wrong count of arguments says wrong (SZ_EXIT_USAGE);
 * else -1, and the sub-command goes on. */
static int check_args(int argc, char **argv, bool count_ok, const char *wrong)
{
	if (wants_help(argc, argv)) {
		usage(stdout);
		return SZ_EXIT_OK;
	}
	if (!count_ok)
		return bad_usage("%s", wrong);
	return -1;
}

/* import's and export's command line: one operand and one option with a
 * value (-n NAME, -o PATH), in any order. -1 and both set to go on, else
 * the status to return. */
static int operand_and_option(int argc, char **argv, const struct option *opt, const char *cmd, bool needed,
                              const char *wrong, const char **operand, const char **value)
{
	const struct option opts[] = {*opt, {0}};
	char shorts[4] = {':', (char)opt->val, ':', '\0'};
	int c;

	if (wants_help(argc, argv)) {
		usage(stdout);
		return SZ_EXIT_OK;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (c != opt->val)
			return bad_usage(_("image %s: bad option '%s' (see 'stanza image --help')"), cmd,
			                 argv[optind - 1]);
		*value = optarg;
	}
	if (optind != argc - 1 || (needed && *value == NULL))
		return bad_usage("%s", wrong);
	*operand = argv[optind];
	return -1;
}

static int image_import(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option name_opt = {"name", required_argument, NULL, 'n'};
	struct sz_import_options o = {.log = stdout};
	struct sz_import_result res;
	struct sz_store s;
	sz_error_t err = NULL;
	int status = operand_and_option(argc, argv, &name_opt, "import", false,
	                                _("image import: give one PATH (a directory, a tar, or - for stdin)"),
	                                &o.path, &o.name);

	if (status >= 0)
		return status;
	status = SZ_EXIT_FAIL;
	if (sz_store_open(&s, NULL, true, &err) == 0 && sz_image_import(&s, &o, &res, &err) == 0) {
		printf(_("imported %s (%.19s…): %zu layers, %zu new\n"), res.ref, res.manifest_digest,
		       res.n_layers, res.new_layers);
		sz_import_result_release(&res);
		status = SZ_EXIT_OK;
	}
	sz_error_print_release(&err);
	sz_store_close(&s);
	return status;
}

static int image_ls(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_store s;
	sz_error_t err = NULL;
	cleanup_json json_t *index = NULL;
	size_t i;
	json_t *m;

	int r = check_args(argc, argv, argc == 1, _("image ls takes no arguments"));

	if (r >= 0)
		return r;
	index = sz_store_open(&s, NULL, false, &err) == 0 ? sz_store_index(&s, &err) : NULL;
	if (index == NULL) {
		sz_error_print_release(&err);
		sz_store_close(&s);
		return SZ_EXIT_FAIL;
	}
	printf("%-32s %-12s %6s %10s\n", _("NAME"), _("DIGEST"), _("LAYERS"), _("SIZE"));
	json_array_foreach (json_object_get(index, "manifests"), i, m) {
		const char *digest = json_string_value(json_object_get(m, "digest"));
		const char *ref =
		    json_string_value(json_object_get(json_object_get(m, "annotations"), SZ_REF_NAME));
		cleanup_json json_t *manifest = NULL;
		uint64_t size = 0;
		size_t j;
		json_t *l;
		char text[32];

		if (digest == NULL || !sz_digest_valid(digest))
			continue;
		manifest = sz_store_read_json_blob(&s, digest, &err);
		if (manifest == NULL) {
			sz_error_print_release(&err);
			continue;
		}
		json_array_foreach (json_object_get(manifest, "layers"), j, l)
			size += (uint64_t)json_integer_value(json_object_get(l, "size"));
		printf("%-32s %-12.12s %6zu %10s\n", ref ? ref : "<none>", sz_digest_hex(digest),
		       json_array_size(json_object_get(manifest, "layers")),
		       sz_format_size(size, text, sizeof(text)));
	}
	sz_store_close(&s);
	return SZ_EXIT_OK;
}

static int image_inspect(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_store s;
	struct sz_image img;
	sz_error_t err = NULL;
	cleanup_json json_t *out = NULL;
	json_t *layers, *l;
	size_t i;

	int r = check_args(argc, argv, argc == 2, _("image inspect: give one NAME"));

	if (r >= 0)
		return r;
	if (sz_store_open(&s, NULL, false, &err) < 0 || sz_store_load_image(&s, argv[1], &img, &err) < 0) {
		sz_error_print_release(&err);
		sz_store_close(&s);
		return SZ_EXIT_FAIL;
	}
	layers = json_array();
	json_array_foreach (json_object_get(img.manifest, "layers"), i, l) {
		json_t *diff =
		    json_array_get(json_object_get(json_object_get(img.config, "rootfs"), "diff_ids"), i);
		json_t *one = json_object();

		sz_json_set(one, "digest", json_incref(json_object_get(l, "digest")));
		sz_json_set(one, "size", json_incref(json_object_get(l, "size")));
		sz_json_set(one, "mediaType", json_incref(json_object_get(l, "mediaType")));
		sz_json_set(one, "diffId", json_incref(diff));
		sz_json_set(one, "dir", sz_json_string(img.layers[img.n_layers - 1 - i]));
		sz_json_push(layers, one);
	}
	out = json_object();
	sz_json_set(out, "name", sz_json_string(img.ref));
	sz_json_set(out, "digest", sz_json_string(img.manifest_digest));
	sz_json_set(out, "manifest", json_incref(img.manifest));
	sz_json_set(out, "config", json_incref(img.config));
	sz_json_set(out, "layersDir", sz_json_string(img.layers_dir));
	sz_json_set(out, "layers", layers);
	sz_json_dumpf(out, stdout, NULL);
	putchar('\n');
	sz_image_release(&img);
	sz_store_close(&s);
	return SZ_EXIT_OK;
}

static int image_rm(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_store s;
	sz_error_t err = NULL;
	int status = SZ_EXIT_OK;

	int r = check_args(argc, argv, argc >= 2, _("image rm: give the NAME of at least one image"));

	if (r >= 0)
		return r;
	if (sz_store_open(&s, NULL, true, &err) < 0) {
		sz_error_print_release(&err);
		return SZ_EXIT_FAIL;
	}
	for (int i = 1; i < argc; i++) {
		if (sz_store_forget(&s, argv[i], &err) < 0) {
			sz_error_print_release(&err);
			status = SZ_EXIT_FAIL;
			continue;
		}
		printf(_("removed %s\n"), argv[i]);
	}
	sz_store_close(&s);
	return status;
}

static int image_prune(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_store s;
	sz_error_t err = NULL;
	size_t blobs = 0, layers = 0;
	int status = SZ_EXIT_FAIL;

	int r = check_args(argc, argv, argc == 1, _("image prune takes no arguments"));

	if (r >= 0)
		return r;
	if (sz_store_open(&s, NULL, true, &err) == 0 && sz_store_prune(&s, &blobs, &layers, &err) == 0) {
		printf(_("removed %zu blobs and %zu layers no image uses\n"), blobs, layers);
		status = SZ_EXIT_OK;
	}
	sz_error_print_release(&err);
	sz_store_close(&s);
	return status;
}

static int image_tag(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_store s;
	sz_error_t err = NULL;
	int status = SZ_EXIT_FAIL;

	int r = check_args(argc, argv, argc == 3, _("image tag: give the image's NAME and its NEW name"));

	if (r >= 0)
		return r;
	if (sz_store_open(&s, NULL, true, &err) == 0 && sz_store_tag(&s, argv[1], argv[2], &err) == 0)
		status = SZ_EXIT_OK;
	sz_error_print_release(&err);
	sz_store_close(&s);
	return status;
}

static int image_export(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option output_opt = {"output", required_argument, NULL, 'o'};
	const char *out = NULL, *name = NULL;
	struct sz_store s;
	sz_error_t err = NULL;
	int status = operand_and_option(
	    argc, argv, &output_opt, "export", true,
	    _("image export: give one NAME and -o PATH (a new directory, a .tar, or -)"), &name, &out);

	if (status >= 0)
		return status;
	status = SZ_EXIT_FAIL;
	if (sz_store_open(&s, NULL, false, &err) == 0 && sz_image_export(&s, name, out, &err) == 0) {
		if (strcmp(out, "-") != 0)
			fprintf(stderr, _("exported %s to %s\n"), name, out);
		status = SZ_EXIT_OK;
	}
	sz_error_print_release(&err);
	sz_store_close(&s);
	return status;
}

/* docker history's table: newest step first, with the size of the layer
 * each step made ("0 B" for a step that made none: ENV, CMD...). */
static int image_history(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_store s;
	struct sz_image img;
	sz_error_t err = NULL;
	json_t *history, *layers, *h;
	size_t n, layer = 0, i;

	int r = check_args(argc, argv, argc == 2, _("image history: give one NAME"));

	if (r >= 0)
		return r;
	if (sz_store_open(&s, NULL, false, &err) < 0 || sz_store_load_image(&s, argv[1], &img, &err) < 0) {
		sz_error_print_release(&err);
		sz_store_close(&s);
		return SZ_EXIT_FAIL;
	}
	history = json_object_get(img.config, "history");
	layers = json_object_get(img.manifest, "layers");
	n = json_array_size(history);
	printf("%-20s %10s  %s\n", _("CREATED"), _("SIZE"), _("CREATED BY"));
	/* The steps that made a layer made the last layers, in order (a base
	 * image may have left its own steps out). */
	layer = json_array_size(layers);
	for (i = n; i-- > 0;) {
		const char *by, *when;
		char size[32] = "0 B";

		h = json_array_get(history, i);
		by = json_string_value(json_object_get(h, "created_by"));
		when = json_string_value(json_object_get(h, "created"));
		if (!json_is_true(json_object_get(h, "empty_layer")) && layer > 0) {
			layer--;
			sz_format_size((uint64_t)json_integer_value(
			                   json_object_get(json_array_get(layers, layer), "size")),
			               size, sizeof(size));
		}
		printf("%-20.19s %10s  %s\n", when ? when : "-", size, by ? by : "");
	}
	/* A config without history: one line per layer. */
	for (i = n == 0 ? json_array_size(layers) : 0; i-- > 0;) {
		char size[32];

		sz_format_size(
		    (uint64_t)json_integer_value(json_object_get(json_array_get(layers, i), "size")), size,
		    sizeof(size));
		printf("%-20s %10s  %s\n", "-", size, _("(the image's config has no history)"));
	}
	sz_image_release(&img);
	sz_store_close(&s);
	return SZ_EXIT_OK;
}

static const struct sz_cli_sub subs[] = {
    {"import", image_import},   {"ls", image_ls},       {"inspect", image_inspect},
    {"history", image_history}, {"tag", image_tag},     {"export", image_export},
    {"rm", image_rm},           {"prune", image_prune},
};

int cmd_image(struct sz_cli *cli, int argc, char **argv)
{
	static const struct sz_cli_group group = {"image", usage, subs, sizeof(subs) / sizeof(subs[0])};

	return sz_cli_dispatch(cli, &group, argc, argv);
}
