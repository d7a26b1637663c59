/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_json.c - the host probe as one JSON object, for `stanza doctor --json` */
#include "runtime/probe.h"

#include <string.h>

#include "runtime/runtime.h"

static void put_str(json_t *o, const char *key, const char *value)
{
	sz_json_set(o, key, sz_json_string(value));
}

static void put_bool(json_t *o, const char *key, bool value)
{
	sz_json_set(o, key, json_boolean(value));
}

/* A number, or null when negative (the file was absent). */
static void put_num(json_t *o, const char *key, long value)
{
	sz_json_set(o, key, value < 0 ? json_null() : json_integer(value));
}

static const char *errno_name(int e)
{
	return e != 0 ? strerrorname_np(e) : NULL;
}

static json_t *trial_json(const struct sz_probe_trial *t)
{
	json_t *o = json_object();

	put_bool(o, "works", sz_probe_trial_ok(t));
	put_str(o, "failed_step", sz_probe_trial_ok(t) ? NULL : sz_probe_step_name(t->failed));
	put_str(o, "errno", errno_name(t->error));
	return o;
}

static void user_json(json_t *root, const struct sz_probe *p)
{
	json_t *user = json_object();
	json_t *kernel = json_object();

	put_str(user, "name", p->user.name);
	put_num(user, "uid", (long)p->user.uid);
	put_num(user, "euid", (long)p->user.euid);
	put_num(user, "gid", (long)p->user.gid);
	put_bool(user, "root", p->user.root);
	put_bool(user, "cap_sys_admin", p->user.cap_sys_admin);
	sz_json_set(root, "user", user);
	put_str(kernel, "release", p->kernel.release);
	put_str(kernel, "machine", p->kernel.machine);
	sz_json_set(root, "kernel", kernel);
}

static json_t *host_json(const struct sz_probe_virt *v)
{
	json_t *o = json_object();

	put_str(o, "vm", v->vm);
	put_bool(o, "cpu_hypervisor_flag", v->cpu_hypervisor);
	put_str(o, "cpuid_signature", v->cpuid_signature);
	put_str(o, "dmi_vendor", v->dmi_vendor);
	put_str(o, "dmi_product", v->dmi_product);
	put_str(o, "hypervisor_type", v->hypervisor_type);
	put_str(o, "container", v->container);
	put_bool(o, "dockerenv", v->dockerenv);
	put_bool(o, "containerenv", v->containerenv);
	put_str(o, "container_env", v->container_env);
	put_bool(o, "pid1_environ_readable", v->environ_readable);
	put_str(o, "pid1_cgroup_hint", v->cgroup_hint);
	put_str(o, "root_fstype", v->root_fstype);
	put_bool(o, "partial_uid_map", v->partial_uid_map);
	return o;
}

static void userns_json(json_t *root, const struct sz_probe *p)
{
	json_t *knobs = json_object();

	sz_json_set(root, "namespaces", trial_json(&p->namespaces));
	sz_json_set(root, "userns", trial_json(&p->userns));
	put_num(knobs, "max_user_namespaces", p->knobs.max_user_namespaces);
	put_num(knobs, "unprivileged_userns_clone", p->knobs.unprivileged_userns_clone);
	put_num(knobs, "apparmor_restrict_unprivileged_userns",
	        p->knobs.apparmor_restrict_unprivileged_userns);
	sz_json_set(root, "userns_knobs", knobs);
}

static json_t *cgroup_json(const struct sz_probe_cgroup *cg)
{
	json_t *o = json_object();
	json_t *controllers = json_object();

	put_str(o, "mode", sz_cgroup_mode_name(cg->mode));
	put_str(o, "v2_mount", cg->v2_mount);
	put_bool(o, "delegated", cg->delegated);
	put_bool(o, "systemd", cg->systemd);
	put_bool(o, "systemd_user", cg->systemd_user);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		const struct sz_probe_controller *pc = &cg->ctrl[c];
		json_t *ctrl = json_object();

		put_str(ctrl, "mount", pc->mount);
		put_bool(ctrl, "v2", pc->on_v2);
		put_str(ctrl, "base", pc->base);
		put_bool(ctrl, "writable", pc->writable);
		put_str(ctrl, "errno", errno_name(pc->error));
		sz_json_set(controllers, sz_controller_name(c), ctrl);
	}
	sz_json_set(o, "controllers", controllers);
	put_str(o, "fix", cg->fix);
	return o;
}

static void rest_json(json_t *root, const struct sz_probe *p)
{
	json_t *overlay = trial_json(&p->overlay);
	json_t *seccomp = json_object();
	json_t *image = json_object();

	put_bool(overlay, "in_proc_filesystems", p->overlay_listed);
	put_str(overlay, "tried_on", p->overlay_dir);
	put_str(overlay, "fstype", p->overlay_fstype);
	sz_json_set(root, "overlay", overlay);
	put_bool(seccomp, "available", p->seccomp.available);
	put_bool(seccomp, "filter", p->seccomp.filter);
	put_num(seccomp, "self_mode", p->seccomp.self_mode);
	sz_json_set(root, "seccomp", seccomp);
	put_str(image, "binary", p->image.binary);
	put_bool(image, "present", p->image.present);
	put_bool(image, "static", p->image.is_static);
	put_bool(image, "native", p->image.native);
	sz_json_set(root, "image", image);
}

static json_t *findings_json(const struct sz_probe *p)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < p->n_findings; i++) {
		const struct sz_probe_finding *f = &p->findings[i];
		json_t *o = json_object();

		put_str(o, "name", f->name);
		put_str(o, "status", sz_probe_status_name(f->status));
		put_str(o, "detail", f->detail);
		put_str(o, "disables", f->disables);
		put_str(o, "fix", f->fix);
		sz_json_push(arr, o);
	}
	return arr;
}

json_t *sz_probe_json(const struct sz_probe *p)
{
	json_t *root = json_object();

	user_json(root, p);
	sz_json_set(root, "host", host_json(&p->virt));
	userns_json(root, p);
	sz_json_set(root, "cgroup", cgroup_json(&p->cgroup));
	rest_json(root, p);
	sz_json_set(root, "findings", findings_json(p));
	return root;
}
