/* SPDX-License-Identifier: GPL-3.0-or-later */
/* build.c - a Containerfile built step by step: RUN through the runtime, its upper layer kept as the next
 * layer */
#include "image/build.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "image/archive_dl.h"
#include "image/builtin.h"
#include "image/containerfile.h"
#include "image/import.h"
#include "image/layer_tar.h"
#include "runtime/runtime.h"

#define MT_LAYER_TAR "application/vnd.oci.image.layer.v1.tar"

struct builder {
	struct sz_store *s;
	const struct sz_build_options *o;
	const struct sz_archive_api *ar;
	char *file;     /* the Containerfile's path, for messages */
	char *work;     /* <store>/tmp/build-<pid> */
	int context;    /* the context directory */
	json_t *ignore; /* .dockerignore's patterns */
	/* the image so far */
	json_t *config;   /* the image config's "config" */
	json_t *history;  /* its "history" */
	json_t *diff_ids; /* its rootfs.diff_ids */
	json_t *layers;   /* the manifest's layer descriptors */
	char *arch;
	json_t *args; /* ARG name -> value */
	bool cmd_from_base;
	bool from_seen;
	unsigned seq;
};

/* ---- values: $VAR and ${VAR} from ENV and ARG ---- */

static const char *lookup(const struct builder *b, const char *name, size_t len)
{
	size_t i;
	json_t *e;

	json_array_foreach (json_object_get(b->config, "Env"), i, e) {
		const char *kv = json_string_value(e);
		if (kv != NULL && strncmp(kv, name, len) == 0 && kv[len] == '=')
			return kv + len + 1;
	}
	{
		const char *key;
		json_t *v;
		json_object_foreach (b->args, key, v)
			if (strlen(key) == len && strncmp(key, name, len) == 0)
				return json_string_value(v);
	}
	return "";
}

static char *expand(const struct builder *b, const char *text);

static char *expand(const struct builder *b, const char *text)
{
	struct sz_buf out;

	sz_buf_init(&out, strlen(text));
	for (const char *p = text; *p != '\0'; p++) {
		size_t len;

		if (p[0] == '\\' && p[1] == '$') {
			sz_buf_addch(&out, '$');
			p++;
			continue;
		}
		if (p[0] != '$') {
			sz_buf_addch(&out, *p);
			continue;
		}
		if (p[1] == '{' && (len = strcspn(p + 2, "}")) > 0 && p[2 + len] == '}') {
			/* ${V}, ${V:-default} (V unset or empty), ${V:+word} (V set) */
			const char *colon = memchr(p + 2, ':', len);
			size_t nlen = colon ? (size_t)(colon - (p + 2)) : len;
			const char *val = lookup(b, p + 2, nlen);

			if (colon != NULL && (colon[1] == '-' || colon[1] == '+')) {
				bool set = val[0] != '\0';
				if ((colon[1] == '-') != set) {
					cleanup_free char *word =
					    sz_asprintf("%.*s", (int)(len - nlen - 2), colon + 2);
					cleanup_free char *ex = expand(b, word);
					sz_buf_adds(&out, ex);
				} else if (colon[1] == '-') {
					sz_buf_adds(&out, val);
				}
			} else {
				sz_buf_adds(&out, val);
			}
			p += len + 2;
		} else if ((len = strspn(p + 1,
		                         "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")) >
		           0) {
			sz_buf_adds(&out, lookup(b, p + 1, len));
			p += len;
		} else {
			sz_buf_addch(&out, '$');
		}
	}
	return sz_buf_detach(&out, NULL);
}

static void set_env(struct builder *b, const char *key, const char *value)
{
	json_t *env = json_object_get(b->config, "Env");
	size_t klen = strlen(key), i;
	json_t *e;

	if (!json_is_array(env)) {
		env = json_array();
		json_object_set_new(b->config, "Env", env);
	}
	json_array_foreach (env, i, e) {
		const char *kv = json_string_value(e);
		if (kv != NULL && strncmp(kv, key, klen) == 0 && kv[klen] == '=') {
			json_array_set_new(env, i, json_sprintf("%s=%s", key, value));
			return;
		}
	}
	json_array_append_new(env, json_sprintf("%s=%s", key, value));
}

/* Words of text: split on blanks, with "..." and '...' quoting (KEY="a b"). */
static json_t *words(const char *text)
{
	json_t *list = json_array();
	struct sz_buf w;
	const char *p = text;

	sz_buf_init(&w, 0);
	while (*p != '\0') {
		char quote = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		sz_buf_reset(&w);
		while (*p != '\0' && (quote != 0 || !isspace((unsigned char)*p))) {
			if (quote == 0 && (*p == '"' || *p == '\'')) {
				quote = *p++;
				continue;
			}
			if (quote != 0 && *p == quote) {
				quote = 0;
				p++;
				continue;
			}
			if (*p == '\\' && p[1] != '\0' && quote != '\'')
				p++;
			sz_buf_addch(&w, *p++);
		}
		json_array_append_new(list, json_string(w.buf));
	}
	sz_buf_release(&w);
	return list;
}

/* path made absolute from cwd when it is not, and clean ("/a/./b/../c" -> "/a/c"). */
static char *clean_path(const char *cwd, const char *path)
{
	cleanup_free char *joined = path[0] == '/' ? sz_xstrdup(path) : sz_asprintf("%s/%s", cwd, path);

	return sz_clean_container_path(joined);
}

/* ---- blobs and layers into the store ---- */

static int write_blob(const struct builder *b, const char *data, size_t len, char digest[SZ_DIGEST_LEN],
                      sz_error_t *err)
{
	cleanup_free char *path = NULL;
	cleanup_free char *tmp = NULL;
	struct sz_hasher h;

	sz_hasher_init(&h);
	sz_hasher_add(&h, data, len);
	sz_hasher_finish(&h, digest);
	path = sz_store_blob_path(b->s, digest);
	if (access(path, F_OK) == 0)
		return 0;
	tmp = sz_asprintf("%s/blob-%u", b->work, ((struct builder *)b)->seq++);
	if (sz_write_file(tmp, data, len, 0644, err) < 0)
		return -1;
	if (rename(tmp, path) < 0)
		return sz_error_make(err, errno, _("cannot add blob %s to the store"), digest);
	return 0;
}

static void add_layer(struct builder *b, const char *diff_id, uint64_t size)
{
	json_array_append_new(b->diff_ids, json_string(diff_id));
	json_array_append_new(b->layers, json_pack("{s:s, s:s, s:I}", "mediaType", MT_LAYER_TAR, "digest",
	                                           diff_id, "size", (json_int_t)size));
}

/* dir (a layer's root, in the work directory) becomes a layer of the store:
 * its tar is the blob (plain, so its digest is its diff-id), dir itself is
 * renamed into layers/. */
static int commit_layer_dir(struct builder *b, const char *dir, char diff_id[SZ_DIGEST_LEN], uint64_t *size,
                            sz_error_t *err)
{
	unsigned n = b->seq++;
	cleanup_free char *tar = sz_asprintf("%s/layer-%u.tar", b->work, n);
	cleanup_free char *holder = sz_asprintf("%s/layer-%u", b->work, n);
	cleanup_free char *fs = NULL;
	cleanup_free char *id_file = NULL;
	cleanup_free char *dest = NULL;
	cleanup_free char *blob = NULL;
	cleanup_close int fd = open(tar, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	char name[SZ_LAYER_DIR_LEN];

	if (fd < 0)
		return sz_error_make(err, errno, _("cannot create '%s'"), tar);
	if (sz_layer_tar(b->ar, dir, fd, b->s->rootless, err) < 0)
		return -1;
	if (lseek(fd, 0, SEEK_SET) < 0 || sz_digest_fd(fd, diff_id, size, err) < 0)
		return -1;
	sz_layer_dir_name(diff_id, name);
	dest = sz_asprintf("%s/layers/%s", b->s->root, name);
	if (access(dest, F_OK) == 0) {
		cleanup_free char *have = NULL;
		cleanup_free char *have_path = sz_asprintf("%s/diff-id", dest);
		size_t len;

		if (sz_read_file(have_path, &have, &len, err) < 0)
			return -1;
		if (strcmp(have, diff_id) != 0)
			return sz_error_make(
			    err, 0,
			    _("layers %s and %s share their first %d digits: stanza cannot hold both"), have,
			    diff_id, SZ_LAYER_DIR_LEN - 1);
	} else {
		fs = sz_asprintf("%s/fs", holder);
		id_file = sz_asprintf("%s/diff-id", holder);
		if (mkdir(holder, 0755) < 0 || rename(dir, fs) < 0)
			return sz_error_make(err, errno, _("cannot add layer %s to the store"), diff_id);
		if (sz_write_file(id_file, diff_id, strlen(diff_id), 0644, err) < 0)
			return -1;
		if (rename(holder, dest) < 0 && errno != EEXIST && errno != ENOTEMPTY)
			return sz_error_make(err, errno, _("cannot add layer %s to the store"), diff_id);
	}
	blob = sz_store_blob_path(b->s, diff_id);
	if (access(blob, F_OK) < 0 && rename(tar, blob) < 0)
		return sz_error_make(err, errno, _("cannot add blob %s to the store"), diff_id);
	return 0;
}

/* ---- the cache: a step's key -> the layer it made ---- */

static void cache_key(const struct builder *b, const char *step, const char *extra, char key[SZ_DIGEST_LEN])
{
	struct sz_hasher h;
	size_t i;
	json_t *v;

	sz_hasher_init(&h);
	sz_hasher_add(&h, "stanza-build-1\n", 15);
	json_array_foreach (b->diff_ids, i, v) {
		sz_hasher_add(&h, json_string_value(v), strlen(json_string_value(v)));
		sz_hasher_add(&h, "\n", 1);
	}
	sz_hasher_add(&h, step, strlen(step) + 1);
	if (extra != NULL)
		sz_hasher_add(&h, extra, strlen(extra));
	sz_hasher_finish(&h, key);
}

static bool cache_lookup(struct builder *b, const char *key, char diff_id[SZ_DIGEST_LEN], uint64_t *size)
{
	cleanup_free char *path = sz_asprintf("%s/cache/%s", b->s->root, sz_digest_hex(key));
	cleanup_free char *text = NULL;
	cleanup_free char *layer = NULL;
	cleanup_free char *blob = NULL;
	cleanup_free char *have = NULL;
	sz_error_t ignored = NULL;
	struct stat st;
	size_t len;
	char name[SZ_LAYER_DIR_LEN];

	if (sz_read_file(path, &text, &len, &ignored) < 0 || len != SZ_DIGEST_LEN - 1 ||
	    !sz_digest_valid(text)) {
		sz_error_release(&ignored);
		return false;
	}
	sz_layer_dir_name(text, name);
	layer = sz_asprintf("%s/layers/%s/diff-id", b->s->root, name);
	blob = sz_store_blob_path(b->s, text);
	if (sz_read_file(layer, &have, &len, &ignored) < 0 || strcmp(have, text) != 0 ||
	    stat(blob, &st) < 0) {
		sz_error_release(&ignored);
		return false; /* pruned since */
	}
	memcpy(diff_id, text, SZ_DIGEST_LEN);
	*size = (uint64_t)st.st_size;
	return true;
}

static void cache_store(const struct builder *b, const char *key, const char *diff_id)
{
	cleanup_free char *dir = sz_asprintf("%s/cache", b->s->root);
	cleanup_free char *path = sz_asprintf("%s/%s", dir, sz_digest_hex(key));
	sz_error_t ignored = NULL;

	if (sz_mkdir_p(dir, 0700, &ignored) == 0)
		sz_write_file_atomic(path, diff_id, strlen(diff_id), 0644, &ignored);
	sz_error_release(&ignored); /* a cache that cannot be written only costs the next build time */
}

/* ---- the steps ---- */

static void history(struct builder *b, const struct sz_instr *in, bool empty)
{
	char when[32];
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t t = epoch != NULL ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	json_array_append_new(b->history, json_pack("{s:s, s:s++, s:b}", "created", when, "created_by",
	                                            in->keyword, " ", in->args, "empty_layer", empty));
}

static int step_from(struct builder *b, const struct sz_instr *in, sz_error_t *err)
{
	cleanup_json json_t *w = words(in->args);
	cleanup_free char *name = NULL;
	struct sz_image img;

	if (b->from_seen)
		return sz_error_make(
		    err, 0,
		    _("%s:%u:%u: a second FROM: stanza build makes one image (no multi-stage "
		      "builds)"),
		    b->file, in->line, in->col);
	b->from_seen = true;
	name = expand(b, json_string_value(json_array_get(w, 0)) ?: "");
	if (sz_str_has_prefix(name, "--"))
		return sz_error_make(err, 0, _("%s:%u:%u: FROM %s: stanza build takes no FROM options"),
		                     b->file, in->line, in->col, name);
	if (strcmp(name, "scratch") == 0) {
		b->config = json_object();
		return 0;
	}
	if (sz_image_find(b->s, b->o->images_dir, name, &img, err) < 0)
		return sz_error_wrap(err, "%s:%u:%u: FROM", b->file, in->line, in->col);
	b->config = json_deep_copy(json_object_get(img.config, "config")) ?: json_object();
	if (!json_is_object(b->config)) {
		json_decref(b->config);
		b->config = json_object();
	}
	json_array_extend(b->history, json_object_get(img.config, "history"));
	json_array_extend(b->diff_ids, json_object_get(json_object_get(img.config, "rootfs"), "diff_ids"));
	json_array_extend(b->layers, json_object_get(img.manifest, "layers"));
	free(b->arch);
	b->arch = sz_xstrdup(json_string_value(json_object_get(img.config, "architecture"))
	                         ?: sz_host_architecture());
	b->cmd_from_base = json_object_get(b->config, "Cmd") != NULL;
	sz_image_release(&img);
	return 0;
}

static char **string_list(json_t *a)
{
	char **v = sz_xcalloc(json_array_size(a) + 1, sizeof(char *));
	size_t i;
	json_t *x;

	json_array_foreach (a, i, x)
		v[i] = (char *)json_string_value(x);
	return v;
}

static int step_run(struct builder *b, const struct sz_instr *in, sz_error_t *err)
{
	cleanup_json json_t *argv =
	    in->exec ? json_incref(in->exec) : json_pack("[s, s, s]", "/bin/sh", "-c", in->args);
	cleanup_json json_t *env = json_array();
	cleanup_free char **argv_c = NULL;
	cleanup_free char **env_c = NULL;
	cleanup_free const char **names = NULL;
	cleanup_free char *env_text = NULL;
	cleanup_free char *upper = NULL;
	cleanup_free char *workdir = NULL;
	cleanup_free char *layers_dir = sz_asprintf("%s/layers", b->s->root);
	cleanup_close int devnull = -1;
	struct sz_paths paths = {0};
	struct sz_spec spec;
	struct sz_result res;
	char key[SZ_DIGEST_LEN], diff[SZ_DIGEST_LEN];
	uint64_t size;
	size_t n = json_array_size(b->diff_ids), i;
	const char *k;
	json_t *v;
	int r;

	if (json_array_size(argv) == 0)
		return sz_error_make(err, 0, _("%s:%u:%u: RUN needs arguments"), b->file, in->line, in->col);
	if (n == 0)
		return sz_error_make(err, 0,
		                     _("%s:%u:%u: RUN needs a layer to run in: FROM scratch has none (COPY a "
		                       "static program first)"),
		                     b->file, in->line, in->col);
	/* ARG values first: an ENV of the same name, later, wins (Docker's rule). */
	json_object_foreach (b->args, k, v)
		json_array_append_new(env, json_sprintf("%s=%s", k, json_string_value(v)));
	json_array_extend(env, json_object_get(b->config, "Env"));
	env_text = json_dumps(env, JSON_COMPACT);
	{
		cleanup_free char *what = json_dumps(argv, JSON_COMPACT);
		cleanup_free char *extra = sz_asprintf(
		    "%s\n%s\n%s", env_text, json_string_value(json_object_get(b->config, "WorkingDir")) ?: "",
		    json_string_value(json_object_get(b->config, "User")) ?: "");
		cache_key(b, what, extra, key);
	}
	if (cache_lookup(b, key, diff, &size)) {
		add_layer(b, diff, size);
		sz_image_log(b->o->log, _("--> cached: layer %.19s… (the same RUN over the same layers)"),
		             diff);
		return 0;
	}
	argv_c = string_list(argv);
	env_c = string_list(env);
	names = sz_xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		char name[SZ_LAYER_DIR_LEN];
		sz_layer_dir_name(json_string_value(json_array_get(b->diff_ids, i)), name);
		names[n - 1 - i] = sz_asprintf("%s/fs", name);
	}
	upper = sz_asprintf("%s/upper-%u", b->work, b->seq);
	workdir = sz_asprintf("%s/work-%u", b->work, b->seq++);
	if (mkdir(upper, 0755) < 0 || mkdir(workdir, 0700) < 0) {
		r = sz_error_make(err, errno, _("cannot create '%s'"), upper);
		goto out;
	}
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	sz_spec_init(&spec);
	spec.argv = argv_c;
	spec.env = env_c;
	spec.workdir = json_string_length(json_object_get(b->config, "WorkingDir")) > 0
	                   ? json_string_value(json_object_get(b->config, "WorkingDir"))
	                   : NULL;
	spec.user = json_string_length(json_object_get(b->config, "User")) > 0
	                ? json_string_value(json_object_get(b->config, "User"))
	                : NULL;
	spec.stdio[0] = devnull;
	spec.stdio[1] = b->o->log != NULL ? fileno(b->o->log) : 1;
	spec.layers_dir = layers_dir;
	spec.layers = names;
	spec.n_layers = n;
	spec.upper_dir = upper;
	spec.work_dir = workdir;
	if (sz_paths_default(&paths, b->o->images_dir, err) < 0) {
		r = -1;
		goto out;
	}
	r = sz_run(&spec, &paths, &res, err);
	sz_paths_release(&paths);
	if (r < 0) {
		sz_error_wrap(err, "%s:%u:%u: RUN", b->file, in->line, in->col);
		goto out;
	}
	if (sz_result_status(&res) != 0) {
		r = sz_error_make(err, 0, _("%s:%u:%u: RUN %s: exited with status %d"), b->file, in->line,
		                  in->col, in->args, sz_result_status(&res));
		goto out;
	}
	r = commit_layer_dir(b, upper, diff, &size, err);
	if (r == 0) {
		char text[32];
		add_layer(b, diff, size);
		cache_store(b, key, diff);
		sz_image_log(b->o->log, _("--> new layer %.19s… (%s)"), diff,
		             sz_format_size(size, text, sizeof(text)));
	}
out:
	for (i = 0; i < n; i++)
		free((char *)names[i]);
	return r;
}

/* .dockerignore (or .containerignore): patterns of paths the context's COPY skips. */
static int read_ignore(struct builder *b, sz_error_t *err)
{
	static const char *const files[] = {".containerignore", ".dockerignore"};
	cleanup_free char *text = NULL;
	size_t len;
	unsigned line = 0;

	b->ignore = json_array();
	for (size_t i = 0; i < 2 && text == NULL; i++) {
		cleanup_free char *path = sz_asprintf("%s/%s", b->o->context, files[i]);
		sz_error_t ignored = NULL;
		if (sz_read_file(path, &text, &len, &ignored) < 0)
			sz_error_release(&ignored);
	}
	for (char *save = NULL, *l = text ? strtok_r(text, "\n", &save) : NULL; l != NULL;
	     l = strtok_r(NULL, "\n", &save)) {
		size_t n;

		line++;
		while (isspace((unsigned char)*l))
			l++;
		n = strlen(l);
		while (n > 0 && isspace((unsigned char)l[n - 1]))
			l[--n] = '\0';
		if (l[0] == '#' || l[0] == '\0')
			continue;
		if (l[0] == '!')
			return sz_error_make(err, 0,
			                     _(".dockerignore: '%s': exceptions (!) are not supported"), l);
		while (l[0] == '/' || (l[0] == '.' && l[1] == '/'))
			l += l[0] == '/' ? 1 : 2;
		json_array_append_new(b->ignore, json_string(l));
	}
	return 0;
}

static bool ignored(const struct builder *b, const char *rel)
{
	size_t i;
	json_t *p;

	json_array_foreach (b->ignore, i, p) {
		const char *pat = json_string_value(p);
		size_t n = strlen(pat);
		if (fnmatch(pat, rel, FNM_PATHNAME) == 0 || (strncmp(rel, pat, n) == 0 && rel[n] == '/'))
			return true;
	}
	return false;
}

static int open_in_context(const struct builder *b, const char *rel, int flags)
{
	struct open_how how = {.flags = (uint64_t)flags | O_CLOEXEC,
	                       .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};

	return (int)syscall(SYS_openat2, b->context, rel, &how, sizeof(how));
}

/* Walk a source of COPY: hash it (h non-NULL) or copy it to dst (an open
 * directory of the new layer, as name). rel is its path in the context. */
static int copy_tree(struct builder *b, const char *rel, int dst, const char *name, struct sz_hasher *h,
                     uid_t uid, gid_t gid, sz_error_t *err)
{
	cleanup_close int fd = open_in_context(b, rel, O_PATH | O_NOFOLLOW);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return sz_error_make(err, errno == EXDEV ? 0 : errno, _("COPY %s: %s"), rel,
		                     errno == EXDEV ? _("not inside the build context")
		                                    : _("cannot read it"));
	if (ignored(b, rel))
		return 0;
	if (h != NULL) {
		char head[64];
		int l = snprintf(head, sizeof(head), "%s\n%o\n", name, (unsigned)st.st_mode);
		sz_hasher_add(h, rel, strlen(rel) + 1);
		sz_hasher_add(h, head, (size_t)l);
	}
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);

		if (n < 0)
			return sz_error_make(err, errno, _("COPY %s: cannot read the link"), rel);
		target[n] = '\0';
		if (h != NULL)
			sz_hasher_add(h, target, (size_t)n);
		else if (symlinkat(target, dst, name) < 0 ||
		         (!b->s->rootless && fchownat(dst, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0))
			return sz_error_make(err, errno, _("COPY %s: cannot make the link"), rel);
		return 0;
	}
	if (S_ISREG(st.st_mode)) {
		/* Non-blocking, and checked again: it may have become a fifo since. */
		cleanup_close int in = open_in_context(b, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
		cleanup_close int out = -1;
		struct stat now;
		char buf[65536];
		ssize_t n;

		if (in < 0 || fstat(in, &now) < 0 || !S_ISREG(now.st_mode) || fcntl(in, F_SETFL, 0) < 0)
			return sz_error_make(err, errno, _("COPY %s: cannot read it"), rel);
		if (h == NULL) {
			out = openat(dst, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
			if (out < 0)
				return sz_error_make(err, errno, _("COPY %s: cannot write it"), rel);
		}
		while ((n = read(in, buf, sizeof(buf))) > 0) {
			if (h != NULL)
				sz_hasher_add(h, buf, (size_t)n);
			else if (sz_write_all(out, buf, (size_t)n) < 0)
				return sz_error_make(err, errno, _("COPY %s: cannot write it"), rel);
		}
		if (n < 0)
			return sz_error_make(err, errno, _("COPY %s: cannot read it"), rel);
		/* The owner first: a chown clears the setuid and setgid bits. */
		if (h == NULL &&
		    ((!b->s->rootless && fchown(out, uid, gid) < 0) || fchmod(out, st.st_mode & 07777) < 0))
			return sz_error_make(err, errno, _("COPY %s: cannot set its mode and owner"), rel);
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		cleanup_close int dir = open_in_context(b, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		cleanup_close int sub = -1;
		/* In name order, so that the hash does not depend on the directory's order. */
		char **names = NULL;
		size_t n = 0;
		int r = 0;

		if (dir < 0 || (names = sz_read_dir_sorted(dir, &n, err)) == NULL)
			return dir < 0 ? sz_error_make(err, errno, _("COPY %s: cannot read it"), rel)
			               : sz_error_wrap(err, "COPY %s", rel);
		if (h == NULL) {
			if (name[0] != '\0' && mkdirat(dst, name, 0755) < 0 && errno != EEXIST)
				r = sz_error_make(err, errno, _("COPY %s: cannot make the directory"), rel);
			sub = r < 0 ? -1
			      : name[0] != '\0'
			          ? openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
			          : dup(dst);
			if (r == 0 && (sub < 0 || (!b->s->rootless && fchown(sub, uid, gid) < 0)))
				r = sz_error_make(err, errno, _("COPY %s: cannot make the directory"), rel);
		}
		for (size_t i = 0; i < n && r == 0; i++) {
			cleanup_free char *child = strcmp(rel, ".") == 0
			                               ? sz_xstrdup(names[i])
			                               : sz_asprintf("%s/%s", rel, names[i]);
			r = copy_tree(b, child, sub, names[i], h, uid, gid, err);
		}
		sz_free_names(names, n);
		/* Its mode last: a read-only directory can still be filled. */
		if (r == 0 && h == NULL && fchmod(sub, st.st_mode & 07777) < 0)
			r = sz_error_make(err, errno, _("COPY %s: cannot make the directory"), rel);
		return r;
	}
	return sz_error_make(err, 0, _("COPY %s: not a file, a directory or a link"), rel);
}

/* A COPY source as a path in the context: "/a/b/" and "./a/b" are "a/b";
 * the context itself is ".". (".." stays, and open_in_context refuses it.) */
static char *source_path(const char *src)
{
	char *rel;
	size_t n;

	while (src[0] == '/' || (src[0] == '.' && src[1] == '/'))
		src += src[0] == '/' ? 1 : 2;
	rel = sz_xstrdup(src);
	n = strlen(rel);
	while (n > 0 && rel[n - 1] == '/')
		rel[--n] = '\0';
	if (n == 0 || strcmp(rel, ".") == 0) {
		free(rel);
		return sz_xstrdup(".");
	}
	return rel;
}

/* path (absolute, with no link in it) as the image so far has it: an O_PATH
 * descriptor of it in the topmost layer that has it (a link is not
 * followed), with *st; -1 when none has it or a whiteout hides it. A layer
 * where the path goes through a link of its own does not have it. */
static int lower_open(const struct builder *b, const char *path, struct stat *st)
{
	for (size_t i = json_array_size(b->diff_ids); i-- > 0;) {
		char name[SZ_LAYER_DIR_LEN];
		cleanup_free char *fs = NULL;
		cleanup_close int root = -1;
		struct open_how how = {.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		                       .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS};
		int fd;

		sz_layer_dir_name(json_string_value(json_array_get(b->diff_ids, i)), name);
		fs = sz_asprintf("%s/layers/%s/fs", b->s->root, name);
		root = open(fs, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			continue;
		fd = (int)syscall(SYS_openat2, root, path[1] ? path + 1 : ".", &how, sizeof(how));
		if (fd < 0)
			continue;
		if (fstat(fd, st) < 0 || (S_ISCHR(st->st_mode) && st->st_rdev == 0)) {
			close(fd);
			return -1; /* a whiteout: deleted from here down */
		}
		return fd;
	}
	return -1;
}

/* path (absolute, clean) through the links the image so far has, inside
 * the image's root, as a path with no link in it: where COPY writes. */
static char *resolve_in_image(const struct builder *b, const char *path)
{
	cleanup_free char *todo = sz_xstrdup(path);
	struct sz_buf done;
	int hops = 0;

	sz_buf_init(&done, 0);
	for (char *rest = todo; *rest != '\0';) {
		size_t n;
		cleanup_free char *next = NULL;
		struct stat st;
		int fd;

		while (*rest == '/')
			rest++;
		n = strcspn(rest, "/");
		if (n == 0)
			break;
		next = sz_asprintf("%s/%.*s", done.buf, (int)n, rest);
		rest += n;
		fd = lower_open(b, next, &st);
		if (fd >= 0 && S_ISLNK(st.st_mode) && hops++ < 40) {
			char target[4096];
			ssize_t len = readlinkat(fd, "", target, sizeof(target) - 1);
			cleanup_free char *joined = NULL;

			close(fd);
			if (len > 0) {
				target[len] = '\0';
				joined = target[0] == '/' ? sz_asprintf("%s%s", target, rest)
				                          : sz_asprintf("%s/%s%s", done.buf, target, rest);
				free(todo);
				todo = clean_path("/", joined);
				sz_buf_reset(&done);
				rest = todo;
				continue;
			}
		} else if (fd >= 0) {
			close(fd);
		}
		sz_buf_reset(&done);
		sz_buf_adds(&done, next);
	}
	if (done.len == 0)
		sz_buf_addch(&done, '/');
	return sz_buf_detach(&done, NULL);
}

/* The directories of dir (absolute, with no link in it) made in the new
 * layer's root, each with the mode and owner the image below gives it
 * (0755, root's, where it has none): COPY x /tmp/x leaves /tmp 1777. */
static int open_dest_dir(const struct builder *b, int root, const char *dir, sz_error_t *err)
{
	cleanup_free char *copy = sz_xstrdup(dir);
	struct sz_buf sofar;
	int fd = dup(root);
	char *save = NULL;

	sz_buf_init(&sofar, 0);
	for (char *c = strtok_r(copy, "/", &save); c != NULL && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		struct stat st = {.st_mode = S_IFDIR | 0755};
		int below, next = -1;

		sz_buf_addf(&sofar, "/%s", c);
		below = lower_open(b, sofar.buf, &st);
		if (below >= 0)
			close(below);
		if (!S_ISDIR(st.st_mode))
			st = (struct stat){.st_mode = S_IFDIR | 0755};
		if (mkdirat(fd, c, 0700) == 0) {
			next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (next >= 0 && ((!b->s->rootless && fchown(next, below >= 0 ? st.st_uid : 0,
			                                             below >= 0 ? st.st_gid : 0) < 0) ||
			                  fchmod(next, st.st_mode & 07777) < 0)) {
				close(next);
				next = -1;
			}
		} else if (errno == EEXIST) {
			next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		close(fd);
		fd = next;
	}
	if (fd < 0)
		sz_error_make(err, errno, _("COPY: cannot make '%s' in the layer"), dir);
	sz_buf_release(&sofar);
	return fd;
}

static int step_copy(struct builder *b, const struct sz_instr *in, sz_error_t *err)
{
	cleanup_json json_t *w = words(in->args);
	cleanup_free char *dest = NULL;
	cleanup_free char *root = NULL;
	cleanup_free char *hash_text = NULL;
	cleanup_close int rootfd = -1;
	uid_t uid = 0;
	gid_t gid = 0;
	size_t first = 0, n, i;
	bool into_dir;
	struct sz_hasher h;
	char key[SZ_DIGEST_LEN], content[SZ_DIGEST_LEN], diff[SZ_DIGEST_LEN];
	uint64_t size;
	json_t *x;

	json_array_foreach (w, i, x) {
		cleanup_free char *e = expand(b, json_string_value(x));
		json_array_set_new(w, i, json_string(e));
	}
	while (first < json_array_size(w) &&
	       sz_str_has_prefix(json_string_value(json_array_get(w, first)), "--")) {
		const char *opt = json_string_value(json_array_get(w, first++));
		unsigned long u, g;
		char *end;

		if (!sz_str_has_prefix(opt, "--chown="))
			return sz_error_make(
			    err, 0, _("%s:%u:%u: COPY %s: stanza build knows only --chown=UID[:GID]"),
			    b->file, in->line, in->col, opt);
		u = strtoul(opt + 8, &end, 10);
		g = *end == ':' ? strtoul(end + 1, &end, 10) : u;
		if (end == opt + 8 || *end != '\0')
			return sz_error_make(err, 0, _("%s:%u:%u: COPY %s: give numbers (--chown=1000:1000)"),
			                     b->file, in->line, in->col, opt);
		uid = (uid_t)u;
		gid = (gid_t)g;
	}
	n = json_array_size(w) - first;
	if (n < 2)
		return sz_error_make(err, 0, _("%s:%u:%u: COPY needs a source and a destination"), b->file,
		                     in->line, in->col);
	{
		const char *d = json_string_value(json_array_get(w, json_array_size(w) - 1));
		if (d[0] == '\0')
			return sz_error_make(err, 0, _("%s:%u:%u: COPY needs a source and a destination"),
			                     b->file, in->line, in->col);
		cleanup_free char *asked =
		    clean_path(json_string_value(json_object_get(b->config, "WorkingDir")) ?: "/", d);
		struct stat st;
		int below;

		/* Through the image's own links (/bin -> usr/bin); into a directory
		 * the image has, as Docker does, slash or not. */
		dest = resolve_in_image(b, asked);
		below = lower_open(b, dest, &st);
		into_dir = n > 2 || d[strlen(d) - 1] == '/' || strcmp(dest, "/") == 0 ||
		           (below >= 0 && S_ISDIR(st.st_mode));
		if (below >= 0)
			close(below);
	}
	/* The key: the sources' names, modes and contents, and where they go. */
	sz_hasher_init(&h);
	for (i = first; i + 1 < json_array_size(w); i++) {
		cleanup_free char *rel = source_path(json_string_value(json_array_get(w, i)));
		if (copy_tree(b, rel, -1, "", &h, uid, gid, err) < 0)
			return sz_error_wrap(err, "%s:%u:%u", b->file, in->line, in->col);
	}
	sz_hasher_finish(&h, content);
	hash_text =
	    sz_asprintf("%s %u:%u %s%s", content, (unsigned)uid, (unsigned)gid, dest, into_dir ? "/" : "");
	cache_key(b, "COPY", hash_text, key);
	if (cache_lookup(b, key, diff, &size)) {
		add_layer(b, diff, size);
		sz_image_log(b->o->log, _("--> cached: layer %.19s… (the same files to the same place)"),
		             diff);
		return 0;
	}
	root = sz_asprintf("%s/copy-%u", b->work, b->seq++);
	if (mkdir(root, 0755) < 0 || (rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return sz_error_make(err, errno, _("cannot create '%s'"), root);
	for (i = first; i + 1 < json_array_size(w); i++) {
		const char *src = json_string_value(json_array_get(w, i));
		cleanup_free char *rel = source_path(src);
		cleanup_close int probe = open_in_context(b, rel, O_PATH | O_NOFOLLOW);
		cleanup_close int dir = -1;
		struct stat st;
		const char *base;
		cleanup_free char *parent = NULL;

		if (probe < 0 || fstat(probe, &st) < 0)
			return sz_error_make(err, errno, "%s:%u:%u: COPY %s", b->file, in->line, in->col,
			                     src);
		if (S_ISDIR(st.st_mode) || into_dir) {
			/* A directory's contents go into dest; a file into dest/. */
			dir = open_dest_dir(b, rootfd, dest, err);
			base = S_ISDIR(st.st_mode) ? "" : (strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel);
		} else {
			parent = sz_xstrdup(dest);
			*strrchr(parent, '/') = '\0';
			dir = open_dest_dir(b, rootfd, parent, err);
			base = strrchr(dest, '/') + 1;
		}
		if (dir < 0 || copy_tree(b, rel, dir, base, NULL, uid, gid, err) < 0)
			return sz_error_wrap(err, "%s:%u:%u", b->file, in->line, in->col);
	}
	if (commit_layer_dir(b, root, diff, &size, err) < 0)
		return -1;
	{
		char text[32];
		add_layer(b, diff, size);
		cache_store(b, key, diff);
		sz_image_log(b->o->log, _("--> new layer %.19s… (%s)"), diff,
		             sz_format_size(size, text, sizeof(text)));
	}
	return 0;
}

/* RUN [] has nothing to run; CMD [] and ENTRYPOINT [] clear. */
static json_t *command_form(const struct sz_instr *in)
{
	return in->exec ? json_deep_copy(in->exec) : json_pack("[s, s, s]", "/bin/sh", "-c", in->args);
}

/* K=V pairs (ENV, LABEL), or ENV's old form "K V". */
static int pairs(struct builder *b, const struct sz_instr *in, json_t **out, sz_error_t *err)
{
	cleanup_json json_t *w = words(in->args);
	size_t i;
	json_t *x;

	*out = json_object();
	if (in->kind == SZ_I_ENV && strchr(json_string_value(json_array_get(w, 0)), '=') == NULL) {
		const char *sp = in->args + strcspn(in->args, " \t");
		cleanup_free char *value = expand(b, sp + strspn(sp, " \t"));
		json_object_set_new(*out, json_string_value(json_array_get(w, 0)), json_string(value));
		return 0;
	}
	json_array_foreach (w, i, x) {
		const char *kv = json_string_value(x);
		const char *eq = strchr(kv, '=');
		cleanup_free char *key = NULL;
		cleanup_free char *value = NULL;

		if (eq == NULL || eq == kv) {
			json_decref(*out);
			return sz_error_make(err, 0, _("%s:%u:%u: %s: '%s' is not KEY=VALUE"), b->file,
			                     in->line, in->col, in->keyword, kv);
		}
		key = sz_asprintf("%.*s", (int)(eq - kv), kv);
		value = expand(b, eq + 1);
		json_object_set_new(*out, key, json_string(value));
	}
	return 0;
}

static int step(struct builder *b, const struct sz_instr *in, sz_error_t *err)
{
	cleanup_json json_t *kv = NULL;
	cleanup_free char *value = NULL;
	const char *k;
	json_t *v;

	if (!b->from_seen && in->kind != SZ_I_FROM && in->kind != SZ_I_ARG)
		return sz_error_make(err, 0, _("%s:%u:%u: %s before FROM: a Containerfile starts with FROM"),
		                     b->file, in->line, in->col, in->keyword);
	switch (in->kind) {
	case SZ_I_FROM: return step_from(b, in, err);
	case SZ_I_RUN: return step_run(b, in, err);
	case SZ_I_COPY: return step_copy(b, in, err);
	case SZ_I_ENV:
		if (pairs(b, in, &kv, err) < 0)
			return -1;
		json_object_foreach (kv, k, v)
			set_env(b, k, json_string_value(v));
		return 0;
	case SZ_I_LABEL:
		if (pairs(b, in, &kv, err) < 0)
			return -1;
		if (!json_is_object(json_object_get(b->config, "Labels")))
			json_object_set_new(b->config, "Labels", json_object());
		json_object_update(json_object_get(b->config, "Labels"), kv);
		return 0;
	case SZ_I_ARG: {
		cleanup_json json_t *w = words(in->args);
		size_t i;
		json_t *x;

		/* ARG NAME, ARG NAME=default, several on a line; --build-arg wins. */
		json_array_foreach (w, i, x) {
			const char *arg = json_string_value(x);
			const char *eq = strchr(arg, '=');
			cleanup_free char *name =
			    eq ? sz_asprintf("%.*s", (int)(eq - arg), arg) : sz_xstrdup(arg);
			cleanup_free char *val = NULL;
			const char *given = NULL;
			size_t len = strlen(name);

			for (size_t j = 0; b->o->build_args != NULL && b->o->build_args[j] != NULL; j++)
				if (strncmp(b->o->build_args[j], name, len) == 0 &&
				    b->o->build_args[j][len] == '=')
					given = b->o->build_args[j] + len + 1;
			val = given ? sz_xstrdup(given) : eq ? expand(b, eq + 1) : sz_xstrdup("");
			json_object_set_new(b->args, name, json_string(val));
		}
		return 0;
	}
	case SZ_I_WORKDIR: {
		cleanup_free char *raw = expand(b, in->args);
		value = clean_path(json_string_value(json_object_get(b->config, "WorkingDir")) ?: "/", raw);
		json_object_set_new(b->config, "WorkingDir", json_string(value));
		return 0;
	}
	case SZ_I_USER:
		value = expand(b, in->args);
		json_object_set_new(b->config, "User", json_string(value));
		return 0;
	case SZ_I_EXPOSE: {
		cleanup_json json_t *w = words(in->args);
		size_t i;
		json_t *p;

		if (!json_is_object(json_object_get(b->config, "ExposedPorts")))
			json_object_set_new(b->config, "ExposedPorts", json_object());
		json_array_foreach (w, i, p) {
			cleanup_free char *port = expand(b, json_string_value(p));
			cleanup_free char *full =
			    strchr(port, '/') ? sz_xstrdup(port) : sz_asprintf("%s/tcp", port);
			json_object_set_new(json_object_get(b->config, "ExposedPorts"), full, json_object());
		}
		return 0;
	}
	case SZ_I_ENTRYPOINT:
		json_object_set_new(b->config, "Entrypoint", command_form(in));
		/* Docker's rule: an ENTRYPOINT drops the CMD the base image had. */
		if (b->cmd_from_base) {
			json_object_del(b->config, "Cmd");
			b->cmd_from_base = false;
		}
		return 0;
	case SZ_I_CMD:
		json_object_set_new(b->config, "Cmd", command_form(in));
		b->cmd_from_base = false;
		return 0;
	}
	return 0;
}

static int finish_image(struct builder *b, char digest[SZ_DIGEST_LEN], sz_error_t *err)
{
	cleanup_json json_t *config = NULL;
	cleanup_json json_t *manifest = NULL;
	cleanup_json json_t *index = NULL;
	cleanup_free char *config_text = NULL;
	cleanup_free char *manifest_text = NULL;
	cleanup_free char *ref = NULL;
	char config_digest[SZ_DIGEST_LEN];
	json_t *manifests, *entry;

	if (json_array_size(b->diff_ids) == 0)
		return sz_error_make(
		    err, 0, _("%s: the image has no layer (FROM scratch and no COPY or RUN)"), b->file);
	if (b->o->tag != NULL && (ref = sz_image_ref(b->o->tag, err)) == NULL)
		return -1;
	config =
	    json_pack("{s:s, s:s, s:O, s:{s:s, s:O}, s:O}", "architecture", b->arch, "os", "linux", "config",
	              b->config, "rootfs", "type", "layers", "diff_ids", b->diff_ids, "history", b->history);
	config_text = json_dumps(config, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (write_blob(b, config_text, strlen(config_text), config_digest, err) < 0)
		return -1;
	manifest = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:O}", "schemaVersion", 2, "mediaType",
	                     "application/vnd.oci.image.manifest.v1+json", "config", "mediaType",
	                     "application/vnd.oci.image.config.v1+json", "digest", config_digest, "size",
	                     (json_int_t)strlen(config_text), "layers", b->layers);
	manifest_text = json_dumps(manifest, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (write_blob(b, manifest_text, strlen(manifest_text), digest, err) < 0)
		return -1;
	index = sz_store_index(b->s, err);
	if (index == NULL)
		return -1;
	manifests = json_object_get(index, "manifests");
	for (size_t i = json_array_size(manifests); i-- > 0;) {
		json_t *m = json_array_get(manifests, i);
		const char *r =
		    json_string_value(json_object_get(json_object_get(m, "annotations"), SZ_REF_NAME));
		const char *d = json_string_value(json_object_get(m, "digest"));
		if ((ref != NULL && r != NULL && strcmp(r, ref) == 0) ||
		    (r == NULL && d != NULL && strcmp(d, digest) == 0))
			json_array_remove(manifests, i);
	}
	entry = json_pack("{s:s, s:s, s:I}", "mediaType", "application/vnd.oci.image.manifest.v1+json",
	                  "digest", digest, "size", (json_int_t)strlen(manifest_text));
	if (ref != NULL)
		json_object_set_new(entry, "annotations", json_pack("{s:s}", SZ_REF_NAME, ref));
	json_array_append_new(manifests, entry);
	return sz_store_write_index(b->s, index, err);
}

int sz_image_build(struct sz_store *s, const struct sz_build_options *o, char digest[SZ_DIGEST_LEN],
                   sz_error_t *err)
{
	struct builder b = {.s = s, .o = o, .context = -1};
	struct sz_containerfile cf = {0};
	cleanup_free char *text = NULL;
	size_t len;
	int r = -1;

	b.history = json_array();
	b.diff_ids = json_array();
	b.layers = json_array();
	b.args = json_object();
	b.arch = sz_xstrdup(sz_host_architecture());
	if (o->file != NULL) {
		b.file = sz_xstrdup(o->file);
	} else {
		b.file = sz_asprintf("%s/Containerfile", o->context);
		if (access(b.file, F_OK) < 0) {
			free(b.file);
			b.file = sz_asprintf("%s/Dockerfile", o->context);
		}
	}
	b.context = open(o->context, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b.context < 0) {
		sz_error_make(err, errno, _("cannot open the build context '%s'"), o->context);
		goto out;
	}
	if (sz_read_file(b.file, &text, &len, err) < 0 ||
	    sz_containerfile_parse(text, len, b.file, &cf, err) < 0 || read_ignore(&b, err) < 0)
		goto out;
	b.ar = sz_archive_api(err);
	if (b.ar == NULL)
		goto out;
	b.work = sz_asprintf("%s/tmp/build-%ld", s->root, (long)getpid());
	if (sz_mkdir_p(b.work, 0700, err) < 0)
		goto out;
	for (size_t i = 0; i < cf.n; i++) {
		const struct sz_instr *in = &cf.v[i];
		size_t before = json_array_size(b.diff_ids);

		sz_image_log(b.o->log, "STEP %zu/%zu: %s %s", i + 1, cf.n, in->keyword, in->args);
		if (step(&b, in, err) < 0)
			goto out;
		if (in->kind != SZ_I_FROM && in->kind != SZ_I_ARG)
			history(&b, in, json_array_size(b.diff_ids) == before);
	}
	r = finish_image(&b, digest, err);
out:
	if (b.work != NULL) {
		sz_error_t ignored = NULL;
		sz_rm_rf_at(AT_FDCWD, b.work, &ignored);
		sz_error_release(&ignored);
	}
	sz_containerfile_release(&cf);
	if (b.context >= 0)
		close(b.context);
	json_decref(b.config);
	json_decref(b.history);
	json_decref(b.diff_ids);
	json_decref(b.layers);
	json_decref(b.args);
	json_decref(b.ignore);
	free(b.arch);
	free(b.file);
	free(b.work);
	return r;
}
